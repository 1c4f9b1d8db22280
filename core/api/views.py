"""Viewset bases: filtering, ordering, pagination, drafts, ETags and safe writes live here, once.

Writes run in a transaction with the model's full validation; a stale ``If-Match`` gets 412
(checked again under a row lock inside the transaction); deleting a referenced record gets
409 naming what references it; every change is kept in history with the user and the reason
given in the ``X-Change-Reason`` header.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.api.exceptions import Conflict, PreconditionFailed
from core.api.exports import ExportMixin
from core.api.filters import StrictOrderingFilter
from core.api.history import VersionSerializer, versions
from core.api.pagination import ordering_terms
from core.history import change_reason
from core.representations import (
    etag_of,
    render,
    representation_etag,
    representer,
    served,
    stored,
)
from core.services import RecordReferenced, record_delete
from core.visibility import public_view

CHANGE_REASON_HEADER = "X-Change-Reason"
MAX_REASON_LENGTH = 500

INCLUDE_DRAFTS = OpenApiParameter(
    "include_drafts",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    description="Curators only (view permission): include draft records. Others get 403.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag from GET; the write is refused with 412 if the record changed since.",
)
CHANGE_REASON = OpenApiParameter(
    CHANGE_REASON_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Why the change is made (at most 500 characters); kept in the record's history.",
)


# Every read answers with an ETag; clients and caches revalidate (a 304 costs one query).
CACHE_CONTROL = "no-cache"


def not_modified(request, etag: str) -> bool:
    """Whether the client's If-None-Match names ``etag``."""
    given = request.META.get("HTTP_IF_NONE_MATCH", "")  # request.headers would parse them all
    return etag in (tag.strip() for tag in given.split(","))


class RegisterReadOnlyViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    """Public, read-only list and detail views for a register model, and its bulk export.

    Subclasses name queryset, serializer_class, filterset_class and ordering_fields.
    Drafts are hidden unless a curator asks for them with ``include_drafts=true``.
    """

    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    lookup_value_regex = r"[A-Za-z0-9_.-]+"

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self._drafts_requested() else self.published_only(queryset)

    def published_only(self, queryset):
        """What the public may see: public rows, and only public records related to them."""
        return public_view(queryset)

    def _drafts_requested(self) -> bool:
        if self.request is None or self.request.method not in ("GET", "HEAD", "OPTIONS"):
            return True  # writes address drafts and published records alike
        raw = self.request.query_params.get("include_drafts")
        if raw is None:
            return False
        if raw.lower() not in ("true", "1", "false", "0"):
            raise ValidationError({"include_drafts": ["Use true or false."]}, code="invalid")
        if raw.lower() in ("false", "0"):
            return False
        model = self.queryset.model
        permission = f"{model._meta.app_label}.view_{model._meta.model_name}"
        if not self.request.user.has_perm(permission):
            raise PermissionDenied("Only curators may see drafts.")
        return True

    def _stored(self) -> bool:
        """Serve the stored representations (core.representations): a public read of a
        record kind that has them, in its usual representation, as JSON."""
        spec = representer(self.queryset.model)
        return (
            spec is not None
            and self.get_serializer_class() is spec.serializer
            and isinstance(getattr(self.request, "accepted_renderer", None), JSONRenderer)
            and not self._drafts_requested()
        )

    def list(self, request, *args, **kwargs):
        # A public list's count is the same for every public reader: kept per register version.
        self.paginator.cache_count = not self._drafts_requested()
        if not self._stored():
            response = super().list(request, *args, **kwargs)
            return self._conditional(response, representation_etag(response.data))
        queryset = self.stored_list_queryset()
        names = [name for name, _ in ordering_terms(queryset)]
        rows = self.paginate_queryset(queryset.values_list("pk", *names))
        pks = [str(row[0]) for row in rows]
        bodies = served(queryset.model, pks)
        paginator = self.paginator
        head = {
            "count": paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
        }
        results = ",".join(bodies[pk][0] for pk in pks if pk in bodies)
        content = f'{json.dumps(head, separators=(",", ":"))[:-1]},"results":[{results}]}}'
        response = HttpResponse(content, content_type="application/json")
        return self._conditional(response, etag_of(content))

    def stored_list_queryset(self):
        """The public list's rows, filtered and ordered, for serving their stored bodies."""
        # Only the rows: the stored bodies hold what the prefetches would have fetched.
        return self.filter_queryset(self.published_only(self.queryset.prefetch_related(None)))

    def retrieve(self, request, *args, **kwargs):
        stored_path = self._stored() and not request.query_params
        if stored_path:
            pk = str(kwargs[self.lookup_url_kwarg or self.lookup_field])
            found = stored(self.queryset.model, [pk]).get(pk)
            if found is not None:
                body, etag = found
                return self._conditional(HttpResponse(body, content_type="application/json"), etag)
        # Not stored (yet): rendered here, where a malformed id or a draft is a 404.
        response = super().retrieve(request, *args, **kwargs)
        if stored_path:
            render(self.queryset.model, [self.kwargs[self.lookup_url_kwarg or self.lookup_field]])
        return self._conditional(response, representation_etag(response.data))

    def _conditional(self, response, etag: str):
        """The response with its ETag, or 304 Not Modified when the client holds it."""
        if not_modified(self.request, etag):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        return response


class RegisterViewSet(RegisterReadOnlyViewSet, viewsets.ModelViewSet):
    """Read for everyone; create, update and delete for users with the model permission.

    ``write_serializer_class`` validates input; responses use ``serializer_class``.
    """

    write_serializer_class = None

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return super().get_serializer_class()

    @action(
        detail=True, methods=["get"], url_path="history", filter_backends=[], pagination_class=None
    )
    def history(self, request, *args, **kwargs):
        """Every version of the record, newest first, with who, when, why and what changed."""
        instance = self.get_object()
        public = not self._drafts_requested()
        return Response(VersionSerializer(versions(instance, public=public), many=True).data)

    def _reason(self) -> str:
        given = self.request.headers.get(CHANGE_REASON_HEADER, "").strip()
        if len(given) > MAX_REASON_LENGTH:
            raise ValidationError(
                {CHANGE_REASON_HEADER: [f"At most {MAX_REASON_LENGTH} characters."]},
                code="max_length",
            )
        return given or f"{self.action.replace('_', ' ')} through the API"

    def _represent(self, pk, *, public: bool = False) -> dict | None:
        """The record as curators see it (drafts included), or as the public does (None if
        it is not public)."""
        queryset = super().get_queryset()
        instance = (public_view(queryset) if public else queryset).filter(pk=pk).first()
        if instance is None:
            return None
        return self.serializer_class(instance, context=self.get_serializer_context()).data

    def _check_if_match(self, instance) -> None:
        expected = self.request.headers.get("If-Match")
        if expected is None or expected.strip() == "*":
            return
        # Lock the row so nobody can change it between this check and our write.
        type(instance).objects.select_for_update().filter(pk=instance.pk).exists()
        # The client may have read the record with or without include_drafts; either is current.
        current = {
            representation_etag(data)
            for data in (self._represent(instance.pk), self._represent(instance.pk, public=True))
            if data is not None
        }
        if current.isdisjoint(e.strip() for e in expected.split(",")):
            raise PreconditionFailed()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with self._write_transaction():
            instance = serializer.save()
        data = self._represent(instance.pk)
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"ETag": representation_etag(data)}
        )

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with self._write_transaction():
            instance = self.get_object()
            self._check_if_match(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            instance = serializer.save()
        data = self._represent(instance.pk)
        return Response(data, headers={"ETag": representation_etag(data)})

    def destroy(self, request, *args, **kwargs):
        with self._write_transaction():
            instance = self.get_object()
            self._check_if_match(instance)
            try:
                self.perform_destroy(instance)
            except RecordReferenced as exc:
                raise Conflict(str(exc)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_destroy(self, instance) -> None:
        """Delete through the record's service (a subclass may name its own)."""
        record_delete(record=instance)

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """One write: atomic, with the change reason; a concurrent writer that slipped past
        validation (a uniqueness race) is answered 409, never a database error."""
        try:
            with transaction.atomic(), change_reason(self._reason()):
                yield
        except IntegrityError as exc:
            if not _is_uniqueness_race(exc):
                raise  # any other integrity error is a bug in validation: a logged 500
            raise Conflict(
                "A concurrent change conflicts with this one; nothing was written. "
                "Read the record again and retry.",
                code="concurrent_change",
            ) from None


def _is_uniqueness_race(exc: IntegrityError) -> bool:
    """A unique constraint another writer satisfied first (PostgreSQL SQLSTATE 23505, or
    SQLite's "UNIQUE constraint failed")."""
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "23505" or "UNIQUE constraint" in str(exc)


def write_schema(summary_noun: str, tag: str) -> dict:
    """extend_schema_view arguments documenting the write operations of a register viewset."""
    headers = [IF_MATCH, CHANGE_REASON]
    return {
        "history": extend_schema(
            tags=[tag],
            summary=f"History of a {summary_noun}",
            description=f"Every version of the {summary_noun}, newest first: who changed it, when, why, and "
            "which fields changed from what to what.",
            responses=VersionSerializer(many=True),
        ),
        "create": extend_schema(
            tags=[tag],
            summary=f"Create a {summary_noun}",
            description=f"Create a {summary_noun} (curators: add permission). Hand-made records start as drafts "
            "unless `review_status` says `published`. The model's validation applies; errors name the field.",
            parameters=[CHANGE_REASON],
        ),
        "update": extend_schema(
            tags=[tag],
            summary=f"Replace a {summary_noun}",
            description=f"Replace a {summary_noun} (curators: change permission). Send the ETag from GET as "
            "If-Match to refuse the write (412) if someone changed it meanwhile.",
            parameters=headers,
        ),
        "partial_update": extend_schema(
            tags=[tag],
            summary=f"Update fields of a {summary_noun}",
            description=f"Change some fields of a {summary_noun} (curators: change permission); If-Match as for PUT.",
            parameters=headers,
        ),
        "destroy": extend_schema(
            tags=[tag],
            summary=f"Delete a {summary_noun}",
            description=f"Delete a {summary_noun} (curators: delete permission). A record that others reference "
            "is not deleted: 409 names what references it. The deletion is kept in history.",
            parameters=headers,
        ),
    }
