"""What the import commands share: progress on a terminal, the summary, exit codes."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from core.progress import progress_bar
from sanctions.importers.records import ImportFailure, OfficialList
from sanctions.importers.writer import OUTCOMES, ImportReport, official_list_import


def run_list_import(command: BaseCommand, parse: Callable[[], OfficialList]) -> ImportReport:
    """Parse, then write with a progress bar (on a terminal only), then print the summary."""
    try:
        parsed = parse()
    except ImportFailure as exc:
        raise CommandError(f"nothing was imported: {exc}") from None
    with progress_bar(command, parsed.file_name, len(parsed.records)) as progress:
        task = progress.task_ids[0]
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
