"""Reads with business meaning for parties and treaties.

Date semantics (see docs/api.md): a partial date covers an interval. A treaty is *in force on*
a day when its entry into force certainly falls on or before that day (the whole interval) and
it has not ended by then: its end date is unknown or starts after the day. A treaty whose
entry into force is unknown is never reported in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import NamedTuple

from django.db.models import Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from core.partial_dates import PartialDate, ends_by
from core.visibility import public_q
from sources.models import Citation
from treaties.choices import TreatyStatus
from treaties.models import Participation, Party, Provision, Treaty


def citations_prefetch(lookup: str = "citations") -> Prefetch:
    """Citations with their source's id and title (never its full text)."""
    return Prefetch(
        lookup,
        queryset=Citation.objects.select_related("source").only(
            "id",
            "content_type_id",
            "object_id",
            "field",
            "quote",
            "start",
            "end",
            "stance",
            "note",
            "source__id",
            "source__title",
        ),
    )


def party_resolve(ref: str, *, published_only: bool = True) -> Party | None:
    """The (published) party with this id, or with this ISO 3166 alpha-2 code (any case)."""
    ref = (ref or "").strip()
    if not ref:
        return None
    parties = Party.objects.filter(Q(pk=ref) | Q(iso_alpha2=ref.upper()))
    if published_only:
        parties = parties.filter(public_q(Party))
    return parties.order_by("pk").first()


def parties_resolve(refs: Collection[str]) -> dict[str, Party | None]:
    """Each reference's (published) party, as party_resolve finds it, in one query."""
    refs = {ref for ref in refs if ref}
    if not refs:
        return {}
    codes = {ref.upper() for ref in refs}
    parties = list(
        Party.objects.filter(Q(pk__in=refs) | Q(iso_alpha2__in=codes), public_q(Party)).order_by(
            "pk"
        )
    )
    return {
        ref: next((p for p in parties if p.pk == ref or p.iso_alpha2 == ref.upper()), None)
        for ref in refs
    }


def party_predecessor_closures(party_ids: Collection[str]) -> dict[str, frozenset[str]]:
    """Each party id with every predecessor it succeeded (transitively), in one query: the
    succession links are few (curated), so all are read and followed in Python."""
    predecessors: dict[str, list[str]] = {}
    links = Party.successors.through.objects.filter(
        public_q(Party, "from_party__"), public_q(Party, "to_party__")
    )  # succession is followed through public parties only
    for predecessor, successor in links.values_list("from_party_id", "to_party_id"):
        predecessors.setdefault(successor, []).append(predecessor)
    closures = {}
    for party_id in party_ids:
        closure, frontier = {party_id}, [party_id]
        while frontier:
            frontier = [p for s in frontier for p in predecessors.get(s, ()) if p not in closure]
            closure.update(frontier)
        closures[party_id] = frozenset(closure)
    return closures


def party_lineage(party: Party) -> dict[str, str | None]:
    """The party and every public predecessor it succeeded (transitively): id -> the successor
    it leads to.

    The Russian Federation's lineage is {"russia": None, "soviet-union": "russia"}.
    """
    lineage: dict[str, str | None] = {party.pk: None}
    frontier = [party.pk]
    while frontier:
        links = Party.successors.through.objects.filter(
            public_q(Party, "from_party__"), to_party_id__in=frontier
        ).values_list("from_party_id", "to_party_id")
        frontier = []
        for predecessor, successor in links:
            if predecessor not in lineage:
                lineage[predecessor] = successor
                frontier.append(predecessor)
    return lineage


def parties_for_api() -> QuerySet[Party]:
    """Parties with what their representation needs, in one query per relation."""
    return Party.objects.annotate(aliases_text=Cast("aliases", TextField())).prefetch_related(
        Prefetch("predecessors", queryset=Party.objects.order_by("name", "pk")),
        Prefetch("successors", queryset=Party.objects.order_by("name", "pk")),
        citations_prefetch(),
    )


def treaties_for_api() -> QuerySet[Treaty]:
    """Treaties with participations, provisions and all citations prefetched."""
    return Treaty.objects.annotate(aliases_text=Cast("aliases", TextField())).prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("party")
            .prefetch_related(citations_prefetch())
            .order_by("party__name", "pk"),
        ),
        Prefetch(
            "provisions",
            queryset=Provision.objects.prefetch_related(
                "obligations", citations_prefetch()
            ).order_by("label", "pk"),
        ),
        Prefetch("replaces", queryset=Treaty.objects.order_by("signed_on", "pk")),
        Prefetch("replaced_by", queryset=Treaty.objects.order_by("signed_on", "pk")),
        Prefetch("amends", queryset=Treaty.objects.order_by("signed_on", "pk")),
        Prefetch("amended_by", queryset=Treaty.objects.order_by("signed_on", "pk")),
        citations_prefetch(),
    )


def in_force_q(on: dt.date) -> Q:
    """Treaties certainly in force on ``on``."""
    return ends_by("entered_into_force_on", on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def ended_q(on: dt.date) -> Q:
    """Treaties that had certainly ended by ``on``."""
    return ends_by("ended_on", on)


def status_q(status: str, on: dt.date | None = None) -> Q:
    """Treaties whose derived status on ``on`` (default today) is ``status``."""
    on = on or timezone.localdate()
    ended, in_force, signed = ended_q(on), in_force_q(on), Q(signed_on__isnull=False)
    return {
        TreatyStatus.ENDED: ended,
        TreatyStatus.IN_FORCE: ~ended & in_force,
        TreatyStatus.SIGNED: ~ended & ~in_force & signed,
        TreatyStatus.UNKNOWN: ~ended & ~in_force & ~signed,
    }[status]


def _certainly_by(value: PartialDate | None, on: dt.date) -> bool:
    return value is not None and value.end <= on


class TreatyDates(NamedTuple):
    """A treaty's three partial dates, from which its status on any day derives."""

    signed: PartialDate | None
    entered_into_force: PartialDate | None
    ended: PartialDate | None

    # The columns they are read from, in Treaty.partial_dates' order (the fields' order
    # above): each date, then its precision.
    columns = tuple(
        column for name in Treaty.partial_dates for column in (name, f"{name}_precision")
    )

    @classmethod
    def of(cls, treaty: Treaty) -> TreatyDates:
        return cls(*(treaty.get_partial(name) for name in Treaty.partial_dates))

    @classmethod
    def from_columns(cls, *values) -> TreatyDates:
        """From the values of ``columns``, as a query's row gives them."""
        return cls(*map(PartialDate.from_columns, values[::2], values[1::2]))

    def in_force(self, on: dt.date) -> bool:
        """Python twin of in_force_q."""
        return _certainly_by(self.entered_into_force, on) and (
            self.ended is None or self.ended.start > on
        )

    def status(self, on: dt.date) -> str:
        if _certainly_by(self.ended, on):
            return TreatyStatus.ENDED
        if self.in_force(on):
            return TreatyStatus.IN_FORCE
        if self.signed is not None:
            return TreatyStatus.SIGNED
        return TreatyStatus.UNKNOWN


def treaty_in_force(treaty: Treaty, on: dt.date) -> bool:
    """Python twin of in_force_q for one treaty."""
    return TreatyDates.of(treaty).in_force(on)


def treaty_status(treaty: Treaty, on: dt.date | None = None) -> str:
    """The treaty's status on ``on`` (default today), derived from its dates."""
    return TreatyDates.of(treaty).status(on or timezone.localdate())
