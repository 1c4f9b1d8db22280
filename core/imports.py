"""What every importer shares, whatever it imports: the error that refuses a file before
anything is written, the one safe way to read an official list's XML, the summary of what an
import did, and the command that runs one.

The rest of the toolkit sits where its models are: sources.importing (the file, its Source,
the citations) and treaties.importing (country codes to parties).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from lxml import etree

from core.progress import progress_bar

Parsed = TypeVar("Parsed")
logger = logging.getLogger(__name__)


class ImportFailure(Exception):
    """The file cannot be imported; the message names the file, the line or record, the problem."""

    def __init__(self, file: str, where: str | None, problem: str) -> None:
        self.file, self.where, self.problem = file, where, problem
        super().__init__(f"{file}: {where}: {problem}" if where else f"{file}: {problem}")

    @classmethod
    def refusal(cls, file: str, record: str, error: ValidationError) -> ImportFailure:
        """A service's refusal (a ValidationError keyed by field) of one record of the file."""
        field, messages = next(iter(error.message_dict.items()))
        where = f"record {record}"
        if field != NON_FIELD_ERRORS:
            where += f", field {field.removesuffix('_precision')}"
        return cls(file, where, " ".join(messages))


@dataclass
class ImportSummary:
    """What an import did: a count per outcome (e.g. added, updated), optionally per group
    (e.g. a regime key), and the conflicts it left for a curator."""

    outcomes: tuple[str, ...]
    heading: str = ""
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    conflicts: list[str] = field(default_factory=list)

    def count(self, outcome: str, groups: Iterable[str] = ("",)) -> None:
        for group in groups:
            self.counts[group][outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    def lines(self) -> list[str]:
        """The summary as printed: the heading with the totals, or one line per group."""
        totals = ", ".join(f"{self.total(o)} {o}" for o in self.outcomes)
        groups = sorted(group for group in self.counts if group)
        if not groups:
            return [f"{self.heading}: {totals}"]
        per_group = [
            f"  {g}: " + ", ".join(f"{self.counts[g][o]} {o}" for o in self.outcomes)
            for g in groups
        ]
        return [self.heading, *per_group, f"total: {totals}"]


def import_run(
    command: BaseCommand,
    *,
    label: str,
    parse: Callable[[], Parsed],
    size: Callable[[Parsed], int],
    write: Callable[[Parsed, Callable[[int], None]], ImportSummary],
) -> ImportSummary:
    """Run an import command: parse, write with a progress bar of ``size(parsed)`` steps (on
    a terminal only), print the summary and conflicts. An ImportFailure becomes a
    CommandError ("nothing was imported: ..."), so the command exits non-zero."""
    try:
        parsed = parse()
        with progress_bar(command, label, size(parsed)) as progress:
            task = progress.task_ids[0]
            summary = write(parsed, lambda done: progress.update(task, completed=done))
    except ImportFailure as exc:
        raise CommandError(f"nothing was imported: {exc}") from None
    except ValidationError as exc:  # a record service refused a record the file describes
        field, messages = next(iter(exc.message_dict.items()))
        named = "" if field == NON_FIELD_ERRORS else f"field {field}: "
        raise CommandError(f"nothing was imported: {label}: {named}{' '.join(messages)}") from None
    for line in summary.lines():
        command.stdout.write(line)
    for conflict in summary.conflicts:
        command.stdout.write(command.style.WARNING(f"conflict: {conflict}"))
    statistics_refresh()
    return summary


# Tables changed enough since their last ANALYZE that autovacuum would analyse them (its own
# threshold: autovacuum_analyze_threshold + autovacuum_analyze_scale_factor * rows), or never
# analysed and holding rows.
_STALE_STATISTICS_SQL = """
SELECT format('%I.%I', s.schemaname, s.relname)
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float
        + current_setting('autovacuum_analyze_scale_factor')::float * greatest(c.reltuples, 0)
   OR (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL AND s.n_live_tup > 0)
ORDER BY 1
"""


def statistics_refresh() -> list[str]:
    """ANALYZE the tables an import has changed enough (PostgreSQL; elsewhere nothing):
    their names, in order.

    The planner's choices rest on its statistics; right after a bulk import they describe the
    tables as they were before it (at worst empty), until autovacuum catches up, which may be
    minutes, or never where it is off. The change feed's `q=import` over 75,146 changes ran in
    596 ms on statistics taken when the table was empty, and in 83 ms after ANALYZE. The
    import has committed: the counters read here are its own, flushed first."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return []  # inside a transaction (a test's) the counters do not hold its writes yet
    try:
        with connection.cursor() as cursor:
            # At the next idle, i.e. now. Before 15 there is no way to ask: the counters may
            # lag the commit, and a table they miss is left to autovacuum.
            if connection.pg_version >= 150000:
                cursor.execute("SELECT pg_stat_force_next_flush()")
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(_STALE_STATISTICS_SQL)
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
    except DatabaseError:
        # The import has committed: statistics are autovacuum's to bring up to date, and
        # no reason to report a good import as failed.
        logger.warning("statistics after the import not refreshed", exc_info=True)
        return []
    return tables


# Only used to word the refusal; the refusal itself comes from the parser's doctype event.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s+(SYSTEM|PUBLIC)?")
_SUBSET_END = re.compile(rb"\]\s*>")
_NEWLINE = b"\n"
_REFUSED = "refused, official lists carry no DOCTYPE or entity declarations"


def xml_parse(data: bytes, *, file: str) -> etree._Element:
    """The root element of an official list's XML; raise ImportFailure for a file with a
    DOCTYPE (external entities, entity expansion) or that is not well-formed XML.

    The DOCTYPE is refused before the tree is built, and the parser never resolves entities,
    loads a DTD or touches the network, so nothing the file declares is ever expanded.
    """
    if _has_doctype(data):
        raise _doctype_refusal(data, file)
    root = _parse(data, file)
    if root.getroottree().docinfo.internalDTD is not None:  # in case the first pass missed it
        raise _doctype_refusal(data, file)
    return root


class _Prolog:
    """A parser target that stops at the first DOCTYPE or element, whichever comes first."""

    class Stop(Exception):
        pass

    doctype_seen = False

    def doctype(self, name, public_id, system_url):
        self.doctype_seen = True
        raise self.Stop

    def start(self, tag, attrib, nsmap=None):
        raise self.Stop

    def close(self):
        return None


def _has_doctype(data: bytes) -> bool:
    prolog = _Prolog()
    # A syntax error is left to the full parse, which reports it with its line.
    with contextlib.suppress(_Prolog.Stop, etree.XMLSyntaxError):
        etree.fromstring(data, _parser(target=prolog))
    return prolog.doctype_seen


def _parser(**options) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=True,
        **options,
    )


def _parse(data: bytes, file: str) -> etree._Element:
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise ImportFailure(
            file, f"line {line}" if line else None, f"not well-formed XML ({exc.msg})"
        ) from None


def _doctype_refusal(data: bytes, file: str) -> ImportFailure:
    start = data.find(b"<!DOCTYPE")
    if start < 0:  # e.g. UTF-16 text: the parser saw a DOCTYPE these bytes do not spell
        return ImportFailure(file, None, f"the file has a DOCTYPE declaration: {_REFUSED}")
    where = f"line {data.count(_NEWLINE, 0, start) + 1}"
    # Entities are declared only in an internal subset: "[" before the DOCTYPE's first ">".
    first_close = data.find(b">", start)
    opening = data.find(b"[", start, first_close)
    closing = _SUBSET_END.search(data, opening) if opening >= 0 else None
    declarations = _ENTITY_DECLARATION.findall(data, start, closing.end()) if closing else []
    external = [name.decode(errors="replace") for _, name, kind in declarations if kind]
    internal = [name.decode(errors="replace") for _, name, kind in declarations if not kind]
    if external:
        problem = f"the DOCTYPE declares an external entity ({', '.join(external)})"
    elif internal:
        problem = (
            f"the DOCTYPE declares internal entities ({', '.join(internal)}), "
            "whose expansion could grow without bound"
        )
    else:
        problem = "the file has a DOCTYPE declaration"
    return ImportFailure(file, where, f"{problem}: {_REFUSED}")
