"""What every importer shares, whatever it imports: the error that refuses a file before
anything is written, the summary of what an import did, and the command that runs one.

The rest of the toolkit sits where its models are: sources.importing (the file, its Source,
the citations) and treaties.importing (country codes to parties).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.progress import progress_bar

Parsed = TypeVar("Parsed")


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
    for line in summary.lines():
        command.stdout.write(line)
    for conflict in summary.conflicts:
        command.stdout.write(command.style.WARNING(f"conflict: {conflict}"))
    return summary
