"""Viewset bases: filtering, strict ordering and pagination live here, once."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from core.api.filters import StrictOrderingFilter


class RegisterReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Public, read-only list and detail views for a register model.

    Subclasses name queryset, serializer_class, filterset_class and ordering_fields.
    """

    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    lookup_value_regex = r"[A-Za-z0-9_.-]+"
