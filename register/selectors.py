"""Reads that join the apps: the relations timeline between two parties (treaties and
regimes, following state succession).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from core.lookups import among
from core.partial_dates import PartialDate
from core.visibility import public_view
from sanctions.models import SanctionsRegime
from sanctions.selectors import regime_active, regime_status
from treaties.models import Participation, Party, Treaty
from treaties.selectors import party_lineage, treaty_in_force, treaty_status


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


# What an entry shows of a treaty and its status needs: the other columns (text, timestamps,
# aliases) cost more to read and convert than the rows' look-up.
_TREATY_FIELDS = (
    "id",
    "title",
    *(column for name in Treaty.partial_dates for column in (name, f"{name}_precision")),
)


def _public_members(treaty_ids: list[str]) -> dict[str, list[Party]]:
    """Each (public) treaty's public parties, in the participations' order (by party name,
    then participation). A treaty tying two parties often counts dozens of members, and many
    treaties share them (at 100,000 treaties, RU and KP share 536 with 5,360 memberships)."""
    # The treaties are public (the caller's public view found them) and a party counts only
    # if it is among the public parties read next, so the participations are read alone
    # (joined to their parties for the check and the order: 9.5 ms in the database for RU
    # and KP at 100,000 treaties; alone, 1.4 ms) and put in order here.
    rows = list(
        Participation.objects.filter(among("treaty_id", treaty_ids))
        .order_by()
        .values_list("treaty_id", "party_id", "pk")
    )
    parties = public_view(Party.objects.filter(pk__in={party for _, party, _ in rows}))
    by_id = {party.pk: party for party in parties.order_by("name")}
    # Names ranked in the database's order (its collation), equal names alike.
    rank: dict[str, int] = {}
    for party in by_id.values():
        rank.setdefault(party.name, len(rank))
    members: dict[str, list[Party]] = {}
    for treaty_id, party_id, _ in sorted(
        (row for row in rows if row[1] in by_id),
        key=lambda row: (rank[by_id[row[1]].name], row[2]),
    ):
        members.setdefault(treaty_id, []).append(by_id[party_id])
    return members


def relations_timeline(
    *, party: Party, other: Party, on: dt.date | None = None
) -> list[TimelineEntry]:
    """Every published treaty and regime tying ``party`` and ``other`` (or their predecessors),
    in date order: each side must be a different participant (issuer and target for regimes).

    With ``on``, only what was in force (treaties) or active (regimes) on that day.
    """
    mine, theirs = party_lineage(party), party_lineage(other)
    today = timezone.localdate()  # once: each entry's status is as of today
    entries: list[TimelineEntry] = []
    treaties = list(
        public_view(
            Treaty.objects.filter(participations__party__in=mine)
            .filter(pk__in=Treaty.objects.filter(participations__party__in=theirs).values("pk"))
            .distinct()
        ).only(*_TREATY_FIELDS)
    )
    members = _public_members([treaty.pk for treaty in treaties])
    mine_ids, theirs_ids = set(mine), set(theirs)
    for treaty in treaties:
        parties = members.get(treaty.pk, [])
        involved = {p.pk for p in parties}
        if not _ties(involved & mine_ids, involved & theirs_ids):
            continue
        entries.append(
            TimelineEntry(
                type="treaty",
                id=treaty.pk,
                title=treaty.title,
                start=treaty.get_partial("signed_on"),
                end=treaty.get_partial("ended_on"),
                status=treaty_status(treaty, today),
                in_force_on=treaty_in_force(treaty, on) if on else None,
                parties=parties,
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
            _ties(issuer & mine_ids, targets & theirs_ids)
            or _ties(issuer & theirs_ids, targets & mine_ids)
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
                status=regime_status(regime, today),
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
