"""Partial dates: facts known only to the year or month ("signed in 1961").

A partial date is stored as two columns: the first day of the period it names (``<name>``, a
DateField) and its precision (``<name>_precision``: year, month or day). It renders as ISO 8601
reduced precision ("1961", "1961-07", "1961-07-06") and covers an interval: "1961" covers
1961-01-01..1961-12-31. Filters use that interval; see ``ends_by`` and ``starts_on_or_after``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Q


class Precision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


# Precision.values builds a new list on each use; a partial date is checked thousands of times
# per response (a relations timeline's treaties).
_PRECISIONS = frozenset(Precision.values)
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


class PartialDateError(ValueError):
    """A string or value pair that is not a valid partial date."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, month or day."""

    start: dt.date
    precision: str

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; raise PartialDateError otherwise."""
        match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise PartialDateError(
                f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
            )
        year, month, day = match["year"], match["month"], match["day"]
        try:
            start = dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError as exc:
            raise PartialDateError(f"{text!r} is not a real calendar date ({exc})") from None
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
        return cls(start=start, precision=str(precision))

    @classmethod
    def from_columns(cls, start: dt.date | None, precision: str | None) -> PartialDate | None:
        """Build from the stored pair; None when the date is unknown."""
        if start is None:
            return None
        return cls(start=start, precision=precision or Precision.DAY)

    def __post_init__(self) -> None:
        if self.precision not in _PRECISIONS:
            raise PartialDateError(f"unknown precision {self.precision!r}")
        if self.precision != Precision.DAY and self.start.day != 1:
            raise PartialDateError(f"a {self.precision}-precision date must start on day 1")
        if self.precision == Precision.YEAR and self.start.month != 1:
            raise PartialDateError("a year-precision date must start on 1 January")

    @property
    def end(self) -> dt.date:
        """The last day of the period this date covers."""
        if self.precision == Precision.DAY:
            return self.start
        if self.precision == Precision.MONTH:
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last)
        return self.start.replace(month=12, day=31)

    def isoformat(self) -> str:
        """ISO 8601 with reduced precision: "1961", "1961-07" or "1961-07-06"."""
        text = self.start.isoformat()
        return {Precision.YEAR: text[:4], Precision.MONTH: text[:7]}.get(self.precision, text)

    def __str__(self) -> str:
        return self.isoformat()


def precision_field(date_field: str) -> models.CharField:
    """The companion column that says how much of ``date_field`` is known."""
    return models.CharField(
        max_length=5,
        choices=Precision.choices,
        blank=True,
        default="",
        help_text=f"How much of {date_field} is known: year, month or day (blank when unknown).",
    )


def _period_start(day: dt.date, precision: str) -> dt.date:
    if precision == Precision.MONTH:
        return day.replace(day=1)
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1)
    return day


def ends_by(field: str, day: dt.date) -> Q:
    """Rows whose partial date in ``field`` certainly fell on or before ``day``.

    "1961" ends by 1961-12-31 but not by 1961-07-06: the whole interval must be covered.
    """
    after = day + dt.timedelta(days=1)
    return Q(**{f"{field}__isnull": False}) & (
        Q(**{f"{field}_precision": Precision.DAY, f"{field}__lte": day})
        | Q(
            **{f"{field}_precision": Precision.MONTH, f"{field}__lt": _period_start(after, "month")}
        )
        | Q(**{f"{field}_precision": Precision.YEAR, f"{field}__lt": _period_start(after, "year")})
    )


def starts_on_or_after(field: str, day: dt.date) -> Q:
    """Rows whose partial date in ``field`` certainly fell on or after ``day``."""
    return Q(**{f"{field}__gte": day})


def partial_date_constraint(model_name: str, field: str) -> models.CheckConstraint:
    """A date and its precision are known together or not at all."""
    known = Q(**{f"{field}__isnull": False}) & ~Q(**{f"{field}_precision": ""})
    unknown = Q(**{f"{field}__isnull": True}) & Q(**{f"{field}_precision": ""})
    return models.CheckConstraint(
        condition=known | unknown, name=f"{model_name}_{field}_precision_set"
    )


def not_before(model_name: str, earlier: str, later: str) -> models.CheckConstraint:
    """Where both are known, ``later`` does not end before ``earlier`` starts.

    A day-precision ``later`` ends on its stored day; coarser ones are checked in clean().
    """
    return models.CheckConstraint(
        condition=Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | ~Q(**{f"{later}_precision": Precision.DAY})
        | Q(**{f"{earlier}__lte": models.F(later)}),
        name=f"{model_name}_{earlier}_not_after_{later}",
    )
