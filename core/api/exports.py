"""Bulk exports: a collection's records as its list selects them (the same filters, `q`,
ordering and draft rules), streamed as CSV or JSON Lines (and, where a viewset names a
FollowTheMoney mapping, as FtM entities) in constant memory.

The records are read in keyset batches of ``EXPORT_BATCH`` (a range on the list's ordering,
the same on PostgreSQL and SQLite): each batch costs the same query however far into the list
it is, and only one batch is held at a time. A public export of a record kind with stored
representations sends exactly the bodies the list and the detail serve, read with the batch's
rows in one query (rendering, in the batch, any not stored yet); drafts (curators'
``include_drafts``) and the kinds without stored representations are rendered per batch by
the list's serializer.

Every format starts from those JSON texts: JSON Lines sends them as they are, CSV splits each
into its top-level values without parsing them and parses only what a cell needs (a nested
object without an id is its own JSON text), and FtM reads only the fields it maps.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import msgspec
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.fields import DictField, JSONField, ListField
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.relations import ManyRelatedField
from rest_framework.renderers import JSONRenderer
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings

from core.api.pagination import keyset_after, ordering_terms, position
from core.api.throttling import ExportRateThrottle
from core.representations import render, stored_body

EXPORT_BATCH = 2000
FORMAT_PARAM = "format"
CSV, JSONL, FTM = "csv", "jsonl", "ftm"
MEDIA_TYPES = {CSV: "text/csv", JSONL: "application/x-ndjson", FTM: "application/x-ndjson"}
EXTENSIONS = {CSV: "csv", JSONL: "jsonl", FTM: "ftm.json"}
# Spreadsheets run a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"
STORED_BODY = "stored_body"
# Serializer fields whose values may be objects or lists (read as JSON text for CSV).
NESTED_FIELDS = (ManyRelatedField, ListField, DictField, JSONField)

_decode = msgspec.json.Decoder().decode
# A linked record as a CSV cell shows it: its id (required: an object without one is JSON).
_Linked = msgspec.defstruct("Linked", [("id", Any)])
# An object's id, or UNSET where it has none (its other values are skipped, not parsed).
_MaybeId = msgspec.defstruct("MaybeId", [("id", Any, msgspec.UNSET)])
_maybe_id = msgspec.json.Decoder(_MaybeId).decode
_maybe_ids = msgspec.json.Decoder(list[_MaybeId]).decode
_encode = msgspec.json.Encoder().encode


class ExportNegotiation(DefaultContentNegotiation):
    """The export's `format` names an export format, not one of DRF's renderers, and its
    errors answer in JSON whatever the client accepts: the body is streamed, not rendered."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = JSONRenderer()
        return renderer, renderer.media_type


def keyset_batches(
    queryset: QuerySet, *, size: int, rows: bool = False, also: tuple[str, ...] = ()
) -> Iterator[list]:
    """The ordered ``queryset`` in batches of ``size`` (model instances, or with ``rows``
    tuples of (pk, *the ordering fields, *``also``)), each batch read from where the last one
    ended."""
    terms = ordering_terms(queryset)
    model = queryset.model
    if rows:
        queryset = queryset.values_list("pk", *(name for name, _ in terms), *also)
    after = None
    while True:
        page = queryset if after is None else queryset.filter(keyset_after(model, terms, after))
        batch = list(page[:size])
        if batch:
            yield batch
        if len(batch) < size:
            return
        last = batch[-1]
        after = position(last[: 1 + len(terms)] if rows else last, terms)


def csv_cell(value: Any) -> str:
    """One CSV cell: null is empty, a list is joined with ``;`` (objects by their `id`, or as
    JSON when they have none), and a text a spreadsheet would run as a formula is quoted."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        text = str(value["id"]) if "id" in value else _json(value)
    elif isinstance(value, list):
        if all(isinstance(item, dict) and "id" in item for item in value):
            text = LIST_SEPARATOR.join(str(item["id"]) for item in value)
        elif any(isinstance(item, (dict, list)) for item in value):
            text = _json(value)
        else:
            text = LIST_SEPARATOR.join(csv_cell(item) for item in value)
    else:
        text = str(value)
    return spreadsheet_safe(text)


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula gets a leading
    single quote (OWASP, CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_cell(raw: bytes) -> str:
    """``csv_cell`` of the value whose JSON text (as the API renders it: compact, UTF-8) is
    ``raw``, parsing no more of it than the cell needs."""
    first = raw[:1]
    if first == b'"':
        return spreadsheet_safe(_decode(raw) if b"\\" in raw else raw[1:-1].decode())
    if raw in (b"null", b"[]"):
        return ""
    if b"\\u202" in raw:
        return csv_cell(_decode(raw))  # the renderer escapes U+2028/U+2029, json.dumps does not
    try:
        if first == b"{":
            found = _maybe_id(raw).id
            return spreadsheet_safe(raw.decode() if found is msgspec.UNSET else str(found))
        if raw[:2] == b"[{":
            ids = [item.id for item in _maybe_ids(raw)]
            if msgspec.UNSET not in ids:
                return spreadsheet_safe(LIST_SEPARATOR.join(map(str, ids)))
            return spreadsheet_safe(raw.decode())  # a nested object without an id: its JSON
    except msgspec.ValidationError:  # objects mixed with other values
        pass
    return csv_cell(_decode(raw))


def column_shapes(fields: dict) -> dict[str, Any]:
    """How to read each column of a serializer's records for CSV (msgspec types): a linked
    record or a list of them only by its `id` (``_Linked``), another object or list as JSON
    text (msgspec.Raw), anything else parsed."""
    shapes: dict[str, Any] = {}
    for name, field in fields.items():
        if isinstance(field, BaseSerializer):
            child = getattr(field, "child", field)
            linked = "id" in getattr(child, "fields", {})
            many = child is not field
            shapes[name] = (list[_Linked] if many else _Linked | None) if linked else msgspec.Raw
        elif isinstance(field, NESTED_FIELDS):
            shapes[name] = msgspec.Raw
    return shapes


def csv_lines(
    columns: list[str], bodies: Iterable[list[str]], *, shapes: dict[str, Any] | None = None
) -> Iterator[bytes]:
    """A header row, then one row per record (from its JSON text), a batch at a time, as
    UTF-8. ``shapes`` (``column_shapes``) says what of a column to parse; a record that does
    not have those shapes is read in full, so the cells are the same either way."""
    typed = _row_decoder(columns, shapes or {})
    generic = _row_decoder(columns, {name: msgspec.Raw for name in shapes or {}})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for batch in bodies:
        rows = []
        for body in batch:
            try:
                values = typed(body)
            except msgspec.ValidationError:
                values = generic(body)
            # The common cells, a text that cannot run as a formula and null, without a call.
            rows.append(
                [
                    value
                    if value.__class__ is str and not value.startswith(FORMULA_STARTS)
                    else ""
                    if value is None
                    else _cell(value)
                    for value in values
                ]
            )
        writer.writerows(rows)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _row_decoder(columns: list[str], shapes: dict[str, Any]) -> Callable[[str], tuple]:
    """A record's JSON text -> its values in ``columns`` order (None where absent), each read
    as ``shapes`` says (parsed in full where it says nothing)."""
    fields = [(f"c{index}", shapes.get(name, Any), None) for index, name in enumerate(columns)]
    names = {f"c{index}": name for index, name in enumerate(columns)}
    row = msgspec.defstruct("ExportRow", fields, rename=names)
    decode, values = msgspec.json.Decoder(row).decode, msgspec.structs.astuple
    return lambda body: values(decode(body))


def _cell(value: Any) -> str:
    kind = value.__class__
    if kind is msgspec.Raw:
        raw = bytes(value)
        return "" if raw == b"[]" else json_cell(raw)
    if kind is _Linked:
        return spreadsheet_safe(str(value.id))
    if kind is list and value and value[0].__class__ is _Linked:
        return spreadsheet_safe(LIST_SEPARATOR.join(str(item.id) for item in value))
    return csv_cell(value)


class ExportMixin:
    """`GET {collection}/export/`: the list's records, every one, as a file.

    A viewset may define ``ftm_export(batches)``: from batches of its records' JSON texts
    (as the API represents them) to FollowTheMoney entities (dicts), to offer `format=ftm`.
    """

    export_batch_size = EXPORT_BATCH
    ftm_export: Callable[[Iterable[list[str]]], Iterable[dict]] | None = None

    def export_formats(self) -> list[str]:
        return [CSV, JSONL, *([FTM] if self.ftm_export is not None else [])]

    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        pagination_class=None,
        content_negotiation_class=ExportNegotiation,
        throttle_classes=[*api_settings.DEFAULT_THROTTLE_CLASSES, ExportRateThrottle],
    )
    def export(self, request, *args, **kwargs):
        chosen = self._export_format(request)
        # Everything that can be refused is checked here, before the first byte is sent.
        batches = self._export_bodies()
        if chosen == JSONL:
            stream = (("\n".join(batch) + "\n").encode() for batch in batches if batch)
        elif chosen == CSV:
            fields = self.get_serializer_class()().fields
            stream = csv_lines(list(fields), batches, shapes=column_shapes(fields))
        else:
            stream = _ndjson(self.ftm_export(batches))
        response = StreamingHttpResponse(stream, content_type=_content_type(chosen))
        name = request.path.rstrip("/").split("/")[-2]  # the collection: designations/export/
        response["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSIONS[chosen]}"'
        response["Cache-Control"] = "no-store"
        return response

    def _export_format(self, request) -> str:
        allowed = self.export_formats()
        raw = request.query_params.get(FORMAT_PARAM)
        if raw is None:
            accepted = request.headers.get("Accept", "")
            return CSV if MEDIA_TYPES[CSV] in accepted else JSONL
        if raw not in allowed:
            raise ValidationError(
                {FORMAT_PARAM: [f"Use one of: {', '.join(allowed)} (got {raw!r})."]},
                code="invalid_choice",
            )
        return raw

    def _export_bodies(self) -> Iterator[list[str]]:
        """The list's records in its order, a batch of JSON texts at a time."""
        if self._stored():
            # Exactly the list's rows; their bodies are the stored representations.
            return stored_bodies(self.stored_list_queryset(), self.export_batch_size)
        queryset = self.filter_queryset(self.get_queryset())
        serializer = self.get_serializer_class()
        return _rendered_bodies(
            queryset, serializer, self.get_serializer_context(), self.export_batch_size
        )


def stored_bodies(queryset: QuerySet, size: int) -> Iterator[list[str]]:
    """The public ``queryset``'s stored representations in its order, a batch at a time: one
    query reads the batch's rows with their bodies (any not stored yet are rendered and
    stored in the batch)."""
    model = queryset.model
    annotated = queryset.annotate(**{STORED_BODY: stored_body(model)})
    for batch in keyset_batches(annotated, size=size, rows=True, also=(STORED_BODY,)):
        missing = [str(row[0]) for row in batch if row[-1] is None]
        if not missing:
            yield [row[-1] for row in batch]
            continue
        rendered = render(model, missing)
        bodies = [row[-1] or rendered.get(str(row[0]), (None,))[0] for row in batch]
        yield [body for body in bodies if body is not None]


def _rendered_bodies(
    queryset: QuerySet, serializer: type, context: dict, size: int
) -> Iterator[list[str]]:
    renderer = JSONRenderer()
    for batch in keyset_batches(queryset, size=size):
        data = serializer(batch, many=True, context=context).data
        yield [renderer.render(item).decode() for item in data]


def _ndjson(entities: Iterable[dict], lines_per_chunk: int = 2000) -> Iterator[bytes]:
    chunk: list[bytes] = []
    for entity in entities:
        chunk.append(_encode(entity))
        if len(chunk) >= lines_per_chunk:
            chunk.append(b"")
            yield b"\n".join(chunk)
            chunk = []
    if chunk:
        chunk.append(b"")
        yield b"\n".join(chunk)


def _content_type(chosen: str) -> str:
    media_type = MEDIA_TYPES[chosen]
    return f"{media_type}; charset=utf-8"


FORMAT_DESCRIPTION = (
    "`csv`: a header row, then one row per record (UTF-8; a list is joined with `;`, a linked "
    "record is its `id`, nested objects without an id are JSON; a cell that a spreadsheet "
    "would run as a formula, starting with `=`, `+`, `-`, `@`, a tab or a carriage return, is "
    "prefixed with `'`). `jsonl`: one record per line, exactly as the detail endpoint returns "
    "it. Without `format`, `Accept: text/csv` gives CSV and anything else JSON Lines."
)


def export_schema(
    noun: str,
    tag: str,
    *,
    parameters: list = (),
    example: dict | None = None,
    ftm_example: list[dict] | None = None,
):
    """extend_schema for a collection's `export` action, with examples made from a real
    record by the export's own code (``ftm_example``: the FtM entities it makes)."""
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import (
        OpenApiExample,
        OpenApiParameter,
        OpenApiResponse,
        extend_schema,
    )

    formats = [CSV, JSONL, *([FTM] if ftm_example is not None else [])]
    ftm_text = (
        " `ftm`: FollowTheMoney entities, one JSON object per line as OpenSanctions publishes "
        "them (`id`, `schema`, `properties`), each designation with a Sanction per regime."
        if ftm_example is not None
        else ""
    )
    examples: dict[str, list] = {MEDIA_TYPES[CSV]: [], MEDIA_TYPES[JSONL]: []}
    if example is not None:
        csv_text = b"".join(csv_lines(list(example), [[_json(example)]])).decode()
        examples[MEDIA_TYPES[CSV]].append(
            OpenApiExample("CSV", value=csv_text, media_type=MEDIA_TYPES[CSV], response_only=True)
        )
        examples[MEDIA_TYPES[JSONL]].append(
            OpenApiExample(
                "JSON Lines",
                value=_json(example) + "\n",
                media_type=MEDIA_TYPES[JSONL],
                response_only=True,
            )
        )
    if ftm_example:
        examples[MEDIA_TYPES[FTM]].append(
            OpenApiExample(
                "FollowTheMoney entities",
                value="".join(_json(entity) + "\n" for entity in ftm_example),
                media_type=MEDIA_TYPES[FTM],
                response_only=True,
            )
        )
    return extend_schema(
        tags=[tag],
        summary=f"Export {noun}",
        description=f"Every {noun[:-1] if noun.endswith('s') else noun} the list selects (the "
        "same filters, `q`, `ordering` and drafts rules), streamed as one file however many "
        f"there are. {FORMAT_DESCRIPTION}{ftm_text} Exports count against a lower rate limit "
        "of their own (`THROTTLE_EXPORT`).",
        parameters=[
            *parameters,
            OpenApiParameter(
                FORMAT_PARAM,
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=formats,
                description="The file format: " + ", ".join(formats) + " (default: by Accept).",
            ),
        ],
        responses={
            (200, media_type): OpenApiResponse(
                OpenApiTypes.STR,
                description="The export, streamed (`Content-Disposition: attachment`).",
                examples=examples[media_type],
            )
            for media_type in (MEDIA_TYPES[CSV], MEDIA_TYPES[JSONL])
        },
    )
