"""Fixtures shared by every test folder."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: a test's database is rolled back after it, and
    with it the register version that keyed what the test cached."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def view_answers(settings):
    """Public reads go to the view, for tests of what the view reads (its queries, its kept
    values): the read cache would answer a repeated read itself, in one query
    (tests/acceptance/test_read_cache.py)."""
    settings.READ_CACHE = False


@pytest.fixture
def fixture_copy(tmp_path: Path):
    """A writable copy of fixtures/ and seeds/; returns (fixtures_dir, seeds_dir, edit)."""
    fixtures = tmp_path / "fixtures"
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.FIXTURES_DIR, fixtures)
    shutil.copytree(settings.SEEDS_DIR, seeds)

    def edit(name: str, old: str, new: str) -> None:
        path = fixtures / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"test setup: {old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return fixtures, seeds, edit


@pytest.fixture
def curator(db):
    user = get_user_model().objects.create_user(
        "curator", "curator@example.org", "not-used-in-tests-123"
    )
    user.groups.add(Group.objects.get(name="curators"))
    return user


@pytest.fixture
def curator_client(curator) -> APIClient:
    client = APIClient()
    token = Token.objects.create(user=curator)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def seeded(db):
    """The curated, article-derived records (fixtures/), loaded."""
    from register.services import records_load

    return records_load()
