import pytest

from register.services import records_load


@pytest.fixture
def seeded(db):
    """The curated, article-derived records."""
    records_load()
