"""Root URL configuration: the API, its documentation, the admin and health probes."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from core.api.changes import ChangeViewSet
from core.api.docs import RedocView, SwaggerView
from core.health import healthz, readyz

changes_router = SimpleRouter()
changes_router.register("changes", ChangeViewSet, basename="change")

api_v1 = [
    *changes_router.urls,
    path("", include("treaties.api.urls")),
    path("", include("sanctions.api.urls")),
    path("", include("sources.api.urls")),
    path("", include("register.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("admin/", admin.site.urls),
]

handler400 = "core.api.errors.bad_request"
handler403 = "core.api.errors.permission_denied"
handler404 = "core.api.errors.not_found"
handler500 = "core.api.errors.server_error"
