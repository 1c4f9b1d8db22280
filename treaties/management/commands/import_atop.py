"""Import ATOP alliance data (alliance-level and member-level CSV files)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from core.imports import import_run
from treaties.importers.atop import atop_import, atop_parse


class Command(BaseCommand):
    help = "Import ATOP v4.01 alliances: enrich treaties the register holds, add the others (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("alliance_csv", type=Path)
        parser.add_argument("member_csv", type=Path)

    def handle(self, *args, alliance_csv: Path, member_csv: Path, **options):
        import_run(
            self,
            label=alliance_csv.name,
            parse=lambda: atop_parse(alliance_csv, member_csv),
            size=lambda parsed: len(parsed[0]),
            write=lambda parsed, progress: atop_import(
                alliances=parsed[0], files=parsed[1], progress=progress
            ),
        )
