"""Import OFAC's legacy SDN list (sdn.csv)."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand

from sanctions.importers.cli import run_list_import
from sanctions.importers.ofac import ofac_sdn_parse


class Command(BaseCommand):
    help = "Import an OFAC SDN CSV (all or nothing; re-import updates). One regime per program."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The sdn.csv file.")
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help="The list's date (YYYY-MM-DD) when the file name has none.",
        )

    def handle(self, *args, path: Path, date=None, **options):
        run_list_import(self, lambda: ofac_sdn_parse(path, generated_on=date), label=path.name)
