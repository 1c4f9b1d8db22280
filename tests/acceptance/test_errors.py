"""One error format for every error; bad input is a 400 naming the parameter, never a 500."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def first_error(response):
    body = response.json()
    assert set(body) == {"type", "errors"}, body
    return body["type"], body["errors"][0]


@pytest.mark.parametrize(
    ("path", "attr"),
    [
        ("/api/v1/treaties/?signed_after=2024-13-01", "signed_after"),
        ("/api/v1/treaties/?in_force_on=yesterday", "in_force_on"),
        ("/api/v1/treaties/?status=valid", "status"),
        ("/api/v1/treaties/?obligation=friendship", "obligation"),
        ("/api/v1/treaties/?party=K%20P", "party"),
        ("/api/v1/treaties/?in_force_on=", "in_force_on"),
        ("/api/v1/treaties/?status=", "status"),
        ("/api/v1/treaties/?limit=ten", "limit"),
        ("/api/v1/treaties/?limit=0", "limit"),
        ("/api/v1/treaties/?limit=100000", "limit"),
        ("/api/v1/treaties/?offset=-1", "offset"),
        ("/api/v1/treaties/?ordering=secret", "ordering"),
        ("/api/v1/regimes/?measure=naming", "measure"),
        ("/api/v1/regimes/?active_on=2024-02-30", "active_on"),
        ("/api/v1/regimes/?target=north%20korea", "target"),
        ("/api/v1/designations/?listed_after=2024", "listed_after"),
        ("/api/v1/designations/?kind=ship", "kind"),
        ("/api/v1/parties/?kind=nation", "kind"),
        ("/api/v1/sources/?kind=blog", "kind"),
        ("/api/v1/parties/RU/relations/KP/?on=soon", "on"),
    ],
)
def test_invalid_parameter_is_a_400_naming_it(api_client, path, attr):
    response = api_client.get(path)
    assert response.status_code == 400, response.content
    kind, error = first_error(response)
    assert (kind, error["attr"]) == ("validation_error", attr)
    assert error["detail"] and error["code"]


def test_unknown_record_is_a_404(api_client):
    response = api_client.get("/api/v1/treaties/no-such-treaty/")
    assert response.status_code == 404
    assert first_error(response) == (
        "client_error",
        {"code": "not_found", "detail": "Not found.", "attr": None},
    )


def test_unknown_api_path_is_a_json_404(api_client):
    response = api_client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert first_error(response)[1]["code"] == "not_found"


def test_unsupported_media_type_requested_is_a_406(api_client):
    response = api_client.get("/api/v1/treaties/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert first_error(response)[1]["code"] == "not_acceptable"


def test_method_not_allowed_is_a_405(api_client):
    user = get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "pw-not-used-123"
    )
    api_client.force_authenticate(user)
    response = api_client.put("/api/v1/parties/RU/relations/KP/", {})
    assert response.status_code == 405
    assert first_error(response)[1]["code"] == "method_not_allowed"


def test_anonymous_writes_are_refused(api_client):
    response = api_client.post("/api/v1/treaties/", {"id": "x"})
    assert response.status_code in (401, 403)
    assert first_error(response)[0] == "client_error"


def test_a_crash_is_a_500_in_the_same_format():
    api_client = APIClient(raise_request_exception=False)
    with mock.patch("treaties.api.views.TreatyViewSet.list", side_effect=RuntimeError("boom")):
        response = api_client.get("/api/v1/treaties/")
    assert response.status_code == 500
    kind, error = first_error(response)
    assert kind == "server_error" and "boom" not in error["detail"]
