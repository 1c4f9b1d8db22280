"""The bulk export benchmark: a collection streamed through the real view, in each format.

Each export is requested with Django's test client (the whole middleware stack and view, no
HTTP socket), its stream read to the end and counted; the process's resident memory is
sampled as it goes, so a memory that grows with the rows shows as a rise after the first
batch (docs/benchmarks.md, "Bulk exports").
"""

import csv
import io
import resource
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

FORMATS = ("jsonl", "csv", "ftm")
PAGE_SIZE = Path("/proc/self/statm")


def rss_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    pages = int(PAGE_SIZE.read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Stream exports of a collection through the API view; print rows/s and memory."

    def add_arguments(self, parser):
        parser.add_argument("--collection", default="designations")
        parser.add_argument(
            "--format",
            dest="formats",
            action="append",
            choices=FORMATS,
            help="A format to export (repeatable; default: jsonl, csv, ftm).",
        )
        parser.add_argument("--query", default="", help="Filters, as a query string.")

    def handle(self, *args, collection, formats, query, **options):
        hosts = [host for host in settings.ALLOWED_HOSTS if host != "*"] or ["localhost"]
        client = Client(HTTP_HOST=hosts[0].lstrip("."))
        for format_ in formats or FORMATS:
            url = f"/api/v1/{collection}/export/?format={format_}&{query}".rstrip("&")
            self._run(client, url, format_)

    def _run(self, client: Client, url: str, format_: str) -> None:
        start, before = time.perf_counter(), rss_mb()
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url}: {response.status_code} {response.content[:300]!r}")
        lines = records = size = 0
        samples = []
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
            if format_ == "ftm":
                records += chunk.count(b'"schema":"') - chunk.count(b'"schema":"Sanction"')
            elif format_ == "csv":  # a chunk is whole rows; a value may hold a line break
                rows = csv.reader(io.StringIO(chunk.decode(), newline=""))
                records += sum(1 for _ in rows)
            else:
                records += chunk.count(b"\n")
            if len(samples) < lines // 100_000:
                samples.append(round(rss_mb()))
        seconds = time.perf_counter() - start
        if format_ == "csv":
            records -= 1  # the header
        self.stdout.write(
            f"{url}: {records:,} records ({lines:,} lines, {size / 2**20:,.0f} MB) in "
            f"{seconds:.1f} s = {records / seconds:,.0f} records/s; RSS {before:.0f} MB before, "
            f"every 100,000 lines {samples}, peak {peak_mb():.0f} MB"
        )
