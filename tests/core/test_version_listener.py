"""Each web process hears writes announce the register version (core/register_state.py), so a
read answered from the cache costs no query; what it hears is what the database committed.

PostgreSQL only (SQLite has no LISTEN/NOTIFY: there the read cache queries the version, which
tests/acceptance/test_read_cache.py covers). The writes here commit (transaction=True): a
write in a test's rolled-back transaction is never announced.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import register_state
from core.history import change_reason
from treaties.models import Party
from treaties.services import party_write

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's; SQLite reads"
    ),
]
PATH = "/api/v1/parties/north-korea/"


@pytest.fixture
def listening(settings, seeded):
    settings.VERSION_LISTEN = True
    yield
    register_state._listener.stop()


def heard_when(expected: str, seconds: float = 5.0) -> str | None:
    """What the process has heard once it hears ``expected`` (or after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while register_state.heard() != expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return register_state.heard()


def rename(name: str) -> None:
    party = Party.objects.get(pk="north-korea")
    party.name = name
    with change_reason("renamed"):
        party_write(party=party)


def test_a_committed_write_is_heard(listening):
    before = register_state._read()
    assert heard_when(before) == before
    rename("North Korea (DPRK)")
    after = register_state._read()
    assert after != before
    assert heard_when(after) == after


def test_the_writing_process_knows_its_own_write_at_once(settings, seeded):
    # A listener that has heard "old" and hears nothing more (no thread runs here).
    settings.VERSION_LISTEN = True
    listener = register_state._listener
    listener._pid, listener.token = os.getpid(), "old"
    try:
        rename("North Korea (DPRK)")
        assert register_state.heard() == register_state._read() != "old"
    finally:
        listener.stop()


def test_a_write_rolled_back_is_not_announced(listening):
    before = register_state._read()
    assert heard_when(before) == before
    with pytest.raises(RuntimeError), transaction.atomic():
        rename("Never saved")
        raise RuntimeError("the write fails after its change")
    time.sleep(0.5)  # what a notification would take, many times over
    assert register_state.heard() == register_state._read() == before


def test_a_cached_read_costs_no_query_and_the_next_write_is_served(listening, api_client):
    assert heard_when(register_state._read()) is not None
    first = api_client.get(PATH)
    with CaptureQueriesContext(connection) as captured:
        again = api_client.get(PATH)
    assert again.content == first.content
    assert len(captured) == 0
    rename("North Korea (DPRK)")
    heard_when(register_state._read())
    assert api_client.get(PATH).json()["name"] == "North Korea (DPRK)"


def test_while_its_connection_is_down_the_version_is_read(listening, api_client, monkeypatch):
    monkeypatch.setattr(register_state._Listener, "RETRY", 5.0)  # down long enough to look
    assert heard_when(register_state._read()) is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [register_state.LISTENER_NAME],
        )
        assert cursor.fetchone() is not None
    assert heard_when(None) is None
    api_client.get(PATH)
    with CaptureQueriesContext(connection) as captured:
        api_client.get(PATH)
    # one query: the read of the version (which brings the names where they changed)
    assert [register_state._TABLE in q["sql"] for q in captured] == [True]
    # It connects again and catches up with a write made meanwhile.
    rename("North Korea (DPRK)")
    after = register_state._read()
    assert heard_when(after, seconds=15) == after
