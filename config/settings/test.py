"""Settings for the test suite: base settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")

from config.settings.base import *  # noqa: F403

# A test's writes never commit (each test is a transaction rolled back), so they are never
# announced: the read cache reads the version; tests/core/test_version_listener.py turns the
# listener on around committed writes.
VERSION_LISTEN = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from finders; no collectstatic before tests
WHITENOISE_USE_FINDERS = True
# The suite (and its fuzzing) makes thousands of requests; throttling has its own test.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "anon": "100000/minute",
        "user": "100000/minute",
        "export": "100000/minute",
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",  # the API parses JSON only
}
