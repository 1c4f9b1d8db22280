"""load_records: atomic, idempotent, and precise about bad fixtures."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from core.fixture_files import RecordError
from register.services import records_load
from sanctions.models import SanctionsRegime
from sources.models import Citation, Source
from treaties.models import Participation, Party, Provision, Treaty

pytestmark = pytest.mark.django_db

MODELS = (Source, Party, Treaty, Participation, Provision, SanctionsRegime, Citation)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loads_every_curated_record():
    records_load()
    assert set(Treaty.objects.values_list("id", flat=True)) == {
        "ussr-dprk-1961",
        "russia-dprk-2000",
        "russia-dprk-2024",
    }
    assert set(SanctionsRegime.objects.values_list("key", flat=True)) == {
        "UN-DPRK",
        "INTL-RU-UKRAINE",
    }
    assert Source.objects.count() == 2
    assert Citation.objects.count() > 40


def test_loading_twice_changes_nothing():
    records_load()
    before = counts()
    stamps = {
        model.__name__: sorted(model.objects.values_list("updated_at", flat=True))
        for model in MODELS
    }
    report = records_load()
    assert counts() == before
    assert sum(report.changed.values()) == 0
    assert stamps == {
        model.__name__: sorted(model.objects.values_list("updated_at", flat=True))
        for model in MODELS
    }


def test_every_loaded_citation_verifies():
    records_load()
    call_command("verify_citations")


def test_source_records_hold_the_exact_seed_bytes():
    records_load()
    for source in Source.objects.all():
        data = (settings.SEEDS_DIR / source.file_name).read_bytes()
        assert source.text.encode("utf-8") == data
        assert source.text_sha256() == source.sha256


def expect_error(fixture_copy, match: str) -> RecordError:
    fixtures, seeds, _ = fixture_copy
    with pytest.raises(RecordError) as error:
        records_load(fixtures_dir=fixtures, seeds_dir=seeds)
    assert counts() == {model.__name__: 0 for model in MODELS}, "a failed load must write nothing"
    assert match in str(error.value), str(error.value)
    return error.value


def test_unknown_party_is_refused(fixture_copy):
    fixture_copy[2]("treaties.toml", 'party = "soviet-union"', 'party = "ussr"')
    error = expect_error(fixture_copy, "unknown party 'ussr'")
    assert (error.file, error.field) == ("fixtures/treaties.toml", "party")
    assert "treaty 'ussr-dprk-1961'" in error.record


def test_quote_not_in_source_is_refused(fixture_copy):
    fixture_copy[2]("treaties.toml", 'quote = "signed in 1961" }', 'quote = "signed in 1962" }')
    error = expect_error(fixture_copy, "does not occur verbatim")
    assert error.field == "quote" and "treaty 'ussr-dprk-1961'" in error.record


def test_malformed_date_is_refused(fixture_copy):
    fixture_copy[2]("treaties.toml", 'signed_on = "1961"', 'signed_on = "1961-13"')
    error = expect_error(fixture_copy, "not a real calendar date")
    assert (error.record, error.field) == ("treaty 'ussr-dprk-1961'", "signed_on")


def test_unknown_iso_code_is_refused(fixture_copy):
    fixture_copy[2]("parties.toml", 'iso_alpha2 = "KP"', 'iso_alpha2 = "NK"')
    error = expect_error(fixture_copy, "not an ISO 3166 code")
    assert (error.file, error.record, error.field) == (
        "fixtures/parties.toml",
        "party 'north-korea'",
        "iso_alpha2",
    )


def test_changed_source_file_is_refused(fixture_copy):
    _, seeds, _ = fixture_copy
    path = seeds / "004_52535a7b00b9c2f7.txt"
    path.write_bytes(path.read_bytes().replace(b"1961", b"1962"))
    error = expect_error(fixture_copy, "the source changed")
    assert (error.record, error.field) == ("source 'kim-pledges-full-support-2024-06-19'", "sha256")


def test_fact_without_citation_is_refused(fixture_copy):
    fixture_copy[2](
        "treaties.toml",
        'signed_at = "Pyongyang"',
        'signed_at = "Pyongyang"\nentered_into_force_on = "2024-12-04"',
    )
    error = expect_error(fixture_copy, "no citation")
    assert error.field == "entered_into_force_on"


def test_misspelt_field_is_refused(fixture_copy):
    fixture_copy[2]("treaties.toml", 'signed_at = "Pyongyang"', 'signed_in = "Pyongyang"')
    error = expect_error(fixture_copy, "unknown field")
    assert error.field == "signed_in"


def test_invalid_toml_names_the_file_and_line(fixture_copy):
    fixture_copy[2]("regimes.toml", 'key = "UN-DPRK"', 'key = "UN-DPRK')
    error = expect_error(fixture_copy, "not valid TOML")
    assert error.file == "fixtures/regimes.toml" and "line" in str(error)


def test_an_error_in_the_last_file_leaves_an_earlier_load_untouched(fixture_copy):
    fixtures, seeds, edit = fixture_copy
    records_load()
    before = counts()
    edit(
        "regimes.toml",
        'started_on = "2006"',
        'started_on = "2006"\nmeasures = ["naming_and_shaming"]',
    )
    with pytest.raises(RecordError, match="not in the measure vocabulary") as error:
        records_load(fixtures_dir=fixtures, seeds_dir=seeds)
    assert (error.value.file, error.value.record, error.value.field) == (
        "fixtures/regimes.toml",
        "regime 'un-dprk'",
        "measures",
    )
    assert counts() == before


def test_command_exits_non_zero_naming_file_record_and_field(fixture_copy):
    fixtures, seeds, edit = fixture_copy
    edit("parties.toml", 'iso_alpha2 = "KP"', 'iso_alpha2 = "NK"')
    with pytest.raises(
        CommandError, match=r"fixtures/parties.toml: party 'north-korea': field 'iso_alpha2'"
    ):
        call_command("load_records", fixtures=fixtures, seeds=seeds)


def test_command_line_exit_code_is_non_zero(fixture_copy, tmp_path):
    fixtures, seeds, edit = fixture_copy
    edit("treaties.toml", 'signed_on = "1961"', 'signed_on = "sixty-one"')
    env = {"PATH": "", "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert manage("migrate", "--noinput").returncode == 0
    result = manage("load_records", "--fixtures", str(fixtures), "--seeds", str(seeds))
    assert result.returncode != 0
    assert "field 'signed_on'" in result.stderr


def test_loading_again_keeps_a_curators_edits_and_citations():
    from django.contrib.contenttypes.models import ContentType

    from core.history import change_reason

    records_load()
    treaty = Treaty.objects.get(pk="russia-dprk-2024")
    with change_reason("curator: fuller place"):
        treaty.signed_at = "Pyongyang, Kumsusan Palace"
        treaty.review_status = "draft"
        treaty.save()
        own = Citation(
            content_type=ContentType.objects.get_for_model(Treaty),
            object_id=treaty.pk,
            field="signed_at",
            source_id="thejournal-putin-kim-defence-pact-2024",
            quote="summit in Pyongyang",
        )
        own.full_clean(exclude=["start", "end"])
        own.save()
    report = records_load()
    treaty.refresh_from_db()
    assert (treaty.signed_at, treaty.review_status) == ("Pyongyang, Kumsusan Palace", "draft")
    assert Citation.objects.filter(pk=own.pk).exists()
    assert any("russia-dprk-2024" in note for note in report.kept)
