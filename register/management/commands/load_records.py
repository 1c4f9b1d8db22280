"""Load the curated, article-derived records in fixtures/ (all or nothing, idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.fixture_files import RecordError
from register.services import records_load


class Command(BaseCommand):
    help = "Load fixtures/ into the database atomically; running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", type=Path, help="Folder of fixture files (default: fixtures/)."
        )
        parser.add_argument(
            "--seeds", type=Path, help="Folder of the cited articles (default: seeds/)."
        )

    def handle(self, *args, fixtures=None, seeds=None, **options):
        try:
            report = records_load(fixtures_dir=fixtures, seeds_dir=seeds)
        except RecordError as exc:
            raise CommandError(f"nothing was loaded: {exc}") from None
        for kind, seen in report.seen.items():
            self.stdout.write(
                f"{kind}: {len(seen)} records, {report.changed[kind]} added or changed"
            )
        for note in report.kept:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(self.style.SUCCESS("records loaded"))
