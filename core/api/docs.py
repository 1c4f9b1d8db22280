"""The API documentation pages, confined to this server.

The UIs come from drf-spectacular-sidecar (no CDN). ReDoc still renders an <img> of its
vendor's logo from the internet; a Content-Security-Policy keeps the browser from fetching
anything that is not served here, so the docs work, unchanged, with no network at all.
"""

from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",  # both UIs inject styles at run time
        "script-src 'self' 'unsafe-inline'",  # the pages start the UI with an inline script
        "worker-src 'self' blob:",  # ReDoc runs its search index in a blob worker
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ]
)


def _with_csp(view_func):
    def wrapped(request, *args, **kwargs):
        response = view_func(request, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response

    return wrapped


@method_decorator(_with_csp, name="dispatch")
class SwaggerView(SpectacularSwaggerView):
    """Swagger UI for /api/schema/."""


@method_decorator(_with_csp, name="dispatch")
class RedocView(SpectacularRedocView):
    """ReDoc for /api/schema/."""
