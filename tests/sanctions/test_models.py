import pytest
from django.core.exceptions import ValidationError

from sanctions.choices import Measure
from sanctions.models import Designation, MeasureType, SanctionsRegime
from treaties.choices import Obligation
from treaties.models import ObligationType

pytestmark = pytest.mark.django_db


def test_measure_vocabulary_is_exactly_the_fixed_list():
    assert set(MeasureType.objects.values_list("code", flat=True)) == set(Measure.values)
    assert len(Measure.values) == 14


def test_obligation_vocabulary_is_exactly_the_fixed_list():
    assert set(ObligationType.objects.values_list("code", flat=True)) == set(Obligation.values)


def test_a_measure_outside_the_vocabulary_is_rejected():
    with pytest.raises(ValidationError) as error:
        MeasureType(code="naming_and_shaming").full_clean()
    assert "code" in error.value.message_dict


def test_regime_key_has_the_issuer_target_basis_shape():
    regime = SanctionsRegime(id="un-dprk", key="un dprk", name="UN sanctions")
    with pytest.raises(ValidationError) as error:
        regime.full_clean()
    assert "key" in error.value.message_dict


def test_regime_cannot_end_before_it_starts():
    regime = SanctionsRegime(id="x", key="X", name="X")
    regime.set_partial("started_on", "2006-10-14")
    regime.set_partial("ended_on", "2006")
    regime.full_clean()  # the end year contains the start day: possible
    regime.set_partial("ended_on", "2005")
    with pytest.raises(ValidationError) as error:
        regime.full_clean()
    assert "ended_on" in error.value.message_dict


def test_designation_dates_of_birth_are_partial_dates():
    designation = Designation(
        id="d", kind="individual", name="Someone", dates_of_birth=["1958", "1960-04-15"]
    )
    designation.full_clean(exclude=["regimes"])
    designation.dates_of_birth = ["15 April 1960"]
    with pytest.raises(ValidationError) as error:
        designation.full_clean()
    assert "dates_of_birth" in error.value.message_dict
