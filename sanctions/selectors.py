"""Reads with business meaning for sanctions regimes and designations, and the relations
timeline between two parties (treaties and regimes, following state succession).

A regime is *active on* a day when its start is known and certainly on or before that day,
and it has not ended by then. Its `status` is as of today: ended once its end date has
certainly passed, active otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.partial_dates import PartialDate, ends_by
from core.visibility import public_view
from sanctions.choices import DesignationStatus, RegimeStatus
from sanctions.models import Designation, DesignationAlias, SanctionsRegime
from sources.models import Source
from treaties.models import Participation, Party, Treaty
from treaties.selectors import citations_prefetch, party_lineage, treaty_in_force, treaty_status


def regimes_for_api() -> QuerySet[SanctionsRegime]:
    # Related records are prefetched, not joined, so that a public view can leave out drafts.
    return SanctionsRegime.objects.prefetch_related(
        "issuer",
        Prefetch("targets", queryset=Party.objects.order_by("name", "pk")),
        "measures",
        citations_prefetch(),
    )


def designations_for_api() -> QuerySet[Designation]:
    return Designation.objects.prefetch_related(
        "nationality",
        Prefetch("source", queryset=Source.objects.defer("text")),
        Prefetch("aliases", queryset=DesignationAlias.objects.order_by("name", "pk")),
        Prefetch("regimes", queryset=SanctionsRegime.objects.order_by("key")),
        citations_prefetch(),
    )


def regime_resolve_q(ref: str) -> Q:
    """Regimes matching an id or a key (any case)."""
    return Q(pk=ref) | Q(key__iexact=ref)


def active_q(on: dt.date) -> Q:
    """Regimes certainly active on ``on``."""
    return ends_by("started_on", on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def regime_status_q(status: str, on: dt.date | None = None) -> Q:
    ended = ends_by("ended_on", on or timezone.localdate())
    return ended if status == RegimeStatus.ENDED else ~ended


def regime_active(regime: SanctionsRegime, on: dt.date) -> bool:
    """Python twin of active_q."""
    started, ended = regime.get_partial("started_on"), regime.get_partial("ended_on")
    return started is not None and started.end <= on and (ended is None or ended.start > on)


def regime_status(regime: SanctionsRegime, on: dt.date | None = None) -> str:
    ended = regime.get_partial("ended_on")
    return (
        RegimeStatus.ENDED
        if ended and ended.end <= (on or timezone.localdate())
        else RegimeStatus.ACTIVE
    )


def designation_status_q(status: str) -> Q:
    delisted = Q(delisted_on__isnull=False)
    return delisted if status == DesignationStatus.DELISTED else ~delisted


def designation_status(designation: Designation) -> str:
    return DesignationStatus.DELISTED if designation.delisted_on else DesignationStatus.LISTED


@dataclass
class TimelineEntry:
    """A treaty or regime that ties two parties, with how it was reached."""

    type: str
    id: str
    title: str
    start: PartialDate | None
    end: PartialDate | None
    status: str
    in_force_on: bool | None
    parties: list[Party]
    via_succession: list[dict[str, str]] = field(default_factory=list)


def _succession_notes(involved: set[str], *lineages: dict[str, str | None]) -> list[dict[str, str]]:
    notes = []
    for lineage in lineages:
        for predecessor, successor in lineage.items():
            if successor is not None and predecessor in involved:
                notes.append({"predecessor": predecessor, "successor": successor})
    return sorted(notes, key=lambda n: (n["predecessor"], n["successor"]))


def _ties(involved_a: set[str], involved_b: set[str]) -> bool:
    """Two different participants, one on each side (a party never ties with itself)."""
    return any(a != b for a in involved_a for b in involved_b)


def relations_timeline(
    *, party: Party, other: Party, on: dt.date | None = None
) -> list[TimelineEntry]:
    """Every published treaty and regime tying ``party`` and ``other`` (or their predecessors),
    in date order: each side must be a different participant (issuer and target for regimes).

    With ``on``, only what was in force (treaties) or active (regimes) on that day.
    """
    mine, theirs = party_lineage(party), party_lineage(other)
    entries: list[TimelineEntry] = []
    treaties = public_view(
        Treaty.objects.filter(participations__party__in=mine)
        .filter(pk__in=Treaty.objects.filter(participations__party__in=theirs).values("pk"))
        .distinct()
        .prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("party"))
        )
    )
    for treaty in treaties:
        involved = {p.party_id for p in treaty.participations.all()}
        if not _ties(involved & set(mine), involved & set(theirs)):
            continue
        entries.append(
            TimelineEntry(
                type="treaty",
                id=treaty.pk,
                title=treaty.title,
                start=treaty.get_partial("signed_on"),
                end=treaty.get_partial("ended_on"),
                status=treaty_status(treaty),
                in_force_on=treaty_in_force(treaty, on) if on else None,
                parties=[p.party for p in treaty.participations.all()],
                via_succession=_succession_notes(involved, mine, theirs),
            )
        )
    regimes = public_view(
        SanctionsRegime.objects.filter(
            Q(issuer__in=mine, targets__in=theirs) | Q(issuer__in=theirs, targets__in=mine)
        )
        .distinct()
        .prefetch_related("issuer", "targets")
    )
    for regime in regimes:
        targets = {t.pk for t in regime.targets.all()}
        issuer = {regime.issuer_id}
        if not (
            _ties(issuer & set(mine), targets & set(theirs))
            or _ties(issuer & set(theirs), targets & set(mine))
        ):
            continue
        involved = issuer | targets
        entries.append(
            TimelineEntry(
                type="regime",
                id=regime.pk,
                title=regime.name,
                start=regime.get_partial("started_on"),
                end=regime.get_partial("ended_on"),
                status=regime_status(regime),
                in_force_on=regime_active(regime, on) if on else None,
                parties=[regime.issuer, *regime.targets.all()],
                via_succession=_succession_notes(involved, mine, theirs),
            )
        )
    if on:
        entries = [entry for entry in entries if entry.in_force_on]
    # Unknown start dates sort last; ties by type then id, so the order is stable.
    return sorted(
        entries,
        key=lambda e: (e.start is None, e.start.start if e.start else dt.date.max, e.type, e.id),
    )
