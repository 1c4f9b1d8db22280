"""Evaluate screening on the official lists: recall, false positives and latency of the
matcher and of a naive baseline (`make bench-match`, docs/matching.md).

Run it against a throwaway database: it imports the UN list of 2025-04-19 and the OFAC SDN
file of 2024-05-03 from DATA unless the database already holds them (a 1M-designation
benchmark database made from them, for one), then queries it.
"""

import gc
import random
import resource
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.names import name_compare
from core.visibility import public_q
from register import matching_bench as bench
from sanctions.importers.ofac import ofac_sdn_parse
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation, DesignationAlias

UN_2025 = "un/un_consolidated_2025-04-19.xml"
SDN_2024 = "ofac/ofac_sdn_2024-05-03.csv"
HEADER = f"{'method':28} {'recall@1':>9} {'recall@5':>9} {'FP rate':>9} {'p50 ms':>8} {'p95 ms':>8}"


class Command(BaseCommand):
    help = "Screening evaluation: recall@1/@5, false positives and latency, ours and a baseline."

    def add_arguments(self, parser):
        parser.add_argument(
            "data", type=Path, help="Folder holding un/ and ofac/ (../shared/data)."
        )
        parser.add_argument("--records", type=int, default=400, help="Listed records to vary.")
        parser.add_argument("--seed", type=int, default=12, help="Seed of the query set.")
        parser.add_argument(
            "--baseline-queries",
            type=int,
            default=None,
            help="Run the baseline on only the first N queries (it scans every name).",
        )

    def handle(self, *args, data: Path, records: int, seed: int, baseline_queries, **options):
        for name in (UN_2025, SDN_2024):
            if not (data / name).is_file():
                raise CommandError(f"{data}: missing {name}")
        parsed = [un_list_parse(data / UN_2025), ofac_sdn_parse(data / SDN_2024)]
        self._import(parsed)
        listed = [record for official in parsed for record in official.records]
        visible = Designation.objects.filter(public_q(Designation), delisted_on__isnull=True)
        available = set(visible.filter(pk__in=[r.id for r in listed]).values_list("pk", flat=True))
        total = visible.count()
        queries = bench.labelled_set(listed, available=available, size=records, seed=seed)
        variants = sum(1 for q in queries if q.expected)
        self.stdout.write(
            f"database: {connection.vendor}, {total} listed designations; {variants} variant "
            f"queries from {records} records, {len(queries) - variants} names on no list (seed {seed})"
        )
        # The parsed lists and the query set stay in memory for the whole run: frozen out of
        # the garbage collector, so that its full collections (a few hundred ms over them)
        # are not billed to the queries timed, as they would not be in a server process.
        gc.freeze()
        # Batches first, of queries drawn at random: each meets its keys and names as a new
        # request does, not as a repeat of queries already run alone.
        batches = bench.batch_seconds(random.Random(seed).sample(queries, min(200, len(queries))))
        name_compare.cache_clear()  # nor are the single queries timed below repeats of them
        bench.run(queries[:20], bench.ours, bench.DEFAULT_THRESHOLD)  # warm caches
        ours = bench.run(queries, bench.ours, bench.DEFAULT_THRESHOLD)
        started = time.perf_counter()
        baseline = bench.Baseline(self._names(visible))
        loaded = time.perf_counter() - started
        gc.freeze()  # the baseline's names likewise
        subset = queries[:baseline_queries] if baseline_queries else queries
        base = bench.run(subset, baseline, bench.DEFAULT_THRESHOLD)
        self.stdout.write(HEADER)
        self.stdout.write(bench.summary("ours (name-key index)", ours))
        self.stdout.write(bench.summary("baseline (token-sort ratio)", base))
        self.stdout.write(f"recall@1 by variant ({'n':>5} {'ours':>9} {'baseline':>9}):")
        for line in bench.per_variant(ours, base if not baseline_queries else None):
            self.stdout.write(line)
        self.stdout.write(
            f"batch of 20 queries (200 drawn at random, run first): mean {bench.mean_ms(batches):.0f} ms, max {max(batches) * 1000:.0f} ms "
            f"({len(batches)} batches); baseline names loaded in {loaded:.1f} s"
            f"{f', baseline on the first {len(subset)} queries' if baseline_queries else ''}; "
            f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )

    def _import(self, parsed) -> None:
        """Import the lists unless the database already holds them."""
        if (
            Designation.objects.filter(
                pk__in=[parsed[0].records[0].id, parsed[1].records[0].id]
            ).count()
            == 2
        ):
            return
        call_command("load_records", verbosity=0, stdout=self.stdout._out)
        for official in parsed:
            started = time.perf_counter()
            official_list_import(parsed=official)
            self.stdout.write(
                f"imported {official.file_name} in {time.perf_counter() - started:.1f} s"
            )

    def _names(self, visible) -> list[tuple[str, str, str]]:
        """Every listed name and alias of the visible designations, with its designation."""
        names = list(visible.values_list("pk", "kind", "name"))
        kinds = {pk: kind for pk, kind, _ in names}
        aliases = DesignationAlias.objects.filter(designation__in=visible)
        names += [
            (pk, kinds[pk], alias) for pk, alias in aliases.values_list("designation_id", "name")
        ]
        return names
