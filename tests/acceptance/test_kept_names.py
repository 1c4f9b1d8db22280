"""The names that filters resolve (party ids and ISO codes, succession links, regime ids and
keys) are stored with the register's version by the writes that change them, and come with
its read (core.register_state.Names; treaties.selectors.party_names,
sanctions.selectors.regime_names): a filtered list spends no query on them, and a write that
changes a name, a link or what is published is seen by the next read, because it stores them
with its new version in its own transaction."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import register_state
from core.history import change_reason
from core.models import RegisterState
from sanctions.services import regime_write
from tests.factories import (
    make_designation,
    make_participation,
    make_party,
    make_regime,
    make_source,
    make_treaty,
)
from treaties.models import Party
from treaties.selectors import _PARTY_NAMES, party_names
from treaties.services import party_write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("view_answers")]


@pytest.fixture
def records():
    ussr = make_party(id="ussr", iso_alpha2="SU", kind="former_state")
    russia = make_party(id="russia", iso_alpha2="RU")
    korea = make_party(id="korea", iso_alpha2="KP")
    for id, parties in (("soviet-pact", (ussr, korea)), ("russian-pact", (russia, korea))):
        treaty = make_treaty(id=id, signed_on="1961")
        for party in parties:
            make_participation(treaty=treaty, party=party)
    regime = make_regime(id="un-dprk", key="UN-DPRK", issuer=russia, targets=[korea])
    make_designation(id="kim", regimes=[regime], nationality=korea)
    return {"ussr": ussr, "russia": russia, "korea": korea, "regime": regime}


def ids(api_client, path: str) -> list[str]:
    response = api_client.get(path)
    assert response.status_code == 200, response.content
    return [record["id"] for record in response.json()["results"]]


def queries(api_client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(path).status_code == 200
    return len(captured)


RUSSIA_AND_KOREA = "/api/v1/treaties/?party=RU&party=KP&include_predecessors=true"


def test_a_new_succession_link_is_followed_by_the_next_read(api_client, records):
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact"]  # the names are kept now
    party_write(party=records["ussr"], successors=[records["russia"]])
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact", "soviet-pact"]
    party_write(party=records["ussr"], successors=[])
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact"]


def test_a_changed_code_names_the_party_at_once(api_client, records):
    assert ids(api_client, "/api/v1/designations/?nationality=KP") == ["kim"]
    korea = records["korea"]
    korea.iso_alpha2 = "KR"
    party_write(party=korea)
    assert ids(api_client, "/api/v1/designations/?nationality=KP") == []
    assert ids(api_client, "/api/v1/designations/?nationality=kr") == ["kim"]


def test_a_party_taken_back_to_draft_names_nothing(api_client, records):
    assert ids(api_client, "/api/v1/regimes/?issuer=RU") == ["un-dprk"]
    russia = Party.objects.get(pk="russia")
    russia.review_status = "draft"
    party_write(party=russia)
    assert ids(api_client, "/api/v1/regimes/?issuer=RU") == []
    assert ids(api_client, "/api/v1/regimes/?issuer=russia") == []


def test_a_party_published_is_named_at_once(api_client, records):
    china = make_party(id="china", iso_alpha2="CN", review_status="draft")
    regime_write(regime=records["regime"], targets=[records["korea"], china])
    assert ids(api_client, "/api/v1/regimes/?target=CN") == []  # a draft names nothing
    china.review_status = "published"
    party_write(party=china)
    assert ids(api_client, "/api/v1/regimes/?target=CN") == ["un-dprk"]


def test_a_predecessor_published_joins_the_lineage_at_once(api_client, records):
    ussr = records["ussr"]
    party_write(party=ussr, successors=[records["russia"]])
    ussr.review_status = "draft"
    party_write(party=ussr)
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact"]
    ussr.review_status = "published"
    party_write(party=ussr)
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact", "soviet-pact"]


def test_names_read_inside_a_write_are_not_kept(records):
    # The version moves when the write ends: names kept during it would be kept under the
    # old version, which is the current one again after a rollback.
    with pytest.raises(RuntimeError), change_reason("a write that fails"):
        make_party(id="china", iso_alpha2="CN")
        assert party_names().resolve("CN") == "china"
        raise RuntimeError
    assert party_names().resolve("CN") is None


def test_a_changed_regime_key_names_the_regime_at_once(api_client, records):
    assert ids(api_client, "/api/v1/designations/?regime=un-dprk") == ["kim"]  # its id
    regime = records["regime"]
    regime.key = "UN-KP"
    regime_write(regime=regime)
    assert ids(api_client, "/api/v1/designations/?regime=UN-DPRK") == []
    assert ids(api_client, "/api/v1/designations/?regime=un-kp") == ["kim"]
    assert ids(api_client, "/api/v1/designations/?regime=un-dprk") == ["kim"]  # its id still


def test_a_regime_key_folds_ascii_letters_only(api_client, records):
    # The same on both databases: SQLite's LIKE folds ASCII only, PostgreSQL's UPPER all of
    # Unicode, so that a dotless i (U+0131) would have found "I" on PostgreSQL alone.
    assert ids(api_client, "/api/v1/designations/?regime=Un-dPrK") == ["kim"]
    records["regime"].key = "UN-DPRI"
    regime_write(regime=records["regime"])
    assert ids(api_client, "/api/v1/designations/?regime=un-dpr\u0131") == []


@pytest.mark.parametrize(
    "path",
    [
        RUSSIA_AND_KOREA,
        "/api/v1/designations/?nationality=KP",
        "/api/v1/designations/?regime=UN-DPRK",
        "/api/v1/regimes/?issuer=RU&target=KP",
    ],
)
def test_a_filtered_list_spends_no_query_on_names(api_client, records, path):
    api_client.get(path)  # stores the page's bodies (the factories' records are not rendered)
    for write in (
        lambda: make_source(id="a-write"),  # a new version, the same names
        lambda: make_party(id="china", iso_alpha2="CN"),  # new names
        lambda: make_regime(id="cn-export", key="CN-EXPORT", issuer=Party.objects.get(pk="china")),
    ):
        write()
        # The first read in the version, with no other reader before it: the version (the
        # names come with it), the list's count, its page, their bodies.
        assert queries(api_client, path) == 4
        assert queries(api_client, path) == 3  # then its count is kept too


def test_the_names_come_with_the_version_and_are_built_once_per_change(
    api_client, records, monkeypatch
):
    built, fetched = [], []
    build, cache_get = _PARTY_NAMES.build, register_state.cache.get
    monkeypatch.setattr(_PARTY_NAMES, "build", lambda rows: built.append(1) or build(rows))
    monkeypatch.setattr(
        register_state.cache, "get", lambda key, *a, **k: fetched.append(key) or cache_get(key)
    )
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact"]
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact"]
    make_source(id="a-write")  # changes no name: the names held stay current
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact"]
    assert len(built) == 1
    party_write(party=records["ussr"], successors=[records["russia"]])
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact", "soviet-pact"]
    assert len(built) == 2
    assert not [key for key in fetched if "names" in key]  # never from the cache


def test_names_no_write_has_stored_are_kept_per_version(api_client, records):
    # A database upgraded to this release holds no names until a write changes them: they
    # are read and kept per version in the cache meanwhile, and `manage.py store_names`
    # stores them.
    RegisterState.objects.update(names="", names_version="")
    assert ids(api_client, RUSSIA_AND_KOREA) == ["russian-pact"]
    make_source(id="a-write")
    assert queries(api_client, RUSSIA_AND_KOREA) == 5  # + the names, kept for the version
    assert queries(api_client, RUSSIA_AND_KOREA) == 3
    call_command("store_names", stdout=io.StringIO())
    assert RegisterState.objects.get().names
    assert queries(api_client, RUSSIA_AND_KOREA) == 4
    assert ids(api_client, "/api/v1/designations/?nationality=KP") == ["kim"]


def test_names_a_rolled_back_write_stored_are_not_held_after_it(records):
    # The write stores its names and its version, this process reads them inside the write,
    # then the write fails: the names held here are not the ones the database holds again.
    with pytest.raises(RuntimeError), change_reason("a write that fails"):
        make_party(id="china", iso_alpha2="CN")
        register_state.advance(names=True)
        register_state.version()  # brings the write's own names into this process
        raise RuntimeError
    assert party_names().resolve("CN") is None
    assert party_names().resolve("KP") == "korea"
