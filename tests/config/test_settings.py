"""Settings come from the environment and refuse unsafe combinations at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
STRONG_KEY = "k8#Vq2!xZp9@Lm4$Tn7&Rb1*Yc6^Hd3%Wf5(Gs0)Je8-Ua2+Io4=Pk7;Ql9"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_serve_without_secret_key_when_debug_is_off():
    result = run_manage("runserver", "127.0.0.1:8999", "--noreload")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0]


def test_the_wsgi_application_refuses_to_start_without_secret_key():
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "REGISTER_ONE_OFF_COMMAND"}
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("configuration error: SECRET_KEY")


def test_one_off_commands_run_without_secret_key():
    assert run_manage("check").returncode == 0


def test_rejects_a_malformed_boolean_naming_the_variable():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "configuration error: DEBUG must be a boolean (1/0, true/false), got 'maybe'"
    ]


def test_debug_on_allows_the_development_key():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_settings_refuse_the_development_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="django-insecure-development-only-key-never-used-with-debug-off",
        ALLOWED_HOSTS="register.example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="register.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_malformed_database_url_and_rates_are_named_on_one_line():
    for name, value in [
        ("DATABASE_URL", "garbage://x"),
        ("THROTTLE_ANON", "lots"),
        ("LOG_LEVEL", "loud"),
        ("MAX_REQUEST_BODY_BYTES", "1MB"),
    ]:
        result = run_manage("check", DEBUG="1", **{name: value})
        assert result.returncode != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0], result.stderr


def test_request_body_limit_comes_from_the_environment():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.API_MAX_BODY_BYTES)",
    )
    assert result.stdout.strip().splitlines()[-1] == "1048576", result.stderr
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.API_MAX_BODY_BYTES)",
        MAX_REQUEST_BODY_BYTES="2000",
    )
    assert result.stdout.strip().splitlines()[-1] == "2000", result.stderr


def test_browsable_api_only_with_debug_on():
    show = "from rest_framework.settings import api_settings as s; print([r.__name__ for r in s.DEFAULT_RENDERER_CLASSES])"
    assert run_manage("shell", "-c", show).stdout.strip().splitlines()[-1] == "['JSONRenderer']"
    assert "BrowsableAPIRenderer" in run_manage("shell", "-c", show, DEBUG="1").stdout


def test_gunicorn_limits_are_above_the_apps_own():
    """The app answers (in JSON) anything gunicorn lets through, up to gunicorn's own limits."""
    from django.conf import settings

    from config import gunicorn

    longest_request_line_overhead = len("OPTIONS  HTTP/1.1")
    assert gunicorn.limit_request_line >= settings.MAX_URL_LENGTH + longest_request_line_overhead
    assert (gunicorn.limit_request_fields, gunicorn.limit_request_field_size) == (100, 8190)
    assert gunicorn.timeout == 30
    assert "--config config/gunicorn.py" in (REPO / "Makefile").read_text()


def test_gunicorn_workers_keep_beating_while_a_long_response_streams():
    """A sync worker is killed when one response outlasts `timeout`; a bulk export streams
    for minutes, so the workers are threaded and the database bounds a runaway statement."""
    from config import gunicorn

    assert gunicorn.worker_class == "gthread"
    assert gunicorn.threads >= 2  # an export holds one thread; the others keep answering
    assert "DATABASE_STATEMENT_TIMEOUT=30" in gunicorn.raw_env


def test_statement_timeout_reaches_postgresql_connections_only_when_set():
    show = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    )
    postgres = "postgres://postgres@127.0.0.1:5432/not_connected"
    result = run_manage("shell", "-c", show, DATABASE_URL=postgres, DATABASE_STATEMENT_TIMEOUT="30")
    assert result.stdout.strip().splitlines()[-1] == "-c jit=off -c statement_timeout=30s", (
        result.stderr
    )
    result = run_manage("shell", "-c", show, DATABASE_URL=postgres)
    assert result.stdout.strip().splitlines()[-1] == "-c jit=off", result.stderr


def test_postgresql_connections_turn_jit_off_and_keep_the_urls_own_options():
    # A 50-row change-feed page spent 7.8 s in LLVM at 1M designations (docs/benchmarks.md).
    result = run_manage(
        "shell",
        "-c",
        "from django.db import connection as c; print(c.settings_dict['OPTIONS']['options'])",
        DEBUG="1",
        DATABASE_URL="postgres://db.invalid/register?options=-c%20statement_timeout%3D5s",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "-c statement_timeout=5s -c jit=off"


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: runs in .ci/run's PostgreSQL pass"
)
def test_the_postgresql_server_runs_the_apps_queries_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_gunicorn_workers_freeze_what_they_loaded_out_of_the_collectors_reach():
    """Oldest-generation collections walked every object of the loaded app (a 125 ms pause
    every few timeline requests); once the worker is up, they are frozen."""
    import gc

    from config import gunicorn

    kept = [object() for _ in range(10)] + [[] for _ in range(1000)]  # tracked, long-lived
    gc.unfreeze()
    try:
        gunicorn.post_worker_init(worker=None)
        assert gc.get_freeze_count() >= len(kept)
        assert all(not any(obj is k for obj in gc.get_objects()) for k in kept[-3:])
    finally:
        gc.unfreeze()
