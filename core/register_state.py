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

from django.db import DatabaseError, connection
from django.utils import timezone

from core.models import RegisterState

_TABLE = RegisterState._meta.db_table
ROW = 1


def version() -> str:
    """The current version (one indexed read of one row).

    Often the first query of a request: with CONN_HEALTH_CHECKS it then stands in for
    Django's health check (a separate ``SELECT 1`` round trip). A connection that fails it
    is closed and the read made once more on a new one, which is what the check would do."""
    if (
        connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
    ):
        connection.health_check_done = True
        try:
            return _read()
        except DatabaseError:
            connection.close()
    return _read()


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
