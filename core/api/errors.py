"""JSON errors, in the API's one shape, for whatever goes wrong on an API path.

DRF views go through ``ExceptionHandler`` (drf-standardized-errors with Django's request
limits and database outages mapped to their status codes); everything else that fails on
/api/, /healthz or /readyz (unknown URLs, a disallowed Host, crashes outside DRF) goes
through the handlers below, which Django calls as handler400/403/404/500.
"""

import sqlite3
import sys

from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from drf_standardized_errors.handler import ExceptionHandler as StandardizedExceptionHandler
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from core.api.exceptions import DatabaseUnavailable, PayloadTooLarge, TooManyParameters

PROBE_PATHS = frozenset({"/healthz", "/readyz"})
# Renderers that show an error as it is; any other (YAML, HTML templates) gives way to JSON.
_ERROR_RENDERERS = (JSONRenderer, BrowsableAPIRenderer)

# PostgreSQL SQLSTATEs that mean the server went away or will not take the connection now:
# class 08 (connection exception), admin/crash shutdown, starting up, too many connections.
_POSTGRES_UNAVAILABLE = ("08", "57P01", "57P02", "57P03", "53300")
# SQLite result codes that mean the file cannot be opened or read right now.
_SQLITE_UNAVAILABLE = {"SQLITE_CANTOPEN", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR"}


def is_api_path(path: str) -> bool:
    """Whether errors on this path are answered as JSON (the API and the health probes)."""
    return path.startswith("/api/") or path in PROBE_PATHS


def is_database_unavailable(exc: BaseException | None) -> bool:
    """A connection-level database failure (unreachable, restarting), not a bad query."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        name = getattr(cause, "sqlite_errorname", "") or ""
        return any(name.startswith(unavailable) for unavailable in _SQLITE_UNAVAILABLE)
    if not hasattr(cause, "sqlstate"):  # not psycopg: nothing says it is the connection
        return False
    # psycopg gives no SQLSTATE for failures on the client side: refused, reset, closed.
    return cause.sqlstate is None or cause.sqlstate.startswith(_POSTGRES_UNAVAILABLE)


def error_response(status: int, code: str, detail: str, **headers: str) -> JsonResponse:
    """A response in the API's error shape, for code outside DRF."""
    kind = "server_error" if status >= 500 else "client_error"
    body = {"type": kind, "errors": [{"code": code, "detail": detail, "attr": None}]}
    # Compact separators, as DRF's JSONRenderer writes every other error.
    return JsonResponse(
        body, status=status, headers=headers, json_dumps_params={"separators": (",", ":")}
    )


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database is down or restarting (JSON on API paths)."""
    status, detail = DatabaseUnavailable.status_code, str(DatabaseUnavailable.default_detail)
    retry = {"Retry-After": str(DatabaseUnavailable.wait)}
    if is_api_path(request.path):
        return error_response(status, DatabaseUnavailable.default_code, detail, **retry)
    return HttpResponse(detail, status=status, content_type="text/plain", headers=retry)


class ExceptionHandler(StandardizedExceptionHandler):
    """drf-standardized-errors, plus Django's request limits and database outages."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge()
        if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
            return TooManyParameters(_field_limit_detail())
        if is_database_unavailable(exc):
            return DatabaseUnavailable()
        return super().convert_known_exceptions(exc)

    def get_response(self, exc, data):
        """Errors are JSON even where the view renders YAML (the schema) or HTML (the docs)."""
        request = self.context.get("request")
        renderer = getattr(request, "accepted_renderer", None)
        if request is not None and not isinstance(renderer, _ERROR_RENDERERS):
            request.accepted_renderer, request.accepted_media_type = (
                JSONRenderer(),
                "application/json",
            )
        return super().get_response(exc, data)


def _field_limit_detail() -> str:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return f"More than {limit} query parameters or form fields."


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a refused Host, too many fields or another suspicious request."""
    if not is_api_path(request.path):
        return defaults.bad_request(request, exception)
    if isinstance(exception, DisallowedHost):
        return error_response(400, "disallowed_host", "This server does not serve that Host.")
    if isinstance(exception, RequestDataTooBig):
        return error_response(413, PayloadTooLarge.default_code, str(PayloadTooLarge().detail))
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return error_response(400, TooManyParameters.default_code, _field_limit_detail())
    return error_response(400, "bad_request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403."""
    if is_api_path(request.path):
        return error_response(403, "permission_denied", "You may not do this.")
    return defaults.permission_denied(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404."""
    if is_api_path(request.path):
        return error_response(404, "not_found", "No API endpoint at this path.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500; a database outage is a 503 (Django calls this inside its except block)."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    if is_api_path(request.path):
        return error_response(500, "error", "A server error occurred.")
    return defaults.server_error(request)
