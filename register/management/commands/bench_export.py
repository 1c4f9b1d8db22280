"""The bulk export benchmark: a collection streamed through the real view, in each format.

Each export is requested with Django's test client (the whole middleware stack and view, no
HTTP socket), its stream read to the end and counted; the process's resident memory is
sampled as it goes, so a memory that grows with the rows shows as a rise after the first
batch (docs/benchmarks.md, "Bulk exports").

The rate counts the time spent producing the stream (the view's queries and its writing of
each chunk), not this command's own counting of what it received; the wall time of the whole
run is printed too. So is the CPU time of this process and of the PostgreSQL backend serving
it, which, unlike the seconds, does not grow when other work on the machine holds the cores.
"""

import csv
import io
import os
import resource
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

FORMATS = ("jsonl", "csv", "ftm")
PAGE_SIZE = Path("/proc/self/statm")


def rss_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    pages = int(PAGE_SIZE.read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(pid: int | None = None) -> float:
    """User and system CPU time of this process, or of process ``pid`` (Linux)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_pid() -> int | None:
    """The PostgreSQL backend serving this connection, when it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


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
        backend = database_pid()
        load_before = load_average()
        cpu_before = cpu_seconds(), backend and cpu_seconds(backend)
        start, before = time.perf_counter(), rss_mb()
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url}: {response.status_code} {response.content[:300]!r}")
        lines = records = size = 0
        samples = []
        chunks = iter(response.streaming_content)
        producing = time.perf_counter() - start
        while True:
            started = time.perf_counter()
            chunk = next(chunks, None)
            producing += time.perf_counter() - started
            if chunk is None:
                break
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
        process_cpu = cpu_seconds() - cpu_before[0]
        database_cpu = f"{cpu_seconds(backend) - cpu_before[1]:.1f} s" if backend else "not seen"
        if format_ == "csv":
            records -= 1  # the header
        self.stdout.write(
            f"{url}: {records:,} records ({lines:,} lines, {size / 2**20:,.0f} MB) in "
            f"{producing:.1f} s = {records / producing:,.0f} records/s (wall {seconds:.1f} s "
            f"with the counting); CPU: this process {process_cpu:.1f} s, the database "
            f"{database_cpu}; load average {load_before} before, {load_average()} after; "
            f"RSS {before:.0f} MB before, every 100,000 lines {samples}, peak {peak_mb():.0f} MB"
        )
