"""Grow a benchmark database to a chosen scale by cloning the imported records (docs/benchmarks.md).

Run it on a database that holds the imported official lists (`make bench-api` does). It
refuses any database whose name does not contain "bench" unless given --yes.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from register.scaling import (
    FAMILIES,
    ScaleError,
    database_analyze,
    family_grow,
    family_plan,
    family_tables,
    indexes_deferred,
)
from sanctions.models import Designation
from treaties.models import Treaty


class Command(BaseCommand):
    help = "Clone imported designations and treaties (with their parts) up to the given counts."

    def add_arguments(self, parser):
        parser.add_argument("--designations", type=int, default=1_000_000)
        parser.add_argument("--treaties", type=int, default=100_000)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Grow this database although its name does not contain 'bench'.",
        )

    def handle(self, *args, designations: int, treaties: int, yes: bool, **options):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name and not yes:
            raise CommandError(
                f"refusing to grow {name!r}: its name does not contain 'bench' (give --yes "
                "if it really is a throwaway benchmark database)"
            )
        targets = {Designation: designations, Treaty: treaties}
        started = time.perf_counter()
        try:
            plans = [family_plan(f, target=targets[f.root]) for f in FAMILIES]
        except ScaleError as exc:
            raise CommandError(str(exc)) from None
        growing = [plan.family for plan in plans if plan.copies]
        tables = [model for family in growing for model in family_tables(family)]
        with indexes_deferred(tables, report=self.stdout.write):
            grown = [family_grow(plan, report=self.stdout.write) for plan in plans]
        if any(g.copies for g in grown):
            analyse_started = time.perf_counter()
            database_analyze()
            self.stdout.write(f"analyse: {time.perf_counter() - analyse_started:.1f} s")
        for g in grown:
            self.stdout.write(
                f"{g.root}: {g.before} -> {g.after} ({g.copies} copies, {g.rows} rows "
                f"written, {g.seconds:.1f} s)"
            )
        self.stdout.write(f"total: {time.perf_counter() - started:.1f} s")
