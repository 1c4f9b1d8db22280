"""Response examples for the OpenAPI document, kept as JSON files beside each app's API.

Each file is a real response for a seed record; tests/acceptance/test_examples.py checks that
the API still returns exactly that, so the documentation cannot drift from the behaviour.
"""

import json
from functools import cache
from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent.parent.parent / "docs" / "examples"


@cache
def example(name: str) -> dict:
    """The example response stored in docs/examples/<name>.json."""
    return json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))
