"""Screening: which designations an example entity (a name, a birth date, a country, an
identifier) may be, ranked, with the evidence for each score (docs/matching.md).

Candidates come from the name-key index and from identifiers, never from a scan
(sanctions.match_index); each is scored in full here, feature by feature, with what it
needs loaded in four statements for the whole batch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from core import register_state
from core.names import NameComparison, name_compare, name_parts, name_words, names_keys
from core.partial_dates import PartialDate, Precision
from core.visibility import public_q
from sanctions.choices import DesignationKind
from sanctions.match_index import Wanted, designation_candidates
from sanctions.models import (
    Designation,
    DesignationAlias,
    DesignationIdentifier,
)
from sanctions.selectors import regime_names
from treaties.models import Party

DEFAULT_THRESHOLD = 0.7
DEFAULT_LIMIT = 5
MAX_LIMIT = 50
MAX_QUERIES = 50

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
    wanted = {
        key: Wanted(
            keys=frozenset(query_keys(query)),
            kinds=SCHEMA_KINDS[query.schema],
            identifiers=query.identifiers,
        )
        for key, query in queries.items()
    }
    candidates = designation_candidates(
        wanted=wanted, scope=_scope(options), version=register_state.version()
    )
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
        names = regime_names()  # published regimes only: a draft's key names nothing
        regimes = sorted({pk for ref in options.regimes for pk in names.resolve(ref)})
        links = Designation.regimes.through.objects.filter(sanctionsregime_id__in=regimes)
        scope &= Q(pk__in=links.values("designation_id"))
    return scope


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
