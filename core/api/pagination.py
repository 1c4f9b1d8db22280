"""Limit/offset pagination that refuses bad input and unordered querysets."""

import re

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`limit` (1..max_limit, default 20) and `offset` (0..max_offset); a malformed value is a 400.

    DRF's own class silently falls back to defaults, which hides client bugs. Only ASCII digits
    count as a number (Python's int() also takes "+5", " 5" and full-width digits).
    `max_offset` is far beyond any list's length (the database never reads past the last row,
    so the length bounds an offset's cost): it only keeps a value out of the 64-bit range that
    the database driver cannot bind. Deep paging is what a cursor is for.
    """

    default_limit = 20
    max_limit = 200
    max_offset = 1_000_000
    _whole_number = re.compile(r"-?[0-9]+")

    def _read(self, request, name: str, *, minimum: int, maximum: int | None = None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            if not self._whole_number.fullmatch(raw):
                raise ValueError(raw)
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
        return self._read(request, self.offset_query_param, minimum=0, maximum=self.max_offset) or 0

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
                parameter["schema"].update({"minimum": 0, "maximum": self.max_offset, "default": 0})
                parameter["description"] = (
                    f"Index of the first result to return (0-based, at most {self.max_offset})."
                )
        return parameters
