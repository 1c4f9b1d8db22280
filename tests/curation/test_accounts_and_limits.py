import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


def test_curators_group_can_edit_the_register_but_not_accounts():
    perms = set(
        Group.objects.get(name="curators").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert {
        ("treaties", "change_treaty"),
        ("sources", "add_citation"),
        ("sanctions", "delete_designation"),
    } <= perms
    assert ("core", "view_change") in perms and ("core", "change_change") not in perms
    assert not any(app == "auth" for app, _ in perms)


def test_create_curator_prints_a_one_time_password_that_works(capsys):
    call_command("create_curator", "ana")
    out = capsys.readouterr().out
    password = out.split("(shown only now): ")[1].split()[0]
    user = authenticate(username="ana", password=password)
    assert user is not None and user.is_staff and user.groups.filter(name="curators").exists()
    call_command("create_curator", "ben")
    assert password not in capsys.readouterr().out, "each account gets its own password"


def test_create_curator_refuses_an_existing_name():
    call_command("create_curator", "ana")
    with pytest.raises(CommandError, match="user 'ana' already exists"):
        call_command("create_curator", "ana")


def test_anonymous_clients_are_rate_limited(api_client, monkeypatch):
    cache.clear()
    monkeypatch.setattr(
        AnonRateThrottle,
        "THROTTLE_RATES",
        {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"},
    )
    statuses = [api_client.get("/api/v1/parties/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get("/api/v1/parties/")
    assert response.json()["errors"][0]["code"] == "throttled" and "Retry-After" in response
    cache.clear()


@pytest.mark.parametrize("proxies", [None, 0, 1, 2])
@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "10.0.0.9"},
        {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "203.0.113.7, 198.51.100.2"},
        {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": " 203.0.113.7 ,  198.51.100.2 "},
    ],
)
def test_clients_are_told_apart_as_drf_tells_them_apart(rf, monkeypatch, proxies, meta):
    # The throttles read the client's address from META (request.headers costs more than a
    # cached answer); what they find must be what DRF's own rule finds.
    from core.api.throttling import AnonRateThrottle as Ours

    monkeypatch.setattr(api_settings, "NUM_PROXIES", proxies)
    request = rf.get("/api/v1/treaties/", **meta)
    assert Ours().get_ident(request) == AnonRateThrottle().get_ident(request)
