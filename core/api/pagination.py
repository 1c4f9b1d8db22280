"""Limit/offset pagination, and keyset ``cursor`` paging for deep pages and bulk sync, that
refuses bad input and unordered querysets."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re

from django.core.exceptions import EmptyResultSet
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import F, Func, OrderBy, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

from core import register_state

# How long a cached count may be served: writes through the services change the register
# version at once; this bounds what a write that bypasses them (raw SQL) can leave stale.
COUNT_CACHE_SECONDS = 300
# Offset pages of lists of at least SIGNPOSTS_FROM rows start from the nearest signpost: the
# position of every SIGNPOST_EVERY-th row, kept per register version like the counts.
SIGNPOSTS_FROM = 100_000
SIGNPOST_EVERY = 10_000


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
    cursor_query_param = "cursor"
    max_cursor_length = 1000
    _whole_number = re.compile(r"-?[0-9]+")
    cursor: list | None = None
    next_cursor: str | None = None
    # Set by a view whose count is the same for every public reader (no drafts).
    cache_count = False

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
        self.request, self.limit = request, self.get_limit(request)
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            self.count = self.get_count(queryset)
            self.offset = self.get_offset(request)
            if self.count == 0 or self.offset > self.count:
                return []
            if self.cache_count and self.count >= SIGNPOSTS_FROM:
                page = self._page_from_signpost(queryset)
                if page is not None:
                    return page
            return page_at(sorted_if_few(queryset, self.count), self.offset, self.limit, self.count)
        if self.offset_query_param in request.query_params:
            raise ValidationError({self.cursor_query_param: ["Give either offset or cursor."]})
        self.offset = 0
        terms = ordering_terms(queryset)
        self.count = self.get_count(queryset)
        after = self._decode(raw, terms)
        if after is not None:
            self._check_values(queryset.model, terms, after)
            queryset = queryset.filter(keyset_after(queryset.model, terms, after))
        page = list(sorted_if_few(queryset, self.count)[: self.limit + 1])
        self.next_cursor = None
        if len(page) > self.limit:
            page = page[: self.limit]
            self.next_cursor = self._encode(position(page[-1], terms), terms)
        return page

    def get_count(self, queryset) -> int:
        """The exact count; with ``cache_count``, kept per register version
        (core.register_state) and day, so a repeated count costs one small query until a
        write."""
        key = self._kept_key("count", queryset) if self.cache_count else None
        if key is None:  # not kept, or a filter no row can meet: counted without a query
            return super().get_count(queryset)
        count = super().get_count
        return register_state.kept(key, lambda: count(queryset), COUNT_CACHE_SECONDS)

    @staticmethod
    def _kept_key(kind: str, queryset) -> str | None:
        """The key under which something about this query is kept per register version and
        day (its SQL, hashed), or None for a query Django knows matches no row."""
        try:
            query = str(queryset.query).encode()
        except EmptyResultSet:
            return None
        return f"{kind}:{hashlib.sha256(query).hexdigest()}:{timezone.localdate()}"

    def _page_from_signpost(self, queryset) -> list | None:
        """The offset page read from the last signpost before it, or None when the offset
        is near enough to either end of the list for ``page_at`` to read it directly.

        The database reads every row an offset skips: the offset 1,000,000 of the change
        feed's 1.96M rows read 960,000 (3 s). The signposts are the positions (the ordering's
        values) of rows SIGNPOST_EVERY, 2 * SIGNPOST_EVERY, ... of this list, found by one
        query that numbers its rows in order, and kept per register version and day with the
        count (``register_state.kept``): after a write the first deep page pays for that
        query again. From a signpost, the page is the keyset ``cursor``'s query with a skip of
        less than SIGNPOST_EVERY rows. The rows are those ``page_at`` would read."""
        offset, limit, count = self.offset, self.limit, self.count
        if min(offset, count - min(offset + limit, count)) < SIGNPOST_EVERY:
            return None
        terms = ordering_terms(queryset)
        key = self._kept_key(f"signposts:{SIGNPOST_EVERY}", queryset)
        if key is None:
            return None
        signposts = register_state.kept(
            key, lambda: signposts_of(queryset, terms, count), COUNT_CACHE_SECONDS
        )
        passed = min(offset // SIGNPOST_EVERY, len(signposts))  # signposts at or before offset
        if not passed:
            return None
        after = signposts[passed - 1]  # the position of row passed * SIGNPOST_EVERY (1-based)
        skip = offset - passed * SIGNPOST_EVERY
        rest = queryset.filter(keyset_after(queryset.model, terms, after))
        return list(rest[skip : skip + limit])

    def get_next_link(self):
        if self.request.query_params.get(self.cursor_query_param) is None:
            return super().get_next_link()
        if self.next_cursor is None:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "limit", self.limit)
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_previous_link(self):
        if self.request.query_params.get(self.cursor_query_param) is None:
            return super().get_previous_link()
        return None  # cursor pages go forward: start again with an empty cursor

    def _check_values(self, model, terms: list[tuple[str, bool]], values: list) -> None:
        """Each cursor value must be one its field can hold (a tampered one is a 400)."""
        for (name, _), value in zip(terms, values, strict=True):
            if value is None:
                continue
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            try:
                field.run_validators(field.to_python(value))
            except DjangoValidationError:
                raise ValidationError(
                    {self.cursor_query_param: ["Not a cursor from this list's `next` link."]}
                ) from None

    def _encode(self, values: list, terms: list[tuple[str, bool]]) -> str:
        token = {"order": _signature(terms), "after": [_plain(v) for v in values]}
        text = json.dumps(token, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def _decode(self, raw: str, terms: list[tuple[str, bool]]) -> list | None:
        """The position a cursor names (None: the beginning); a token this API did not make,
        or made for another ordering, is a 400."""
        if raw == "":
            return None
        problem = ValidationError(
            {self.cursor_query_param: ["Not a cursor from this list's `next` link."]}
        )
        if len(raw) > self.max_cursor_length:
            raise problem
        try:
            token = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise problem from None
        if not isinstance(token, dict) or set(token) != {"order", "after"}:
            raise problem
        if token["order"] != _signature(terms):
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        f"This cursor pages the order {token['order']!r}, not "
                        f"{_signature(terms)!r}: start again with an empty cursor."
                    ]
                }
            )
        values = token["after"]
        plain = (str, int, float, type(None))
        if not isinstance(values, list) or len(values) != len(terms):
            raise problem
        if not all(isinstance(v, plain) and not isinstance(v, bool) for v in values):
            raise problem
        if values[-1] is None:
            raise problem
        return values

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
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Keyset paging for deep pages and bulk sync: send it empty to start, then "
                    "follow `next` (it carries the cursor). Pages cost the same at any depth; "
                    "`previous` is null. Not with `offset`."
                ),
                "schema": {"type": "string", "maxLength": self.max_cursor_length},
                "allowEmptyValue": True,
            }
        )
        return parameters


# A result of at most this many rows is sorted for its page rather than read in index order
# (sorted_if_few). Sorting 20,000 rows costs a few milliseconds; reading an index in order
# while a filter drops most rows has no such bound (docs/architecture.md, "Small results").
SORT_FEW_ROWS = 20_000


_INTEGERS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    }
)
_TEXTS = frozenset({"CharField", "TextField", "SlugField"})
# Per database and column type: the column written so that no index matches it, with the
# same type, value and order (NULL stays NULL). SQLite stores dates and times as ISO text.
_UNINDEXED = {
    "postgresql": {
        **dict.fromkeys(_TEXTS, "(%(expressions)s || '')"),
        **dict.fromkeys(_INTEGERS, "(%(expressions)s + 0)"),
        "DateField": "(%(expressions)s + 0)",
        "DateTimeField": "(%(expressions)s + interval '0 seconds')",
    },
    "sqlite": {
        **dict.fromkeys(_TEXTS | {"DateField", "DateTimeField"}, "(%(expressions)s || '')"),
        **dict.fromkeys(_INTEGERS, "(%(expressions)s + 0)"),
    },
}


class _Unindexed(Func):
    """A column written so that no index matches it, ordered as the column is (_UNINDEXED)."""

    def as_sql(self, compiler, connection, **extra_context):
        kind = self.output_field.get_internal_type()
        return super().as_sql(
            compiler, connection, template=_UNINDEXED[connection.vendor][kind], **extra_context
        )


def sorted_if_few(queryset, count: int):
    """The queryset ordered so that the database sorts its rows, when there are few of them.

    For ``ORDER BY name LIMIT 50`` the planner may read the ``name`` index in order and drop
    the rows a filter excludes, which is fast when matching rows are spread evenly along the
    index, and reads most of the table when they sort late (a regime's designations at 1M
    rows: 96,456 rows read for 50 kept, 0.8 s). The planner cannot know how matching rows
    fall along the index; the count, taken before the page, says how many there are. When
    they are few, the first ordering term is written as an expression no index serves, so
    the page is a sort of those rows (bounded by SORT_FEW_ROWS) instead (a treaty list by
    signing date for one party at 100,000 treaties: 159 ms along the date index). The order is the
    same; a column of another type (or on another database) keeps its plan.
    """
    if count > SORT_FEW_ROWS or not queryset.query.order_by:
        return queryset
    first, *rest = queryset.query.order_by
    if isinstance(first, OrderBy):
        if not isinstance(first.expression, F):
            return queryset
        name, descending = first.expression.name, first.descending
        nulls = {"nulls_first": first.nulls_first or None, "nulls_last": first.nulls_last or None}
    else:
        name, descending, nulls = first.lstrip("-"), first.startswith("-"), {}
    meta = queryset.model._meta
    field = meta.pk if name == "pk" else meta.get_field(name)
    if field.get_internal_type() not in _UNINDEXED.get(connections[queryset.db].vendor, {}):
        return queryset
    key = OrderBy(_Unindexed(F(name), output_field=field), descending=descending, **nulls)
    return queryset.order_by(key, *rest)


def page_at(queryset, offset: int, limit: int, count: int) -> list:
    """Items ``offset`` to ``offset + limit`` of the ordered ``queryset`` of ``count`` items.

    The database reads every row an offset skips, so a page past the middle is read from the
    other end: the order reversed, skipping the rows after the page, and the page turned
    round. The ordering ends with the primary key, so the reversed order is exactly the
    mirror (NULLs included: the reverse of NULLS LAST is NULLS FIRST on both databases). At
    1M designations, offset 900,000 then skips 99,950 rows, not 900,000. A count kept from
    before a write (core.register_state) can shift such a page by the rows the write added or
    removed, as any offset page shifts under writes.
    """
    end = min(offset + limit, count)
    after = count - end  # the rows after the page
    if after >= offset:
        return list(queryset[offset : offset + limit])
    return list(queryset.reverse()[after : count - offset])[::-1]


def signposts_of(queryset, terms: list[tuple[str, bool]], count: int) -> list[list]:
    """The positions (values of ``terms``) of rows SIGNPOST_EVERY, 2 * SIGNPOST_EVERY, ... (1-based)
    of the ordered ``queryset``, in order: one query that numbers the rows in the list's order."""
    names = [name for name, _ in terms]
    numbered = queryset.annotate(
        _row=Window(RowNumber(), order_by=list(queryset.query.order_by))
    ).order_by()
    wanted = list(range(SIGNPOST_EVERY, count + 1, SIGNPOST_EVERY))
    rows = numbered.filter(_row__in=wanted).values_list("_row", *names)
    return [list(row[1:]) for row in sorted(rows, key=lambda row: row[0])]


def ordering_terms(queryset) -> list[tuple[str, bool]]:
    """(field, descending) for each term of the queryset's ordering (which ends with pk)."""
    terms = []
    for item in queryset.query.order_by:
        if isinstance(item, OrderBy):
            terms.append((item.expression.name, item.descending))
        else:
            terms.append((item.lstrip("-"), item.startswith("-")))
    return terms


def position(item, terms: list[tuple[str, bool]]) -> list:
    """An item's values for the ordering terms: a model instance, or a values_list row of
    (pk, *the ordering fields)."""
    if isinstance(item, tuple):
        return list(item[1:])
    return [getattr(item, "pk" if name == "pk" else name) for name, _ in terms]


def keyset_after(model, terms: list[tuple[str, bool]], values: list) -> Q:
    """Rows strictly after ``values`` in the order ``terms`` (nulls last either way), led by a
    range on the first term so that an index on it starts at the position."""
    nullable = {name for name, _ in terms if name != "pk" and model._meta.get_field(name).null}
    name, descending = terms[0]
    value = values[0]
    if value is None:
        lead = Q(**{f"{name}__isnull": True})
    else:
        lead = Q(**{f"{name}__{'lte' if descending else 'gte'}": value})
        if name in nullable:
            lead |= Q(**{f"{name}__isnull": True})
    return lead & _after(terms, values, nullable)


def _after(terms: list[tuple[str, bool]], values: list, nullable: set[str]) -> Q:
    (name, descending), value = terms[0], values[0]
    if value is None:
        beyond, same = Q(pk__in=[]), Q(**{f"{name}__isnull": True})  # nulls come last
    else:
        beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        if name in nullable:
            beyond |= Q(**{f"{name}__isnull": True})
        same = Q(**{name: value})
    if len(terms) == 1:
        return beyond
    return beyond | (same & _after(terms[1:], values[1:], nullable))


def _signature(terms: list[tuple[str, bool]]) -> str:
    """The ordering a cursor was made for, as `ordering` writes it."""
    return ",".join(f"{'-' if descending else ''}{name}" for name, descending in terms)


def _plain(value):
    """A JSON value for a cursor (dates as ISO strings)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
