"""sources/{id}/changes/: what one version of an official list added, changed and delisted."""

import csv
import io
from pathlib import Path

import pytest

from core.choices import ReviewStatus
from core.history import change_reason
from sanctions.importers.ofac import ofac_sdn_parse
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation
from sanctions.services import designation_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]
DATA = Path(__file__).resolve().parents[1] / "sanctions" / "data"
UN_2020 = DATA / "un_consolidated_2020-11-30_excerpt.xml"
UN_2025 = DATA / "un_consolidated_2025-04-19_excerpt.xml"
URL = "/api/v1/sources/un-consolidated-list-2025-04-19/changes/"
SINCE = "un-consolidated-list-2020-11-30"


def import_un(path: Path):
    return official_list_import(parsed=un_list_parse(path))


@pytest.fixture
def two_versions():
    first = import_un(UN_2020)
    second = import_un(UN_2025)
    return first, second


def by_change(results):
    found = {"added": set(), "changed": set(), "delisted": set()}
    for item in results:
        found[item["change"]].add(item["designation"]["id"])
    return found


def test_the_changes_match_what_the_second_import_reported(api_client, two_versions):
    _, second = two_versions
    body = api_client.get(URL, {"since_source": SINCE, "limit": 200}).json()
    found = by_change(body["results"])
    assert body["count"] == sum(len(ids) for ids in found.values())
    assert (len(found["added"]), len(found["changed"]), len(found["delisted"])) == (
        second.total("added"),
        second.total("updated"),
        second.total("delisted"),
    )
    assert found["delisted"] == set(
        Designation.objects.filter(delisted_on__isnull=False).values_list("pk", flat=True)
    )


def test_a_changed_designation_names_each_field_with_old_and_new(api_client, two_versions):
    body = api_client.get(URL, {"since_source": SINCE, "limit": 200}).json()
    changed = [item for item in body["results"] if item["change"] == "changed"]
    assert changed, "the excerpts differ between 2020 and 2025"
    for item in changed:
        assert item["fields"]
        for change in item["fields"]:
            assert change["old"] != change["new"]
    designation = Designation.objects.get(pk=changed[0]["designation"]["id"])
    field = changed[0]["fields"][0]
    if field["field"] in ("name", "remarks", "reference_number"):
        assert getattr(designation, field["field"]) == field["new"]


def test_the_default_earlier_version_is_the_one_imported_just_before(api_client, two_versions):
    explicit = api_client.get(URL, {"since_source": SINCE, "limit": 200}).json()
    default = api_client.get(URL, {"limit": 200}).json()
    assert default == explicit
    first = api_client.get(f"/api/v1/sources/{SINCE}/changes/", {"limit": 200}).json()
    assert {item["change"] for item in first["results"]} == {"added"}


def test_pages_follow_limit_and_offset(api_client, two_versions):
    whole = api_client.get(URL, {"since_source": SINCE, "limit": 200}).json()["results"]
    page = api_client.get(URL, {"since_source": SINCE, "limit": 2, "offset": 1}).json()
    assert page["results"] == whole[1:3] and page["previous"] is not None
    assert [i["designation"]["id"] for i in whole] == sorted(i["designation"]["id"] for i in whole)


def test_a_curators_edit_between_versions_is_not_a_change_of_the_list(api_client, two_versions):
    before = api_client.get(URL, {"since_source": SINCE, "limit": 200}).json()
    kept = Designation.objects.filter(delisted_on__isnull=True).first()
    with change_reason("a curator"):
        designation_update(designation=kept, values={"remarks": "=edited by a curator"})
    assert api_client.get(URL, {"since_source": SINCE, "limit": 200}).json() == before


def test_csv_has_a_row_per_changed_field_and_neutralises_formulas(api_client, two_versions):
    response = api_client.get(URL, {"since_source": SINCE, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["change", "designation", "name", "reference_number", "field", "old", "new"]
    json_body = api_client.get(URL, {"since_source": SINCE, "limit": 200}).json()
    expected = sum(max(1, len(item["fields"])) for item in json_body["results"])
    assert len(rows) - 1 == expected
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))
    negotiated = api_client.get(URL, {"since_source": SINCE}, HTTP_ACCEPT="text/csv")
    assert negotiated.content == response.content


def test_csv_cell_neutralises_what_a_spreadsheet_would_run():
    from register.api.list_versions import csv_cell

    assert [csv_cell(v) for v in ("=1+1", "+7", "-0-", "@SUM", "plain", None, ["a", "b"])] == [
        "'=1+1",
        "'+7",
        "'-0-",
        "'@SUM",
        "plain",
        "",
        "a; b",
    ]


def test_ofac_versions_compare_too(api_client):
    for name in ("ofac_sdn_2022-02-17_excerpt.csv", "ofac_sdn_2024-05-03_excerpt.csv"):
        official_list_import(parsed=ofac_sdn_parse(DATA / name))
    body = api_client.get("/api/v1/sources/ofac-sdn-2024-05-03/changes/", {"limit": 200}).json()
    assert body["count"] > 0
    assert {item["designation"]["id"][:5] for item in body["results"]} == {"ofac-"}


@pytest.mark.parametrize(
    ("since", "problem"),
    [
        ("un-consolidated-list-2025-04-19", "is not earlier than"),
        ("thejournal-putin-kim-defence-pact-2024", "is not a version of the same list"),
        ("no-such-source", "no source with id"),
        ("ofac-sdn-2022-02-17", "is not a version of the same list"),
    ],
)
def test_since_source_that_is_not_an_earlier_version_is_a_400_naming_it(
    api_client, two_versions, since, problem
):
    official_list_import(parsed=ofac_sdn_parse(DATA / "ofac_sdn_2022-02-17_excerpt.csv"))
    response = api_client.get(URL, {"since_source": since, "format": "csv"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    (error,) = response.json()["errors"]
    assert error["attr"] == "since_source" and problem in error["detail"]


def test_an_unknown_source_is_a_404_and_one_that_is_not_a_list_a_400(api_client, two_versions):
    assert api_client.get("/api/v1/sources/no-such-list/changes/").status_code == 404
    response = api_client.get("/api/v1/sources/thejournal-putin-kim-defence-pact-2024/changes/")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "id"


def test_draft_designations_and_sources_are_not_shown(api_client, two_versions):
    body = api_client.get(URL, {"since_source": SINCE, "limit": 200}).json()
    hidden = body["results"][0]["designation"]["id"]
    draft = Designation.objects.get(pk=hidden)
    draft.review_status = ReviewStatus.DRAFT
    draft.save()  # a curator's change: in history, and the register's version moves
    again = api_client.get(URL, {"since_source": SINCE, "limit": 200}).json()
    assert hidden not in {item["designation"]["id"] for item in again["results"]}
    assert again["count"] == body["count"] - 1
    from sources.models import Source

    source = Source.objects.get(pk=SINCE)
    source.review_status = ReviewStatus.DRAFT
    source.save()
    assert api_client.get(URL, {"since_source": SINCE}).status_code == 400
    assert api_client.get(f"/api/v1/sources/{SINCE}/changes/").status_code == 404


def test_the_query_count_does_not_grow_with_the_page_or_the_list(api_client, two_versions):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(URL, {"since_source": SINCE, **params}).status_code == 200
        return len(captured)

    small = queries(limit=1)
    assert queries(limit=200) == small == queries(format="csv") and small <= 20


def test_a_format_other_than_json_or_csv_is_a_400_naming_it(api_client, two_versions):
    response = api_client.get(URL, {"format": "xml"})
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "format"
    assert api_client.get(URL, {"format": "json"}).json()["count"] > 0


def test_options_with_format_csv_describes_the_endpoint_in_json(api_client, two_versions):
    response = api_client.options(URL, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
