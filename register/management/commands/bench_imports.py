"""Benchmark the importers on the full official files: records per second, peak memory.

Run it against a throwaway database (`make bench DATA=../shared/data` does).
"""

import resource
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.imports import statistics_refresh
from sanctions.importers.ofac import ofac_sdn_parse
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from treaties.importers.atop import atop_import, atop_parse

UN_2020 = "un/un_consolidated_2020-11-30.xml"
UN_2025 = "un/un_consolidated_2025-04-19.xml"
SDN_2024 = "ofac/ofac_sdn_2024-05-03.csv"
ATOP = ("atop/atop_alliance_level.csv", "atop/atop_member_level.csv")


class Command(BaseCommand):
    help = "Import the full UN, OFAC SDN and ATOP files from DATA into the configured (throwaway) database."

    def add_arguments(self, parser):
        parser.add_argument(
            "data", type=Path, help="Folder holding un/, ofac/ and atop/ (e.g. ../shared/data)."
        )

    def handle(self, *args, data: Path, **options):
        missing = [
            name for name in (UN_2020, UN_2025, SDN_2024, *ATOP) if not (data / name).is_file()
        ]
        if missing:
            raise CommandError(f"{data}: missing {', '.join(missing)}")
        call_command("load_records", verbosity=0, stdout=self.stdout._out)
        self.stdout.write(
            f"{'step':48} {'records':>8} {'parse s':>8} {'write s':>8} {'records/s':>10} {'peak MB':>8}"
        )
        steps = [
            ("UN 2025-04-19, first import", lambda: un_list_parse(data / UN_2025), _write_list),
            (
                "OFAC SDN 2024-05-03, first import",
                lambda: ofac_sdn_parse(data / SDN_2024),
                _write_list,
            ),
            ("UN 2025-04-19 again (no change)", lambda: un_list_parse(data / UN_2025), _write_list),
            (
                "ATOP alliances, first import",
                lambda: atop_parse(data / ATOP[0], data / ATOP[1]),
                _write_atop,
            ),
        ]
        for label, parse, write in steps:
            started = time.perf_counter()
            parsed = parse()
            parsed_at = time.perf_counter()
            count = write(parsed)
            done = time.perf_counter()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"{label:48} {count:8d} {parsed_at - started:8.2f} {done - parsed_at:8.2f} "
                f"{count / (done - started):10.0f} {peak:8.0f}"
            )


def _write_list(parsed) -> int:
    official_list_import(parsed=parsed)
    statistics_refresh()  # as the import command does after its write
    return len(parsed.records)


def _write_atop(parsed) -> int:
    alliances, files = parsed
    atop_import(alliances=alliances, files=files)
    statistics_refresh()
    return len(alliances)
