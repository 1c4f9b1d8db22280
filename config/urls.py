"""Root URL configuration: the API, its documentation, the admin and health probes."""

from django.contrib import admin
from django.urls import path

from core.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
]
