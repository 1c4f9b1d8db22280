"""Liveness and readiness probes for load balancers and orchestrators."""

import logging
from functools import wraps

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from core.api.errors import database_unavailable_response, error_response

logger = logging.getLogger(__name__)


def require_safe(probe):
    """GET and HEAD only; anything else is a 405 in the API's error shape."""

    @wraps(probe)
    def wrapped(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            detail = f'Method "{request.method}" not allowed.'
            return error_response(405, "method_not_allowed", detail, Allow="GET, HEAD")
        return probe(request)

    return wrapped


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving requests; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """The database answers a trivial query; 503 `database_unavailable` when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("readiness check failed: database unreachable", exc_info=exc)
        return database_unavailable_response(request)
    return JsonResponse({"status": "ready", "checks": {"database": "ok"}})


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before host validation: orchestrators probe by IP address,
    which ALLOWED_HOSTS rightly does not list."""

    PROBES = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = self.PROBES.get(request.path_info)
        return probe(request) if probe else self.get_response(request)
