"""Screening: which designations an example entity (a name, a birth date, a country, an
identifier) may be, ranked, with the evidence for each score (docs/matching.md).

Candidates come from the name-key index (``DesignationNameKey``, kept by the designation
services) and from identifiers, never from a scan: the query's keys are counted, the rarest
are kept up to a budget of index rows, and the designations sharing the most key weight are
scored in full. A query costs three or four database queries (five when few candidates are in scope), a
batch four more.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, FloatField, Prefetch, Q, QuerySet, Sum, Value, When

from core import register_state
from core.names import NameComparison, name_compare, name_parts, name_words, names_keys
from core.partial_dates import PartialDate, Precision
from core.visibility import public_q
from sanctions.choices import DesignationKind
from sanctions.models import (
    Designation,
    DesignationAlias,
    DesignationIdentifier,
    DesignationNameKey,
    SanctionsRegime,
)
from sanctions.selectors import regime_resolve_q
from treaties.models import Party

DEFAULT_THRESHOLD = 0.7
DEFAULT_LIMIT = 5
MAX_LIMIT = 50
MAX_QUERIES = 50
CANDIDATES = 30  # designations per query scored in full
OVERFETCH = 4  # ranked without the scope, this many times as many are checked against it
POSTINGS_BUDGET = 5_000  # index rows a query may read before its commoner keys are dropped
KEY_COUNT_SECONDS = 3600  # a key's count is kept this long within one register version
COUNT_CHUNK = 400  # keys counted per statement (SQLite allows 500 compound selects)

# What each schema of the query may be among designations.
SCHEMA_KINDS: dict[str, tuple[str, ...]] = {
    "Person": (DesignationKind.INDIVIDUAL,),
    "Organization": (DesignationKind.ENTITY,),
    "Company": (DesignationKind.ENTITY,),
    "LegalEntity": (DesignationKind.INDIVIDUAL, DesignationKind.ENTITY),
    "Vessel": (DesignationKind.VESSEL,),
    "Airplane": (DesignationKind.AIRCRAFT,),
}
KIND_SCHEMA = {
    DesignationKind.INDIVIDUAL: "Person",
    DesignationKind.ENTITY: "Organization",
    DesignationKind.VESSEL: "Vessel",
    DesignationKind.AIRCRAFT: "Airplane",
}

# Scoring (docs/matching.md explains each figure).
WEAK_NAME_CAP = 0.6  # a weak name match is scaled by this: alone it stays below the threshold
INFORMATIVE_LETTERS = 4  # letters of uncommon matched tokens a name needs to stand alone
WEAK_ALIAS_FACTOR = 0.9  # an alias the list grades low or weak
BIRTH_DAY_MATCH, BIRTH_YEAR_MATCH, BIRTH_MISMATCH = 0.1, 0.05, -0.15
COUNTRY_MATCH, COUNTRY_MISMATCH = 0.05, -0.1
IDENTIFIER_BONUS, IDENTIFIER_FLOOR = 0.35, 0.9
_WEAK_QUALITIES = ("low", "weak")


@dataclass(frozen=True)
class EntityQuery:
    """One example entity, as checked: its schema, names, birth dates, countries, identifiers."""

    schema: str
    names: tuple[str, ...] = ()
    birth_dates: tuple[PartialDate, ...] = ()
    countries: frozenset[str] = frozenset()  # ISO 3166 alpha-2
    identifiers: frozenset[str] = frozenset()  # normalised (core.names.identifier_normalise)


@dataclass(frozen=True)
class MatchOptions:
    """What every query of a request shares."""

    threshold: float = DEFAULT_THRESHOLD
    limit: int = DEFAULT_LIMIT
    regimes: tuple[str, ...] = ()  # ids or keys; any of them
    include_delisted: bool = False


@dataclass(frozen=True)
class Feature:
    """One feature's signed contribution to a score, and what produced it."""

    score: float
    detail: str


@dataclass
class Match:
    """A scored designation."""

    designation_id: str
    schema: str
    caption: str
    score: float
    match: bool
    explanations: dict[str, Feature] = field(default_factory=dict)


@dataclass
class QueryOutcome:
    """A query's ranked results (at most ``limit``) and how many scored above zero."""

    results: list[Match]
    total: int


def entities_match(
    *, queries: dict[str, EntityQuery], options: MatchOptions
) -> dict[str, QueryOutcome]:
    """Ranked public designations for each query, best first (ties by id)."""
    candidates = _candidates(queries, _scope(options), register_state.version())
    loaded = _load({pk for ids in candidates.values() for pk in ids})
    outcomes = {}
    for key, query in queries.items():
        scored = [_score(query, loaded[pk], options.threshold) for pk in candidates[key]]
        scored = sorted(
            (m for m in scored if m.score > 0), key=lambda m: (-m.score, m.designation_id)
        )
        outcomes[key] = QueryOutcome(results=scored[: options.limit], total=len(scored))
    return outcomes


def query_keys(query: EntityQuery) -> set[str]:
    """The index keys of the query's names, read as its schema's kinds are indexed."""
    kinds = SCHEMA_KINDS[query.schema]
    keys: set[str] = set()
    for legal_forms in {kind != DesignationKind.INDIVIDUAL for kind in kinds}:
        keys |= names_keys(query.names, legal_forms=legal_forms)
    return keys


def _scope(options: MatchOptions) -> Q:
    """Designations the request may return: public, listed (unless asked), in the regimes."""
    scope = public_q(Designation)
    if not options.include_delisted:
        scope &= Q(delisted_on__isnull=True)
    if options.regimes:
        wanted = Q(pk__in=[])
        for ref in options.regimes:
            wanted |= regime_resolve_q(ref)
        regimes = SanctionsRegime.objects.filter(wanted, public_q(SanctionsRegime))
        links = Designation.regimes.through.objects.filter(sanctionsregime__in=regimes)
        scope &= Q(pk__in=links.values("designation_id"))
    return scope


def _candidates(queries: dict[str, EntityQuery], scope: Q, version: str) -> dict[str, list[str]]:
    """For each query, the designation ids sharing the most (rarity-weighted) keys with it,
    then those holding one of its identifiers.

    The batch's keys are counted in one statement; each query's keys are ranked without the
    scope (an index-only aggregate), and the best ``OVERFETCH`` times as many as needed of
    every query are checked against the scope in one statement. Only for a query with too
    few of those in scope is its aggregate repeated, joined with the scope."""
    keys = {name: query_keys(query) for name, query in queries.items()}
    counts = _key_counts(set().union(*keys.values()), version)
    weights = {name: _key_weights(keys[name], counts) for name in queries}
    everyone = DesignationNameKey.objects.all()
    wanted = CANDIDATES * OVERFETCH
    ranked = {name: _ranked(weights[name], everyone, wanted) for name in queries}
    kinds = dict(
        Designation.objects.filter(scope, pk__in={pk for ids in ranked.values() for pk in ids})
        .values_list("pk", "kind")
        .order_by()
    )
    found = {}
    for name, query in queries.items():
        allowed = SCHEMA_KINDS[query.schema]
        found[name] = [pk for pk in ranked[name] if kinds.get(pk) in allowed][:CANDIDATES]
        if len(found[name]) < CANDIDATES and len(ranked[name]) == wanted:
            in_scope = Designation.objects.filter(scope, kind__in=allowed)
            scoped = DesignationNameKey.objects.filter(designation__in=in_scope)
            found[name] = _ranked(weights[name], scoped, CANDIDATES)
    for name, ids in _identified(queries, scope).items():
        found[name].extend(pk for pk in ids if pk not in found[name])
    return found


def _identified(queries: dict[str, EntityQuery], scope: Q) -> dict[str, list[str]]:
    """For each query, the designations in scope holding one of its identifiers, by id
    (one statement for the batch)."""
    wanted = set().union(*(query.identifiers for query in queries.values()))
    if not wanted:
        return {}
    held = DesignationIdentifier.objects.filter(
        normalised__in=wanted, designation__in=Designation.objects.filter(scope)
    ).values_list("designation_id", "normalised", "designation__kind")
    rows = sorted(held.order_by())
    return {
        name: list(
            dict.fromkeys(
                pk
                for pk, normalised, kind in rows
                if normalised in query.identifiers and kind in SCHEMA_KINDS[query.schema]
            )
        )
        for name, query in queries.items()
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
    """Index rows of each key, counted up to ``cap``: one statement of capped index range
    scans (``LIMIT`` inside each), in chunks within SQLite's limit of compound selects."""
    quote = connection.ops.quote_name
    table, column = quote(DesignationNameKey._meta.db_table), quote("key")
    one = (
        f"SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {column} = %s "
        f"LIMIT {int(cap)}) AS capped)"
    )
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(keys), COUNT_CHUNK):
            chunk = keys[start : start + COUNT_CHUNK]
            cursor.execute(
                " UNION ALL ".join([one] * len(chunk)), [v for key in chunk for v in (key, key)]
            )
            counts.update(cursor.fetchall())
    return counts


def _load(ids: set[str]) -> dict[str, Designation]:
    """The candidates with what scoring reads, and only that: kind, name, birth dates,
    nationality, aliases and identifiers (three more statements, whatever their number)."""
    if not ids:
        return {}
    designations: QuerySet[Designation] = (
        Designation.objects.filter(pk__in=ids)
        .only("id", "kind", "name", "dates_of_birth", "nationality_id")
        .prefetch_related(
            Prefetch(
                "aliases",
                queryset=DesignationAlias.objects.only("designation_id", "name", "quality"),
            ),
            Prefetch(
                "identifiers",
                queryset=DesignationIdentifier.objects.only(
                    "designation_id", "type", "value", "normalised", "country"
                ),
            ),
            Prefetch(
                "nationality",
                queryset=Party.objects.filter(public_q(Party)).only("id", "iso_alpha2"),
            ),
        )
    )
    return {d.pk: d for d in designations}


def _score(query: EntityQuery, designation: Designation, threshold: float) -> Match:
    """A designation's score for the query, feature by feature."""
    features: dict[str, Feature] = {}
    if query.names:
        features["name"] = _name_feature(query, designation)
    if query.birth_dates and designation.dates_of_birth:
        features["birthDate"] = _birth_feature(query.birth_dates, designation.dates_of_birth)
    countries = _countries(designation)
    if query.countries and countries:
        features["country"] = _country_feature(query.countries, countries)
    score = max(0.0, min(1.0, sum(f.score for f in features.values())))
    identifier = _identifier_feature(query.identifiers, designation)
    if identifier:
        boosted = min(1.0, max(score + IDENTIFIER_BONUS, IDENTIFIER_FLOOR))
        features["identifier"] = Feature(round(boosted - score, 4), identifier)
        score = boosted
    if features.get("name") and features["name"].score == 0 and not identifier:
        score = 0.0  # no name in common: dates and countries alone are no match
    score = round(score, 4)
    return Match(
        designation_id=designation.pk,
        schema=KIND_SCHEMA.get(designation.kind, "LegalEntity"),
        caption=designation.name,
        score=score,
        match=score >= threshold,
        explanations=features,
    )


def _name_feature(query: EntityQuery, designation: Designation) -> Feature:
    """The best of every query name against the listed name and each alias."""
    legal_forms = designation.kind != DesignationKind.INDIVIDUAL
    listed = [(designation.name, "primary name")] + [
        (alias.name, f"alias, quality {alias.quality!r}" if alias.quality else "alias")
        for alias in designation.aliases.all()
    ]
    best = (0.0, None, "", "", "")
    for query_name in query.names:
        query_tokens = name_parts(query_name, legal_forms=legal_forms).tokens
        for name, what in listed:
            comparison = name_compare(
                query_tokens, name_parts(name, legal_forms=legal_forms).tokens
            )
            factor = WEAK_ALIAS_FACTOR if any(w in what.lower() for w in _WEAK_QUALITIES) else 1.0
            value = round(comparison.score * factor, 4)
            if value > best[0]:
                best = (value, comparison, query_name, name, what)
    value, comparison, query_name, name, what = best
    if comparison is None:
        return Feature(0.0, "no name in common")
    pairs = ", ".join(f"{q}~{c} {s:.2f}" for q, c, s in comparison.pairs)
    detail = f"{query_name!r} ~ {name!r} ({what}): {pairs}"
    if what != "primary name" and value < comparison.score:
        detail += f"; weak alias x{WEAK_ALIAS_FACTOR}"
    if comparison.weakest < 1.0:
        value = round(value * math.sqrt(comparison.weakest), 4)  # a near miss is no exact match
    weak = _weak_reason(comparison, designation, name, what)
    if weak:  # scaled, not cut: a better name still ranks higher
        value = round(value * WEAK_NAME_CAP, 4)
        detail += f"; {weak}: x{WEAK_NAME_CAP}"
    return Feature(value, detail)


def _weak_reason(comparison: NameComparison, designation: Designation, name: str, what: str) -> str:
    """Why a name match cannot stand alone, or "" when it can."""
    if comparison.informative < INFORMATIVE_LETTERS:
        return "only common or very short names matched"
    if designation.kind != DesignationKind.INDIVIDUAL:
        return ""
    # The listed name's words, not its tokens: a family name such as IZZ-AL-DIN is one name.
    words = name_words(name)
    listed = len({words[i] for i in comparison.listed_matched})
    mononym = what == "primary name" and len(set(words)) == 1
    if (comparison.informative_tokens < 2 or listed < 2) and not mononym:
        return "one name of a person matched"
    return ""


def _birth_feature(wanted: Sequence[PartialDate], listed: Sequence[str]) -> Feature:
    """Birth dates: the same day helps most, an overlapping year or month less; none in
    common counts against."""
    best: tuple[float, str] | None = None
    for given in wanted:
        for raw in listed:
            stored = PartialDate.parse(raw)
            if given.start <= stored.end and stored.start <= given.end:
                exact = given.precision == stored.precision == Precision.DAY
                value = BIRTH_DAY_MATCH if exact else BIRTH_YEAR_MATCH
                if best is None or value > best[0]:
                    best = (value, f"{given.isoformat()} matches listed {raw}")
    if best:
        return Feature(*best)
    return Feature(
        BIRTH_MISMATCH,
        f"{', '.join(d.isoformat() for d in wanted)} differs from listed {', '.join(listed)}",
    )


def _countries(designation: Designation) -> set[str]:
    codes = {i.country for i in designation.identifiers.all() if i.country}
    if designation.nationality and designation.nationality.iso_alpha2:
        codes.add(designation.nationality.iso_alpha2)
    return codes


def _country_feature(wanted: frozenset[str], listed: set[str]) -> Feature:
    common = sorted(wanted & listed)
    if common:
        return Feature(COUNTRY_MATCH, f"{', '.join(common)} as listed")
    return Feature(
        COUNTRY_MISMATCH,
        f"{', '.join(sorted(wanted))} differs from listed {', '.join(sorted(listed))}",
    )


def _identifier_feature(wanted: frozenset[str], designation: Designation) -> str:
    """What identifier matched, in words; empty when none did."""
    for identifier in designation.identifiers.all():
        if identifier.normalised in wanted:
            return f"{identifier.get_type_display()} {identifier.value} as listed"
    return ""
