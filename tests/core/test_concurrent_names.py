"""Two writes that change names at once each store what the other committed
(core/register_state.py, ``advance``): the one that stores last reads the names after the
other has committed.

PostgreSQL only: SQLite lets one write at a time into the database, so two cannot overlap.
The writes commit (transaction=True), each on its own connection.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from core import register_state
from core.history import change_reason
from tests.factories import make_party
from treaties.models import Party
from treaties.selectors import party_names
from treaties.services import party_write

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one write at a time"),
]


def recode(pk: str, code: str) -> None:
    party = Party.objects.get(pk=pk)
    party.iso_alpha2 = code
    with change_reason("recoded"):
        party_write(party=party)


def test_a_write_that_stores_names_after_another_includes_its_change(monkeypatch):
    make_party(id="first", iso_alpha2="IT")
    make_party(id="second", iso_alpha2="ES")
    advanced, release = threading.Event(), threading.Event()
    advance = register_state.advance

    def held_open(**kwargs):  # the first write holds the row, uncommitted, until released
        token = advance(**kwargs)
        if threading.current_thread().name == "first":
            advanced.set()
            assert release.wait(10)
        return token

    monkeypatch.setattr(register_state, "advance", held_open)
    errors = []

    def write(pk: str, code: str) -> None:
        try:
            recode(pk, code)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=write, args=("first", "DE"), name="first")
    second = threading.Thread(target=write, args=("second", "FR"), name="second")
    first.start()
    assert advanced.wait(10)
    second.start()  # changes its party, then waits for the row the first write holds
    time.sleep(0.5)
    release.set()
    first.join(10)
    second.join(10)
    assert not errors
    names = party_names()  # as stored by the write that stored last
    assert names.resolve("DE") == "first"
    assert names.resolve("FR") == "second"
