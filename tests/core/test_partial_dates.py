import datetime as dt

import pytest

from core.partial_dates import PartialDate, PartialDateError


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("1961", dt.date(1961, 1, 1), dt.date(1961, 12, 31), "year"),
        ("1961-07", dt.date(1961, 7, 1), dt.date(1961, 7, 31), "month"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
        ("1961-07-06", dt.date(1961, 7, 6), dt.date(1961, 7, 6), "day"),
    ],
)
def test_partial_date_covers_the_interval_it_names(text, start, end, precision):
    value = PartialDate.parse(text)
    assert (value.start, value.end, value.precision) == (start, end, precision)
    assert value.isoformat() == text


@pytest.mark.parametrize(
    "text", ["61", "1961-13", "1961-02-30", "1961/07/06", "July 1961", "", "1961-7"]
)
def test_malformed_partial_dates_are_rejected(text):
    with pytest.raises(PartialDateError):
        PartialDate.parse(text)


def test_partial_dates_order_by_their_start():
    assert PartialDate.parse("1961") < PartialDate.parse("1961-07") < PartialDate.parse("1962")


def test_a_coarse_date_must_start_its_period():
    with pytest.raises(PartialDateError):
        PartialDate(start=dt.date(1961, 7, 6), precision="month")
