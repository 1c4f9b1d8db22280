"""Production settings: base plus HTTPS hardening. `check --deploy` passes with these.

TLS is expected to end at a proxy in front of gunicorn; set SECURE_PROXY_SSL_HEADER_ENABLED
when that proxy sets X-Forwarded-Proto.
"""

from config.env import ConfigError, env_bool, env_int
from config.settings.base import *  # noqa: F403

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Off only for a local, plain-HTTP trial of these settings (`make serve` does that).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_key = SECRET_KEY  # noqa: F405
if _key.startswith("django-insecure") or len(set(_key)) < 5 or len(_key) < 50:
    raise ConfigError("SECRET_KEY", "is too weak for production (50+ random characters)")
