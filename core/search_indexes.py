"""Trigram indexes for `q`, the case-insensitive substring search (PostgreSQL only).

`q` compiles to ``UPPER(column::text) LIKE UPPER('%term%')``; a GIN index of pg_trgm
trigrams over that same expression answers it without reading every row. SQLite has no such
index and scans the column (it is the embedded default, not the database that scales).
"""

from __future__ import annotations

from django.db import migrations


class TrigramIndexes(migrations.operations.base.Operation):
    """Create (and on reversal drop) trigram indexes over UPPER(expression) on PostgreSQL;
    nothing on other databases. ``expressions`` maps an index name to its SQL expression."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, table: str, expressions: dict[str, str]):
        self.table, self.expressions = table, expressions

    def state_forwards(self, app_label, state) -> None:
        pass  # raw indexes: the models' state does not change

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, expression in self.expressions.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{self.table}" '
                f"USING gin (UPPER({expression}) gin_trgm_ops)"
            )
        # Statistics of the indexed expressions: without them the planner guesses that a
        # search matches 4% of the rows and prefers scanning the table to using the index.
        schema_editor.execute(f'ANALYZE "{self.table}"')

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in self.expressions:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def describe(self) -> str:
        return f"Trigram indexes for q on {self.table} (PostgreSQL)"

    def deconstruct(self):
        return (self.__class__.__name__, [self.table, self.expressions], {})


class SearchStatistics(TrigramIndexes):
    """Statistics over UPPER(expression), with no index, on PostgreSQL; nothing elsewhere.

    For a column `q` matches in most rows, an index would not help: the page is the first
    rows of the list's order that match, found quickly along that order's index, if the
    planner knows that most rows match. Without these statistics it guesses a few hundred
    (the change feed's `q=import`, 1.96M of 1.96M rows at 1M designations) and sorts every
    match instead (3 s for a page; 20 ms with them).
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, expression in self.expressions.items():
            schema_editor.execute(
                f'CREATE STATISTICS IF NOT EXISTS "{name}" ON (UPPER({expression})) '
                f'FROM "{self.table}"'
            )
        schema_editor.execute(f'ANALYZE "{self.table}"')

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in self.expressions:
            schema_editor.execute(f'DROP STATISTICS IF EXISTS "{name}"')

    def describe(self) -> str:
        return f"Statistics for q on {self.table} (PostgreSQL)"
