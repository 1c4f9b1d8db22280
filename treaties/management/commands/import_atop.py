"""Import ATOP alliance data (alliance-level and member-level CSV files)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.imports import ImportFailure
from core.progress import progress_bar
from treaties.importers.atop import atop_import, atop_parse


class Command(BaseCommand):
    help = "Import ATOP v4.01 alliances: enrich treaties the register holds, add the others (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("alliance_csv", type=Path)
        parser.add_argument("member_csv", type=Path)

    def handle(self, *args, alliance_csv: Path, member_csv: Path, **options):
        try:
            alliances, files = atop_parse(alliance_csv, member_csv)
            with progress_bar(self, alliance_csv.name, len(alliances)) as progress:
                task = progress.task_ids[0]
                report = atop_import(
                    alliances=alliances,
                    files=files,
                    progress=lambda done: progress.update(task, completed=done),
                )
        except ImportFailure as exc:
            raise CommandError(f"nothing was imported: {exc}") from None
        self.stdout.write(
            f"{len(alliances)} alliances: {report.added} added, {report.enriched} enriched, {report.unchanged} unchanged"
        )
        for conflict in report.conflicts:
            self.stdout.write(self.style.WARNING(f"conflict: {conflict}"))
