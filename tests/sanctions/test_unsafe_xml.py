"""An XML list with a DOCTYPE is refused whole: official lists never carry one, and one is how
external entities (XXE) and entity expansion (billion laughs) get in."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from register.services import records_load

pytestmark = pytest.mark.django_db
UN_2025 = Path(__file__).with_name("data") / "un_consolidated_2025-04-19_excerpt.xml"
REGISTER_APPS = ("core", "sources", "treaties", "sanctions")
# lol1 is ten lol0s, lol2 ten lol1s, ... lol9 a thousand million "lol"s.
LAUGHS = '<!ENTITY lol0 "lol">' + "".join(
    '<!ENTITY lol{} "{}">'.format(level, f"&lol{level - 1};" * 10) for level in range(1, 10)
)
CASES = {
    "external-entity": (
        '<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>',
        "&xxe;",
        "the DOCTYPE declares an external entity (xxe)",
    ),
    "internal-entity-expansion": (
        f"<!DOCTYPE CONSOLIDATED_LIST [{LAUGHS}]>",
        "&lol9;",
        "the DOCTYPE declares internal entities (lol0, lol1, lol2",
    ),
    "plain-doctype": (
        '<!DOCTYPE CONSOLIDATED_LIST SYSTEM "https://example.org/consolidated.dtd">',
        "",
        "the file has a DOCTYPE declaration",
    ),
}


def register_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", *REGISTER_APPS, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("doctype", "reference", "problem"), CASES.values(), ids=CASES.keys())
def test_a_list_with_a_doctype_is_refused_naming_file_and_problem_and_nothing_is_written(
    tmp_path, doctype, reference, problem
):
    """The real excerpt with a DOCTYPE on line 2 and its entity used in a record's remarks."""
    declaration, rest = UN_2025.read_text(encoding="utf-8").split("\n", 1)
    rest = rest.replace("<COMMENTS1>Director of", f"<COMMENTS1>{reference}Director of", 1)
    path = tmp_path / "list.xml"
    path.write_text(f"{declaration}\n{doctype}\n{rest}", encoding="utf-8")
    records_load()
    before = register_dump()

    # manage.py exits with a CommandError's returncode (run_from_argv is not used here: it
    # closes the database connection, which would end the test's transaction on PostgreSQL).
    with pytest.raises(CommandError) as refused:
        call_command("import_un_list", path)

    assert refused.value.returncode == 1
    error = str(refused.value)
    assert f"nothing was imported: list.xml: line 2: {problem}" in error, error
    assert "refused, official lists carry no DOCTYPE or entity declarations" in error
    assert register_dump() == before


def test_the_excerpt_without_a_doctype_still_imports(tmp_path):
    """The same file, minus the DOCTYPE, is accepted: the refusal is about the DOCTYPE alone."""
    records_load()
    before = register_dump()
    call_command("import_un_list", UN_2025)
    assert register_dump() != before
