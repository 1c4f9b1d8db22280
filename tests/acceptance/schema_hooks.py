"""Schemathesis hooks shared by the schema test and `make fuzz` (SCHEMATHESIS_HOOKS).

A `cursor` is a token only the API makes (from a list's `next` link), and it cannot be given
with `offset`: no schema can say either, so a generated value would be refused as rightly
as a malformed one. Generated requests that use cursor paging start it (an empty cursor)
without an offset; malformed cursors are tested by name in test_cursor_paging.py.
"""

import schemathesis


def start_cursor_paging(query: dict | None) -> dict | None:
    """The query with any generated cursor replaced by an empty one, and no offset beside it."""
    if query and "cursor" in query:
        query = {**query, "cursor": ""}
        query.pop("offset", None)
    return query


@schemathesis.hook
def map_query(ctx, query):
    return start_cursor_paging(query)
