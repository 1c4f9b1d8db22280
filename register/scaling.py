"""Grow a benchmark database to a chosen scale by cloning its imported records with new ids.

Each *family* is a root record (a designation, a treaty) and the rows that belong to it: its
parts, many-to-many links, citations and change-feed rows. A family is copied whole, copy
``n`` at a time, by one ``INSERT ... SELECT`` per table (the same SQL on PostgreSQL and
SQLite). New ids are derived, not looked up: a text id gets the suffix ``--b<n>``, an integer
id is shifted by ``n`` times the table's largest original id, so a child finds its cloned
parent with arithmetic and no mapping table. Simple-history versions are not cloned (a clone's
history is empty); the change feed gets a copy of each change row of a cloned record or part
(not of its citations' change rows).

To clone one more table with a family, add one ``Part`` (or ``Generic``) to ``FAMILIES``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction

from core.models import Change
from sanctions.models import (
    Designation,
    DesignationAlias,
    DesignationIdentifier,
    DesignationNameKey,
)
from sources.models import Citation
from treaties.models import Participation, Provision, Treaty

CLONE_MARK = "--b"  # a clone's text id is the original's id + CLONE_MARK + its copy number


@dataclass(frozen=True)
class Part:
    """Rows of ``model`` reached from the root over ``path`` (foreign keys, ``__``-joined)."""

    model: type[models.Model]
    path: str
    identifiers: tuple[str, ...] = ()  # text columns that stay unique per record: suffixed


@dataclass(frozen=True)
class Generic:
    """Rows of ``model`` (citations, change rows) whose generic key points at a ``target``
    record; ``path`` leads from the target to the root ("" when the target is the root)."""

    model: type[models.Model]
    target: type[models.Model]
    path: str = ""


@dataclass(frozen=True)
class Family:
    root: type[models.Model]
    parts: tuple[Part | Generic, ...]  # parents before children
    identifiers: tuple[str, ...] = ()


FAMILIES = (
    Family(
        Designation,
        identifiers=("reference_number", "list_record_id"),
        parts=(
            Part(Designation.regimes.through, "designation"),
            Part(DesignationAlias, "designation"),
            Part(DesignationIdentifier, "designation"),
            Part(DesignationNameKey, "designation"),
            Generic(Citation, Designation),
            Generic(Change, Designation),
            Generic(Change, DesignationAlias, "designation"),
        ),
    ),
    Family(
        Treaty,
        parts=(
            Part(Participation, "treaty"),
            Part(Provision, "treaty"),
            Part(Provision.obligations.through, "provision__treaty"),
            Generic(Citation, Treaty),
            Generic(Citation, Participation, "treaty"),
            Generic(Citation, Provision, "treaty"),
            Generic(Change, Treaty),
            Generic(Change, Participation, "treaty"),
            Generic(Change, Provision, "treaty"),
        ),
    ),
)


class ScaleError(Exception):
    """The database cannot be grown as asked."""


@dataclass
class Grown:
    """What growing one family did."""

    root: str
    before: int
    after: int
    copies: int
    rows: int
    seconds: float


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _int_pk(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField | models.BigAutoField)


def _as_text(sql: str) -> str:
    return f"CAST({sql} AS VARCHAR(100))"


class _Copy:
    """The id rules of copy ``n``: text ids suffixed, integer ids shifted."""

    def __init__(self, n: int, spans: dict[type[models.Model], int]):
        self.n, self.spans = n, spans
        self.suffix = f"{CLONE_MARK}{n}"

    def id(self, model: type[models.Model], sql: str, *, text: bool = False) -> str:
        """The clone's value of an id (or a reference to one) of ``model`` held in ``sql``;
        ``text``: the reference is a generic key's text column."""
        if not _int_pk(model):
            return f"({sql} || '{self.suffix}')"
        shifted = f"CAST({sql} AS BIGINT) + {self.n * self.spans[model]}" if text else sql
        return _as_text(shifted) if text else f"({shifted} + {self.n * self.spans[model]})"

    def identifier(self, sql: str) -> str:
        return f"(CASE WHEN {sql} = '' THEN {sql} ELSE {sql} || '{self.suffix}' END)"


def _joins(start: type[models.Model], alias: str, path: str) -> tuple[str, str]:
    """JOINs from ``alias`` (a ``start`` row) along ``path``; returns them and the SQL of
    the root id the path ends at."""
    joins, model, current = [], start, alias
    names = path.split("__") if path else []
    for index, name in enumerate(names):
        field = model._meta.get_field(name)
        reference = f"{current}.{_q(field.column)}"
        if index == len(names) - 1:
            return " ".join(joins), reference
        model, current = field.related_model, f"j{index}"
        joins.append(
            f"JOIN {_q(model._meta.db_table)} {current} "
            f"ON {current}.{_q(model._meta.pk.column)} = {reference}"
        )
    return " ".join(joins), f"{current}.{_q(model._meta.pk.column)}"


def _generic_key(model: type[models.Model]):
    return next(f for f in model._meta.private_fields if hasattr(f, "fk_field"))


def _snapshot_sql(family: Family, part: Part | Generic | None, table: str) -> tuple[str, list]:
    """CREATE TEMPORARY TABLE ``table`` with the original rows of one table of the family,
    each with the id of its root record (``bench_root_id``), taken once before any copy."""
    model = family.root if part is None else part.model
    where, params = "", []
    if part is None:
        joins, root_id = "", f"t.{_q(model._meta.pk.column)}"
    elif isinstance(part, Part):
        joins, root_id = _joins(model, "t", part.path)
    else:
        key = _generic_key(model)
        generic_id = f"t.{_q(model._meta.get_field(key.fk_field).column)}"
        where = f"WHERE t.{_q(model._meta.get_field(key.ct_field).column)} = %s"
        params.append(ContentType.objects.get_for_model(part.target).pk)
        if part.path:
            target, target_pk = part.target, f"g.{_q(part.target._meta.pk.column)}"
            inner, root_id = _joins(target, "g", part.path)
            joins = f"JOIN {_q(target._meta.db_table)} g ON {_as_text(target_pk)} = {generic_id} {inner}"
        else:  # the generic key holds the root's id itself
            joins, root_id = "", generic_id
    sql = (
        f"CREATE TEMPORARY TABLE {table} AS SELECT t.*, r.id AS bench_root_id "
        f"FROM {_q(model._meta.db_table)} t {joins} JOIN bench_root r ON r.id = {root_id} {where}"
    )
    return sql, params


def _insert_sql(family: Family, part: Part | Generic | None, table: str, copy: _Copy) -> str:
    """INSERT ... SELECT that clones, as copy ``n``, the snapshot rows in ``table`` whose root
    is in ``bench_root``."""
    cloned = {family.root} | {p.model for p in family.parts if isinstance(p, Part)}
    model = family.root if part is None else part.model
    identifiers = family.identifiers if part is None else getattr(part, "identifiers", ())
    generic_id = (
        model._meta.get_field(_generic_key(model).fk_field).column
        if isinstance(part, Generic)
        else None
    )
    columns, values = [], []
    for field in model._meta.local_concrete_fields:
        source = f"t.{_q(field.column)}"
        if field.primary_key:
            value = copy.id(model, source)
        elif field.is_relation and field.related_model in cloned:
            value = copy.id(field.related_model, source)
        elif field.column == generic_id:
            value = copy.id(part.target, source, text=True)
        elif field.name in identifiers:
            value = copy.identifier(source)
        else:
            value = source
        columns.append(_q(field.column))
        values.append(value)
    return (
        f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {table} t JOIN bench_root r ON r.id = t.bench_root_id"
    )


def family_tables(family: Family) -> list[type[models.Model]]:
    return [family.root, *dict.fromkeys(p.model for p in family.parts)]


@dataclass(frozen=True)
class Plan:
    """How one family grows to its target: ``copies`` copies, the last one of ``rest``
    originals when ``rest`` (``copies`` is 0 when there is nothing to do)."""

    family: Family
    originals: int
    target: int
    copies: int
    full: int
    rest: int


def family_plan(family: Family, *, target: int) -> Plan:
    """What growing ``family`` to ``target`` records takes; ScaleError when it cannot."""
    root = family.root
    clones = root.objects.filter(pk__contains=CLONE_MARK).count()
    originals = root.objects.count() - clones
    name = root._meta.verbose_name_plural
    if target <= 0 or clones + originals == target:  # 0: leave as it is
        return Plan(family, clones + originals, clones + originals, 0, 0, 0)
    if clones:
        raise ScaleError(
            f"{name}: already grown to {clones + originals} (from {originals}); "
            "rebuild the database to grow it to another scale"
        )
    if originals == 0:
        raise ScaleError(f"{name}: none to clone; import the official lists first")
    if target < originals:
        raise ScaleError(f"{name}: {originals} already, more than the {target} asked for")
    full, rest = divmod(target - originals, originals)
    copies = full + (1 if rest else 0)
    _check_lengths(family, f"{CLONE_MARK}{copies}")
    return Plan(family, originals, target, copies, full, rest)


def family_grow(plan: Plan, *, report: Callable[[str], None] = lambda line: None) -> Grown:
    """Clone the family's original records (with their parts) as ``plan`` says."""
    family, root = plan.family, plan.family.root
    name = root._meta.verbose_name_plural
    started = time.perf_counter()
    if not plan.copies:
        return Grown(name, plan.originals, plan.target, 0, 0, 0.0)
    copies, full, rest = plan.copies, plan.full, plan.rest
    spans = {
        model: model.objects.aggregate(top=models.Max("pk"))["top"] or 0
        for model in family_tables(family)
        if _int_pk(model)
    }
    rows, unchecked = 0, _may_skip_checks()
    parts = dict(enumerate((None, *family.parts)))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_root (id VARCHAR(100) PRIMARY KEY)")
        try:
            cursor.execute(
                f"INSERT INTO bench_root SELECT {_q(root._meta.pk.column)} "
                f"FROM {_q(root._meta.db_table)}"
            )
            for index, part in parts.items():  # the originals, read once
                cursor.execute(*_snapshot_sql(family, part, f"bench_part_{index}"))
            if connection.vendor == "postgresql":
                tables = ", ".join(["bench_root", *(f"bench_part_{i}" for i in parts)])
                cursor.execute(f"ANALYZE {tables}")  # temporary tables are not auto-analysed
            for n in range(1, copies + 1):
                if n == full + 1:  # the last, partial copy: the first `rest` originals by id
                    cursor.execute(
                        "DELETE FROM bench_root WHERE id NOT IN "
                        "(SELECT id FROM bench_root ORDER BY id LIMIT %s)",
                        [rest],
                    )
                copy = _Copy(n, spans)
                with transaction.atomic():
                    if unchecked:  # clones of rows that satisfy every foreign key already
                        cursor.execute("SET LOCAL session_replication_role = replica")
                    for index, part in parts.items():
                        cursor.execute(_insert_sql(family, part, f"bench_part_{index}", copy))
                        rows += cursor.rowcount
                if n % 10 == 0 or n == copies:
                    report(f"{name}: copy {n} of {copies}, {time.perf_counter() - started:.1f} s")
        finally:
            for table in ["bench_root", *(f"bench_part_{index}" for index in parts)]:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
    _sequences_reset([m for m in family_tables(family) if _int_pk(m)])
    return Grown(name, plan.originals, plan.target, copies, rows, time.perf_counter() - started)


# Secondary indexes and unique constraints that no foreign key relies on, of the tables in
# ``relids``: what may be dropped while the tables are filled and built again afterwards.
_DEFERRABLE_SQL = """
SELECT c.relname, i.relname, con.conname, pg_get_indexdef(i.oid), pg_get_constraintdef(con.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
LEFT JOIN pg_constraint con ON con.conindid = i.oid AND con.conrelid = c.oid
WHERE c.relname = ANY(%s) AND NOT x.indisprimary
  AND (con.oid IS NULL OR con.contype = 'u')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.oid)
ORDER BY c.relname, i.relname
"""


@contextlib.contextmanager
def indexes_deferred(
    models_: list[type[models.Model]], report: Callable[[str], None] = lambda line: None
) -> Iterator[None]:
    """Drop the tables' secondary indexes and unique constraints for the duration, then build
    each again (PostgreSQL; elsewhere nothing is dropped).

    Building an index once over millions of rows is many times cheaper than keeping it
    current row by row, above all the trigram (GIN) ones. The definitions are read from the
    catalogue, so what is built again is what was there, and they are built again even when
    the body fails. Primary keys and what foreign keys rely on stay."""
    if connection.vendor != "postgresql" or not models_:
        yield
        return
    tables = sorted({m._meta.db_table for m in models_})
    with connection.cursor() as cursor:
        cursor.execute(_DEFERRABLE_SQL, [tables])
        deferred = cursor.fetchall()
        for table, index, constraint, _, _ in deferred:
            if constraint:
                cursor.execute(f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(constraint)}")
            else:
                cursor.execute(f"DROP INDEX {_q(index)}")
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for table, _, constraint, index_sql, constraint_sql in deferred:
                if constraint:
                    cursor.execute(
                        f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(constraint)} {constraint_sql}"
                    )
                else:
                    cursor.execute(index_sql)
            cursor.execute("RESET maintenance_work_mem")
        report(f"indexes: {len(deferred)} built again, {time.perf_counter() - started:.1f} s")


def _may_skip_checks() -> bool:
    """Whether foreign-key triggers may be skipped while cloning (a PostgreSQL superuser)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return cursor.fetchone()[0]


def _check_lengths(family: Family, suffix: str) -> None:
    """Refuse before writing anything if a suffixed id or identifier would not fit."""
    for model, names in [
        (family.root, (family.root._meta.pk.name, *family.identifiers)),
        *((p.model, p.identifiers) for p in family.parts if isinstance(p, Part)),
    ]:
        for name in names:
            field = model._meta.get_field(name)
            longest = model.objects.aggregate(n=models.Max(models.functions.Length(name)))["n"]
            if longest and field.max_length and longest + len(suffix) > field.max_length:
                raise ScaleError(
                    f"{model._meta.label}.{name}: a value of {longest} characters plus "
                    f"{suffix!r} exceeds {field.max_length}"
                )


def _sequences_reset(tables: list[type[models.Model]]) -> None:
    """Point the id sequences past the cloned ids (PostgreSQL; SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def database_analyze() -> None:
    """Fresh planner statistics for the grown tables (and, outside a transaction on
    PostgreSQL, a VACUUM so that index-only scans and hint bits are as in production)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
