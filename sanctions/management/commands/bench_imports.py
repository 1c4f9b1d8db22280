"""Benchmark the list importers on the full official files: records per second, peak memory.

Run it against a throwaway database (`make bench DATA=../shared/data` does).
"""

import resource
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import

UN_FILES = ["un/un_consolidated_2020-11-30.xml", "un/un_consolidated_2025-04-19.xml"]


class Command(BaseCommand):
    help = "Import the full UN lists from DATA into the configured (throwaway) database and print figures."

    def add_arguments(self, parser):
        parser.add_argument("data", type=Path, help="Folder holding un/ (e.g. ../shared/data).")

    def handle(self, *args, data: Path, **options):
        missing = [name for name in UN_FILES if not (data / name).is_file()]
        if missing:
            raise CommandError(f"{data}: missing {', '.join(missing)}")
        call_command("load_records", verbosity=0, stdout=self.stdout._out)
        self.stdout.write(
            f"{'file':40} {'records':>8} {'parse s':>8} {'write s':>8} {'records/s':>10}"
        )
        for name in [*UN_FILES, UN_FILES[-1]]:  # the last again: a re-import that changes nothing
            started = time.perf_counter()
            parsed = un_list_parse(data / name)
            parsed_at = time.perf_counter()
            official_list_import(parsed=parsed)
            done = time.perf_counter()
            count = len(parsed.records)
            self.stdout.write(
                f"{Path(name).name:40} {count:8d} {parsed_at - started:8.2f} {done - parsed_at:8.2f} {count / (done - started):10.0f}"
            )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak memory (max RSS): {peak_mb:.0f} MB")
