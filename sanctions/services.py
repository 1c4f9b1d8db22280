"""Writes with business rules for sanctions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.choices import ReviewStatus
from core.records import (
    Where,
    assign,
    partial_date_values,
    take,
    written,
)
from core.services import m2m_set, record_save, record_validate, unknown_problem
from sanctions.models import Designation, MeasureType, SanctionsRegime
from sources.services import citation_specs, citations_cover, citations_sync
from treaties.models import Party

REGIME_KEYS = (
    "id",
    "key",
    "name",
    "issuer",
    "targets",
    "legal_basis",
    "reason",
    "started_on",
    "ended_on",
    "measures",
    "citations",
)


def regime_validate(
    *,
    regime: SanctionsRegime,
    targets: Iterable[Party | str] | None = None,
    measures: Iterable[MeasureType | str] | None = None,
) -> None:
    """Every rule a regime must meet: its model's, known targets and known measure codes."""
    unknown = None
    if measures is not None:
        codes = {str(getattr(m, "pk", m)) for m in measures}
        unknown = sorted(codes - set(MeasureType.objects.values_list("code", flat=True)))
    record_validate(
        regime,
        rules={
            "targets": unknown_problem(Party, targets),
            "measures": unknown and f"{unknown[0]!r} is not in the measure vocabulary",
        },
    )


def regime_write(
    *,
    regime: SanctionsRegime,
    targets: Iterable[Party | str] | None = None,
    measures: Iterable[MeasureType | str] | None = None,
) -> bool:
    """Create or change a regime and, when given, its targets and measures; True when
    anything changed."""
    targets = None if targets is None else list(targets)
    measures = None if measures is None else list(measures)
    regime_validate(regime=regime, targets=targets, measures=measures)
    changed = record_save(regime)
    if targets is not None:
        changed = m2m_set(regime.targets, targets) or changed
    if measures is not None:
        changed = m2m_set(regime.measures, measures) or changed
    return changed


def regime_upsert(*, spec: dict[str, Any], where: Where) -> bool:
    """Load a sanctions regime from its fixture."""
    take(spec, where, REGIME_KEYS, required=("id", "key", "name"))
    regime = SanctionsRegime.objects.filter(pk=spec["id"]).first() or SanctionsRegime(pk=spec["id"])
    created = regime._state.adding
    if problem := unknown_problem(Party, [spec["issuer"]] if spec.get("issuer") else []):
        raise where.error("issuer", problem)
    targets, measures = spec.get("targets", []), spec.get("measures", [])
    values = {
        "key": spec["key"],
        "review_status": ReviewStatus.PUBLISHED,
        "name": spec["name"],
        "issuer_id": spec.get("issuer") or None,
        "legal_basis": spec.get("legal_basis", ""),
        "reason": spec.get("reason", ""),
        **partial_date_values(spec, "started_on", where),
        **partial_date_values(spec, "ended_on", where),
    }
    assign(regime, values)
    arguments = {"regime": regime, "targets": targets, "measures": measures}
    written(where, regime_validate, **arguments)
    specs = citation_specs(spec, where)
    known = {name: values[name] for name in ("legal_basis", "reason", "started_on", "ended_on")}
    known["issuer"] = values["issuer_id"]
    citations_cover(
        known=known | {"targets": targets, "measures": measures}, specs=specs, where=where
    )
    if where.keep(regime):
        return False
    changed = written(where, regime_write, **arguments)
    return citations_sync(record=regime, specs=specs, where=where) or changed or created


def designation_write(
    *,
    designation: Designation,
    regimes: Iterable[SanctionsRegime | str] | None = None,
    aliases: list[tuple[str, str]] | list[str] | None = None,
) -> bool:
    """Create or change a designation and, when given, its regimes (at least one) and
    aliases; True when anything changed."""
    regimes = None if regimes is None else list(regimes)
    rules = {}
    if regimes is not None:
        rules["regimes"] = unknown_problem(SanctionsRegime, regimes) or (
            None if regimes else "A designation is listed under at least one regime."
        )
    record_validate(designation, rules=rules)
    changed = record_save(designation)
    if regimes is not None:
        changed = m2m_set(designation.regimes, regimes) or changed
    if aliases is not None:
        changed = designation_aliases_set(designation=designation, aliases=aliases) or changed
    return changed


def designation_aliases_set(*, designation, aliases: list[tuple[str, str]] | list[str]) -> bool:
    """Make the designation's aliases exactly ``aliases`` (names, or (name, quality) pairs)."""
    from sanctions.models import DesignationAlias

    wanted = dict(a if isinstance(a, tuple) else (a, "") for a in aliases)
    stale = designation.aliases.exclude(name__in=wanted)
    changed = stale.exists()
    stale.delete()
    have = set(designation.aliases.values_list("name", flat=True))
    new = [
        DesignationAlias(designation=designation, name=n, quality=q)
        for n, q in wanted.items()
        if n not in have
    ]
    DesignationAlias.objects.bulk_create(new)
    return changed or bool(new)
