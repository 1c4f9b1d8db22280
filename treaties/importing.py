"""Importer toolkit, treaties part: country codes to parties, following state succession.

Datasets and lists give a country as a code that does not know history (COW 365, "RU");
the register holds the state that existed on the date concerned (the Soviet Union before
26 December 1991). SUCCESSION is that knowledge as data: add a row, not an if.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from core.choices import ReviewStatus
from core.countries import country_by_code
from treaties.choices import PartyKind
from treaties.models import Party
from treaties.services import party_write

# Successor ISO code -> (predecessor ISO code, the day the successor took over).
SUCCESSION: dict[str, tuple[tuple[str, dt.date], ...]] = {
    "RU": (("SU", dt.date(1991, 12, 26)),),
}


def country_code_on(*, code: str, on: dt.date | None = None) -> str:
    """The ISO alpha-2 code of the state that ``code`` stood for on ``on`` (today if None)."""
    for predecessor, until in sorted(SUCCESSION.get(code, ()), key=lambda row: row[1]):
        if on is not None and on < until:
            return predecessor
    return code


def party_for_country(
    *, code: str, on: dt.date | None = None, known: dict[str, Party] | None = None
) -> Party:
    """The party for an ISO 3166 code on a date (succession applied): the register's own
    party with that code, else one added from ISO 3166 as id ``iso-<code>``. ``known`` is a
    cache an importer keeps across calls (code -> party). Raises ValidationError."""
    code = country_code_on(code=code.upper(), on=on)
    known = {} if known is None else known
    if code in known:
        return known[code]
    party = (
        Party.objects.filter(iso_alpha2=code).first()
        or Party.objects.filter(pk=f"iso-{code.lower()}").first()
    )
    if party is None:
        country = country_by_code(code)
        if country is None:
            raise ValidationError({"iso_alpha2": f"{code!r} is not an ISO 3166 code."})
        party = Party(
            id=f"iso-{code.lower()}",
            name=country.name,
            kind=PartyKind.FORMER_STATE if country.former else PartyKind.STATE,
            iso_alpha2=country.alpha2,
            iso_alpha3=country.alpha3,
            review_status=ReviewStatus.PUBLISHED,
        )
        party_write(party=party)
    known[code] = party
    return party
