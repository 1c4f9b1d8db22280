"""The OpenAPI examples are real responses for seed records, and stay so."""

import json
import os
from pathlib import Path

import pytest

from core.api.examples import EXAMPLES_DIR

EXAMPLES = {
    "party-north-korea": "/api/v1/parties/north-korea/",
    "treaty-russia-dprk-2024": "/api/v1/treaties/russia-dprk-2024/",
    "regime-un-dprk": "/api/v1/regimes/un-dprk/",
    "relations-ru-kp": "/api/v1/parties/RU/relations/KP/",
    "source-list-item": "/api/v1/sources/?limit=1",
}


# Examples of imported records: live after importing the committed excerpts.
ATOP_EXAMPLES = {"treaty-atop-4470": "/api/v1/treaties/atop-4470/"}
DATA = Path(__file__).resolve().parents[1] / "sanctions" / "data"


@pytest.fixture
def atop_imported(seeded):
    from treaties.importers.atop import atop_import, atop_parse

    alliances, files = atop_parse(
        DATA / "atop_alliance_level_excerpt.csv", DATA / "atop_member_level_excerpt.csv"
    )
    atop_import(alliances=alliances, files=files)


@pytest.mark.parametrize(("name", "path"), ATOP_EXAMPLES.items())
def test_schema_example_of_an_imported_record_is_the_live_response(
    atop_imported, api_client, name, path
):
    test_schema_example_is_the_live_response(None, api_client, name, path)


def test_schema_example_of_list_changes_is_the_live_response(seeded, api_client):
    from sanctions.importers.un import un_list_parse
    from sanctions.importers.writer import official_list_import

    for name in (
        "un_consolidated_2020-11-30_excerpt.xml",
        "un_consolidated_2025-04-19_excerpt.xml",
    ):
        official_list_import(parsed=un_list_parse(DATA / name))
    target = EXAMPLES_DIR / "source-changes-un-2025.json"
    live = api_client.get(
        "/api/v1/sources/un-consolidated-list-2025-04-19/changes/",
        {"since_source": "un-consolidated-list-2020-11-30", "limit": 3},
    ).json()
    live["next"] = live["next"] and live["next"].replace("http://testserver", "")
    if os.environ.get("UPDATE_EXAMPLES") == "1" and (
        not target.exists() or json.loads(target.read_text(encoding="utf-8")) != live
    ):
        target.write_text(json.dumps(live, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.fail(f"{target.name} was rewritten: review and commit it, then run again")
    assert live == json.loads(target.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "path"), EXAMPLES.items())
def test_schema_example_is_the_live_response(seeded, api_client, name, path):
    """The live response equals the committed example. With UPDATE_EXAMPLES=1 a stale example
    is rewritten and the test still fails, so a run that rewrote anything is never green."""
    response = api_client.get(path)
    assert response.status_code == 200
    body = response.json()
    live = body["results"][0] if "results" in body else body
    target = EXAMPLES_DIR / f"{name}.json"
    committed = json.loads(target.read_text(encoding="utf-8"))
    if live != committed and os.environ.get("UPDATE_EXAMPLES") == "1":
        target.write_text(json.dumps(live, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.fail(
            f"{target.name} did not match {path} and was rewritten: review and commit it, "
            "then run again without UPDATE_EXAMPLES"
        )
    assert live == committed, (
        f"{target.name} no longer matches {path}; regenerate with UPDATE_EXAMPLES=1 pytest {__file__}"
    )
