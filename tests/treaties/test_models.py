import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from tests.factories import make_party, make_treaty
from treaties.models import Participation, Party, Treaty

pytestmark = pytest.mark.django_db


def test_former_states_have_valid_iso_codes():
    party = Party(
        id="soviet-union",
        name="Soviet Union",
        kind="former_state",
        iso_alpha2="SU",
        iso_alpha3="SUN",
    )
    party.full_clean()


@pytest.mark.parametrize(
    ("field", "code"), [("iso_alpha2", "XK"), ("iso_alpha2", "ZZ"), ("iso_alpha3", "KPR")]
)
def test_unknown_iso_code_is_rejected(field, code):
    party = Party(id="somewhere", name="Somewhere", kind="state", **{field: code})
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert field in error.value.message_dict


def test_alpha2_and_alpha3_must_name_the_same_country():
    party = Party(id="mixed", name="Mixed", kind="state", iso_alpha2="KP", iso_alpha3="RUS")
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert "iso_alpha3" in error.value.message_dict


def test_a_withdrawn_code_needs_the_former_state_kind():
    party = Party(id="ussr", name="USSR", kind="state", iso_alpha2="SU")
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert "kind" in error.value.message_dict


def test_deleting_a_party_that_a_treaty_references_fails():
    party = make_party(id="north-korea", iso_alpha2="KP")
    Participation.objects.create(treaty=make_treaty(), party=party)
    with pytest.raises(ProtectedError):
        party.delete()
    assert Party.objects.filter(pk="north-korea").exists()


def test_entry_into_force_before_signature_is_rejected_by_validation():
    with pytest.raises(ValidationError) as error:
        make_treaty(signed_on="1961-07-06", entered_into_force_on="1961-07-01")
    assert "entered_into_force_on" in error.value.message_dict


def test_entry_into_force_in_the_year_of_signature_is_accepted():
    treaty = make_treaty(signed_on="1961-07-06", entered_into_force_on="1961")
    assert treaty.get_partial("entered_into_force_on").isoformat() == "1961"


def test_database_refuses_dates_out_of_order_even_without_validation():
    treaty = Treaty(id="bad-order", title="Bad", kind="bilateral")
    treaty.set_partial("signed_on", "2000-02-09")
    treaty.set_partial("ended_on", "1999-12-31")
    with pytest.raises(IntegrityError), transaction.atomic():
        treaty.save()


def test_database_refuses_a_date_without_precision():
    treaty = Treaty(id="no-precision", title="Bad", kind="bilateral")
    treaty.set_partial("signed_on", "2000")
    treaty.signed_on_precision = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        treaty.save()


def test_treaty_ids_are_unique():
    make_treaty(id="same")
    with pytest.raises(ValidationError) as error:
        Treaty(id="same", title="Other", kind="bilateral").full_clean()
    assert "id" in error.value.message_dict


def test_a_party_takes_part_in_a_treaty_once():
    treaty, party = make_treaty(), make_party(id="russia", iso_alpha2="RU")
    Participation.objects.create(treaty=treaty, party=party)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(treaty=treaty, party=party)


def test_consent_type_comes_from_the_vocabulary():
    participation = Participation(
        treaty=make_treaty(), party=make_party(id="russia"), consent_type="signature"
    )
    with pytest.raises(ValidationError) as error:
        participation.full_clean()
    assert "consent_type" in error.value.message_dict
