"""Import OFAC's legacy SDN list (sdn.csv) with its companion files."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand

from sanctions.importers.cli import run_list_import
from sanctions.importers.ofac import ofac_sdn_parse
from sanctions.importers.ofac_companions import FILES


class Command(BaseCommand):
    help = (
        "Import an OFAC SDN CSV with the companion files beside it (alt.csv, add.csv, "
        "sdn_comments.csv), all or nothing; re-import updates. One regime per program."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The sdn.csv file.")
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help="The list's date (YYYY-MM-DD) when neither the file's nor its folder's name has one.",
        )
        for key, (name, _, _) in FILES.items():
            parser.add_argument(
                f"--{key}", type=Path, help=f"The {name} to read (default: the one beside sdn.csv)."
            )
        parser.add_argument(
            "--without",
            choices=sorted(FILES),
            action="append",
            default=[],
            help="Leave out this companion file even if it is beside sdn.csv (repeatable).",
        )

    def handle(self, *args, path: Path, date=None, without=(), **options):
        companions = {key: options[key] for key in FILES if options.get(key)}
        companions |= dict.fromkeys(without)
        run_list_import(
            self,
            lambda: ofac_sdn_parse(path, generated_on=date, companions=companions),
            label=path.name,
        )
