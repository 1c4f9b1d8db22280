"""Each field is declared once, on its model: the API's read and write representations and the
fixture loader take their field lists, help texts and null handling from it."""

import pytest
from django.db.models import CharField, TextField
from rest_framework import serializers

from core.api.serializers import (
    ChoiceOrNullField,
    PartialDateField,
    RecordReadSerializer,
    TextOrNullField,
)
from core.fixture_files import FixtureRecord, RecordError
from core.models import curated_fields
from register.loading import record_keys_check
from sanctions.api.serializers import DesignationSerializer, RegimeSerializer
from sanctions.api.write_serializers import DesignationWriteSerializer, RegimeWriteSerializer
from sanctions.models import Designation, SanctionsRegime
from sources.api.serializers import CitationSerializer, SourceDetailSerializer
from treaties.api.serializers import PartySerializer, TreatySerializer
from treaties.api.write_serializers import (
    ParticipationWriteSerializer,
    PartyWriteSerializer,
    ProvisionWriteSerializer,
    TreatyWriteSerializer,
)
from treaties.models import Participation, Party, Provision, Treaty

READ = [
    PartySerializer,
    TreatySerializer,
    RegimeSerializer,
    DesignationSerializer,
    SourceDetailSerializer,
    CitationSerializer,
]


def model_fields(serializer_class: type[serializers.ModelSerializer]):
    """(name, serializer field, model field) for each field that is the model's own."""
    model = serializer_class.Meta.model
    own = {
        field.name: field for field in model._meta.get_fields() if getattr(field, "help_text", "")
    }
    for name, field in serializer_class().get_fields().items():
        if name in own:
            yield name, field, own[name]


def nested(field: serializers.Field) -> serializers.Field:
    """The field that renders one value: a list's child, a many-relation's item."""
    return getattr(field, "child", None) or getattr(field, "child_relation", None) or field


@pytest.mark.parametrize("serializer_class", READ, ids=lambda s: s.__name__)
def test_read_fields_say_what_the_model_says(serializer_class):
    checked = 0
    for name, field, model_field in model_fields(serializer_class):
        assert field.read_only, name
        assert field.help_text == model_field.help_text, name
        checked += 1
    assert checked >= 4


@pytest.mark.parametrize("serializer_class", READ, ids=lambda s: s.__name__)
def test_read_fields_render_unknown_as_the_model_stores_it(serializer_class):
    model = serializer_class.Meta.model
    checked = 0
    for name, field, model_field in model_fields(serializer_class):
        if name in getattr(model, "partial_dates", ()):
            assert isinstance(field, PartialDateField), name
            checked += 1
        optional_text = model_field.concrete and model_field.blank and not model_field.null
        if optional_text and isinstance(model_field, (CharField, TextField)):
            if model_field.choices:
                assert isinstance(field, ChoiceOrNullField), name
            else:
                assert isinstance(field, TextOrNullField), name
            checked += 1
    assert checked >= 1


def test_a_to_many_field_and_its_items_share_the_models_help_text():
    fields = RegimeSerializer().get_fields()
    measures = SanctionsRegime._meta.get_field("measures").help_text
    assert fields["measures"].help_text == nested(fields["measures"]).help_text == measures


def test_derived_values_and_reverse_links_keep_their_own_text():
    fields = TreatySerializer().get_fields()
    assert fields["status"].help_text.startswith("Derived from the dates")
    assert fields["replaced_by"].help_text == "Later treaties that replace this one."


def test_an_optional_choice_is_an_enum_or_null():
    field = TreatySerializer().get_fields()["end_cause"]
    assert isinstance(field, serializers.ChoiceField) and field.allow_null
    assert "replacement" in field.choices and "" not in field.choices


def test_read_serializers_share_the_base():
    for serializer_class in READ:
        assert issubclass(serializer_class, RecordReadSerializer)


def test_curated_fields_leave_out_keys_bookkeeping_twins_and_the_parent():
    fields = curated_fields(Participation)
    assert "party" in fields and "signed_on" in fields
    for absent in ("id", "treaty", "signed_on_precision", "created_at", "updated_at"):
        assert absent not in fields
    assert "review_status" not in curated_fields(Treaty)
    assert "import_snapshot" not in curated_fields(Designation)


@pytest.mark.parametrize(
    ("write", "model", "extra"),
    [
        (PartyWriteSerializer, Party, {"review_status"}),
        (TreatyWriteSerializer, Treaty, {"review_status", "participations", "provisions"}),
        (ParticipationWriteSerializer, Participation, set()),
        (ProvisionWriteSerializer, Provision, set()),
        (RegimeWriteSerializer, SanctionsRegime, {"review_status"}),
        (DesignationWriteSerializer, Designation, {"review_status", "aliases"}),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_write_fields_are_the_models_curated_fields(write, model, extra):
    assert set(write().get_fields()) == set(curated_fields(model)) | extra


@pytest.mark.parametrize(
    ("model", "spec", "field"),
    [
        (Party, {"id": "x", "name": "X", "kind": "state", "isoalpha2": "XX"}, "isoalpha2"),
        (Party, {"id": "x", "kind": "state"}, "name"),
        (Provision, {"label": "Article 1"}, "summary"),
        (SanctionsRegime, {"id": "x", "key": "X", "name": "X", "sector": "oil"}, "sector"),
    ],
)
def test_the_loader_checks_fixture_keys_against_the_model(model, spec, field):
    where = FixtureRecord(file="fixtures/x.toml", record="record 'x'")
    with pytest.raises(RecordError) as error:
        record_keys_check(spec, where, model)
    assert error.value.field == field


def test_the_loader_accepts_every_curated_field_and_citations():
    where = FixtureRecord(file="fixtures/x.toml", record="record 'x'")
    spec = {name: "value" for name in curated_fields(Treaty)} | {"citations": []}
    record_keys_check(
        spec | {"participation": [], "provision": []}, where, Treaty, "participation", "provision"
    )
