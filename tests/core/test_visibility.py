"""The draft rule in both directions: ``private_pks`` (written so that indexes find drafts)
names exactly the rows ``public_q`` leaves out, for every ruled model."""

from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.db.models.sql.compiler import SQLCompiler

from core.choices import ReviewStatus
from core.visibility import _is_ruled, private_pks, public_q
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation
from sources.models import Citation, Source
from treaties.models import Party, Treaty

pytestmark = pytest.mark.django_db
UN_2025 = (
    Path(__file__).parents[1] / "sanctions" / "data" / "un_consolidated_2025-04-19_excerpt.xml"
)


def test_private_rows_are_exactly_those_the_public_may_not_see(seeded):
    official_list_import(parsed=un_list_parse(UN_2025))
    draft = ReviewStatus.DRAFT
    # Drafts of each kind, and rows that are private only through a parent or a cited record.
    Designation.objects.filter(pk__in=Designation.objects.order_by("pk")[:3]).update(
        review_status=draft
    )
    Treaty.objects.filter(pk="russia-dprk-2000").update(review_status=draft)
    Party.objects.filter(pk="north-korea").update(review_status=draft)
    Source.objects.filter(pk__in=Source.objects.order_by("pk")[:1]).update(review_status=draft)
    checked = 0
    for model in apps.get_models():
        if not _is_ruled(model):
            continue
        rows = model._default_manager.all()
        every = set(rows.values_list("pk", flat=True))
        public = set(rows.filter(public_q(model)).values_list("pk", flat=True))
        private = set(rows.filter(pk__in=private_pks(model)).values_list("pk", flat=True))
        assert public | private == every, model.__name__
        assert not public & private, model.__name__
        checked += bool(private) and bool(public)
    assert checked >= 8  # drafts and published rows side by side in most kinds


def test_draft_checks_compile_once_and_still_read_the_data(seeded):
    """The private keys' SQL (CompiledOnce) is kept between queries; the rows it finds are
    read afresh by each query."""
    public = Citation.objects.filter(public_q(Citation))
    before = public.count()
    compiled = []
    as_sql = SQLCompiler.as_sql

    def spy(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", spy):
        assert public.count() == before
    assert compiled == [Citation]  # the count's own query; no draft check compiled again
    of_treaty = {"object_id": "russia-dprk-2000", "content_type__model": "treaty"}
    assert public.filter(**of_treaty).exists()
    Treaty.objects.filter(pk="russia-dprk-2000").update(review_status=ReviewStatus.DRAFT)
    assert not public.filter(**of_treaty).exists()
