"""Whatever goes wrong, /api/, /healthz and /readyz answer JSON in the one error shape."""

import json
import os
import sqlite3
import threading
import uuid
import wsgiref.util
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient, APIRequestFactory

from core.health import HealthCheckMiddleware
from tests.factories import make_party
from treaties.models import Party, Treaty

pytestmark = pytest.mark.django_db

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def error_of(response, status: int) -> dict:
    """The response's status, JSON content type and error shape; its one error."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"type", "errors"}, body
    assert body["type"] in (
        ("server_error",) if status >= 500 else ("client_error", "validation_error")
    )
    assert len(body["errors"]) == 1 and set(body["errors"][0]) == {"code", "detail", "attr"}
    return {"type": body["type"], **body["errors"][0]}


@pytest.fixture
def curator_client(db) -> APIClient:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-not-used")
    client = APIClient()
    client.force_authenticate(user)
    return client


def counts() -> tuple[int, int]:
    return Treaty.objects.count(), Party.objects.count()


# 1. Body size


def test_body_over_limit_is_413_json(curator_client):
    before = counts()
    body = json.dumps({"id": "big", "name": "x" * django_settings.API_MAX_BODY_BYTES})
    response = curator_client.post("/api/v1/parties/", body, content_type="application/json")
    error = error_of(response, 413)
    assert (error["type"], error["code"], error["attr"]) == (
        "client_error",
        "payload_too_large",
        None,
    )
    assert str(django_settings.API_MAX_BODY_BYTES) in error["detail"]
    assert counts() == before


def test_body_over_djangos_own_limit_is_413_json(curator_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # read before the API's parser sees the body
    before = counts()
    body = json.dumps({"id": "big", "name": "x" * 2000, "kind": "state"})
    response = curator_client.post("/api/v1/parties/", body, content_type="application/json")
    assert error_of(response, 413)["code"] == "payload_too_large"
    assert counts() == before


def test_body_under_limit_is_accepted(curator_client):
    response = curator_client.post(
        "/api/v1/parties/",
        {"id": "nauru", "name": "Nauru", "kind": "state", "aliases": ["n" * 1000]},
        format="json",
    )
    assert response.status_code == 201, response.content


# 2. JSON nesting


def test_hugely_nested_json_is_400_parse_error(curator_client):
    before = counts()
    response = curator_client.post(
        "/api/v1/parties/", "[" * 100_000, content_type="application/json"
    )
    error = error_of(response, 400)
    assert (error["type"], error["code"], error["attr"]) == ("client_error", "parse_error", None)
    assert "nest" in error["detail"].lower() and "32" in error["detail"]
    assert counts() == before


def test_json_nested_deeper_than_32_is_refused(curator_client):
    before = counts()
    deep = "[" * 33 + "]" * 33
    response = curator_client.post(
        "/api/v1/parties/", '{"id": "x", "aliases": ' + deep + "}", content_type="application/json"
    )
    error = error_of(response, 400)
    assert error["code"] == "parse_error" and "32" in error["detail"]
    assert counts() == before


def test_brackets_inside_strings_do_not_count_as_nesting(curator_client):
    name = "[" * 100 + "{" * 100
    response = curator_client.post(
        "/api/v1/parties/", {"id": "brackets", "name": name, "kind": "state"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Party.objects.get(pk="brackets").name == name


def test_malformed_json_is_400_parse_error(curator_client):
    response = curator_client.post(
        "/api/v1/parties/", '{"id": "x",', content_type="application/json"
    )
    assert error_of(response, 400)["code"] == "parse_error"


# 3. Parameter count


def test_too_many_query_parameters_is_400(api_client):
    query = "&".join(["q"] * (django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = api_client.get(f"/api/v1/treaties/?{query}")
    error = error_of(response, 400)
    assert (error["type"], error["code"], error["attr"]) == (
        "client_error",
        "too_many_parameters",
        None,
    )


def test_form_with_too_many_fields_is_415_unread(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-not-used")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)  # session auth: its CSRF check looks into a form body
    client.cookies[django_settings.CSRF_COOKIE_NAME] = "a" * 32
    before = counts()
    body = "&".join(f"f{i}=x" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.post(
        "/api/v1/parties/", body, content_type="application/x-www-form-urlencoded"
    )
    assert error_of(response, 415)["code"] == "unsupported_media_type"
    assert counts() == before


# 4. Host and URL length


def test_disallowed_host_is_json_400(api_client, settings):
    settings.ALLOWED_HOSTS = ["register.example.org"]
    response = api_client.get("/api/v1/parties/", HTTP_HOST="evil.example")
    error = error_of(response, 400)
    assert (error["type"], error["code"]) == ("client_error", "disallowed_host")


def test_probes_still_answer_any_host(client, settings):
    settings.ALLOWED_HOSTS = ["register.example.org"]
    assert client.get("/healthz", HTTP_HOST="evil.example").status_code == 200


def test_url_over_limit_is_414_json(api_client):
    response = api_client.get("/api/v1/treaties/?q=" + "x" * django_settings.MAX_URL_LENGTH)
    error = error_of(response, 414)
    assert (error["type"], error["code"], error["attr"]) == ("client_error", "uri_too_long", None)


def test_url_just_under_limit_is_answered(api_client):
    path = "/api/v1/treaties/?q="
    response = api_client.get(path + "x" * (django_settings.MAX_URL_LENGTH - len(path)))
    assert response.status_code == 200


# 5. Database unavailable


def _driver_connection_error() -> Exception:
    """The error the database driver itself raises when the server cannot be reached."""
    if connection.vendor == "sqlite":
        try:
            sqlite3.connect("file:/nonexistent-dir/db.sqlite3?mode=rw", uri=True)
        except sqlite3.OperationalError as exc:
            return exc
    import psycopg

    try:
        psycopg.connect("host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2")
    except psycopg.OperationalError as exc:
        return exc
    raise AssertionError("expected the connection to fail")


def test_database_unreachable_is_503_with_retry_after():
    make_party(id="nauru")
    api_client = APIClient(raise_request_exception=False)  # a 503 is reported like a 500
    with mock.patch.object(connection, "create_cursor", side_effect=_driver_connection_error()):
        response = api_client.get("/api/v1/parties/")
    error = error_of(response, 503)
    assert (error["type"], error["code"]) == ("server_error", "database_unavailable")
    assert int(response["Retry-After"]) > 0
    assert api_client.get("/api/v1/parties/").json()["count"] == 1, "answers again once back"


def test_readyz_is_503_in_the_error_shape_when_database_is_down(client):
    with mock.patch.object(connection, "create_cursor", side_effect=_driver_connection_error()):
        response = client.get("/readyz")
    error = error_of(response, 503)
    assert error["code"] == "database_unavailable" and int(response["Retry-After"]) > 0


def test_database_unreachable_outside_the_api_is_503_with_retry_after(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-not-used")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with mock.patch.object(connection, "create_cursor", side_effect=_driver_connection_error()):
        response = client.get("/admin/")  # the session is read from the database
    assert response.status_code == 503 and int(response["Retry-After"]) > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="drops a real PostgreSQL session")
def test_database_going_down_is_503_and_the_next_request_after_recovery_is_answered():
    """As when PostgreSQL restarts: the open session dies and, until the server is back,
    new connections are refused; once it is back, the next request reconnects."""
    import psycopg

    make_party(id="nauru")
    app = get_wsgi_application()
    assert wsgi_get(app, "/api/v1/parties/")[0] == "200 OK"
    params = {**connection.get_connection_params(), "autocommit": True}
    with psycopg.connect(**params) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = "1"  # nothing listens there: connection refused
    try:
        status, headers, body = wsgi_get(app, "/api/v1/parties/")
    finally:
        connection.settings_dict["PORT"] = port
    assert status.startswith("503") and int(headers["Retry-After"]) > 0
    assert json.loads(body)["errors"][0]["code"] == "database_unavailable"
    status, _, body = wsgi_get(app, "/api/v1/parties/")
    assert status == "200 OK" and json.loads(body)["count"] == 1


def wsgi_get(app, path: str) -> tuple[str, dict, bytes]:
    """A GET through the real WSGI handler, with Django's per-request connection checks."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "testserver"}
    wsgiref.util.setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def test_database_error_not_about_the_connection_stays_a_500():
    """Both are OperationalError: SQLite's syntax error, PostgreSQL's statement timeout."""
    if connection.vendor == "sqlite":
        try:
            sqlite3.connect(":memory:").execute("SELEC 1")
        except sqlite3.OperationalError as exc:
            query_error = exc
    else:
        import psycopg

        query_error = psycopg.errors.QueryCanceled("canceling statement due to statement timeout")
    client = APIClient(raise_request_exception=False)
    with mock.patch.object(connection, "create_cursor", side_effect=query_error):
        response = client.get("/api/v1/parties/")
    assert error_of(response, 500)["code"] == "error"
    assert "Retry-After" not in response


# 6. Media types


def test_html_accept_on_api_is_406_not_a_browsable_page(api_client):
    response = api_client.get("/api/v1/parties/", HTTP_ACCEPT="text/html")
    error = error_of(response, 406)
    assert error["code"] == "not_acceptable"


def test_browser_accept_header_gets_json(api_client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = api_client.get("/api/v1/parties/", HTTP_ACCEPT=accept)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


def test_schema_errors_are_json_not_yaml(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="text/html")
    assert error_of(response, 406)["code"] == "not_acceptable"


def test_docs_page_errors_are_json_not_html(api_client):
    assert error_of(api_client.post("/api/docs/"), 405)["code"] == "method_not_allowed"


def test_form_encoded_write_is_415(curator_client):
    before = counts()
    response = curator_client.post(
        "/api/v1/parties/",
        "id=nauru&name=Nauru&kind=state",
        content_type="application/x-www-form-urlencoded",
    )
    error = error_of(response, 415)
    assert (error["type"], error["code"]) == ("client_error", "unsupported_media_type")
    assert counts() == before


def test_multipart_write_is_415(curator_client):
    before = counts()
    response = curator_client.post(
        "/api/v1/parties/", {"id": "nauru", "name": "Nauru", "kind": "state"}, format="multipart"
    )
    assert error_of(response, 415)["code"] == "unsupported_media_type"
    assert counts() == before


# 7. Rate limits under concurrency


@pytest.fixture
def redis_cache(settings):
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {TEST_REDIS_URL} (set TEST_REDIS_URL)")
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield caches["default"]
    for key in client.scan_iter(match=f"{prefix}:*"):  # only this test's keys, never flushdb
        client.delete(key)


def test_rate_limit_is_exact_under_concurrency(redis_cache, monkeypatch):
    from core.api.throttling import AnonRateThrottle

    limit, attempts, workers = 30, 90, 12
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": f"{limit}/minute"})
    monkeypatch.setattr(AnonRateThrottle, "timer", staticmethod(lambda: 1_000_000.0))
    factory = APIRequestFactory()
    barrier = threading.Barrier(workers)
    allowed = []

    def client_burst(n: int) -> None:
        requests = [factory.get("/api/v1/parties/", REMOTE_ADDR="10.9.8.7") for _ in range(n)]
        for request in requests:
            request.user = None
        barrier.wait()
        for request in requests:
            allowed.append(AnonRateThrottle().allow_request(request, view=None))

    threads = [
        threading.Thread(target=client_burst, args=(attempts // workers,)) for _ in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == attempts // workers * workers
    assert allowed.count(True) == limit


def test_throttled_response_has_retry_after(api_client, monkeypatch):
    from core.api.throttling import AnonRateThrottle

    caches["default"].clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    statuses = [api_client.get("/api/v1/parties/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = api_client.get("/api/v1/parties/")
    assert error_of(response, 429)["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    caches["default"].clear()


# 8. Anything else


def test_overlong_repeated_party_is_the_documented_invalid_code(api_client):
    response = api_client.get("/api/v1/treaties/?party=KP&party=" + "x" * 161)
    error = error_of(response, 400)
    assert (error["type"], error["code"], error["attr"]) == ("validation_error", "invalid", "party")


def test_unknown_api_path_is_json_404(api_client):
    assert error_of(api_client.get("/api/nothing/here"), 404)["code"] == "not_found"


def test_probe_crash_is_json_500(client, monkeypatch):
    def crash(request):
        raise RuntimeError("boom")

    monkeypatch.setitem(HealthCheckMiddleware.PROBES, "/healthz", crash)
    client.raise_request_exception = False
    error = error_of(client.get("/healthz"), 500)
    assert error["code"] == "error" and "boom" not in error["detail"]


def test_probe_write_is_json_405(client):
    assert error_of(client.post("/healthz"), 405)["code"] == "method_not_allowed"
