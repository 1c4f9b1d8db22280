"""The register's version: a token that every write replaces, in the write's own transaction.

Caches of public reads (exact counts, whole responses: core.api.read_cache) are keyed by it.
Replacing it inside the write's transaction makes the new version visible exactly when the
write's data is: a reader that sees the new token also sees the data, and a reader that sees
the old one may cache what it read under the old token, which nobody asks for again. A random
token (not a counter) also names the state after a rollback correctly: the old token comes
back with the old data.

Every change-feed row marks the register changed (core.history): once at the end of the
outermost change_reason block, or at once for a write outside one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection
from django.utils import timezone

from core.models import RegisterState

_TABLE = RegisterState._meta.db_table
ROW = 1
T = TypeVar("T")


# A read-only request (GET, HEAD, OPTIONS) reads the version once and keys everything it
# caches by that reading: the read cache, list counts, citation counts, screening key counts.
# What it then reads of the data is at least as new as that version, which is all those
# caches need (see the module docstring). Writes read it afresh each time.
_read_this_request: ContextVar[str | None] = ContextVar("register_version", default=None)
_reading_once: ContextVar[bool] = ContextVar("register_version_once", default=False)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _request_started(sender, environ=None, **kwargs) -> None:
    _read_this_request.set(None)
    _reading_once.set((environ or {}).get("REQUEST_METHOD") in SAFE_METHODS)


def _request_finished(sender, **kwargs) -> None:
    _read_this_request.set(None)
    _reading_once.set(False)


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


def _read() -> str:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('version')} FROM {quote(_TABLE)} WHERE id = %s", [ROW])
        row = cursor.fetchone()
    return row[0] if row else ""


def advance() -> str:
    """Replace the version (inside the caller's transaction, if any) and return the new one."""
    token = secrets.token_hex(8)
    updated = RegisterState.objects.filter(pk=ROW).update(version=token, changed_at=timezone.now())
    if not updated:
        RegisterState.objects.create(pk=ROW, version=token, changed_at=timezone.now())
    return token


def kept(key: str, compute: Callable[[], T], seconds: int) -> T:
    """``compute()``, kept in the default cache under ``key`` for the current version: computed
    again after the next write, or after ``seconds`` (which bound what a write that bypasses
    the services, raw SQL, can leave stale). ``compute`` must not return None."""
    versioned = f"{key}:{version()}"
    value = cache.get(versioned)
    if value is None:
        value = compute()
        cache.set(versioned, value, seconds)
    return value
