"""Screening candidates from the name-key index (``DesignationNameKey``, kept by the
designation services) and from identifiers, never from a scan (docs/matching.md,
"Candidates").

A query's keys are counted no further than a budget of index rows, the rarest are kept within
that budget, and the designations sharing the most key weight are its candidates. A query
costs one ranking statement (two when few of its candidates are in scope); a batch, whatever
its size, one more for the key counts not kept yet, one for the scope and one for identifiers.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, FloatField, Q, QuerySet, Sum, Value, When

from sanctions.models import Designation, DesignationIdentifier, DesignationNameKey

CANDIDATES = 30  # designations per query scored in full
OVERFETCH = 4  # ranked without the scope, this many times as many are checked against it
POSTINGS_BUDGET = 5_000  # index rows a query may read before its commoner keys are dropped
KEY_COUNT_SECONDS = 3600  # a key's count is kept this long within one register version
COUNT_CHUNK = 400  # keys counted per statement


@dataclass(frozen=True)
class Wanted:
    """What one query looks for: its name keys, the kinds of designation it may be, and its
    identifiers (normalised)."""

    keys: frozenset[str]
    kinds: tuple[str, ...]
    identifiers: frozenset[str] = frozenset()


def designation_candidates(
    *, wanted: dict[str, Wanted], scope: Q, version: str
) -> dict[str, list[str]]:
    """For each query, the ids of the designations in ``scope`` sharing the most
    (rarity-weighted) keys with it, then of those holding one of its identifiers.

    The batch's keys are counted in one statement; each query's keys are ranked without the
    scope (an index-only aggregate), and the best ``OVERFETCH`` times as many as needed of
    every query are checked against the scope in one statement. Only for a query with too
    few of those in scope is its aggregate repeated, joined with the scope."""
    counts = _key_counts(set().union(*(query.keys for query in wanted.values())), version)
    weights = {name: _key_weights(query.keys, counts) for name, query in wanted.items()}
    everyone = DesignationNameKey.objects.all()
    overfetched = CANDIDATES * OVERFETCH
    ranked = {name: _ranked(weights[name], everyone, overfetched) for name in wanted}
    kinds = dict(
        Designation.objects.filter(scope, pk__in={pk for ids in ranked.values() for pk in ids})
        .values_list("pk", "kind")
        .order_by()
    )
    found = {}
    for name, query in wanted.items():
        found[name] = [pk for pk in ranked[name] if kinds.get(pk) in query.kinds][:CANDIDATES]
        if len(found[name]) < CANDIDATES and len(ranked[name]) == overfetched:
            in_scope = Designation.objects.filter(scope, kind__in=query.kinds)
            scoped = DesignationNameKey.objects.filter(designation__in=in_scope)
            found[name] = _ranked(weights[name], scoped, CANDIDATES)
    for name, ids in _identified(wanted, scope).items():
        found[name].extend(pk for pk in ids if pk not in found[name])
    return found


def _identified(wanted: dict[str, Wanted], scope: Q) -> dict[str, list[str]]:
    """For each query, the designations in scope holding one of its identifiers, by id
    (one statement for the batch)."""
    identifiers = set().union(*(query.identifiers for query in wanted.values()))
    if not identifiers:
        return {}
    held = DesignationIdentifier.objects.filter(
        normalised__in=identifiers, designation__in=Designation.objects.filter(scope)
    ).values_list("designation_id", "normalised", "designation__kind")
    rows = sorted(held.order_by())
    return {
        name: list(
            dict.fromkeys(
                pk
                for pk, normalised, kind in rows
                if normalised in query.identifiers and kind in query.kinds
            )
        )
        for name, query in wanted.items()
    }


def _ranked(weights: dict[str, float], rows: QuerySet, limit: int) -> list[str]:
    """Designation ids of ``rows`` by the summed weight of the keys they hold, best first
    (ties by id). With one key every holder weighs the same: the first by id, read from
    the index without aggregating a common key's every row."""
    if len(weights) == 1:
        (key,) = weights
        first = rows.filter(key=key).order_by("designation_id")
        return list(first.values_list("designation_id", flat=True)[:limit])
    ranked = (
        rows.filter(key__in=weights)
        .values("designation_id")
        .annotate(
            weight=Sum(
                Case(
                    *(When(key=key, then=Value(w)) for key, w in weights.items()),
                    output_field=FloatField(),
                )
            )
        )
        .order_by("-weight", "designation_id")
    )
    return [row["designation_id"] for row in ranked[:limit]]


def _key_weights(keys: Iterable[str], counts: dict[str, int]) -> dict[str, float]:
    """The keys worth reading, rarest first within the budget, each weighted by rarity
    (a token counts twice a phonetic or prefix key).

    When every key is over the budget, one is read alone: the longest token key (a joined
    pair such as ``t:mohammedali`` is the rarest of a common name's keys as a rule)."""
    held = {key: counts[key] for key in keys if counts.get(key)}
    chosen: dict[str, float] = {}
    read = 0
    for key, count in sorted(held.items(), key=lambda item: (item[1], item[0])):
        if count > POSTINGS_BUDGET or read + count > POSTINGS_BUDGET:
            break
        read += count
        chosen[key] = (2.0 if key.startswith("t:") else 1.0) / (1 + math.log10(count))
    if not chosen and held:
        return {max(held, key=lambda key: (key.startswith("t:"), len(key), key)): 1.0}
    return chosen


def _key_counts(keys: set[str], version: str) -> dict[str, int]:
    """How many designations hold each key, up to ``POSTINGS_BUDGET + 1``: a key held by
    more is too common to read, and by how much more does not matter.

    Counting stops at the cap (a common key's whole index range, tens of thousands of rows at
    a million designations, is never read) and the counts are kept in the cache per register
    version, since they change only with a write (``version``)."""
    cache_key = {
        key: f"name-key-postings:{version}:{hashlib.sha256(key.encode()).hexdigest()[:24]}"
        for key in keys
    }
    kept = cache.get_many(list(cache_key.values()))
    counts = {key: kept[ck] for key, ck in cache_key.items() if ck in kept}
    missing = sorted(keys - counts.keys())
    if missing:
        fresh = _postings_counted(missing, cap=POSTINGS_BUDGET + 1)
        cache.set_many({cache_key[key]: n for key, n in fresh.items()}, KEY_COUNT_SECONDS)
        counts |= fresh
    return counts


def _postings_counted(keys: list[str], *, cap: int) -> dict[str, int]:
    """Index rows of each key, counted up to ``cap``: one statement, a capped index range scan
    (``LIMIT`` inside) per key of a list of keys given as rows.

    One subquery correlated with the rows, planned once: a ``UNION ALL`` of one subquery per
    key, hundreds for a batch, cost PostgreSQL more to plan and JIT-compile (half a second)
    than to run."""
    quote = connection.ops.quote_name
    table, column = quote(DesignationNameKey._meta.db_table), quote("key")
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(keys), COUNT_CHUNK):
            chunk = keys[start : start + COUNT_CHUNK]
            rows = ", ".join(["(%s)"] * len(chunk))
            cursor.execute(
                f"WITH wanted (name_key) AS (VALUES {rows}) "
                f"SELECT name_key, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} "
                f"WHERE {column} = wanted.name_key LIMIT {int(cap)}) AS capped) FROM wanted",
                chunk,
            )
            counts.update(cursor.fetchall())
    return counts
