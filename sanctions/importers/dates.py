"""Dates as official lists write them in free text ("23 Feb. 2000", "March 22, 2018",
"10 Jan 1970", "Sep 2012", "2023-06-04"), read into partial ISO dates."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
# "23 Feb. 2000", "Feb. 2000", "March 22, 2018", "2000", "2023-06-04".
_WRITTEN = re.compile(
    r"(?:(?P<iso>\d{4}-\d{2}-\d{2})"
    rf"|(?:(?P<day>\d{{1,2}})\s+)?{_MONTH}\s*(?P<year>\d{{4}})"
    rf"|{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}}),\s*(?P<year2>\d{{4}})"
    r"|(?P<year3>\d{4}))"
)
_EXPIRY = re.compile(
    r"\b(?:expir(?:ed|es|ing|y date of|ation date)|date of expiration|valid until|exp\.)"
    r"\s*(?:on\s+|:\s*)?",
    re.I,
)


class DateWordingError(ValueError):
    """A date written in a way the lists' wording does not allow."""


def written_date(text: str) -> str:
    """The partial ISO date ``text`` (all of it) writes; raises DateWordingError."""
    match = _WRITTEN.fullmatch(text.strip().rstrip("."))
    if not match:
        raise DateWordingError(f"{text!r} is not a date")
    iso = _date_of(match)
    if iso is None:
        raise DateWordingError(f"{text!r} is not a date")
    return iso


def expiry_in(note: str) -> str | None:
    """The expiry date a free-text note states ("expired on 23 Feb. 2000", "valid until 16
    Feb. 2017", "Expiration date: 2023-06-04"), or None when it states none it can read."""
    for keyword in _EXPIRY.finditer(note):
        match = _WRITTEN.match(note, keyword.end())
        if match:
            iso = _date_of(match)
            if iso:
                return iso
    return None


def _date_of(match: re.Match) -> str | None:
    if match["iso"]:
        try:
            return dt.date.fromisoformat(match["iso"]).isoformat()
        except ValueError:
            return None
    if match["year3"]:
        return match["year3"]
    year = match["year"] or match["year2"]
    month = _MONTHS.get((match["month"] or match["month2"]).lower())
    day = match["day"] or match["day2"]
    if month is None:
        return None
    if not day:
        return f"{year}-{month:02d}"
    try:
        return dt.date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None
