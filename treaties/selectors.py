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

from core import register_state
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


class PartyNames(NamedTuple):
    """What resolving party references needs: the published parties' ids, their ISO alpha-2
    codes and the succession links between them. A few hundred rows, read in one query and
    stored with the register's version by the writes that change them (``party_names``), so
    a filter or a relations path resolves its parties, and follows their successions,
    without a query of its own."""

    ids: frozenset[str]
    codes: dict[str, str]  # ISO alpha-2 code -> party id
    predecessors: dict[str, tuple[str, ...]]  # party id -> the parties it succeeded

    COLUMNS = ("pk", "iso_alpha2", "successors")  # a party with several successors: a row each

    @classmethod
    def rows(cls) -> list:
        """The published parties' rows (one query), which ``build`` makes the names of."""
        public = Party.objects.filter(public_q(Party)).order_by("pk")
        return list(public.values_list(*cls.COLUMNS))

    @classmethod
    def build(cls, rows: list) -> PartyNames:
        ids = frozenset(pk for pk, _, _ in rows)
        codes = {code: pk for pk, code, _ in rows if code}
        predecessors: dict[str, list[str]] = {}
        for pk, _, successor in rows:
            if successor in ids:  # succession is followed through published parties only
                predecessors.setdefault(successor, []).append(pk)
        return cls(ids, codes, {s: tuple(p) for s, p in predecessors.items()})

    def resolve(self, ref: str) -> str | None:
        """The id of the party with this id, or with this ISO 3166 alpha-2 code (any case);
        where one party has it as its id and another as its code, the first id in order."""
        ref = (ref or "").strip()
        found = [pk for pk in (ref if ref in self.ids else None, self.codes.get(ref.upper())) if pk]
        return min(found) if found else None

    def lineage(self, party_id: str) -> dict[str, str | None]:
        """The party and every predecessor it succeeded (transitively): id -> the successor
        it leads to. The Russian Federation's is {"russia": None, "soviet-union": "russia"}."""
        lineage: dict[str, str | None] = {party_id: None}
        frontier = [party_id]
        while frontier:
            successors, frontier = frontier, []
            for successor in successors:
                for predecessor in self.predecessors.get(successor, ()):
                    if predecessor not in lineage:
                        lineage[predecessor] = successor
                        frontier.append(predecessor)
        return lineage


# Created when the app is ready (treaties.apps), so that every write knows it.
_PARTY_NAMES = register_state.Names(
    f"public-party-names:{register_state.shape(PartyNames)}",
    rows=PartyNames.rows,
    build=PartyNames.build,
    models=(Party,),
)


def party_names() -> PartyNames:
    """The published parties' names and successions, as of the current register version."""
    return _PARTY_NAMES.get()


def parties_resolve(refs: Collection[str]) -> dict[str, Party | None]:
    """Each reference's published party (by id, or by ISO 3166 alpha-2 code in any case):
    resolved by the names that come with the register's version, then the parties read in
    one query."""
    names = party_names()
    ids = {ref: names.resolve(ref) for ref in refs}
    found = Party.objects.filter(public_q(Party)).in_bulk({pk for pk in ids.values() if pk})
    return {ref: found.get(pk) for ref, pk in ids.items()}


def party_lineage(party_id: str) -> dict[str, str | None]:
    """The party and every published predecessor it succeeded (transitively): id -> the
    successor it leads to.

    The Russian Federation's lineage is {"russia": None, "soviet-union": "russia"}.
    """
    return party_names().lineage(party_id)


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
