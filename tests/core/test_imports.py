"""core.imports.xml_parse: a DOCTYPE is refused however it is spelt, before anything expands."""

import pytest

from core.imports import ImportFailure, xml_parse


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            b'<!-- a comment first -->\n<!DOCTYPE R [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><R/>',
            "f.xml: line 2: the DOCTYPE declares an external entity (p)",
        ),
        (
            b'<!DOCTYPE R [<!ENTITY a "x"><!ENTITY b "&a;&a;">]><R a="&b;">&b;</R>',
            "f.xml: line 1: the DOCTYPE declares internal entities (a, b)",
        ),
        (
            "<?xml version='1.0' encoding='UTF-16'?><!DOCTYPE R><R/>".encode("utf-16"),
            "f.xml: the file has a DOCTYPE declaration",
        ),
    ],
    ids=["parameter-entity", "entity-in-an-attribute", "utf-16"],
)
def test_a_doctype_is_refused_naming_the_problem(data, problem):
    with pytest.raises(ImportFailure) as error:
        xml_parse(data, file="f.xml")
    assert str(error.value).startswith(problem), str(error.value)


def test_a_plain_list_parses_and_a_broken_one_names_its_line():
    assert xml_parse(b"<?xml version='1.0'?><!-- c --><R><x/></R>", file="f.xml").tag == "R"
    with pytest.raises(ImportFailure, match=r"^f\.xml: line 2: not well-formed XML"):
        xml_parse(b"<R>\n<x></R>", file="f.xml")
