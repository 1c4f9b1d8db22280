"""The OpenAPI schema generator used for every view."""

from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from rest_framework import permissions

from core.api.filters import StrictOrderingFilter

# Permission classes that let anonymous clients read (GET/HEAD/OPTIONS).
ANONYMOUS_READ_PERMISSIONS = (
    permissions.IsAuthenticatedOrReadOnly,
    permissions.DjangoModelPermissionsOrAnonReadOnly,
)


class AutoSchema(StandardizedErrorsAutoSchema):
    """Documents error responses per operation (drf-standardized-errors), and marks public
    reads as needing no credentials, which drf-spectacular only does for AllowAny."""

    def get_auth(self):
        auths = super().get_auth()
        public_read = self.method in permissions.SAFE_METHODS and any(
            isinstance(p, ANONYMOUS_READ_PERMISSIONS) for p in self.view.get_permissions()
        )
        if public_read and {} not in auths:
            auths.append({})
        return auths

    def _get_extra_validation_errors(self):
        """Pagination and ordering parameters are validated too (a 400 naming them)."""
        extra = super()._get_extra_validation_errors()
        if self.method == "GET" and self._is_list_view():
            if self.view.paginator is not None:
                extra.setdefault("limit", {"invalid"})
                extra.setdefault("offset", {"invalid"})
            if any(
                issubclass(backend, StrictOrderingFilter) for backend in self.get_filter_backends()
            ):
                extra.setdefault("ordering", {"invalid"})
        return extra
