"""The API read benchmark's requests, chosen from the data at hand, and in-process checks.

``probes_plan`` names every request `make bench-api` times (scripts/bench_api.py): each list,
each documented filter with a value the data holds, `q`, deep pages, details, conditional
requests, the relations timeline and the change feed. ``probe_check`` makes a request in
this process and counts its SQL queries; ``probe_explain`` shows the plans of its slowest.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import asdict, dataclass, field
from unittest import mock

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.throttling import SimpleRateThrottle

from core.api.pagination import LimitOffsetPagination, position
from core.models import Change
from sanctions.models import Designation, SanctionsRegime
from sources.choices import SourceKind
from sources.models import Citation, Source
from treaties.models import Treaty

# Groups timed with one client too (docs/benchmarks.md): what the latency target covers.
LATENCY_GROUPS = ("list", "filter", "q", "deep", "relations")
HOST = "127.0.0.1"
MAX_OFFSET = LimitOffsetPagination.max_offset  # deeper is a 400


@dataclass
class Probe:
    """One request the benchmark times."""

    group: str  # floor, list, filter, q, deep, detail, conditional, relations, changes
    path: str
    conditional: bool = False  # sent with the detail's ETag as If-None-Match: 304 expected

    @property
    def latency(self) -> bool:
        return self.group in LATENCY_GROUPS


@dataclass
class Checked:
    """What one in-process request did."""

    probe: Probe
    status: int
    queries: int
    ms: float
    count: int | None = None  # a list's `count`
    etag: str | None = None
    sql: list[tuple[float, str]] = field(default_factory=list)
    first_queries: int | None = None  # the first read's, when not the same

    def as_json(self) -> dict:
        data = asdict(self)
        del data["sql"]
        return {**data, "latency": self.probe.latency}


def _api(path: str) -> str:
    return f"/api/v1/{path}"


def probes_plan() -> list[Probe]:
    """The benchmark's requests, with ids, offsets and times taken from the database."""
    page = "limit=50"
    treaties, designations = Treaty.objects.count(), Designation.objects.count()
    citations, changes = Citation.objects.count(), Change.objects.count()
    # Records the details and filters name: real ones, from the imported lists.
    treaty = Treaty.objects.filter(participations__isnull=False).order_by("pk").first()
    designation = (
        Designation.objects.filter(reference_number__iexact="KPi.001").first()
        or Designation.objects.order_by("pk").first()
    )
    regime = SanctionsRegime.objects.filter(targets__iso_alpha2="KP").order_by("pk").first()
    official = Source.objects.filter(kind=SourceKind.OFFICIAL_LIST).order_by("pk").first()
    article = Source.objects.filter(kind=SourceKind.ARTICLE).order_by("pk").first()
    citation = Citation.objects.order_by("pk").first()
    change = Change.objects.order_by("changed_at", "pk")[max(changes * 9 // 10 - 1, 0)]
    since = change.changed_at.isoformat().replace("+00:00", "Z")
    lists = ("treaties", "parties", "regimes", "designations", "sources", "citations", "changes")
    filters = {
        "treaties": [
            "party=RU",
            "party=RU&party=KP&include_predecessors=true",
            "kind=multilateral",
            "signed_after=1990-01-01",
            "signed_before=1950-01-01",
            "in_force_on=1995-01-01",
            "obligation=defense",
            "status=ended",
        ],
        "parties": ["kind=state", "code=KP"],
        "regimes": [
            "issuer=US",
            "target=KP",
            "active_on=2020-01-01",
            "measure=asset_freeze",
            "status=active",
        ],
        "designations": [
            "regime=us-ofac-dprk3",
            "kind=vessel",
            "status=listed",
            "nationality=KP",
            "listed_after=2020-01-01",
            "listed_before=2010-01-01",
            "reference_number=KPi.001",
        ],
        "sources": ["kind=official_list"],
        "citations": [
            "record_type=designation",
            f"record_id={designation.pk}",
            f"source={official.pk if official else article.pk}",
            "field=name",
            "stance=disputes",
        ],
        "changes": [f"since={since}", "model=treaty", f"record_id={designation.pk}"],
    }
    searches = {
        "treaties": "mutual",
        "parties": "korea",
        "regimes": "korea",
        "designations": "kim",
        "sources": "list",
        "citations": "kim",
        "changes": "import",
    }
    deep = {"treaties": treaties, "designations": designations}
    deep |= {"citations": citations, "changes": changes}
    details = {
        "treaties": treaty.pk,
        "parties": "north-korea",
        "regimes": regime.pk,
        "designations": designation.pk,
        "sources": article.pk,
        "citations": citation.pk,
        "changes": change.pk,
    }
    probes = [Probe("floor", "/healthz")]
    probes += [Probe("list", _api(f"{name}/?{page}")) for name in lists]
    probes += [Probe("filter", _api(f"{n}/?{f}&{page}")) for n, fs in filters.items() for f in fs]
    probes += [Probe("q", _api(f"{n}/?q={q}&{page}")) for n, q in searches.items()]
    probes += [
        Probe("deep", _api(f"{n}/?{page}&offset={min(count * 9 // 10, MAX_OFFSET)}"))
        for n, count in deep.items()
    ]
    models = {"treaties": Treaty, "designations": Designation}
    models |= {"citations": Citation, "changes": Change}
    probes += [
        Probe("deep", _api(f"{n}/?{page}&cursor={_cursor_at(n, models[n], count * 9 // 10)}"))
        for n, count in deep.items()
    ]
    probes += [Probe("detail", _api(f"{n}/{pk}/")) for n, pk in details.items()]
    probes += [
        Probe("conditional", _api(f"{n}/{details[n]}/"), conditional=True)
        for n in ("treaties", "parties", "regimes", "designations")
    ]
    probes += [
        Probe("relations", _api("parties/RU/relations/KP/")),
        Probe("relations", _api("parties/RU/relations/KP/?on=2000-01-01")),
        Probe("changes", _api(f"changes/?since={since}&{page}")),
    ]
    return probes


def _cursor_at(name: str, model, index: int) -> str:
    """The cursor of the list's page that starts after its ``index``th record (as a client
    following `next` links would reach it), in the list's default order."""
    client = Client(HTTP_HOST=HOST)
    with mock.patch.object(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None}):
        first = client.get(_api(f"{name}/?limit=1&cursor="))
    token = re.search(r"cursor=([^&]+)", first.json()["next"]).group(1)
    order = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["order"]
    terms = [(term.lstrip("-"), term.startswith("-")) for term in order.split(",")]
    ordering = [f"{'-' if descending else ''}{term}" for term, descending in terms]
    names = [term for term, _ in terms]
    row = model._default_manager.order_by(*ordering).values_list("pk", *names)[max(index, 0)]
    return LimitOffsetPagination()._encode(position(row, terms), terms)


def probe_check(probe: Probe) -> Checked:
    """Make the probe's request in this process, twice, both answered by the view whatever
    READ_CACHE says: the second's status, SQL queries and time, with the first's queries when
    they differ. The first read of a page can compute what later reads reuse (the count, kept
    per register version; representations of records `bench_scale` cloned), so the second is
    the steady cost."""
    client = Client(HTTP_HOST=HOST)
    # Throttling counts requests per address; the server under test raises it too.
    with (
        mock.patch.object(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None}),
        override_settings(READ_CACHE=False),
    ):
        headers = {}
        with CaptureQueriesContext(connection) as first:
            etag = client.get(probe.path).headers.get("ETag")
        if probe.conditional:
            headers = {"HTTP_IF_NONE_MATCH": etag or ""}
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(probe.path, **headers)
            ms = (time.perf_counter() - started) * 1000
    count = None
    if response.status_code == 200 and response.get("Content-Type", "").startswith(
        "application/json"
    ):
        body = json.loads(response.content)
        count = body.get("count") if isinstance(body, dict) else None
    sql = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    first_queries = len(first.captured_queries)
    return Checked(
        probe,
        response.status_code,
        len(sql),
        ms,
        count,
        etag or response.get("ETag"),
        sql,
        first_queries=None if first_queries == len(sql) or probe.conditional else first_queries,
    )


def probe_explain(checked: Checked, *, at_least_ms: float, top: int = 2) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the probe's slowest queries (PostgreSQL): lines to print."""
    lines = []
    slowest = sorted(checked.sql, key=lambda item: item[0], reverse=True)[:top]
    for ms, sql in slowest:
        if ms < at_least_ms:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
        text = "\n".join(plan)
        scans = sorted(set(re.findall(r"Seq Scan on (\w+)", text)))
        removed = max(map(int, re.findall(r"Rows Removed by Filter: (\d+)", text)), default=0)
        lines.append(
            f"-- {ms:.1f} ms; seq scans: {', '.join(scans) or 'none'}; "
            f"most rows read and dropped by one filter: {removed}"
        )
        lines.append(sql if len(sql) <= 2000 else sql[:2000] + " ...")
        lines.extend(plan)
    return lines
