import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import Citation
from tests.factories import ARTICLE_TEXT, make_citation, make_source, make_treaty

pytestmark = pytest.mark.django_db


def test_offsets_are_computed_from_the_source_text():
    source = make_source()
    citation = make_citation(record=make_treaty(), source=source, quote="signed in 1961")
    assert (citation.start, citation.end) == (
        ARTICLE_TEXT.index("signed in 1961"),
        ARTICLE_TEXT.index("signed in 1961") + 14,
    )
    assert source.text[citation.start : citation.end] == "signed in 1961"


def test_hand_typed_offsets_are_replaced_by_the_real_ones():
    citation = make_citation(
        record=make_treaty(), source=make_source(), quote="signed in 1961", start=0, end=3
    )
    assert ARTICLE_TEXT[citation.start : citation.end] == "signed in 1961"


def test_quote_not_in_source_is_rejected():
    with pytest.raises(ValidationError) as error:
        make_citation(record=make_treaty(), source=make_source(), quote="signed in 1962")
    assert "quote" in error.value.message_dict
    assert Citation.objects.count() == 0


def test_quote_must_match_exactly_not_ignoring_case_or_spacing():
    with pytest.raises(ValidationError) as error:
        make_citation(record=make_treaty(), source=make_source(), quote="Signed  in 1961")
    assert "quote" in error.value.message_dict


def test_disputing_citation_needs_a_note():
    with pytest.raises(ValidationError) as error:
        make_citation(
            record=make_treaty(), source=make_source(), quote="signed in 1961", stance="disputes"
        )
    assert "note" in error.value.message_dict


def test_citation_must_name_a_real_field_of_its_record():
    with pytest.raises(ValidationError) as error:
        make_citation(
            record=make_treaty(), source=make_source(), quote="signed in 1961", field="signed_in"
        )
    assert "field" in error.value.message_dict


def test_verify_citations_passes_when_every_quote_is_in_place(capsys):
    make_citation(record=make_treaty(), source=make_source(), quote="signed in 1961")
    call_command("verify_citations")
    assert "all 1 citations verified" in capsys.readouterr().out


def test_verify_citations_lists_a_quote_that_moved_and_fails(capsys):
    citation = make_citation(record=make_treaty(), source=make_source(), quote="signed in 1961")
    Citation.objects.filter(pk=citation.pk).update(start=citation.start + 1, end=citation.end + 1)
    with pytest.raises(CommandError, match="1 of 1 citations failed"):
        call_command("verify_citations")
    err = capsys.readouterr().err
    assert f"citation {citation.pk}" in err and "field 'title'" in err


def test_verify_citations_detects_a_source_text_changed_after_citing(capsys):
    """The change leaves the quote in place at its offsets: only the sha256 can notice it."""
    source = make_source()
    citation = make_citation(record=make_treaty(), source=source, quote="signed in 1961")
    source.text = source.text.replace("automatic military", "automatic naval")
    source.save()
    assert source.text[citation.start : citation.end] == citation.quote
    with pytest.raises(CommandError, match="1 of 1 citations failed"):
        call_command("verify_citations")
    err = capsys.readouterr().err
    assert f"citation {citation.pk}" in err and "no longer matches its recorded sha256" in err
