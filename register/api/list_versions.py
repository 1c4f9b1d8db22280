"""`sources/{id}/changes/`: what one version of an official list added, changed and delisted
relative to an earlier version of the same list, as JSON pages or one CSV file."""

from __future__ import annotations

import csv
import io

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.examples import example
from core.api.exports import spreadsheet_safe
from core.api.pagination import LimitOffsetPagination
from core.choices import ReviewStatus
from register.list_versions import (
    NotAVersion,
    earlier_version_problem,
    list_of,
    list_version_changes,
    previous_version,
)
from sources.models import Source

CHANGES = ("added", "changed", "delisted")
CSV_COLUMNS = ("change", "designation", "name", "reference_number", "field", "old", "new")


def csv_cell(value) -> str:
    """A value as a CSV cell: lists joined with "; ", unknown empty, and a leading formula
    character neutralised with a single quote."""
    if value is None:
        text = ""
    elif isinstance(value, list | tuple):
        text = "; ".join(str(item) for item in value)
    else:
        text = str(value)
    return spreadsheet_safe(text)


class ListFieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The designation's field, e.g. `name`, `aliases`.")
    old = serializers.JSONField(
        help_text="What the earlier version said (a string, a list, or null when it said nothing)."
    )
    new = serializers.JSONField(help_text="What this version says.")


class ListChangedDesignationSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The designation's id.")
    name = serializers.CharField(help_text="Its primary name now.")
    kind = serializers.CharField(help_text="individual, entity, vessel or aircraft.")
    reference_number = serializers.CharField(help_text="Its reference number on the list.")


class ListChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(
        choices=CHANGES,
        help_text="`added` (in this version, not in the earlier one), `changed` (in both, with "
        "different values) or `delisted` (in the earlier version, not in this one).",
    )
    designation = ListChangedDesignationSerializer(help_text="The designation concerned.")
    fields = ListFieldChangeSerializer(
        many=True, help_text="For `changed`: each field that differs, old and new. Empty otherwise."
    )


class ListChangesQuerySerializer(serializers.Serializer):
    since_source = serializers.CharField(
        required=False,
        max_length=100,
        help_text="An earlier version of the same list (a source id). Default: the version "
        "imported just before this one.",
    )


class CSVRenderer(BaseRenderer):
    """The list changes as CSV: one row per changed field (one row for an added or delisted
    designation), with a header; cells that a spreadsheet would run are neutralised."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for item in data:
            designation = item["designation"]
            head = [item["change"], designation["id"], designation["name"]]
            head.append(designation["reference_number"])
            for change in item["fields"] or [None]:
                tail = [change["field"], change["old"], change["new"]] if change else ["", "", ""]
                writer.writerow([csv_cell(value) for value in [*head, *tail]])
        return out.getvalue().encode(self.charset)


class ListChangesPagination(LimitOffsetPagination):
    """`limit` and `offset` over the computed list of changes (no keyset cursor: the list is
    not a table)."""

    def paginate_queryset(self, queryset, request, view=None):
        if self.cursor_query_param in request.query_params:
            raise ValidationError(
                {"cursor": ["These changes are paged with limit and offset, not a cursor."]}
            )
        return pagination.LimitOffsetPagination.paginate_queryset(self, queryset, request, view)

    def get_schema_operation_parameters(self, view):
        return [
            parameter
            for parameter in super().get_schema_operation_parameters(view)
            if parameter["name"] != self.cursor_query_param
        ]


PAGE_PARAMETERS = [
    OpenApiParameter(
        "limit",
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        description=f"Number of results per page (1-{LimitOffsetPagination.max_limit}, default "
        f"{LimitOffsetPagination.default_limit}).",
    ),
    OpenApiParameter(
        "offset",
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        description=f"Index of the first result to return (0-based, at most "
        f"{LimitOffsetPagination.max_offset}).",
    ),
]
CSV_EXAMPLE = (
    "change,designation,name,reference_number,field,old,new\r\n"
    "added,un-hti-001,JIMMY CHERIZIER,HTi.001,,,\r\n"
    "delisted,un-iqe-003,RAFIDAIN BANK,IQe.003,,,\r\n"
)


@extend_validation_errors(["invalid", "max_length"], field_name="since_source", methods=["get"])
@extend_validation_errors(["invalid"], field_name="id", methods=["get"])
@extend_validation_errors(["invalid"], field_name="cursor", methods=["get"])
@extend_validation_errors(["invalid"], field_name="limit", methods=["get"])
@extend_validation_errors(["invalid"], field_name="format", methods=["get"])
@extend_validation_errors(["invalid"], field_name="offset", methods=["get"])
class ListChangesView(APIView):
    """What one version of an official list added, changed and delisted."""

    permission_classes = [AllowAny]  # read-only: it defines GET alone
    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = ListChangesPagination

    @extend_schema(
        tags=["sources"],
        summary="Changes between two versions of an official list",
        description="For a source that is an imported version of an official list (kind "
        "`official_list`, e.g. `un-consolidated-list-2025-04-19`): the designations it added, "
        "changed (each field that differs, old and new) and delisted relative to an earlier "
        "version of the same list (`since_source`; by default the version imported just before "
        "it; with none, everything it holds is `added`). Built from what each import stored "
        "(the designations each file is cited for, and the records as each import left them), "
        "so any two imported versions compare; a curator's edit is never shown as a change of "
        "the list. Ordered by designation id, paged with `limit` and `offset`. `format=csv` (or "
        "`Accept: text/csv`) returns every change as one CSV file instead: one row per changed "
        "field, cells a spreadsheet would run (starting with `=`, `+`, `-` or `@`) prefixed "
        "with a single quote. Only published designations are shown.",
        parameters=[
            OpenApiParameter(
                "id",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The later version: the id of an official-list source.",
            ),
            ListChangesQuerySerializer,
            *PAGE_PARAMETERS,
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=["json", "csv"],
                description="`csv` for one CSV file of every change (no paging).",
            ),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                ListChangeSerializer(many=True),
                description="A page of changes.",
                examples=[
                    OpenApiExample(
                        "UN list 2025-04-19 since 2020-11-30",
                        value=example("source-changes-un-2025")["results"][2],
                        response_only=True,
                    )
                ],
            ),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="Every change as CSV (`format=csv` or `Accept: text/csv`).",
                examples=[OpenApiExample("CSV", value=CSV_EXAMPLE, response_only=True)],
            ),
        },
    )
    def get(self, request, id: str):
        source = Source.objects.filter(pk=id, review_status=ReviewStatus.PUBLISHED).first()
        if source is None:
            raise NotFound(f"No source with id {id!r}.")
        try:
            list_of(source)
        except NotAVersion as exc:
            raise ValidationError({"id": [f"{exc}."]}, code="invalid") from None
        query = ListChangesQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        since_id = query.validated_data.get("since_source")
        if since_id is None:
            since = previous_version(source)
        else:
            since = Source.objects.filter(pk=since_id, review_status=ReviewStatus.PUBLISHED).first()
            problem = (
                f"no source with id {since_id!r}"
                if since is None
                else earlier_version_problem(source=source, since=since)
            )
            if problem:
                raise ValidationError(
                    {"since_source": [f"Give an earlier version of the same list: {problem}."]},
                    code="invalid",
                )
        rows = [
            ListChangeSerializer(
                {
                    "change": change.change,
                    "designation": change.designation,
                    "fields": change.fields,
                }
            ).data
            for change in list_version_changes(source=source, since=since)
        ]
        if isinstance(request.accepted_renderer, CSVRenderer):
            name = f"{source.pk}-changes" + (f"-since-{since.pk}" if since else "")
            return Response(
                rows, headers={"Content-Disposition": f'attachment; filename="{name}.csv"'}
            )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(page)

    def perform_content_negotiation(self, request, force=False):
        asked = request.query_params.get("format")
        if asked is not None and asked not in ("json", "csv") and not force:
            raise ValidationError({"format": ["Use json or csv."]}, code="invalid")
        return super().perform_content_negotiation(request, force)

    def finalize_response(self, request, response, *args, **kwargs):
        # Only the changes are CSV: an error, or the OPTIONS description, is JSON.
        if not isinstance(getattr(response, "data", None), list):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
