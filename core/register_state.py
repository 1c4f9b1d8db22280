"""The register's version: a token that every write replaces, in the write's own transaction.

Caches of public reads (exact counts, whole responses: core.api.read_cache) are keyed by it.
Replacing it inside the write's transaction makes the new version visible exactly when the
write's data is: a reader that sees the new token also sees the data, and a reader that sees
the old one may cache what it read under the old token, which nobody asks for again. A random
token (not a counter) also names the state after a rollback correctly: the old token comes
back with the old data.

Every change-feed row marks the register changed (core.history): once at the end of the
outermost change_reason block, or at once for a write outside one.

On PostgreSQL a write also announces its new version (NOTIFY, delivered when and only when it
commits), and each web process listens (``heard``): the cache of whole public reads
(core.api.read_cache) keys by the version heard, so a cached answer costs no query at all.

The same row holds the register's names (``Names``: what filters resolve party and regime
references from), rewritten by each write that changes a record they are read from, in its
transaction. The read of the version brings them along when, and only when, they differ from
what this process holds, so resolving a name costs no query of its own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, NamedTuple, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.models import RegisterState

logger = logging.getLogger(__name__)
_TABLE = RegisterState._meta.db_table
ROW = 1
CHANNEL = "register_version"  # PostgreSQL NOTIFY channel: the payload is the new version
LISTENER_NAME = "register-version-listener"  # its connection's application_name
T = TypeVar("T")


# A read-only request (GET, HEAD, OPTIONS) reads the version once and keys everything it
# caches by that reading: the read cache, list counts, citation counts, screening key counts.
# What it then reads of the data is at least as new as that version, which is all those
# caches need (see the module docstring). Writes read it afresh each time.
_read_this_request: ContextVar[str | None] = ContextVar("register_version", default=None)
_reading_once: ContextVar[bool] = ContextVar("register_version_once", default=False)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _HeldNames(NamedTuple):
    """The names as of one write that changed them (``version``: that write's version; empty
    for a row no such write has filled), built, by ``Names`` key."""

    version: str
    values: dict[str, Any]


_NONE_HELD = _HeldNames("", {})
# What this process holds: replaced whole (never changed in place) by a read that brings
# newer names, so a thread that took it keeps a consistent one.
_held_names: _HeldNames = _NONE_HELD
# The names the latest read of the version found current: a read-only request's, for all of it.
_names_read: ContextVar[_HeldNames | None] = ContextVar("register_names", default=None)


def _request_started(sender, environ=None, **kwargs) -> None:
    _read_this_request.set(None)
    _reading_once.set((environ or {}).get("REQUEST_METHOD") in SAFE_METHODS)
    _names_read.set(None)


def _request_finished(sender, **kwargs) -> None:
    _read_this_request.set(None)
    _reading_once.set(False)
    _names_read.set(None)


request_started.connect(_request_started, dispatch_uid="register_state_started")
request_finished.connect(_request_finished, dispatch_uid="register_state_finished")


def version() -> str:
    """The current version (one indexed read of one row; once per read-only request).

    Often the first query of a request: with CONN_HEALTH_CHECKS it then stands in for
    Django's health check (a separate ``SELECT 1`` round trip). A connection that fails it
    is closed and the read made once more on a new one, which is what the check would do."""
    known = _read_this_request.get()
    if known is not None:
        return known
    if (
        connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
    ):
        connection.health_check_done = True
        try:
            return _remember(_read())
        except DatabaseError:
            connection.close()
    return _remember(_read())


def _remember(token: str) -> str:
    if _reading_once.get():
        _read_this_request.set(token)
    return token


_SELECT = f'SELECT "version" FROM "{_TABLE}" WHERE id = {ROW}'
# The names only where they differ from the ones held (the parameter: their version).
_SELECT_WITH_NAMES = (
    f'SELECT "version", "names_version", '
    f'CASE WHEN "names_version" = %s THEN NULL ELSE "names" END FROM "{_TABLE}" WHERE id = {ROW}'
)


def _read() -> str:
    """The version; the names current with it are then ``_names_read``'s."""
    global _held_names
    held = _held_names
    with connection.cursor() as cursor:
        cursor.execute(_SELECT_WITH_NAMES, [held.version])
        row = cursor.fetchone()
    if row is None:
        _names_read.set(_NONE_HELD)
        return ""
    token, names_version, text = row
    if text is not None:  # other names than the ones held
        held = _HeldNames(names_version, Names.build_all(text)) if text else _NONE_HELD
        _held_names = held
    _names_read.set(held)
    return token


def advance(*, names: bool = False) -> str:
    """Replace the version (inside the caller's transaction, if any) and return the new one;
    on PostgreSQL, announce it to the listening processes when the transaction commits.
    ``names``: the write changed a record the names are read from; they are read again
    (inside the write, so they include it) and stored under the new version."""
    token = secrets.token_hex(8)
    state = RegisterState.objects.filter(pk=ROW)
    if not state.update(version=token, changed_at=timezone.now()):
        RegisterState.objects.create(pk=ROW, version=token, changed_at=timezone.now())
    if names:
        # Read only now that this write holds the row: a concurrent write that changed other
        # names and advanced first has committed (the update above waited for it), so this
        # statement sees its changes (READ COMMITTED), and one that advances later reads
        # these. Read before, they could be stored over that write's.
        state.update(names_version=token, names=Names.rows_all())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, token])
        # This process knows at once: its next read sees its own write.
        transaction.on_commit(lambda: _listener.known(token))
    return token


class _Listener:
    """This process's knowledge of the version, kept by a thread that LISTENs for writes'
    announcements on its own connection (one per process, started by the first ``heard``).

    It listens before it reads the version, so no write is missed between the two; a
    notification is delivered only when its write commits, and in commit order. While the
    connection is down (or not yet up) the version is unknown here and ``heard`` returns None:
    callers then read the database, as without a listener. Every ``HEARTBEAT`` seconds
    without an announcement it reads the version again, which notices a dead connection."""

    HEARTBEAT = 10.0
    RETRY = 1.0

    def __init__(self) -> None:
        self.token: str | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def heard(self) -> str | None:
        if self._pid != os.getpid():  # first use in this process (a gunicorn worker is forked)
            self._start()
        return self.token

    def known(self, token: str) -> None:
        """A write of this process committed ``token``: no need to wait for its announcement
        (while listening; otherwise the database is read anyway)."""
        if self._pid == os.getpid() and self.token is not None:
            self.token = token

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid, self.token = os.getpid(), None
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name="register-version-listener", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """End the thread and forget the version (tests; a process that exits needs nothing)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._pid = self._thread = self.token = None

    def _run(self) -> None:
        import psycopg  # PostgreSQL only

        params = connection.get_connection_params()
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    **params, autocommit=True, application_name=LISTENER_NAME
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._listen(conn)
            except Exception:  # the database went away, or a network fault: read it meanwhile
                self.token = None
                logger.warning("register version listener: connection lost", exc_info=True)
                self._stop.wait(self.RETRY)
        self.token = None

    def _listen(self, conn) -> None:
        self.token = self._select(conn)
        quiet_since = time.monotonic()
        while not self._stop.is_set():
            for notice in conn.notifies(timeout=min(1.0, self.HEARTBEAT)):
                self.token, quiet_since = notice.payload, time.monotonic()
            if time.monotonic() - quiet_since >= self.HEARTBEAT:
                self.token, quiet_since = self._select(conn), time.monotonic()

    @staticmethod
    def _select(conn) -> str:
        row = conn.execute(_SELECT).fetchone()
        return row[0] if row else ""


_listener = _Listener()


def heard() -> str | None:
    """The version as this process last heard it announced, with no query: at most the few
    milliseconds an announcement takes behind the database. None where nothing listens
    (SQLite, VERSION_LISTEN=0) or while the listener's connection is down."""
    if not settings.VERSION_LISTEN or connection.vendor != "postgresql":
        return None
    return _listener.heard()


_writing: ContextVar[bool] = ContextVar("register_writing", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Marks a write's transaction (core.history.change_reason): inside it ``kept`` computes
    afresh and keeps nothing. The version moves only when the write ends, so what was kept
    under the old one would hold the write's rows, and after a rollback the old version is
    the current one again."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def shape(kind: type) -> str:
    """A short tag of a kept value's class, from its fields and their types (e.g. of a
    NamedTuple) and the ``COLUMNS`` of the rows it is built from, if any, for its key: a
    release that changes them does not unpickle (or build from) what an older one kept."""
    described = repr((kind.__annotations__, getattr(kind, "COLUMNS", None)))
    return hashlib.sha256(described.encode()).hexdigest()[:8]


def kept(key: str, compute: Callable[[], T], seconds: int) -> T:
    """``compute()``, kept in the default cache under ``key`` for the current version: computed
    again after the next write, or after ``seconds`` (which bound what a write that bypasses
    the services, raw SQL, can leave stale). ``compute`` must not return None. Put in ``key``
    whatever the value's shape depends on: a new release reads the values an older one kept."""
    if _writing.get():
        return compute()
    versioned = f"{key}:{version()}"
    value = cache.get(versioned)
    if value is None:
        value = compute()
        cache.set(versioned, value, seconds)
    return value


# Bounds how long names are kept in the default cache where the row holds none (a database
# no write has touched since an upgrade; see Names.get).
NAMES_SECONDS = 300


class Names(Generic[T]):
    """A kind of names that reads resolve references from (a few hundred rows: the published
    parties' ids and codes, say), kept with the register's version in its row.

    ``rows()`` reads them (one query, JSON-able rows) and ``build(rows)`` makes the value that
    readers use. A write that changes a record of one of ``models`` reads the rows of every
    kind again, inside its transaction, and stores them with its new version (``advance``);
    each process builds them once per such write, when its read of the version brings them.
    Created when the app is ready, so that a write knows them. Put in ``key`` whatever the
    rows' shape depends on: a new release ignores what an older one stored under another key
    (the names are then kept per version in the default cache, as ``kept``, until a write
    changes them or ``manage.py store_names`` stores them)."""

    _all: dict[str, Names] = {}
    _models: set[type] = set()

    def __init__(
        self,
        key: str,
        *,
        rows: Callable[[], list],
        build: Callable[[list], T],
        models: tuple[type, ...],
    ) -> None:
        self.key, self.rows, self.build = key, rows, build
        Names._all[key] = self
        Names._models.update(models)

    def read(self) -> T:
        """Built from the database (one query)."""
        return self.build(self.rows())

    def get(self) -> T:
        """As of the current version (the request's reading, for a read-only request), with
        no query beyond that reading; inside a write, read afresh (they include the write)."""
        if _writing.get():
            return self.read()
        version()
        held = _names_read.get() or _NONE_HELD
        value = held.values.get(self.key)
        if value is None:  # not stored under this key yet: kept in the cache per version
            value = kept(self.key, self.read, NAMES_SECONDS)
        return value

    @classmethod
    def moved_by(cls, model: type) -> bool:
        """Whether a change of a ``model`` record changes the names."""
        return model._meta.concrete_model in cls._models

    @classmethod
    def rows_all(cls) -> str:
        """Every kind's rows, as stored in the register's row (JSON)."""
        return json.dumps({key: names.rows() for key, names in cls._all.items()})

    @classmethod
    def build_all(cls, text: str) -> dict[str, Any]:
        """Every kind the stored rows hold under its current key, built."""
        stored = json.loads(text)
        return {key: names.build(stored[key]) for key, names in cls._all.items() if key in stored}


def refresh_names() -> None:
    """Store the names read now with a new version (``manage.py store_names``: after writes
    that bypassed the services, or an upgrade that changed a key): one write."""
    with transaction.atomic():
        advance(names=True)
