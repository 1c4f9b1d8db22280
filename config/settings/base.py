"""Settings shared by every environment, read from environment variables.

See README.md ("Configuration") for every variable. Development defaults apply only when
DEBUG is on; with DEBUG off the service refuses to start without a real SECRET_KEY.
"""

import secrets
from pathlib import Path

from config.env import (
    database_config,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_rate,
    env_str,
    require,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"
SECRET_KEY = env_str("SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY and env_bool("REGISTER_ONE_OFF_COMMAND"):
    # manage.py migrate, load_records, check...: nothing they sign outlives them.
    SECRET_KEY = "one-off-" + secrets.token_urlsafe(50)
require("SECRET_KEY", SECRET_KEY, reason="required to serve requests when DEBUG is off")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "simple_history",
    "rest_framework.authtoken",
    "core",
    "sources",
    "treaties",
    "sanctions",
    # Last: what spans the apps (its post_migrate needs every app's permissions).
    "register",
]

MIDDLEWARE = [
    "core.health.HealthCheckMiddleware",
    "core.middleware.UrlLengthLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Repeated public reads answered from the cache, before the rest (core/api/read_cache.py).
    "core.api.read_cache.PublicReadCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL selects the engine; SQLite in the repository folder by default.
DATABASES = {
    "default": database_config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL cancels a statement that runs longer than this many seconds (0: never).
# config/gunicorn.py sets 30 for the web workers; commands (imports, migrations) run unbound.
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the register's queries are short, but the draft checks give some
    # plans (the change feed's) a cost estimate high enough to start LLVM, which then spent
    # 7.8 s compiling 865 functions for a 50-row page that runs in milliseconds (EXPLAIN
    # ANALYZE at 1M designations, docs/benchmarks.md). Options in DATABASE_URL are kept.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()
    if DATABASE_STATEMENT_TIMEOUT > 0:
        _pg_options["options"] += f" -c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every worker), per-process memory otherwise.
# "responses" keeps whole public reads per register version (core/api/read_cache.py):
# READ_CACHE=0 turns that off; in memory, each worker keeps at most READ_CACHE_ENTRIES.
REDIS_URL = env_str("REDIS_URL")
READ_CACHE = env_bool("READ_CACHE", default=True)
READ_CACHE_ENTRIES = env_int("READ_CACHE_ENTRIES", 1000)  # two per answer
# On PostgreSQL each web process listens for writes announcing the new register version
# (core/register_state.py, one more connection per process), so a cached read needs no query.
# VERSION_LISTEN=0: each cached read queries the version instead.
VERSION_LISTEN = env_bool("VERSION_LISTEN", default=True)
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
        for alias, prefix in (("default", "register"), ("responses", "register-responses"))
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "responses": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "responses",
            "OPTIONS": {"MAX_ENTRIES": READ_CACHE_ENTRIES},
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names from collectstatic; with DEBUG on, Django serves the plain names instead.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# In development whitenoise serves straight from the app folders, with no collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# Logging: one JSON object per line on stdout, for the process supervisor to collect.
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
    },
}

# Change reasons (X-Change-Reason, the admin's reason box, import notes) are free text.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Where the seed articles live; fixtures cite them by file name.
SEEDS_DIR = BASE_DIR / "seeds"
FIXTURES_DIR = BASE_DIR / "fixtures"

# Request limits (docs/api.md, "Limits"); over them the API answers 413, 400 or 414 in JSON.
API_MAX_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 1_048_576)
# Django's own limit, for every body (the admin posts whole source texts): its default,
# or the API's if that is higher, since the API's body is read under both.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, API_MAX_BODY_BYTES)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # query parameters or form fields
API_JSON_MAX_DEPTH = 32  # nested arrays and objects in a request body
# Path and query string; below gunicorn's limit_request_line (config/gunicorn.py).
MAX_URL_LENGTH = 4096

# API: public reads; pagination, filtering and errors are the same on every endpoint.
# JSON in and out; the browsable HTML pages only in development.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("THROTTLE_ANON", "120/minute"),
        "user": env_rate("THROTTLE_USER", "1200/minute"),
        "export": env_rate("THROTTLE_EXPORT", "10/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.LimitOffsetPagination",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "core.api.errors.ExceptionHandler",
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "412",
        "413",
        "414",
        "415",
        "429",
        "500",
        "503",
    ],
    "ERROR_SCHEMAS": {
        "409": "core.api.exceptions.ErrorResponse409Serializer",
        "412": "core.api.exceptions.ErrorResponse412Serializer",
        "413": "core.api.exceptions.ErrorResponse413Serializer",
        "414": "core.api.exceptions.ErrorResponse414Serializer",
        "503": "core.api.exceptions.ErrorResponse503Serializer",
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Treaty and sanctions register API",
    "DESCRIPTION": (
        "A curated register of treaties, sanctions regimes, designations and the parties to them. "
        "Every fact carries citations: verbatim quotes from a source, with character offsets into "
        "the source's text. Dates are partial ISO 8601 strings ('1961', '1961-07', '1961-07-06'); "
        "unknown values are null. Reads are public. See docs/api.md for the guide and the "
        "compatibility policy."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [
        {
            "name": "parties",
            "description": "States, former states and organisations, and the relations between them.",
        },
        {"name": "treaties", "description": "Treaties, their parties, provisions and obligations."},
        {"name": "regimes", "description": "Sanctions regimes (programmes) and their measures."},
        {
            "name": "designations",
            "description": "People, entities, vessels and aircraft listed under regimes.",
        },
        {"name": "sources", "description": "The documents that facts are quoted from."},
        {
            "name": "citations",
            "description": "Quoted evidence tying a source to one field of a record.",
        },
        {"name": "changes", "description": "The history of every curated record, as a feed."},
    ],
    "ENUM_NAME_OVERRIDES": {
        "PartyKindEnum": "treaties.choices.PartyKind",
        "TreatyKindEnum": "treaties.choices.TreatyKind",
        "TreatyStatusEnum": "treaties.choices.TreatyStatus",
        "ObligationEnum": "treaties.choices.Obligation",
        "ConsentTypeEnum": "treaties.choices.ConsentType",
        "EndCauseEnum": "treaties.choices.EndCause",
        "ReviewStatusEnum": "core.choices.ReviewStatus",
        "MeasureEnum": "sanctions.choices.Measure",
        "RegimeStatusEnum": "sanctions.choices.RegimeStatus",
        "DesignationKindEnum": "sanctions.choices.DesignationKind",
        "DesignationStatusEnum": "sanctions.choices.DesignationStatus",
        "SourceKindEnum": "sources.choices.SourceKind",
        "StanceEnum": "sources.choices.Stance",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "CountryCodeEnum": "sanctions.api.match_serializers.COUNTRY_CODES",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
    ],
}
