"""core.lookups: the PostgreSQL spellings of membership give exactly Django's ``__in`` rows,
on both databases."""

from __future__ import annotations

import pytest
from django.db.models import F

from core.lookups import AmongSubquery, among
from treaties.models import Participation, Party, Treaty

pytestmark = pytest.mark.django_db


def _pairs(queryset) -> set[tuple[str, str]]:
    return set(queryset.values_list("treaty_id", "party_id"))


@pytest.mark.parametrize(
    "values",
    [
        [],
        ["no-such-treaty"],
        ["ussr-dprk-1961"],
        ["ussr-dprk-1961", "russia-dprk-2000", "no-such-treaty", "ussr-dprk-1961"],
        ("russia-dprk-2024",),
        {"ussr-dprk-1961", "russia-dprk-2024"},
    ],
)
def test_among_values_gives_the_rows_of_in(seeded, values):
    expected = _pairs(Participation.objects.filter(treaty_id__in=values))
    assert _pairs(Participation.objects.filter(among("treaty_id", values))) == expected
    if values and "no-such-treaty" not in values:
        assert expected  # the seed records hold these treaties' parties


def test_among_values_of_a_whole_table(seeded):
    every = list(Treaty.objects.values_list("pk", flat=True))
    assert _pairs(Participation.objects.filter(among("treaty_id", every))) == _pairs(
        Participation.objects.all()
    )


def test_among_subquery_gives_the_rows_of_in(seeded):
    korean = Party.objects.filter(name__icontains="korea").values("pk")
    expected = set(Participation.objects.filter(party_id__in=korean).values_list("pk", flat=True))
    found = Participation.objects.filter(AmongSubquery(F("party_id"), korean))
    assert set(found.values_list("pk", flat=True)) == expected != set()
