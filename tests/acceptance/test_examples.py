"""The OpenAPI examples are real responses for seed records, and stay so."""

import json
import os

import pytest

from core.api.examples import EXAMPLES_DIR

EXAMPLES = {
    "party-north-korea": "/api/v1/parties/north-korea/",
    "treaty-russia-dprk-2024": "/api/v1/treaties/russia-dprk-2024/",
    "regime-un-dprk": "/api/v1/regimes/un-dprk/",
    "relations-ru-kp": "/api/v1/parties/RU/relations/KP/",
    "source-list-item": "/api/v1/sources/?limit=1",
}


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
