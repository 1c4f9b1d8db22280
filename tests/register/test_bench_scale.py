"""bench_scale: a benchmark database grows by cloning its records whole, with new ids.

Each copy is its own transaction here (transaction=True), as in a real run, so on PostgreSQL
as a superuser the fast path without per-row foreign-key checks is the one tested.
"""

from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField
from django.db.models.functions import Cast

from core.models import Change
from register.scaling import CLONE_MARK
from sanctions.importers.ofac import ofac_sdn_parse
from sanctions.importers.un import un_list_parse
from sanctions.importers.writer import official_list_import
from sanctions.models import Designation, DesignationAlias
from sources.models import Citation
from treaties.importers.atop import atop_import, atop_parse
from treaties.models import Participation, Provision, Treaty

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]
DATA = Path(__file__).resolve().parents[1] / "sanctions" / "data"


@pytest.fixture
def imported():
    """The seed records plus excerpts of the UN, OFAC SDN and ATOP files."""
    official_list_import(parsed=un_list_parse(DATA / "un_consolidated_2025-04-19_excerpt.xml"))
    official_list_import(parsed=ofac_sdn_parse(DATA / "ofac_sdn_2024-05-03_excerpt.csv"))
    alliances, files = atop_parse(
        DATA / "atop_alliance_level_excerpt.csv", DATA / "atop_member_level_excerpt.csv"
    )
    atop_import(alliances=alliances, files=files)
    return Designation.objects.count(), Treaty.objects.count()


def grow(designations: int, treaties: int) -> None:
    call_command("bench_scale", designations=designations, treaties=treaties, yes=True)


def citations_of(model, pk) -> list[tuple]:
    rows = Citation.objects.filter(content_type__model=model._meta.model_name, object_id=str(pk))
    return sorted(rows.values_list("source_id", "field", "quote", "start", "stance"))


def test_a_database_not_named_for_benchmarks_is_refused_without_yes(imported):
    with pytest.raises(CommandError, match="does not contain 'bench'"):
        call_command("bench_scale", designations=100, treaties=10)
    assert (Designation.objects.count(), Treaty.objects.count()) == imported


def test_counts_reach_the_target_exactly_with_a_last_partial_copy(imported):
    designations, treaties = imported
    grow(2 * designations + 3, 2 * treaties)
    assert Designation.objects.count() == 2 * designations + 3
    assert Treaty.objects.count() == 2 * treaties
    copies = Counter(pk.rsplit(CLONE_MARK, 1)[1] for pk in Designation.objects.filter(
        pk__contains=CLONE_MARK).values_list("pk", flat=True))  # fmt: skip
    assert copies == {"1": designations, "2": 3}


def test_a_cloned_designation_has_its_originals_regimes_aliases_citations_and_changes(imported):
    grow(2 * imported[0], 0)
    for original in Designation.objects.exclude(pk__contains=CLONE_MARK):
        clone = Designation.objects.get(pk=f"{original.pk}{CLONE_MARK}1")
        assert (clone.name, clone.nationality_id, clone.listed_on) == (
            original.name,
            original.nationality_id,
            original.listed_on,
        )
        reference = original.reference_number
        assert clone.reference_number == (f"{reference}{CLONE_MARK}1" if reference else "")
        assert set(clone.regimes.values_list("pk", flat=True)) == set(
            original.regimes.values_list("pk", flat=True)
        )
        assert sorted(clone.aliases.values_list("name", flat=True)) == sorted(
            original.aliases.values_list("name", flat=True)
        )
        assert citations_of(Designation, clone.pk) == citations_of(Designation, original.pk)
        assert Change.objects.filter(object_id=clone.pk).count() == (
            Change.objects.filter(object_id=original.pk).count()
        )


def test_a_cloned_treaty_has_its_participations_provisions_obligations_and_citations(imported):
    grow(0, 2 * imported[1])
    for original in Treaty.objects.exclude(pk__contains=CLONE_MARK):
        clone = Treaty.objects.get(pk=f"{original.pk}{CLONE_MARK}1")
        assert clone.title == original.title
        assert sorted(clone.participations.values_list("party_id", "signed_on")) == sorted(
            original.participations.values_list("party_id", "signed_on")
        )
        assert sorted(clone.provisions.values_list("label", "obligations")) == sorted(
            original.provisions.values_list("label", "obligations")
        )
        assert citations_of(Treaty, clone.pk) == citations_of(Treaty, original.pk)
        for model in (Participation, Provision):
            parts = model.objects.filter(treaty=original).order_by("pk")
            cloned = model.objects.filter(treaty=clone).order_by("pk")
            assert [citations_of(model, p.pk) for p in cloned] == [
                citations_of(model, p.pk) for p in parts
            ]


def test_every_cloned_row_points_at_an_existing_record(imported):
    grow(2 * imported[0] + 1, 2 * imported[1] + 1)
    designations = Designation.objects.values("pk")
    assert not DesignationAlias.objects.exclude(designation__in=designations).exists()
    links = Designation.regimes.through.objects
    assert not links.exclude(designation__in=designations).exists()
    assert not Participation.objects.exclude(treaty__in=Treaty.objects.values("pk")).exists()
    obligations = Provision.obligations.through.objects
    assert not obligations.exclude(provision__in=Provision.objects.values("pk")).exists()
    for model in (Designation, DesignationAlias, Treaty, Participation, Provision):
        ids = model.objects.annotate(text=Cast("pk", CharField())).values("text")
        kind = model._meta.model_name
        for rows in (Citation.objects, Change.objects):
            pointing = rows.filter(content_type__model=kind)
            assert not pointing.exclude(object_id__in=ids).exists(), (rows.model, kind)


def test_new_rows_after_cloning_get_fresh_ids_and_growing_again_is_refused(imported):
    grow(2 * imported[0], 2 * imported[1])
    designation = Designation.objects.exclude(pk__contains=CLONE_MARK).first()
    alias = DesignationAlias.objects.create(designation=designation, name="A new alias")
    assert alias.pk > DesignationAlias.objects.exclude(pk=alias.pk).order_by("-pk")[0].pk
    grow(2 * imported[0], 2 * imported[1])  # already at that scale: nothing to do
    with pytest.raises(CommandError, match="already grown"):
        grow(3 * imported[0], 0)


def test_the_api_serves_clones_lists_and_filters(imported, api_client):
    grow(2 * imported[0], 2 * imported[1])
    clone = Designation.objects.filter(pk__contains=CLONE_MARK, aliases__isnull=False).first()
    response = api_client.get(f"/api/v1/designations/{clone.pk}/")
    assert response.status_code == 200
    assert response.json()["aliases"] == sorted(clone.aliases.values_list("name", flat=True))
    assert api_client.get("/api/v1/designations/").json()["count"] == 2 * imported[0]
    found = api_client.get("/api/v1/treaties/", {"party": "RU"}).json()["count"]
    assert (
        found
        == 2
        * Treaty.objects.exclude(pk__contains=CLONE_MARK)
        .filter(participations__party__iso_alpha2="RU")
        .count()
    )
    assert api_client.get("/api/v1/changes/").status_code == 200


def _index_definitions() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'")
        return set(cursor.fetchall())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="indexes are set aside on PostgreSQL only"
)
def test_indexes_set_aside_while_cloning_are_all_built_again(imported):
    before = _index_definitions()
    grow(2 * imported[0], 2 * imported[1])
    assert _index_definitions() == before
    # The unique constraints are back as constraints, and hold.
    alias = DesignationAlias.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        DesignationAlias.objects.create(designation=alias.designation, name=alias.name)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="indexes are set aside on PostgreSQL only"
)
def test_indexes_are_built_again_when_cloning_fails(imported, monkeypatch):
    before = _index_definitions()

    def failing(plan, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("register.management.commands.bench_scale.family_grow", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        grow(2 * imported[0], 0)
    assert _index_definitions() == before


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="indexes are set aside on PostgreSQL only"
)
def test_nothing_to_grow_sets_no_index_aside(imported, monkeypatch):
    # Reading the catalogue would fail: at the target already, it is not read.
    monkeypatch.setattr("register.scaling._DEFERRABLE_SQL", "SELECT 1/0")
    grow(0, 0)
    assert (Designation.objects.count(), Treaty.objects.count()) == imported
