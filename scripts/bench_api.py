"""`make bench-api`: the API read benchmark (docs/benchmarks.md, "API read benchmark").

Builds (or reuses) a benchmark database at a chosen scale, serves it with gunicorn under the
production settings, checks every request in process (status, SQL queries), then times each:
throughput with several connections (wrk) as a percentage of the floor (/healthz, measured at
the start and the end of the same run), latency with one client (each answer timed here), and
a mixed workload with many clients (wrk). Run with the project's virtualenv python from the repository root.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LUA = ROOT / "scripts" / "bench_api.lua"
IMPORTS = [
    ("load_records",),
    ("import_un_list", "un/un_consolidated_2025-04-19.xml"),
    ("import_ofac_sdn", "ofac/ofac_sdn_2024-05-03.csv"),
    ("import_atop", "atop/atop_alliance_level.csv", "atop/atop_member_level.csv"),
]
RERUNS = 2  # of a wrk run that left a worker idle


def main() -> int:
    args = _arguments()
    env = _environment(args)
    _database_prepare(args, env)
    if args.build_only:
        return 0
    _manage(env, "collectstatic", "--noinput", "-v0")
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as file:
        print(_manage(env, "bench_api", "--json", file.name, "--only", args.only).rstrip())
        checked = [json.loads(line) for line in Path(file.name).read_text().splitlines()]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with _gunicorn(env, port, args.workers):
        results = _measure(args, base, checked)
    _report(args, results)
    failed = [r for r in results if r.get("error")]
    return 1 if failed else 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/register_bench")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--designations", type=int, default=0, help="0: as imported")
    parser.add_argument("--treaties", type=int, default=0, help="0: as imported")
    parser.add_argument("--rebuild", action="store_true", help="Drop and rebuild the database.")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--latency-duration", type=int, help="Seconds per one-client run.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--mixed-connections", type=int, default=64)
    parser.add_argument("--mixed-duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="", help="REDIS_URL for the server (shared cache).")
    parser.add_argument(
        "--no-read-cache",
        action="store_true",
        help="READ_CACHE=0: every request goes to its view (what a first read costs).",
    )
    parser.add_argument("--only", default="", help="Only requests whose path contains this.")
    parser.add_argument("--output", type=Path, help="Also write the results here, as JSON.")
    args = parser.parse_args()
    args.data = args.data.resolve()
    return args


def _environment(args) -> dict[str, str]:
    """The production settings on plain local HTTP, as scripts/fuzz.sh serves them."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=args.db,
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        # The benchmark is one address, counted by both throttles; throttling has its tests.
        THROTTLE_ANON="1000000000/minute",
        THROTTLE_USER="1000000000/minute",
        WEB_CONCURRENCY=str(args.workers),
    )
    if args.redis:
        env["REDIS_URL"] = args.redis
    env["READ_CACHE"] = "0" if args.no_read_cache else "1"
    return env


def _manage(env: dict[str, str], *command: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _database_prepare(args, env: dict[str, str]) -> None:
    """Create, migrate and import (unless the database exists), then grow it to the scale."""
    url = urlsplit(args.db)
    fresh = _database_create(url, rebuild=args.rebuild)
    started = time.perf_counter()
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "store_names")  # a database built by an older release holds none
    if fresh:
        for name, *files in IMPORTS:
            step = time.perf_counter()
            _manage(env, name, *(str(args.data / f) for f in files))
            print(f"build: {name} {time.perf_counter() - step:.1f} s", flush=True)
    if args.designations or args.treaties:
        step = time.perf_counter()
        out = _manage(
            env,
            "bench_scale",
            f"--designations={args.designations}",
            f"--treaties={args.treaties}",
        )
        print(out.rstrip())
        print(f"build: bench_scale {time.perf_counter() - step:.1f} s", flush=True)
    print(
        f"build: {'built' if fresh else 'reused'} {url.path.lstrip('/')}, "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )


def _database_create(url, *, rebuild: bool) -> bool:
    """Create the database if missing (or if ``rebuild``); True when it was created."""
    if url.scheme == "sqlite":
        path = Path(url.path)
        if rebuild:
            path.unlink(missing_ok=True)
        return not path.exists()
    import psycopg  # the project's dependency

    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not rebuild:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _gunicorn:
    """gunicorn with config/gunicorn.py, as production runs it (access log off, as fuzz.sh)."""

    def __init__(self, env, port, workers):
        self.command = [
            str(BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.py",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--access-logfile", "/dev/null", "--log-level", "warning",
        ]  # fmt: skip
        self.env, self.url = env, f"http://127.0.0.1:{port}/readyz"
        self.log = Path(tempfile.mkdtemp(prefix="bench-api-")) / "gunicorn.log"

    def __enter__(self):
        with self.log.open("w") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        for _ in range(100):
            if _status(self.url)[0] == 200:
                return self
            time.sleep(0.2)
        self.__exit__()
        sys.exit(f"gunicorn did not become ready; log: {self.log}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)
        print(f"gunicorn log: {self.log}")


def _status(url: str, etag: str | None = None) -> tuple[int, str | None]:
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers.get("ETag")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("ETag")
    except OSError:
        return 0, None


def _wrk(url: str, *, connections: int, seconds: int, etag=None, rotation=None) -> dict:
    """One wrk run; ``per_worker`` is how its connections were spread over the server's
    processes, seen with ``ss`` a moment after it started (most first, e.g. [5, 3])."""
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(LUA)] + (["-H", f"If-None-Match: {etag}"] if etag else [])
    command += [url] + (["--", rotation] if rotation else [])
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    time.sleep(min(0.5, seconds / 4))
    per_worker = _connections_per_process(urlsplit(url).port)
    output, _ = wrk.communicate()
    if wrk.returncode:
        raise subprocess.CalledProcessError(wrk.returncode, command, output)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[len("BENCH ") :])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["per_worker"] = per_worker
    return data


def _connections_per_process(port: int) -> list[int]:
    """The established connections to ``port``, counted per process that holds them."""
    try:
        output = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []  # no ss here: the spread is not known
    counts: dict[str, int] = {}
    for pid in re.findall(r"pid=(\d+)", output):
        counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values(), reverse=True)


def _throughput(base: str, url: str, *, args, etag=None) -> dict:
    """wrk's run of ``url``, run again (at most ``RERUNS`` times) while some worker holds
    none of its connections: wrk opens them all at once, the workers accept them from one
    socket, and when one worker takes them all the run measures one process at about half
    the server's rate (docs/benchmarks.md, "Why some runs give half")."""
    for attempt in range(RERUNS + 1):
        data = _wrk(url, connections=args.connections, seconds=args.duration, etag=etag)
        data["reruns"] = attempt
        if len(data["per_worker"]) >= min(args.workers, args.connections) or not data["per_worker"]:
            break
        _settle(base)
    return data


def _one_client_timed(url: str, *, seconds: int) -> dict:
    """One client sending each request when the last is answered, every answer timed: the
    same fields as ``_wrk``.

    Not wrk -c1: wrk corrects its percentiles for coordinated omission, adding for every slow
    answer the samples a client sending at the run's mean rate would have waited, so one
    1.4 s answer among 300 of 12 ms came out as a p90 of 736 ms. A client that waits for each
    answer sees the answers' own times, which is what the one-client target is about."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    times, errors = [], {"status": 0, "socket": 0}
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        sent = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors["socket"] += 1
            connection.close()
            continue
        times.append(time.perf_counter() - sent)
        errors["status"] += response.status >= 400
    duration = time.perf_counter() - started
    connection.close()
    times.sort()

    def at(percent: float) -> int:
        return (
            int(times[min(len(times) - 1, int(len(times) * percent / 100))] * 1e6) if times else 0
        )

    return {
        "requests": len(times),
        "duration_us": int(duration * 1e6),
        "rps": len(times) / duration,
        "p50_us": at(50),
        "p95_us": at(95),
        "p99_us": at(99),
        "max_us": int(times[-1] * 1e6) if times else 0,
        "status_errors": errors["status"],
        "socket_errors": errors["socket"],
    }


def _settle(base: str) -> None:
    """Wait until the workers have finished what wrk left queued (/healthz answers at once)."""
    for _ in range(600):
        started = time.perf_counter()
        _status(f"{base}/healthz")
        if time.perf_counter() - started < 0.05:
            return
        time.sleep(0.5)


def _measure(args, base: str, checked: list[dict]) -> list[dict]:
    """Check each request against the server, then time it; a wrong status is an error."""
    latency_seconds = args.latency_duration or args.duration
    # Warm the workers first, untimed: the first wrk run against freshly started gthread
    # workers gave /healthz less than half of what the same floor gave at the end of the run
    # (3,048 against 6,811 req/s), which made every percentage of the floor read too high.
    _wrk(base + "/healthz", connections=args.connections, seconds=min(args.duration, 5))
    _settle(base)
    results = []
    for item in [*checked, checked[0]]:  # the floor again at the end: the machine drifts
        probe = item["probe"]
        url = base + probe["path"]
        expected = 304 if probe["conditional"] else 200
        etag = _status(url)[1] if probe["conditional"] else None
        status, _ = _status(url, etag)
        result = {**item, "live_status": status, "etag": etag}
        if item["status"] != expected or status != expected:
            result["error"] = (
                f"status {item['status']} in process, {status} served; {expected} expected"
            )
            print(f"ERROR {probe['path']}: {result['error']}", flush=True)
            results.append(result)
            continue
        results.append(result)
        if item["ms"] > 1000 * min(args.duration, latency_seconds):
            # wrk would end before one answer, leaving requests queued for the next run.
            result["too_slow"] = True
            print(f"{item['ms']:9.0f} ms once, longer than a run: {probe['path']}", flush=True)
            continue
        result["throughput"] = _throughput(base, url, args=args, etag=etag)
        _settle(base)
        if item["latency"]:
            result["one_client"] = _one_client_timed(url, seconds=latency_seconds)
            _settle(base)
        print(f"{result['throughput']['rps']:9.1f} req/s  {probe['path']}", flush=True)
    rotation = [r for r in results if "throughput" in r and r["probe"]["group"] != "floor"]
    # Twice: first with nothing cached (each kept answer expires within 60 s, and the runs
    # above took longer), as in the seconds after a write, when every cached answer is stale at
    # once; then again at once, with the answers the first run kept.
    with tempfile.NamedTemporaryFile("w", suffix=".tsv") as file:
        file.writelines(f"{r['probe']['path']}\t{r['etag'] or ''}\n" for r in rotation)
        file.flush()
        mixed = [
            _wrk(
                base + "/healthz",
                connections=args.mixed_connections,
                seconds=args.mixed_duration,
                rotation=file.name,
            )
            for _ in ("after a write", "between writes")
        ]
    results.append(
        {
            "probe": {"group": "mixed", "path": f"{len(rotation)} requests"},
            "mixed": mixed[0],
            "mixed_warm": mixed[1],
        }
    )
    return results


def _ms(microseconds: int) -> str:
    return f"{microseconds / 1000:.1f}"


def _one_client(one: dict | None) -> list[str]:
    if not one:
        return ["", "", "", ""]
    if not one["requests"]:
        return ["0", "no answer within the run", "", ""]
    return [str(one["requests"]), *(_ms(one[k]) for k in ("p50_us", "p95_us", "p99_us"))]


def _spread(run: dict) -> str:
    """wrk's connections per worker, e.g. "5/3", with the runs made again before it."""
    spread = "/".join(map(str, run["per_worker"])) or "?"
    reruns = run.get("reruns", 0)
    return spread + (f" ({reruns} before: a worker idle)" if reruns else "")


def _report(args, results: list[dict]) -> None:
    floors = [
        r["throughput"]["rps"]
        for r in results
        if r["probe"]["group"] == "floor" and "throughput" in r
    ]
    floor = sum(floors) / len(floors) if floors else float("nan")
    print(f"\nfloor /healthz: {' and '.join(f'{f:.0f}' for f in floors)} req/s (mean {floor:.0f})")
    print(
        f"throughput: wrk -c{args.connections}, {args.duration} s each; one client: each answer timed, the next sent when it arrives (not wrk -c1, whose percentiles add the waits of a client sending at a fixed rate)"
    )
    print(
        "\n| group | request | status | queries | count | req/s | % of floor | p50 ms | p95 ms | p99 ms | per worker | 1 client: n | p50 | p95 | p99 |"
    )
    print(
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for r in results[:-1]:
        probe, t, one = r["probe"], r.get("throughput"), r.get("one_client")
        cells = [
            probe["group"],
            f"`{probe['path'].removeprefix('/api/v1/')}`",
            str(r["live_status"]),
            str(r["queries"])
            + ("" if r.get("first_queries") is None else f" (first {r['first_queries']})"),
            str(r["count"] if r["count"] is not None else ""),
        ]
        if t:
            cells += [
                f"{t['rps']:.1f}",
                f"{100 * t['rps'] / floor:.1f}%",
                _ms(t["p50_us"]),
                _ms(t["p95_us"]),
                _ms(t["p99_us"]),
            ]
            errors = t["status_errors"] + t["socket_errors"]
            if errors:
                cells[-1] += f" ({errors} errors)"
            cells.append(_spread(t))
        elif r.get("too_slow"):
            cells += ["not timed", f"one request took {r['ms'] / 1000:.1f} s", "", "", "", ""]
        else:
            cells += ["ERROR", r["error"], "", "", "", ""]
        cells += _one_client(one)
        print("| " + " | ".join(cells) + " |")
    for key, when in (("mixed", "nothing cached, as after a write"), ("mixed_warm", "again")):
        mixed = results[-1][key]
        print(
            f"\nmixed workload, {when} ({results[-1]['probe']['path']} in rotation, "
            f"wrk -c{args.mixed_connections}, {args.mixed_duration} s): {mixed['rps']:.1f} req/s, "
            f"p50 {_ms(mixed['p50_us'])} ms, p95 {_ms(mixed['p95_us'])} ms, "
            f"p99 {_ms(mixed['p99_us'])} ms, max {_ms(mixed['max_us'])} ms, "
            f"errors: {mixed['status_errors']} status, {mixed['socket_errors']} socket"
        )
    if args.output:
        args.output.write_text(json.dumps({"floor": floor, "results": results}, indent=1))
        print(f"results: {args.output}")


if __name__ == "__main__":
    sys.exit(main())
