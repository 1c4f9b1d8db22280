"""Drafts never leak: no public response names a draft, however published records link to it.

A draft of every reviewed model is linked from published records in every way the models
allow; then every public endpoint in the OpenAPI document is walked anonymously, with every
filter, and no response may show a draft's id or title.
"""

import itertools
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.urls import resolve
from rest_framework.test import APIClient

from core.visibility import public_q, public_view
from sanctions.models import Designation, SanctionsRegime
from sources.models import Citation, Source
from tests.factories import (
    make_citation,
    make_designation,
    make_participation,
    make_party,
    make_regime,
    make_source,
    make_treaty,
)
from treaties.models import Party, Provision, Treaty

pytestmark = pytest.mark.usefixtures("seeded")

SECRET = "secretdraft"  # in every draft's id and title, so one search finds either
SEED_SOURCE = "thejournal-putin-kim-defence-pact-2024"
SEED_QUOTE = "strategic treaty"  # occurs in the seed source's text
DRAFT_TEXT = "SECRETDRAFT source text: a secret draft pact was signed."


@pytest.fixture
def curator_client(db) -> APIClient:
    user = get_user_model().objects.create_user("curator", password="not-used-in-tests-123")
    user.groups.add(Group.objects.get(name="curators"))
    client = APIClient()
    client.force_authenticate(user)
    return client


def draft_party(**extra) -> Party:
    return make_party(
        id="secretdraft-party", name="SECRETDRAFT Party", review_status="draft", **extra
    )


def draft_treaty() -> Treaty:
    return make_treaty(id="secretdraft-treaty", title="SECRETDRAFT Treaty", review_status="draft")


def draft_regime(**extra) -> SanctionsRegime:
    return make_regime(
        id="secretdraft-regime",
        key="SECRETDRAFT-REGIME",
        name="SECRETDRAFT Regime",
        review_status="draft",
        **extra,
    )


def draft_source():
    return make_source(
        id="secretdraft-source", title="SECRETDRAFT Source", text=DRAFT_TEXT, review_status="draft"
    )


@pytest.fixture
def drafts():
    """A draft of every reviewed model, each linked from published records every way it can be."""
    russia, korea, ussr = (
        Party.objects.get(pk=p) for p in ("russia", "north-korea", "soviet-union")
    )
    pact, old_pact = (Treaty.objects.get(pk=t) for t in ("russia-dprk-2024", "russia-dprk-2000"))
    un_dprk = SanctionsRegime.objects.get(pk="un-dprk")
    seed_source = Source.objects.get(pk=SEED_SOURCE)

    party = draft_party(iso_alpha2="TV", iso_alpha3="TUV", aliases=["SECRETDRAFT alias"])
    party.successors.add(ussr)  # a draft predecessor of a published party
    russia.successors.add(party)  # a draft successor of a published party
    treaty = draft_treaty()
    treaty.replaces.add(old_pact)
    treaty.amends.add(old_pact)  # published treaties replaced and amended by a draft
    pact.replaces.add(treaty)
    pact.amends.add(treaty)  # a published treaty replacing and amending a draft
    make_participation(treaty=treaty, party=russia, signed_on="2024")
    make_participation(treaty=treaty, party=korea, signed_on="2024")
    make_participation(treaty=pact, party=party, signed_on="2024")
    provision = Provision.objects.create(treaty=treaty, label="SECRETDRAFT Art.", summary="x")
    regime = draft_regime(issuer=russia, targets=[korea, party], started_on="2020")
    public_regime = make_regime(
        id="published-regime", issuer=party, targets=[korea, party], started_on="2020"
    )
    un_dprk.targets.add(party)
    source = draft_source()
    designation = make_designation(
        id="secretdraft-designation",
        name="SECRETDRAFT Designation",
        reference_number="SECRETDRAFT-1",
        review_status="draft",
        regimes=[un_dprk],
        aliases=["SECRETDRAFT Alias"],
        nationality=korea,
        source=seed_source,
    )
    designation.identifiers.create(
        type="passport", value="SECRETDRAFT 1", normalised="SECRETDRAFT1", note="SECRETDRAFT"
    )
    designation.addresses.create(kind="address", text="SECRETDRAFT Street", country=korea)
    published = make_designation(
        id="published-designation",
        regimes=[un_dprk, regime],
        nationality=party,
        source=source,
        listed_on="2021",
        kind="vessel",
        vessel_flag=party,  # a draft flag state
    )
    published.addresses.create(kind="place_of_birth", text="Funafuti", country=party)
    participation = pact.participations.get(party=party)
    for record, field in [
        (pact, "title"),
        (russia, "name"),
        (un_dprk, "name"),
        (public_regime, "name"),
        (seed_source, "title"),
        (pact.participations.get(party=russia), "party"),
        (pact.provisions.first(), "summary"),
        (Designation.objects.get(pk="published-designation"), "name"),
    ]:  # evidence from a draft source for published records
        make_citation(record=record, source=source, quote="secret draft pact", field=field)
    for record, field in [
        (party, "name"),
        (treaty, "title"),
        (treaty.participations.first(), "party"),
        (participation, "party"),
        (provision, "summary"),
        (regime, "name"),
        (designation, "name"),
        (source, "title"),
    ]:  # evidence from a published source for drafts
        make_citation(record=record, source=seed_source, quote=SEED_QUOTE, field=field)
    return {"party": party, "treaty": treaty, "regime": regime, "source": source}


def body(response) -> str:
    """The response as text, without the links that echo the request's own parameters."""
    if not response.content:
        return ""
    data = response.json()
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in ("next", "previous")}
    return json.dumps(data)


def assert_private(response, url):
    assert response.status_code < 500, url
    assert SECRET not in body(response).lower(), f"{url} shows a draft"


def read_all(client, url, params=None) -> list:
    """Every page of a list, each checked."""
    items, params = [], {**(params or {}), "limit": 200}
    while url:
        response = client.get(url, params)
        assert_private(response, f"{url} {params}")
        if response.status_code != 200:
            return items
        items += response.json()["results"]
        url, params = response.json()["next"], None
    return items


def filter_values(parameter: dict) -> list:
    """Values to try for a list parameter: every choice, or a draft's id, name and code."""
    schema = parameter.get("schema", {})
    if "enum" in schema:
        return [v for v in schema["enum"] if v not in ("", None)]
    if schema.get("type") == "array":
        schema = schema["items"]
    if schema.get("type") == "boolean":
        return ["true", "false"]
    if schema.get("format") == "date":
        return ["2024-06-19", "1900-01-01"]
    if schema.get("format") == "date-time":
        return ["1900-01-01T00:00:00Z"]
    if schema.get("type") == "integer":
        return []
    return [
        "secretdraft-party",
        "secretdraft-treaty",
        "secretdraft-regime",
        "SECRETDRAFT-REGIME",
        "secretdraft-designation",
        "SECRETDRAFT-1",
        "secretdraft-source",
        "SECRETDRAFT",
        "TV",
        "TUV",
    ]


SKIPPED_PARAMETERS = {"limit", "offset", "ordering", "include_drafts", "format", "lang"}


def export_formats(operation: dict) -> list[str]:
    """The formats an export operation offers (its `format` parameter); none: not an export."""
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "format" and parameter["in"] == "query":
            return parameter["schema"]["enum"]
    return []


def read_export(client, url, formats, params=None) -> None:
    """The export in every format, each checked (streamed: its whole content)."""
    for format_ in formats:
        response = client.get(url, {**(params or {}), "format": format_})
        assert response.status_code < 500, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in content.decode().lower(), f"{url} as {format_} shows a draft"


def test_no_public_endpoint_shows_a_draft(api_client, drafts):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    assert SECRET not in json.dumps(schema).lower()
    gets = {path: ops["get"] for path, ops in schema["paths"].items() if "get" in ops}
    exports = {
        path: export_formats(gets[path])
        for path in gets
        if path.endswith("/export/") and export_formats(gets[path])
    }
    assert len(exports) == 7  # every collection (list versions' CSV: their own walk below)
    for path, formats in exports.items():
        read_export(api_client, path, formats)
        for parameter in gets[path].get("parameters", []):
            if parameter["in"] != "query" or parameter["name"] in SKIPPED_PARAMETERS:
                continue
            for value in filter_values(parameter):
                read_export(api_client, path, formats, {parameter["name"]: value})
    lists = [path for path in gets if "{" not in path and path not in exports]
    ids: dict[str, list[str]] = {}  # list path -> ids of its records
    for path in lists:
        ids[path] = [str(item["id"]) for item in read_all(api_client, path) if "id" in item]
        for parameter in gets[path].get("parameters", []):
            if parameter["in"] != "query" or parameter["name"] in SKIPPED_PARAMETERS:
                continue
            for value in filter_values(parameter):
                read_all(api_client, path, {parameter["name"]: value})
    walked = 0
    draft_ids = [f"{SECRET}-{kind}" for kind in ("party", "treaty", "regime", "source")]
    for path in gets:
        if "{" not in path:
            continue
        collection = path[: path.index("{")]
        names = [p["name"] for p in gets[path]["parameters"] if p["in"] == "path"]
        public = ids[collection]
        for values in itertools.product(public, repeat=len(names)):
            url = path
            for name, value in zip(names, values, strict=True):
                url = url.replace("{" + name + "}", value)
            assert_private(api_client.get(url), url)
            walked += 1
        # A draft (or a hidden row) answers exactly as a record that does not exist.
        model = resolve(collection).func.cls.queryset.model
        hidden_rows = model.objects.exclude(public_q(model)).values_list("pk", flat=True)
        for secret in [*draft_ids, *(str(pk) for pk in hidden_rows)]:
            absent = "999999" if secret.isdigit() else "no-such-record"
            for values in itertools.product([secret, *public[:1]], repeat=len(names)):
                if secret not in values:
                    continue
                url = path
                for name, value in zip(names, values, strict=True):
                    url = url.replace("{" + name + "}", value)
                response = api_client.get(url)
                nothing = api_client.get(url.replace(secret, absent))
                assert response.status_code == 404, f"{url} is {response.status_code}"
                assert body(response).replace(secret, absent) == body(nothing), url
    assert walked > 50  # the walk reached the seed records' details, histories and relations


def test_the_change_feed_leaves_out_evidence_for_drafts_and_from_draft_sources(api_client):
    treaty, source = draft_treaty(), draft_source()
    pact = Treaty.objects.get(pk="russia-dprk-2024")
    make_citation(record=treaty, source=Source.objects.get(pk=SEED_SOURCE), quote=SEED_QUOTE)
    make_citation(record=pact, source=source, quote="secret draft pact")
    make_participation(treaty=treaty, party=Party.objects.get(pk="russia"))
    Provision.objects.create(treaty=treaty, label="Art. 1", summary="x")
    make_participation(treaty=pact, party=draft_party())
    for model in ("citation", "participation", "provision"):
        changes = read_all(
            api_client, "/api/v1/changes/", {"model": model, "since": "2000-01-01T00:00:00Z"}
        )
        assert changes, model  # the seed records' own changes are still there
        assert {c["record_id"] for c in changes}.isdisjoint(
            str(pk)
            for pk in Citation.objects.exclude(public_q(Citation)).values_list("pk", flat=True)
        )
    feed = read_all(api_client, "/api/v1/changes/", {"model": "participation"})
    shown = {c["record_id"] for c in feed}
    assert str(pact.participations.get(party_id="secretdraft-party").pk) not in shown
    assert str(treaty.participations.get().pk) not in shown
    feed = read_all(api_client, "/api/v1/changes/", {"model": "citation"})
    assert {c["record_id"] for c in feed} == {
        str(pk) for pk in Citation.objects.filter(public_q(Citation)).values_list("pk", flat=True)
    }


def test_a_sources_citation_count_counts_public_citations_only(api_client, curator_client):
    source = Source.objects.get(pk=SEED_SOURCE)
    before = api_client.get(f"/api/v1/sources/{source.pk}/").json()["citation_count"]
    make_citation(record=draft_treaty(), source=source, quote=SEED_QUOTE)
    assert api_client.get(f"/api/v1/sources/{source.pk}/").json()["citation_count"] == before
    listed = {
        s["id"]: s["citation_count"] for s in api_client.get("/api/v1/sources/").json()["results"]
    }
    assert listed[source.pk] == before
    as_curator = curator_client.get(f"/api/v1/sources/{source.pk}/", {"include_drafts": "true"})
    assert as_curator.json()["citation_count"] == before + 1


def test_a_published_treaty_does_not_show_a_draft_it_replaces_or_amends(api_client, curator_client):
    draft = draft_treaty()
    response = curator_client.patch(
        "/api/v1/treaties/russia-dprk-2024/",
        {"replaces": ["russia-dprk-2000", draft.pk], "amends": [draft.pk]},
        format="json",
    )
    assert response.status_code == 200
    draft.replaces.add("russia-dprk-2000")
    draft.amends.add("russia-dprk-2000")
    pact = api_client.get("/api/v1/treaties/russia-dprk-2024/").json()
    assert [t["id"] for t in pact["replaces"]] == ["russia-dprk-2000"] and pact["amends"] == []
    older = api_client.get("/api/v1/treaties/russia-dprk-2000/").json()
    assert draft.pk not in [t["id"] for t in older["replaced_by"] + older["amended_by"]]
    as_curator = curator_client.get(
        "/api/v1/treaties/russia-dprk-2024/", {"include_drafts": "true"}
    )
    assert draft.pk in [t["id"] for t in as_curator.json()["replaces"]]


def test_a_published_treaty_does_not_show_a_draft_partys_participation(api_client):
    pact = Treaty.objects.get(pk="russia-dprk-2024")
    make_participation(treaty=pact, party=draft_party())
    shown = api_client.get(f"/api/v1/treaties/{pact.pk}/").json()["participations"]
    assert sorted(p["party"]["id"] for p in shown) == ["north-korea", "russia"]


def test_a_regime_does_not_show_a_draft_issuer_or_target(api_client):
    party = draft_party()
    make_regime(
        id="published-regime", issuer=party, targets=[party, Party.objects.get(pk="russia")]
    )
    regime = api_client.get("/api/v1/regimes/published-regime/").json()
    assert regime["issuer"] is None
    assert [t["id"] for t in regime["targets"]] == ["russia"]


def test_a_designation_does_not_show_a_draft_regime_nationality_or_source(api_client):
    make_designation(
        id="published-designation",
        regimes=[draft_regime(), SanctionsRegime.objects.get(pk="un-dprk")],
        nationality=draft_party(),
        source=draft_source(),
    )
    designation = api_client.get("/api/v1/designations/published-designation/").json()
    assert [r["id"] for r in designation["regimes"]] == ["un-dprk"]
    assert (designation["nationality"], designation["source"]) == (None, None)


def test_a_designations_addresses_and_flag_do_not_show_a_draft_country(api_client):
    party = draft_party()
    published = make_designation(
        id="published-designation",
        regimes=[SanctionsRegime.objects.get(pk="un-dprk")],
        kind="vessel",
        vessel_flag=party,
    )
    published.addresses.create(kind="address", text="Funafuti", country=party)
    designation = api_client.get("/api/v1/designations/published-designation/").json()
    assert designation["vessel_flag"] is None
    assert [(a["text"], a["country"]) for a in designation["addresses"]] == [("Funafuti", None)]


def test_a_draft_designations_identifiers_and_addresses_are_not_found(api_client):
    draft = make_designation(
        id="secretdraft-designation",
        review_status="draft",
        regimes=[SanctionsRegime.objects.get(pk="un-dprk")],
    )
    draft.identifiers.create(type="imo", value="9999999", normalised="9999999")
    draft.addresses.create(kind="address", text="SECRETDRAFT Street")
    assert api_client.get("/api/v1/designations/", {"identifier": "9999999"}).json()["count"] == 0
    assert SECRET not in body(api_client.get("/api/v1/designations/"))


def test_designations_filtered_by_a_draft_regime_find_nothing(api_client):
    make_designation(id="published-designation", regimes=[draft_regime()])
    for ref in ("secretdraft-regime", "SECRETDRAFT-REGIME"):
        assert api_client.get("/api/v1/designations/", {"regime": ref}).json()["count"] == 0


def test_a_party_does_not_show_draft_successors_or_predecessors(api_client):
    party = draft_party()
    party.successors.add("soviet-union")
    Party.objects.get(pk="russia").successors.add(party)
    russia = api_client.get("/api/v1/parties/russia/").json()
    ussr = api_client.get("/api/v1/parties/soviet-union/").json()
    assert russia["successors"] == [] and [p["id"] for p in russia["predecessors"]] == [
        "soviet-union"
    ]
    assert ussr["predecessors"] == []


def test_a_record_does_not_show_citations_from_a_draft_source(api_client):
    pact = Treaty.objects.get(pk="russia-dprk-2024")
    before = api_client.get(f"/api/v1/treaties/{pact.pk}/").json()["citations"]
    make_citation(record=pact, source=draft_source(), quote="secret draft pact")
    assert api_client.get(f"/api/v1/treaties/{pact.pk}/").json()["citations"] == before


def test_history_does_not_show_links_to_drafts(api_client, curator_client):
    party = draft_party()
    regime = make_regime(id="published-regime", targets=[Party.objects.get(pk="russia")])
    regime.issuer = party
    regime.save()
    regime.targets.add(party)
    changes = [
        change
        for version in api_client.get("/api/v1/regimes/published-regime/history/").json()
        for change in version["changes"]
    ]
    assert party.pk not in json.dumps(changes)
    assert {c["field"] for c in changes} <= {"targets"}
    as_curator = curator_client.get(
        "/api/v1/regimes/published-regime/history/", {"include_drafts": "true"}
    ).json()
    shown = [change for version in as_curator for change in version["changes"]]
    assert {"field": "issuer", "old": None, "new": party.pk} in shown
    assert {"field": "targets", "old": ["russia"], "new": sorted(["russia", party.pk])} in shown


def test_relations_do_not_show_or_follow_draft_parties(api_client):
    party = draft_party()
    party.successors.add("soviet-union")  # a draft predecessor of the Soviet Union
    treaty = make_treaty(id="published-pact", signed_on="1950")
    for member in (party, Party.objects.get(pk="north-korea"), Party.objects.get(pk="russia")):
        make_participation(treaty=treaty, party=member)
    make_regime(
        id="published-regime", issuer=Party.objects.get(pk="russia"), targets=[party, "north-korea"]
    )
    timeline = api_client.get("/api/v1/parties/RU/relations/KP/").json()["timeline"]
    assert {"published-pact", "published-regime"} <= {entry["id"] for entry in timeline}
    assert party.pk not in json.dumps(timeline)
    assert api_client.get(f"/api/v1/parties/{party.pk}/relations/KP/").status_code == 404


def test_succession_is_not_followed_through_a_draft_predecessor(api_client):
    party = draft_party()
    party.successors.add("soviet-union")
    treaty = make_treaty(id="published-pact", signed_on="1950")
    for member in (party, Party.objects.get(pk="north-korea")):
        make_participation(treaty=treaty, party=member)
    found = api_client.get(
        "/api/v1/treaties/", {"party": ["RU", "KP"], "include_predecessors": "true", "limit": 200}
    ).json()["results"]
    assert "published-pact" not in [t["id"] for t in found]


def test_if_match_accepts_the_etag_a_client_read_without_drafts(curator_client):
    Treaty.objects.get(pk="russia-dprk-2024").replaces.add(draft_treaty())
    public_etag = curator_client.get("/api/v1/treaties/russia-dprk-2024/")["ETag"]
    response = curator_client.patch(
        "/api/v1/treaties/russia-dprk-2024/",
        {"signed_at": "Pyongyang"},
        format="json",
        HTTP_IF_MATCH=public_etag,
    )
    assert response.status_code == 200


def test_a_public_view_refuses_a_join_that_could_show_a_draft():
    with pytest.raises(ImproperlyConfigured):
        public_view(SanctionsRegime.objects.select_related("issuer"))
    with pytest.raises(ImproperlyConfigured):
        public_view(Treaty.objects.prefetch_related("participations__party"))
    public_view(Citation.objects.select_related("source"))  # only public sources' citations are


def test_list_version_changes_leave_out_draft_designations_and_draft_versions(api_client):
    from pathlib import Path

    from sanctions.importers.un import un_list_parse
    from sanctions.importers.writer import official_list_import

    data = Path(__file__).resolve().parents[1] / "sanctions" / "data"
    for name in (
        "un_consolidated_2020-11-30_excerpt.xml",
        "un_consolidated_2025-04-19_excerpt.xml",
    ):
        official_list_import(parsed=un_list_parse(data / name))
    url = "/api/v1/sources/un-consolidated-list-2025-04-19/changes/"
    shown = [item["designation"]["id"] for item in read_all(api_client, url)]
    assert len(shown) > 2
    for designation in Designation.objects.filter(pk__in=shown[:2]):  # as a curator would
        designation.name, designation.review_status = "SECRETDRAFT Designation", "draft"
        designation.save()
    assert [item["designation"]["id"] for item in read_all(api_client, url)] == shown[2:]
    assert SECRET not in api_client.get(url, {"format": "csv"}).content.decode().lower()
    earlier_version = Source.objects.get(pk="un-consolidated-list-2020-11-30")
    earlier_version.review_status = "draft"
    earlier_version.save()
    earlier = api_client.get(url, {"since_source": "un-consolidated-list-2020-11-30"})
    unknown = api_client.get(url, {"since_source": "no-such-record"})
    assert earlier.status_code == unknown.status_code == 400
    assert body(earlier).replace("un-consolidated-list-2020-11-30", "no-such-record") == body(
        unknown
    )
    # With the earlier version a draft, the default comparison skips it: all is added.
    assert {item["change"] for item in read_all(api_client, url)} == {"added"}


def test_a_sources_public_citation_count_is_kept_until_the_next_write(api_client):
    # Counted once per register version (sources.selectors.public_citation_counts).
    source = Source.objects.get(pk=SEED_SOURCE)
    path = f"/api/v1/sources/{source.pk}/"
    before = api_client.get(path).json()["citation_count"]
    published = Treaty.objects.filter(review_status="published").first()
    make_citation(record=published, source=source, quote=SEED_QUOTE)
    assert api_client.get(path).json()["citation_count"] == before + 1
