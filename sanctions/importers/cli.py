"""What the import commands share: progress on a terminal, the summary, exit codes."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from sanctions.importers.records import ImportFailure, OfficialList
from sanctions.importers.writer import OUTCOMES, ImportReport, official_list_import


def run_list_import(command: BaseCommand, parse: Callable[[], OfficialList]) -> ImportReport:
    """Parse, then write with a progress bar (on a terminal only), then print the summary."""
    try:
        parsed = parse()
    except ImportFailure as exc:
        raise CommandError(f"nothing was imported: {exc}") from None
    console = Console(file=command.stdout._out)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    ) as progress:
        task = progress.add_task(parsed.file_name, total=len(parsed.records))
        try:
            report = official_list_import(
                parsed=parsed, progress=lambda done: progress.update(task, completed=done)
            )
        except ImportFailure as exc:
            raise CommandError(f"nothing was imported: {exc}") from None
    command.stdout.write(
        f"{parsed.file_name} (generated {parsed.generated_on}) -> source {report.source_id}"
    )
    for key in sorted(report.counts):
        counts = report.counts[key]
        command.stdout.write(f"  {key}: " + ", ".join(f"{counts[o]} {o}" for o in OUTCOMES))
    command.stdout.write("total: " + ", ".join(f"{report.total(o)} {o}" for o in OUTCOMES))
    for conflict in report.conflicts:
        command.stdout.write(command.style.WARNING(f"conflict: {conflict}"))
    return report
