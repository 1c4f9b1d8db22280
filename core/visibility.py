"""Which records the public may see: published ones, and the parts, links and evidence of those.

The rules, declared on the models:

- a model with ``review_status`` is public when published;
- a model with ``review_parents`` (e.g. a participation: its treaty and its party) is public
  when every record those relations name is;
- a model with a generic foreign key (a citation, a change-log row) is public when the record
  it points at is, and its ``review_parents`` (a citation's source) are.

``public_view`` applies them to an API queryset once, so no representation can show a draft:
it filters the rows, filters every prefetched relation to public rows (a forward relation to
a draft then reads as null), counts only public rows in ``RelatedCount`` annotations, and
refuses a ``select_related`` join to a record that could be a draft.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.core.exceptions import ImproperlyConfigured
from django.db.models import (
    CharField,
    Expression,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Cast

from core.choices import ReviewStatus


@functools.cache
def _is_ruled(model: type[Model]) -> bool:
    if model._meta.model_name.startswith("historical"):
        return False  # django-simple-history's copies carry review_status too
    return bool(
        hasattr(model, "review_status")
        or getattr(model, "review_parents", ())
        or _generic_keys(model)
    )


def _generic_keys(model: type[Model]) -> list[GenericForeignKey]:
    return [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]


@functools.cache
def public_q(
    model: type[Model],
    prefix: str = "",
    *,
    trusted: tuple[str, ...] = (),
    _seen: frozenset = frozenset(),
) -> Q:
    """Rows of ``model`` the public may see (``prefix`` reaches the model over a relation;
    ``trusted`` names relations already known to hold public records)."""
    condition = Q()
    if hasattr(model, "review_status"):
        condition &= Q(**{f"{prefix}review_status": ReviewStatus.PUBLISHED})
    for parent in getattr(model, "review_parents", ()):
        if parent not in trusted:
            related = model._meta.get_field(parent).related_model
            condition &= public_q(related, f"{prefix}{parent}__", _seen=_seen | {model})
    for key in _generic_keys(model):
        if key.name not in trusted:
            condition &= ~private_records_q(
                f"{prefix}{key.ct_field}", f"{prefix}{key.fk_field}", _seen=_seen | {model}
            )
    return condition


@functools.cache
def private_pks(model: type[Model], *, _seen: frozenset = frozenset()) -> QuerySet:
    """The primary keys of the ``model`` rows the public may not see: exactly those
    ``public_q`` leaves out, as a union of parts that an index can each find (drafts are few).

    "Not published" is two ranges on either side of `published`, which the B-tree index on
    `review_status` serves (`<>` it cannot); a private parent is `parent IN (its private
    keys)`, found through the foreign key's index. Written as one condition with joins and
    ORs, every draft check read whole tables: the change feed did, for each recorded model,
    on every request (21 s a page at a million designations).
    """
    published = ReviewStatus.PUBLISHED
    rows = model._default_manager.order_by()
    parts = []
    if hasattr(model, "review_status"):
        parts.append(rows.filter(Q(review_status__lt=published) | Q(review_status__gt=published)))
    for parent in getattr(model, "review_parents", ()):
        field = model._meta.get_field(parent)
        if field.null:
            raise ImproperlyConfigured(
                f"{model.__name__}.{parent} is a review parent and may be null: a row "
                "without one would be neither public nor private."
            )
        hidden = private_pks(field.related_model, _seen=_seen | {model})
        parts.append(rows.filter(**{f"{parent}__in": hidden}))
    for key in _generic_keys(model):
        # One part per kind of record, each found through the (content type, object id)
        # index; one condition ORed over the kinds read the whole table (2.3M citations at
        # 1M designations: 1.2 s for each change-feed page).
        for condition in _private_record_conditions(
            key.ct_field, key.fk_field, _seen=_seen | {model}
        ):
            parts.append(rows.filter(condition))
    keys = [part.values("pk") for part in parts]
    return keys[0].union(*keys[1:]) if len(keys) > 1 else keys[0]


@functools.cache
def private_records_q(
    content_type_field: str = "content_type",
    object_id_field: str = "object_id",
    *,
    _seen: frozenset = frozenset(),
) -> Q:
    """Rows whose (content type, object id) points at a record the public may not see."""
    condition = Q(pk__in=[])
    for part in _private_record_conditions(content_type_field, object_id_field, _seen=_seen):
        condition |= part
    return condition


def _private_record_conditions(
    content_type_field: str, object_id_field: str, *, _seen: frozenset
) -> list[Q]:
    """For each kind of recorded record: rows pointing at one of its private records."""
    conditions = []
    for model in apps.get_models():  # called once the app registry is ready (results are cached)
        if model in _seen or not _is_ruled(model) or not hasattr(model, "history"):
            continue  # only recorded models (those with a history) are cited or logged
        hidden = model._default_manager.filter(pk__in=private_pks(model, _seen=_seen | {model}))
        ids = CompiledOnce(hidden.order_by().annotate(_id=Cast("pk", CharField())).values("_id"))
        # Match the content type by name, not by a looked-up row: building this touches no table.
        conditions.append(
            Q(
                **{
                    f"{content_type_field}__app_label": model._meta.app_label,
                    f"{content_type_field}__model": model._meta.model_name,
                    f"{object_id_field}__in": ids,
                }
            )
        )
    return conditions


class CompiledOnce(Expression):
    """An uncorrelated subquery, compiled once per database connection and reused.

    The private keys of a kind of record are the same SQL for every query (their conditions
    are constants), but Django compiled the nested unions again for each query that checks
    drafts: about 10 ms for each of a change-feed request's two (its count's cache key and
    its page). Its own aliases only name its own tables, whatever the outer query's are.
    """

    def __init__(self, queryset: QuerySet):
        super().__init__(output_field=CharField())
        self.queryset = queryset
        self.compiled: dict[str, tuple[str, tuple]] = {}  # shared by copies

    def as_sql(self, compiler, connection):
        if connection.alias not in self.compiled:
            sql, params = self.queryset.query.get_compiler(connection=connection).as_sql()
            self.compiled[connection.alias] = (f"({sql})", tuple(params))
        return self.compiled[connection.alias]


def public_pks(model: type[Model], pks: Iterable) -> set[str]:
    """Which of ``pks`` (as strings) name public records of ``model``."""
    pks = {str(pk) for pk in pks if pk is not None}
    if not pks or not _is_ruled(model):
        return pks
    rows = model._default_manager.filter(public_q(model), pk__in=pks)
    return {str(pk) for pk in rows.values_list("pk", flat=True)}


class RelatedCount(Subquery):
    """How many ``model`` rows point at the outer row through ``link``; in a ``public_view``
    only the public ones."""

    def __init__(self, model: type[Model], link: str, *, public: bool = False):
        self.counted, self.link, self.public = model, link, public
        rows = model._default_manager.filter(**{link: OuterRef("pk")})
        if public:
            rows = rows.filter(public_q(model))
        # COUNT without GROUP BY: one row, 0 when nothing points at the outer row.
        count = rows.order_by().annotate(_n=Func("pk", function="COUNT")).values("_n")
        super().__init__(count, output_field=IntegerField())


def public_view(queryset: QuerySet, *, trusted: tuple[str, ...] = ()) -> QuerySet:
    """``queryset`` as the public may see it: its rows, their prefetched relations and counts."""
    model = queryset.model
    _refuse_private_joins(model, queryset.query.select_related)
    if _is_ruled(model):
        queryset = queryset.filter(public_q(model, trusted=trusted))
    counts = {
        name: RelatedCount(expr.counted, expr.link, public=True)
        for name, expr in queryset.query.annotations.items()
        if isinstance(expr, RelatedCount) and not expr.public
    }
    if counts:
        queryset = queryset.annotate(**counts)  # replaces the counts of every row
    lookups = [_public_prefetch(model, lookup) for lookup in queryset._prefetch_related_lookups]
    return queryset.prefetch_related(None).prefetch_related(*lookups)


def _public_prefetch(model: type[Model], lookup: str | Prefetch) -> str | Prefetch:
    path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
    names = path.split(LOOKUP_SEP)
    for name in names[:-1]:
        model = model._meta.get_field(name).related_model
        if _is_ruled(model):
            raise ImproperlyConfigured(
                f"Prefetch {path!r} passes through {model.__name__}, which may hold drafts: "
                "nest a Prefetch per level so that each can be filtered."
            )
    field = model._meta.get_field(names[-1])
    related = field.related_model
    if not _is_ruled(related) and (not isinstance(lookup, Prefetch) or lookup.queryset is None):
        return lookup
    queryset = lookup.queryset if isinstance(lookup, Prefetch) else None
    public = copy.copy(lookup) if isinstance(lookup, Prefetch) else Prefetch(lookup)
    public.queryset = public_view(
        queryset if queryset is not None else related._default_manager.all(),
        trusted=_back_to_parent(model, field),
    )
    return public


def _back_to_parent(parent: type[Model], field) -> tuple[str, ...]:
    """The relation of a prefetched row that leads back to its parent row: public, since the
    parent rows were filtered (a treaty's participations need not check the treaty again)."""
    if not _is_ruled(parent):
        return ()
    if isinstance(field, GenericRelation):
        return tuple(
            key.name
            for key in _generic_keys(field.related_model)
            if (key.ct_field, key.fk_field)
            == (field.content_type_field_name, field.object_id_field_name)
        )
    if field.one_to_many and not field.concrete:  # a reverse foreign key
        return (field.field.name,)
    return ()


def _refuse_private_joins(model: type[Model], select_related: dict | bool) -> None:
    if select_related is True:
        raise ImproperlyConfigured(f"{model.__name__}: name the relations to select_related.")
    for name, nested in (select_related or {}).items():
        related = model._meta.get_field(name).related_model
        if _is_ruled(related) and name not in getattr(model, "review_parents", ()):
            # A join cannot hide a draft; a filtered Prefetch shows it as null instead.
            raise ImproperlyConfigured(
                f"{model.__name__}.{name} may name a draft: prefetch it instead of select_related."
            )
        _refuse_private_joins(related, nested)
