"""A catalogue of bad input, across the API and the three importers: each gets a clear refusal
(the documented status and error shape, naming the parameter or field where there is one, or
a command error naming the file) and changes nothing in the register."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from register.services import records_load

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "sanctions" / "data"
REGISTER_APPS = ["core", "sources", "treaties", "sanctions"]
QUOTE = "RUSSIAN PRESIDENT VLADIMIR Putin has signed a mutual defence agreement with North Korea\u2019s Kim Jong Un"

# (name, client, method, path, body or None, extra request options, status, code, attr)
API_CASES = [
    (
        "list changes of a source that is not a list version",
        "anon",
        "get",
        "/api/v1/sources/thejournal-putin-kim-defence-pact-2024/changes/",
        None,
        {},
        400,
        "invalid",
        "id",
    ),
    (
        "list changes of an article, with since_source: the article is refused first",
        "anon",
        "get",
        "/api/v1/sources/thejournal-putin-kim-defence-pact-2024/changes/?since_source=x",
        None,
        {},
        400,
        "invalid",
        "id",
    ),
    (
        "ordering with two dashes",
        "anon",
        "get",
        "/api/v1/treaties/?ordering=--title",
        None,
        {},
        400,
        "invalid",
        "ordering",
    ),
    (
        "ordering by an unknown field",
        "anon",
        "get",
        "/api/v1/regimes/?ordering=secret",
        None,
        {},
        400,
        "invalid",
        "ordering",
    ),
    ("limit of zero", "anon", "get", "/api/v1/parties/?limit=0", None, {}, 400, "invalid", "limit"),
    (
        "limit with a plus sign",
        "anon",
        "get",
        "/api/v1/parties/?limit=%2B5",
        None,
        {},
        400,
        "invalid",
        "limit",
    ),
    (
        "limit in full-width digits",
        "anon",
        "get",
        "/api/v1/parties/?limit=%EF%BC%95",
        None,
        {},
        400,
        "invalid",
        "limit",
    ),
    (
        "negative offset",
        "anon",
        "get",
        "/api/v1/designations/?offset=-1",
        None,
        {},
        400,
        "invalid",
        "offset",
    ),
    (
        "q over 200 characters",
        "anon",
        "get",
        "/api/v1/treaties/?q=" + "x" * 201,
        None,
        {},
        400,
        "max_length",
        "q",
    ),
    (
        "eleven parties",
        "anon",
        "get",
        "/api/v1/treaties/?" + "&".join(["party=RU"] * 11),
        None,
        {},
        400,
        "max_length",
        "party",
    ),
    (
        "a date that is not one",
        "anon",
        "get",
        "/api/v1/treaties/?in_force_on=yesterday",
        None,
        {},
        400,
        "invalid",
        "in_force_on",
    ),
    (
        "month 13",
        "anon",
        "get",
        "/api/v1/treaties/?signed_after=2020-13-01",
        None,
        {},
        400,
        "invalid",
        "signed_after",
    ),
    (
        "unknown status",
        "anon",
        "get",
        "/api/v1/regimes/?status=bogus",
        None,
        {},
        400,
        "invalid_choice",
        "status",
    ),
    (
        "include_drafts not a boolean",
        "anon",
        "get",
        "/api/v1/treaties/?include_drafts=maybe",
        None,
        {},
        400,
        "invalid",
        "include_drafts",
    ),
    (
        "an empty typed parameter",
        "anon",
        "get",
        "/api/v1/designations/?listed_after=",
        None,
        {},
        400,
        "invalid",
        "listed_after",
    ),
    (
        "an unknown treaty",
        "anon",
        "get",
        "/api/v1/treaties/no-such-treaty/",
        None,
        {},
        404,
        "not_found",
        None,
    ),
    (
        "an unknown collection",
        "anon",
        "get",
        "/api/v1/nothing-here/",
        None,
        {},
        404,
        "not_found",
        None,
    ),
    (
        "relations of a party with itself",
        "anon",
        "get",
        "/api/v1/parties/RU/relations/russia/",
        None,
        {},
        400,
        "invalid",
        "other",
    ),
    (
        "relations on a bad date",
        "anon",
        "get",
        "/api/v1/parties/RU/relations/KP/?on=1961-02-30",
        None,
        {},
        400,
        "invalid",
        "on",
    ),
    (
        "changes since a bad date",
        "anon",
        "get",
        "/api/v1/changes/?since=soon",
        None,
        {},
        400,
        "invalid",
        "since",
    ),
    (
        "HTML asked for",
        "anon",
        "get",
        "/api/v1/treaties/",
        None,
        {"HTTP_ACCEPT": "text/html"},
        406,
        "not_acceptable",
        None,
    ),
    (
        "1,001 query parameters",
        "anon",
        "get",
        "/api/v1/treaties/?" + "&".join(["a=1"] * 1001),
        None,
        {},
        400,
        "too_many_parameters",
        None,
    ),
    (
        "a URL over 4 kB",
        "anon",
        "get",
        "/api/v1/treaties/?q=" + "x" * 4100,
        None,
        {},
        414,
        "uri_too_long",
        None,
    ),
    (
        "a Host not allowed",
        "anon",
        "get",
        "/api/v1/treaties/",
        None,
        {"HTTP_HOST": "evil.example"},
        400,
        "disallowed_host",
        None,
    ),
    (
        "an anonymous write",
        "anon",
        "post",
        "/api/v1/parties/",
        {"id": "x", "name": "X", "kind": "state"},
        {},
        401,
        "not_authenticated",
        None,
    ),
    (
        "a form-encoded write",
        "curator",
        "post",
        "/api/v1/parties/",
        "id=x&name=X&kind=state",
        {"content_type": "application/x-www-form-urlencoded"},
        415,
        "unsupported_media_type",
        None,
    ),
    (
        "a body over 1 MiB",
        "curator",
        "post",
        "/api/v1/parties/",
        json.dumps({"id": "x", "name": "X" * (1 << 20)}),
        {"content_type": "application/json"},
        413,
        "payload_too_large",
        None,
    ),
    (
        "JSON nested 100,000 deep",
        "curator",
        "post",
        "/api/v1/parties/",
        "[" * 100_000,
        {"content_type": "application/json"},
        400,
        "parse_error",
        None,
    ),
    (
        "malformed JSON",
        "curator",
        "post",
        "/api/v1/parties/",
        '{"id": "x",',
        {"content_type": "application/json"},
        400,
        "parse_error",
        None,
    ),
    (
        "a treaty without a title",
        "curator",
        "post",
        "/api/v1/treaties/",
        {"id": "t-x", "kind": "bilateral"},
        {},
        400,
        "required",
        "title",
    ),
    (
        "a treaty signed in month 13",
        "curator",
        "post",
        "/api/v1/treaties/",
        {"id": "t-x", "title": "T", "kind": "bilateral", "signed_on": "1961-13"},
        {},
        400,
        "invalid",
        "signed_on",
    ),
    (
        "a treaty of an unknown kind",
        "curator",
        "post",
        "/api/v1/treaties/",
        {"id": "t-x", "title": "T", "kind": "trilateral"},
        {},
        400,
        "invalid_choice",
        "kind",
    ),
    (
        "a party with a made-up ISO code",
        "curator",
        "post",
        "/api/v1/parties/",
        {"id": "p-x", "name": "P", "kind": "state", "iso_alpha2": "NK"},
        {},
        400,
        "invalid",
        "iso_alpha2",
    ),
    (
        "a succession cycle",
        "curator",
        "patch",
        "/api/v1/parties/russia/",
        {"successors": ["soviet-union"]},
        {},
        400,
        "invalid",
        "successors",
    ),
    (
        "a treaty that replaces itself",
        "curator",
        "patch",
        "/api/v1/treaties/russia-dprk-2024/",
        {"replaces": ["russia-dprk-2024"]},
        {},
        400,
        "invalid",
        "replaces",
    ),
    (
        "a party taking part twice",
        "curator",
        "patch",
        "/api/v1/treaties/russia-dprk-2024/",
        {"participations": [{"party": "russia"}, {"party": "russia"}]},
        {},
        400,
        "invalid",
        "participations",
    ),
    (
        "a quote that is not in the source",
        "curator",
        "post",
        "/api/v1/citations/",
        {
            "record_type": "party",
            "record_id": "russia",
            "field": "name",
            "source": "thejournal-putin-kim-defence-pact-2024",
            "quote": "not in the article",
        },
        {},
        400,
        "invalid",
        "quote",
    ),
    (
        "a citation already made",
        "curator",
        "post",
        "/api/v1/citations/",
        {
            "record_type": "party",
            "record_id": "russia",
            "field": "name",
            "source": "thejournal-putin-kim-defence-pact-2024",
            "quote": QUOTE,
        },
        {},
        400,
        "invalid",
        "quote",
    ),
    (
        "a citation of an unknown record",
        "curator",
        "post",
        "/api/v1/citations/",
        {
            "record_type": "party",
            "record_id": "atlantis",
            "field": "name",
            "source": "thejournal-putin-kim-defence-pact-2024",
            "quote": QUOTE,
        },
        {},
        400,
        "invalid",
        "record_id",
    ),
    (
        "a designation under no regime",
        "curator",
        "post",
        "/api/v1/designations/",
        {"id": "d-x", "kind": "individual", "name": "N", "regimes": []},
        {},
        400,
        "invalid",
        "regimes",
    ),
    (
        "deleting a referenced party",
        "curator",
        "delete",
        "/api/v1/parties/russia/",
        None,
        {},
        409,
        "protected",
        None,
    ),
    (
        "a stale If-Match",
        "curator",
        "patch",
        "/api/v1/parties/russia/",
        {"aliases": ["RF"]},
        {"HTTP_IF_MATCH": '"0000"'},
        412,
        "precondition_failed",
        None,
    ),
    (
        "a change reason over 500 characters",
        "curator",
        "patch",
        "/api/v1/parties/russia/",
        {"aliases": ["RF"]},
        {"HTTP_X_CHANGE_REASON": "x" * 501},
        400,
        "max_length",
        "X-Change-Reason",
    ),
    (
        "a changed id",
        "curator",
        "put",
        "/api/v1/parties/russia/",
        {"id": "russia-2", "name": "Russia", "kind": "state"},
        {},
        400,
        "invalid",
        "id",
    ),
]


def _xml_with_doctype(tmp_path: Path) -> Path:
    path = tmp_path / "un_doctype.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<CONSOLIDATED_LIST dateGenerated="2025-01-01T00:00:00">&x;</CONSOLIDATED_LIST>\n'
    )
    return path


def _ofac_wrong_columns(tmp_path: Path) -> Path:
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"1,only,three\r\n")
    return path


def _atop_unknown_alliance(tmp_path: Path) -> tuple[Path, Path]:
    alliances = DATA / "atop_alliance_level_excerpt.csv"
    members = tmp_path / "members.csv"
    lines = (DATA / "atop_member_level_excerpt.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = ["0"] * len(header)
    row[header.index("atopid")], row[header.index("member")] = "99999", "365"
    members.write_text("\n".join([lines[0], ",".join(row)]) + "\n")
    return alliances, members


def _atop_missing_columns(tmp_path: Path) -> tuple[Path, Path]:
    alliances = tmp_path / "alliances.csv"
    alliances.write_text("atopid,begyr\n1001,1961\n")
    return alliances, DATA / "atop_member_level_excerpt.csv"


def _atop_bad_code(tmp_path: Path) -> tuple[Path, Path]:
    lines = (DATA / "atop_alliance_level_excerpt.csv").read_text().splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    row[header.index("intcom")] = "2"
    alliances = tmp_path / "alliances.csv"
    alliances.write_text("\n".join([lines[0], ",".join(row)]) + "\n")
    return alliances, DATA / "atop_member_level_excerpt.csv"


# (name, command, arguments built from tmp_path, words the error must contain)
IMPORT_CASES = [
    (
        "UN: mangled XML",
        "import_un_list",
        lambda t: [DATA / "un_mangled_excerpt.xml"],
        "un_mangled_excerpt.xml",
    ),
    (
        "UN: a DOCTYPE with an external entity",
        "import_un_list",
        lambda t: [_xml_with_doctype(t)],
        "DOCTYPE",
    ),
    ("UN: no such file", "import_un_list", lambda t: [t / "missing.xml"], "missing.xml"),
    (
        "UN: not XML at all",
        "import_un_list",
        lambda t: [DATA / "ofac_sdn_2024-05-03_excerpt.csv"],
        "ofac_sdn_2024-05-03_excerpt.csv",
    ),
    (
        "OFAC: rows of the wrong width",
        "import_ofac_sdn",
        lambda t: [_ofac_wrong_columns(t)],
        "sdn.csv",
    ),
    (
        "OFAC: an XML file given as the CSV",
        "import_ofac_sdn",
        lambda t: [DATA / "un_consolidated_2025-04-19_excerpt.xml"],
        "un_consolidated_2025-04-19_excerpt.xml",
    ),
    ("ATOP: a member of an unknown alliance", "import_atop", _atop_unknown_alliance, "99999"),
    ("ATOP: missing columns", "import_atop", _atop_missing_columns, "missing columns"),
    (
        "ATOP: an obligation code out of range",
        "import_atop",
        _atop_bad_code,
        "line 2, alliance 1305: field intcom: '2' is not an ATOP code",
    ),
]


def register_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", *REGISTER_APPS, stdout=out, format="json", indent=None)
    return out.getvalue()


@pytest.fixture
def clients(curator) -> dict[str, APIClient]:
    records_load()
    curator_client = APIClient()
    curator_client.force_authenticate(curator)
    return {"anon": APIClient(), "curator": curator_client}


def test_the_catalogue_covers_at_least_forty_kinds_of_bad_input():
    assert len(API_CASES) + len(IMPORT_CASES) >= 40


@pytest.mark.parametrize(
    ("client", "method", "path", "body", "extra", "status", "code", "attr"),
    [case[1:] for case in API_CASES],
    ids=[case[0] for case in API_CASES],
)
def test_bad_api_input_is_refused_in_the_error_shape_and_changes_nothing(
    clients, client, method, path, body, extra, status, code, attr
):
    before = register_dump()
    options = dict(extra)
    if isinstance(body, dict):
        options["format"] = "json"
    call = getattr(clients[client], method)
    response = call(path, body, **options) if body is not None else call(path, **options)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    assert set(document) == {"type", "errors"}
    error = document["errors"][0]
    assert set(error) == {"code", "detail", "attr"}
    assert (error["code"], error["attr"]) == (code, attr), error
    assert register_dump() == before


@pytest.mark.parametrize(
    ("command", "arguments", "words"),
    [case[1:] for case in IMPORT_CASES],
    ids=[case[0] for case in IMPORT_CASES],
)
def test_a_bad_import_file_is_refused_naming_it_and_changes_nothing(
    clients, tmp_path, command, arguments, words
):
    before = register_dump()
    with pytest.raises(CommandError) as error:
        call_command(command, *arguments(tmp_path), stdout=io.StringIO())
    assert words in str(error.value)
    assert "nothing was imported" in str(error.value) or words in str(error.value)
    assert register_dump() == before
