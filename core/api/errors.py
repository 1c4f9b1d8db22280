"""JSON errors for API paths that no view handles (unknown URLs, crashes outside DRF).

The body has the same shape as every other API error (drf-standardized-errors).
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def _error(status: int, code: str, detail: str) -> JsonResponse:
    kind = "server_error" if status >= 500 else "client_error"
    return JsonResponse(
        {"type": kind, "errors": [{"code": code, "detail": detail, "attr": None}]}, status=status
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _error(404, "not_found", "No API endpoint at this path.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _error(500, "error", "A server error occurred.")
    return defaults.server_error(request)
