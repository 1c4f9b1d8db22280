"""The API read benchmark's requests: checked in process (status, SQL queries), or explained.

`scripts/bench_api.py` (`make bench-api`) reads `--json` to know what to time with wrk;
`--explain` prints EXPLAIN (ANALYZE, BUFFERS) of each request's slowest queries (PostgreSQL).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from register.benchmark import probe_check, probe_explain, probes_plan


class Command(BaseCommand):
    help = "Check every request of the API read benchmark in process: status and SQL queries."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json",
            dest="json_path",
            type=Path,
            help="Write one JSON object per request to this file (the log stays on stdout).",
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="EXPLAIN (ANALYZE, BUFFERS) the slowest queries of each list request.",
        )
        parser.add_argument(
            "--explain-min-ms",
            type=float,
            default=5.0,
            help="Explain only queries that took at least this long (default 5).",
        )
        parser.add_argument(
            "--only", default="", help="Only requests whose path contains this text."
        )

    def handle(
        self,
        *args,
        json_path: Path | None,
        explain: bool,
        explain_min_ms: float,
        only: str,
        **options,
    ):
        if explain and connection.vendor != "postgresql":
            raise CommandError("--explain needs PostgreSQL")
        checked_all = []
        for probe in probes_plan():
            if only not in probe.path and probe.group != "floor":
                continue
            checked = probe_check(probe)
            checked_all.append(checked.as_json())
            first = checked.first_queries
            first = "" if first is None else f" (first read {first})"
            self.stdout.write(
                f"{checked.status} {checked.queries:3d} queries{first} {checked.ms:8.1f} ms "
                f"count={checked.count} {probe.path}"
            )
            if explain and probe.group not in ("floor", "detail", "conditional"):
                for line in probe_explain(checked, at_least_ms=explain_min_ms):
                    self.stdout.write(f"    {line}")
        if json_path:
            json_path.write_text("".join(json.dumps(c, default=str) + "\n" for c in checked_all))
