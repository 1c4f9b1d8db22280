"""The OpenAPI schema generator used for every view."""

from drf_spectacular.utils import PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from inflection import camelize
from rest_framework import permissions

from core.api.exceptions import ErrorResponse400ClientErrorSerializer
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

    def _is_export(self) -> bool:
        return getattr(self.view, "action", None) == "export"

    def get_filter_backends(self):
        """A list's export takes the list's filters and ordering."""
        if self._is_export():
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def _get_extra_validation_errors(self):
        """Pagination (limit, offset, cursor), ordering and include_drafts are validated too (a 400 naming them)."""
        extra = super()._get_extra_validation_errors()
        queryset = getattr(self.view, "queryset", None)
        if (
            self.method == "GET"
            and queryset is not None
            and hasattr(queryset.model, "review_status")
        ):
            extra.setdefault("include_drafts", {"invalid"})
        if self._is_export():
            extra.setdefault("format", {"invalid_choice"})
        if self.method == "GET" and (self._is_list_view() or self._is_export()):
            if self.view.paginator is not None:
                extra.setdefault("limit", {"invalid"})
                extra.setdefault("offset", {"invalid"})
                extra.setdefault("cursor", {"invalid"})
            if any(
                issubclass(backend, StrictOrderingFilter) for backend in self.get_filter_backends()
            ):
                extra.setdefault("ordering", {"invalid"})
        return extra

    def _should_add_error_response(self, responses, status_code):
        """409 (referenced record) only on DELETE; 412 (stale If-Match) only on writes to a record;
        413 (body too large) only where a body is read; 400 everywhere (a bad Host, too many
        query parameters)."""
        if status_code == "400":
            return status_code not in responses
        if status_code == "413":
            return self.method in ("POST", "PUT", "PATCH") and super()._should_add_error_response(
                responses, status_code
            )
        if status_code == "409":
            return self.method == "DELETE" and super()._should_add_error_response(
                responses, status_code
            )
        if status_code == "412":
            return self.method in ("PUT", "PATCH", "DELETE") and super()._should_add_error_response(
                responses, status_code
            )
        return super()._should_add_error_response(responses, status_code)

    def _get_http400_serializer(self):
        """A validation error where the operation validates input, and otherwise a client
        error: malformed or over-deep JSON, too many parameters, a Host not served here."""
        variants = {"client_error": ErrorResponse400ClientErrorSerializer}
        if self._should_add_validation_error_response():
            variants["validation_error"] = self._get_serializer_for_validation_error_response()
        return PolymorphicProxySerializer(
            component_name=f"{camelize(self.get_operation_id())}ErrorResponse400",
            serializers=variants,
            resource_type_field_name="type",
        )
