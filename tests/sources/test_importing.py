"""The importer toolkit: files, their sources, quotes, country codes."""

import datetime as dt

import pytest

from core.imports import ImportFailure
from sources.choices import SourceKind
from sources.importing import CitationWriter, csv_rows, official_source, read_file
from treaties.importing import party_for_country

pytestmark = pytest.mark.django_db


def source_for(path, **extra):
    file = read_file(path)
    return official_source(
        id="test-list",
        file_name=file.name,
        sha256=file.sha256,
        text=file.text,
        kind=SourceKind.OFFICIAL_LIST,
        title="A test list",
        publisher="Nobody",
        published_on="2024",
        **extra,
    )


def test_a_quote_not_in_the_file_is_refused_naming_the_file_and_the_quote(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("1,alpha\n2,beta\n", encoding="utf-8")
    citations = CitationWriter(source=source_for(path))
    assert citations.locate("2,beta") == (8, 14)
    assert citations.locate("1,alpha") == (0, 7)  # searched forward, then from the start
    with pytest.raises(ImportFailure, match=r"^list\.csv: quote '3,gamma' is not in the file$"):
        citations.locate("3,gamma")


def test_a_different_file_under_the_same_source_id_is_refused(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("1,alpha\n", encoding="utf-8")
    first = source_for(path)
    assert source_for(path) == first
    path.write_text("1,alpha\n2,beta\n", encoding="utf-8")
    with pytest.raises(ImportFailure, match="a different file was already imported as test-list"):
        source_for(path)


def test_csv_rows_refuse_a_row_of_the_wrong_width_naming_its_line(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    file = read_file(path)
    with pytest.raises(ImportFailure, match=r"data\.csv: line 3: 1 columns, expected 2"):
        list(csv_rows(file, columns={"a", "b"}, what="test data"))


def test_country_codes_become_parties_following_succession_by_date():
    soviet = party_for_country(code="RU", on=dt.date(1961, 7, 6))
    russia = party_for_country(code="RU", on=dt.date(1991, 12, 26))
    assert (soviet.iso_alpha2, soviet.kind, russia.iso_alpha2) == ("SU", "former_state", "RU")
    assert party_for_country(code="ru") == russia
