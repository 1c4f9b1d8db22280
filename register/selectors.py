"""Reads that join the apps: the relations timeline between two parties (treaties and
regimes, following state succession).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from core.lookups import among
from core.partial_dates import PartialDate
from core.visibility import public_view
from sanctions.models import SanctionsRegime
from sanctions.selectors import regime_active, regime_status
from treaties.models import Participation, Party, Treaty
from treaties.selectors import TreatyDates, party_lineage


@dataclass(slots=True)
class TimelineEntry:
    """A treaty or regime that ties two parties, with how it was reached."""

    type: str
    id: str
    title: str
    start: PartialDate | None
    end: PartialDate | None
    status: str
    in_force_on: bool | None
    parties: Sequence[Party]
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


# What an entry shows of a treaty and its status needs, read as plain rows: the other columns
# (text, timestamps, aliases) and model instances cost more to build than the rows' look-up.
_TREATY_COLUMNS = ("id", "title", *TreatyDates.columns)


def _public_members(treaty_ids: list[str]) -> dict[str, tuple[Party, ...]]:
    """Each (public) treaty's public parties, in the participations' order (by party name,
    then participation). A treaty tying two parties often counts dozens of members, and many
    treaties share them (at 100,000 treaties, RU and KP share 536 with 5,360 memberships):
    treaties with the same members share one tuple of them."""
    # The treaties are public (the caller's public view found them) and a party counts only
    # if it is among the public parties read next, so the participations are read alone, in
    # participation order (joined to their parties for the check and the order: 9.5 ms in
    # the database for RU and KP at 100,000 treaties; alone, 1.4 ms). They are put in party
    # order here without sorting them: one bucket per party name, in the database's order
    # of names (its collation), each filled in participation order.
    participations = Participation.objects.filter(among("treaty_id", treaty_ids))
    rows = list(participations.order_by("pk").values_list("party_id", "treaty_id"))
    parties = public_view(Party.objects.filter(pk__in={party for party, _ in rows}))
    by_id: dict[str, Party] = {}
    buckets: dict[str, list[tuple[str, str]]] = {}  # party name -> (treaty, party), in order
    bucket_of: dict[str, list[tuple[str, str]]] = {}
    for party in parties.order_by("name"):
        by_id[party.pk] = party
        bucket_of[party.pk] = buckets.setdefault(party.name, [])
    for party_id, treaty_id in rows:
        if (bucket := bucket_of.get(party_id)) is not None:
            bucket.append((treaty_id, party_id))
    member_ids: dict[str, list[str]] = {}  # treaty -> its parties' ids, in order
    for bucket in buckets.values():
        for treaty_id, party_id in bucket:
            member_ids.setdefault(treaty_id, []).append(party_id)
    shared: dict[tuple[str, ...], tuple[Party, ...]] = {}
    members: dict[str, tuple[Party, ...]] = {}
    for treaty_id, ids in member_ids.items():
        if (found := shared.get(key := tuple(ids))) is None:
            found = shared[key] = tuple(by_id[party_id] for party_id in key)
        members[treaty_id] = found
    return members


def relations_timeline(
    *, party: Party, other: Party, on: dt.date | None = None
) -> list[TimelineEntry]:
    """Every published treaty and regime tying ``party`` and ``other`` (or their predecessors),
    in date order: each side must be a different participant (issuer and target for regimes).

    With ``on``, only what was in force (treaties) or active (regimes) on that day.
    """
    mine, theirs = party_lineage(party.pk), party_lineage(other.pk)
    today = timezone.localdate()  # once: each entry's status is as of today
    entries: list[TimelineEntry] = []
    treaties = list(
        public_view(
            Treaty.objects.filter(participations__party__in=mine)
            .filter(pk__in=Treaty.objects.filter(participations__party__in=theirs).values("pk"))
            .distinct()
        ).values_list(*_TREATY_COLUMNS)
    )
    members = _public_members([treaty_id for treaty_id, *_ in treaties])
    mine_ids, theirs_ids = set(mine), set(theirs)
    # Whether a treaty's parties tie the two sides, and through which successions, depends
    # on its parties alone: decided once per tuple of parties (treaties share them; a tuple
    # is kept alive by ``members``, so its id stays its own).
    decided: dict[int, list[dict[str, str]] | None] = {}
    for treaty_id, title, *columns in treaties:
        parties = members.get(treaty_id, ())
        if (key := id(parties)) not in decided:
            involved = {p.pk for p in parties}
            ties = _ties(involved & mine_ids, involved & theirs_ids)
            decided[key] = _succession_notes(involved, mine, theirs) if ties else None
        if (via_succession := decided[key]) is None:
            continue
        dates = TreatyDates.from_columns(*columns)
        entries.append(
            TimelineEntry(
                type="treaty",
                id=treaty_id,
                title=title,
                start=dates.signed,
                end=dates.ended,
                status=dates.status(today),
                in_force_on=dates.in_force(on) if on else None,
                parties=parties,
                via_succession=via_succession,
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
