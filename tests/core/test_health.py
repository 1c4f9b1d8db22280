from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_database_reachable(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}


@pytest.mark.django_db
def test_readyz_is_503_in_the_error_shape_when_database_is_down(client):
    with mock.patch("core.health.connection") as conn:
        conn.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"][0]["code"] == "database_unavailable"


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_probes_answer_whatever_host_the_orchestrator_uses(client, settings):
    settings.ALLOWED_HOSTS = ["register.example.org"]
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/api/v1/parties/", HTTP_HOST="10.1.2.3:8000").status_code == 400
