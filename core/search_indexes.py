"""Trigram indexes for `q`, the case-insensitive substring search (PostgreSQL only).

`q` compiles to ``UPPER(column::text) LIKE UPPER('%term%')``; a GIN index of pg_trgm
trigrams over that same expression answers it without reading every row. SQLite has no such
index and scans the column (it is the embedded default, not the database that scales).
"""

from __future__ import annotations

from django.db import migrations


class _OverUpper(migrations.operations.base.Operation):
    """Create (and on reversal drop) database objects over UPPER(expression) of a table's
    columns on PostgreSQL, then analyse the table; nothing on other databases.
    ``expressions`` maps each object's name to its SQL expression."""

    reversible = True
    reduces_to_sql = False
    what = ""  # for describe()

    def __init__(self, table: str, expressions: dict[str, str]):
        self.table, self.expressions = table, expressions

    def create_sql(self, name: str, expression: str) -> str:
        raise NotImplementedError

    def drop_sql(self, name: str) -> str:
        raise NotImplementedError

    def prepare(self, schema_editor) -> None:
        """What the objects need first."""

    def state_forwards(self, app_label, state) -> None:
        pass  # raw SQL objects: the models' state does not change

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        self.prepare(schema_editor)
        for name, expression in self.expressions.items():
            schema_editor.execute(self.create_sql(name, expression))
        # Statistics of the expressions: without them the planner guesses how many rows a
        # search matches (4% of them, or a few hundred) and plans for that.
        schema_editor.execute(f'ANALYZE "{self.table}"')

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in self.expressions:
            schema_editor.execute(self.drop_sql(name))

    def describe(self) -> str:
        return f"{self.what} for q on {self.table} (PostgreSQL)"

    def deconstruct(self):
        return (self.__class__.__name__, [self.table, self.expressions], {})


class TrigramIndexes(_OverUpper):
    """GIN indexes of pg_trgm trigrams over UPPER(expression). Without the expressions'
    statistics (the ANALYZE after them) the planner guesses that a search matches 4% of the
    rows and prefers scanning the table to using the index."""

    what = "Trigram indexes"

    def prepare(self, schema_editor) -> None:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    def create_sql(self, name: str, expression: str) -> str:
        return (
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{self.table}" '
            f"USING gin (UPPER({expression}) gin_trgm_ops)"
        )

    def drop_sql(self, name: str) -> str:
        return f'DROP INDEX IF EXISTS "{name}"'


class SearchStatistics(_OverUpper):
    """Statistics over UPPER(expression), with no index.

    For a column `q` matches in most rows, an index would not help: the page is the first
    rows of the list's order that match, found quickly along that order's index, if the
    planner knows that most rows match. Without these statistics it guesses a few hundred
    (the change feed's `q=import`, 1.96M of 1.96M rows at 1M designations) and sorts every
    match instead (3 s for a page; 20 ms with them).
    """

    what = "Statistics"

    def create_sql(self, name: str, expression: str) -> str:
        return (
            f'CREATE STATISTICS IF NOT EXISTS "{name}" ON (UPPER({expression})) FROM "{self.table}"'
        )

    def drop_sql(self, name: str) -> str:
        return f'DROP STATISTICS IF EXISTS "{name}"'
