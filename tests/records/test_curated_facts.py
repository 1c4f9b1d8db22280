"""The curated records say what the seed articles say, and dispute what fact contradicts."""

import json
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict

from register.services import records_load
from sanctions.models import SanctionsRegime
from sources.models import Citation, Source
from treaties.models import Participation, Party, Provision, Treaty

pytestmark = pytest.mark.django_db
SNAPSHOT = Path(__file__).with_name("expected_records.json")


@pytest.fixture(autouse=True)
def loaded():
    records_load()


def citations_of(record, field=None):
    qs = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
    )
    return qs.filter(field=field) if field else qs


def test_1961_treaty_is_known_only_to_the_year_with_automatic_intervention():
    treaty = Treaty.objects.get(pk="ussr-dprk-1961")
    assert treaty.get_partial("signed_on").isoformat() == "1961"
    assert treaty.entered_into_force_on is None and treaty.ended_on is None
    assert set(treaty.participations.values_list("party", flat=True)) == {
        "soviet-union",
        "north-korea",
    }
    provision = treaty.provisions.get()
    assert provision.automatic is True
    assert list(provision.obligations.values_list("code", flat=True)) == ["defense"]


def test_2000_treaty_shifts_to_economic_and_cultural_cooperation():
    treaty = Treaty.objects.get(pk="russia-dprk-2000")
    assert set(treaty.provisions.get().obligations.values_list("code", flat=True)) == {
        "economic_cooperation",
        "cultural_cooperation",
    }
    # The article calls it "a new treaty"; the 1961 treaty lapsed years before, so no
    # "replaces" link is claimed.
    assert not treaty.replaces.exists()


def test_2024_treaty_was_signed_in_pyongyang_by_putin_and_kim():
    treaty = Treaty.objects.get(pk="russia-dprk-2024")
    assert (treaty.get_partial("signed_on").isoformat(), treaty.signed_at) == (
        "2024-06-19",
        "Pyongyang",
    )
    assert treaty.entered_into_force_on is None, "the articles do not give the entry into force"
    signatories = dict(treaty.participations.values_list("party", "signatory_name"))
    assert signatories == {"russia": "Vladimir Putin", "north-korea": "Kim Jong Un"}
    assert list(treaty.provisions.get().obligations.values_list("code", flat=True)) == ["defense"]


def test_un_regime_on_north_korea_since_2006():
    regime = SanctionsRegime.objects.get(key="UN-DPRK")
    assert regime.issuer_id == "un-security-council"
    assert list(regime.targets.values_list("iso_alpha2", flat=True)) == ["KP"]
    assert regime.get_partial("started_on").isoformat() == "2006"


def test_un_sanctions_on_russia_claim_is_recorded_as_disputed_not_as_fact():
    regime = SanctionsRegime.objects.get(key="INTL-RU-UKRAINE")
    assert regime.issuer is None
    disputed = citations_of(regime, "issuer").get()
    assert disputed.stance == "disputes"
    assert "UN sanctions on Moscow" in disputed.quote and "veto" in disputed.note


def test_soviet_union_is_succeeded_by_russia():
    assert list(Party.objects.get(pk="soviet-union").successors.values_list("id", flat=True)) == [
        "russia"
    ]


def test_every_curated_record_carries_evidence():
    for model in (Source, Party, Treaty, Participation, Provision, SanctionsRegime):
        for record in model.objects.all():
            if model is Source and not record.publisher and not record.published_on:
                continue
            assert citations_of(record).exists(), f"{model.__name__} {record.pk} has no citation"


def snapshot() -> dict:
    """Every loaded record as plain data, independent of database and row ids."""
    data = {}
    for model in (Source, Party, Treaty, Participation, Provision, SanctionsRegime):
        rows = []
        for record in model.objects.order_by("pk"):
            row = model_to_dict(
                record, exclude=["id", "text"] if model in (Participation, Provision) else ["text"]
            )
            row = {
                k: sorted(str(v.pk) for v in val)
                if isinstance(val, list) and val and hasattr(val[0], "pk")
                else val
                for k, val in row.items()
            }
            row["citations"] = sorted(
                [c.field, c.source_id, c.start, c.end, c.stance, c.quote]
                for c in citations_of(record)
            )
            rows.append(json.loads(json.dumps(row, default=str, sort_keys=True)))
        rows.sort(key=lambda r: json.dumps(r, sort_keys=True))
        data[model.__name__] = rows
    return data


def test_loaded_records_match_the_reviewed_snapshot_on_every_database():
    """The same fixtures give the same records on SQLite and PostgreSQL (CI runs both)."""
    current = snapshot()
    if not SNAPSHOT.exists():
        SNAPSHOT.write_text(
            json.dumps(current, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        pytest.fail(f"wrote {SNAPSHOT.name}; review and commit it, then run again")
    assert current == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
