"""Reads with business meaning for sanctions regimes and designations.

A regime is *active on* a day when its start is known and certainly on or before that day,
and it has not ended by then. Its `status` is as of today: ended once its end date has
certainly passed, active otherwise.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import NamedTuple

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core import register_state
from core.partial_dates import ends_by
from core.visibility import public_q
from sanctions.choices import DesignationStatus, RegimeStatus
from sanctions.models import (
    Designation,
    DesignationAddress,
    DesignationAlias,
    DesignationIdentifier,
    SanctionsRegime,
)
from sources.models import Source
from treaties.models import Party
from treaties.selectors import citations_prefetch


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
        Prefetch(
            "identifiers",
            queryset=DesignationIdentifier.objects.order_by("type", "normalised", "pk"),
        ),
        Prefetch(
            "addresses",
            queryset=DesignationAddress.objects.order_by("kind", "pk").prefetch_related("country"),
        ),
        "vessel_flag",
        citations_prefetch(),
    )


_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


class RegimeNames(NamedTuple):
    """The published regimes' ids and keys: a few hundred rows, read in one query and stored
    with the register's version by the writes that change them (``regime_names``), so a
    filter resolves a regime without a query."""

    ids: frozenset[str]
    keys: dict[str, str]  # key, upper case -> regime id

    COLUMNS = ("pk", "key")

    @classmethod
    def rows(cls) -> list:
        """The published regimes' rows (one query), which ``build`` makes the names of."""
        public = SanctionsRegime.objects.filter(public_q(SanctionsRegime)).order_by("pk")
        return list(public.values_list(*cls.COLUMNS))

    @classmethod
    def build(cls, rows: list) -> RegimeNames:
        keys = {key.translate(_ASCII_UPPER): pk for pk, key in rows}
        return cls(frozenset(pk for pk, _ in rows), keys)

    def resolve(self, ref: str) -> list[str]:
        """The ids of the regimes with this id, or with this key in any case (keys are ASCII
        upper-case words: only ASCII letters are folded, alike on every database)."""
        found = {ref if ref in self.ids else None, self.keys.get(ref.translate(_ASCII_UPPER))}
        return sorted(pk for pk in found if pk)


# Created when the app is ready (sanctions.apps), so that every write knows it.
_REGIME_NAMES = register_state.Names(
    f"public-regime-names:{register_state.shape(RegimeNames)}",
    rows=RegimeNames.rows,
    build=RegimeNames.build,
    models=(SanctionsRegime,),
)


def regime_names() -> RegimeNames:
    """The published regimes' ids and keys, as of the current register version."""
    return _REGIME_NAMES.get()


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
