"""ISO 3166 look-ups against pycountry, current (3166-1) and former (3166-3) countries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    name: str
    former: bool


@cache
def _index() -> dict[str, Country]:
    index: dict[str, Country] = {}
    for record in pycountry.historic_countries:
        country = Country(record.alpha_2, record.alpha_3, record.name, former=True)
        index.setdefault(country.alpha2, country)
        index.setdefault(country.alpha3, country)
    # Current codes win where a withdrawn code was later reused.
    for record in pycountry.countries:
        country = Country(record.alpha_2, record.alpha_3, record.name, former=False)
        index[country.alpha2] = country
        index[country.alpha3] = country
    return index


def country_by_code(code: str) -> Country | None:
    """The country with this ISO 3166 alpha-2 or alpha-3 code (former states included)."""
    return _index().get(code.upper()) if code else None
