"""Writes with business rules for sanctions."""

from __future__ import annotations

from typing import Any

from core.choices import ReviewStatus
from core.records import (
    Where,
    assign,
    partial_date_values,
    sync_m2m,
    take,
    validate,
)
from sanctions.models import MeasureType, SanctionsRegime
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


def regime_upsert(*, spec: dict[str, Any], where: Where) -> bool:
    """Create or update a sanctions regime from its fixture."""
    take(spec, where, REGIME_KEYS, required=("id", "key", "name"))
    regime = SanctionsRegime.objects.filter(pk=spec["id"]).first() or SanctionsRegime(pk=spec["id"])
    created = regime._state.adding
    issuer = None
    if spec.get("issuer"):
        issuer = Party.objects.filter(pk=spec["issuer"]).first()
        if issuer is None:
            raise where.error("issuer", f"unknown party {spec['issuer']!r}")
    targets = spec.get("targets", [])
    missing = set(targets) - set(Party.objects.filter(pk__in=targets).values_list("pk", flat=True))
    if missing:
        raise where.error("targets", f"unknown party {sorted(missing)[0]!r}")
    measures = spec.get("measures", [])
    unknown = set(measures) - set(MeasureType.objects.values_list("code", flat=True))
    if unknown:
        raise where.error("measures", f"{sorted(unknown)[0]!r} is not in the measure vocabulary")
    values = {
        "key": spec["key"],
        "review_status": ReviewStatus.PUBLISHED,
        "name": spec["name"],
        "issuer": issuer,
        "legal_basis": spec.get("legal_basis", ""),
        "reason": spec.get("reason", ""),
        **partial_date_values(spec, "started_on", where),
        **partial_date_values(spec, "ended_on", where),
    }
    changed = assign(regime, values)
    validate(regime, where)
    specs = citation_specs(spec, where)
    known = {
        name: values[name] for name in ("issuer", "legal_basis", "reason", "started_on", "ended_on")
    }
    citations_cover(
        known=known | {"targets": targets, "measures": measures}, specs=specs, where=where
    )
    if where.keep(regime):
        return False
    if changed:
        regime.save()
    changed = sync_m2m(regime.targets, targets) or changed
    changed = sync_m2m(regime.measures, measures) or changed
    return citations_sync(record=regime, specs=specs, where=where) or changed or created


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
