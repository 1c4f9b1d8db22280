"""ISO 3166 look-ups against pycountry, current (3166-1) and former (3166-3) countries, and
country names or other code schemes turned into ISO 3166 with country-converter."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

import country_converter as coco
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


@cache
def _converter() -> coco.CountryConverter:
    logging.getLogger("country_converter").setLevel(logging.ERROR)  # it logs every miss
    return coco.CountryConverter()


@cache
def iso_alpha2_from(value: str, *, scheme: str) -> str | None:
    """The ISO 3166 alpha-2 code for ``value`` in a country-converter scheme ("regex" for
    names as lists write them, "GWcode" for Gleditsch-Ward/COW numbers); None if unmatched."""
    value = value.strip()
    code = _converter().convert(value, src=scheme, to="ISO2", not_found="")
    # Unmatched input comes back unchanged; a real match is an upper-case alpha-2 code.
    if not isinstance(code, str) or code == value or not (len(code) == 2 and code.isupper()):
        return None
    return code if country_by_code(code) else None
