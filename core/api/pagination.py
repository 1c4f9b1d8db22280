"""Limit/offset pagination that refuses bad input and unordered querysets."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`limit` (1..max_limit, default 20) and `offset` (0..); a malformed value is a 400.

    DRF's own class silently falls back to defaults, which hides client bugs.
    """

    default_limit = 20
    max_limit = 200

    def _read(self, request, name: str, *, minimum: int, maximum: int | None = None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: [f"A whole number is required, got {raw!r}."]}) from None
        if value < minimum or (maximum is not None and value > maximum):
            bound = (
                f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            )
            raise ValidationError({name: [f"Must be {bound}, got {value}."]})
        return value

    def get_limit(self, request):
        value = self._read(request, self.limit_query_param, minimum=1, maximum=self.max_limit)
        return self.default_limit if value is None else value

    def get_offset(self, request):
        return self._read(request, self.offset_query_param, minimum=0) or 0

    def paginate_queryset(self, queryset, request, view=None):
        # Unordered pages can skip or repeat rows between requests.
        assert queryset.ordered, f"{view.__class__.__name__} must order its queryset"
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_limit, "default": self.default_limit}
                )
                parameter["description"] = (
                    f"Number of results per page (1-{self.max_limit}, default {self.default_limit})."
                )
            else:
                parameter["schema"].update({"minimum": 0, "default": 0})
                parameter["description"] = "Index of the first result to return (0-based)."
        return parameters
