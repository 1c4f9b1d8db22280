"""Parser for the UN Security Council Consolidated List (XML)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from core.countries import iso_alpha2_from
from core.imports import xml_parse
from core.partial_dates import PartialDate, PartialDateError
from sanctions.choices import AddressKind, IdentifierType
from sanctions.importers.dates import expiry_in
from sanctions.importers.parsed import (
    Address,
    Identifier,
    ImportFailure,
    ListedRecord,
    OfficialList,
    RegimeSpec,
)
from sources.importing import read_file

TITLE = "Consolidated United Nations Security Council Sanctions List"
PUBLISHER = "United Nations Security Council"
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_KINDS = {"INDIVIDUAL": "individual", "ENTITY": "entity"}
ORIGINAL_SCRIPT = "original script"  # the quality of an alias from NAME_ORIGINAL_SCRIPT
# TYPE_OF_DOCUMENT as the list words it (in English, French or Spanish) -> identifier type.
_DOCUMENT_TYPES = (
    (re.compile(r"pass(port|eport)|pasaporte", re.I), IdentifierType.PASSPORT),
    (re.compile(r"national|identi|tazkira|c[ée]dula", re.I), IdentifierType.NATIONAL_ID),
)


def regime_for(list_type: str) -> RegimeSpec:
    """The UN regime of one of the list's UN_LIST_TYPEs ("DPRK" is the fixtures' un-dprk)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", list_type).strip("-")
    return RegimeSpec(
        id=f"un-{slug.lower()}",
        key=f"UN-{slug.upper()}",
        name=f"United Nations sanctions list: {list_type}",
    )


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-2 for a country name as a list writes it ("Iran (Islamic Republic
    of)"), matched by country-converter's name patterns; None for anything else ("na")."""
    return iso_alpha2_from(name, scheme="regex")


def un_list_parse(path: Path) -> OfficialList:
    """Read and check a whole UN list file; raise ImportFailure before anything is written."""
    file = read_file(path)
    display = file.name
    root = xml_parse(file.data, file=display)
    if root.tag != "CONSOLIDATED_LIST":
        raise ImportFailure(
            display,
            f"line {root.sourceline}",
            f"not a UN consolidated list (root element <{root.tag}>)",
        )
    generated = _date(root.get("dateGenerated"))
    if generated is None:
        raise ImportFailure(
            display, f"line {root.sourceline}", "the list has no valid dateGenerated attribute"
        )
    text = file.text

    regimes: dict[str, RegimeSpec] = {}
    records: list[ListedRecord] = []
    seen: set[str] = set()
    for element in root.iter("INDIVIDUAL", "ENTITY"):
        record = _record(element, display)
        if record.id in seen:
            raise ImportFailure(
                display,
                f"line {element.sourceline}",
                f"reference number {record.reference_number} appears twice",
            )
        seen.add(record.id)
        spec = regime_for(_text(element, "UN_LIST_TYPE"))
        regimes[spec.key] = spec
        records.append(record)
    if not records:
        raise ImportFailure(display, None, "the list holds no INDIVIDUAL or ENTITY records")
    return OfficialList(
        family="un",
        file_name=path.name,
        sha256=file.sha256,
        text=text,
        generated_on=generated,
        source_id=f"un-consolidated-list-{generated.isoformat()}",
        title=TITLE,
        publisher=PUBLISHER,
        url="https://scsanctions.un.org/resources/xml/en/consolidated.xml",
        issuer_id="un-security-council",
        issuer_name="United Nations Security Council",
        issuer_kind="organisation",
        issuer_code=None,
        regimes=regimes,
        records=records,
    )


def _record(element, display: str) -> ListedRecord:
    where = f"line {element.sourceline}"
    data_id = _text(element, "DATAID")
    reference = _text(element, "REFERENCE_NUMBER")
    list_type = _text(element, "UN_LIST_TYPE")
    name = " ".join(
        p
        for p in (
            _text(element, n) for n in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        )
        if p
    )
    for field, value in (
        ("DATAID", data_id),
        ("REFERENCE_NUMBER", reference),
        ("UN_LIST_TYPE", list_type),
        ("FIRST_NAME", name),
    ):
        if not value:
            raise ImportFailure(
                display, f"{where}, record {reference or data_id or '?'}", f"missing {field}"
            )
    listed_raw = _text(element, "LISTED_ON")
    listed = _date(listed_raw) if listed_raw else None
    if listed_raw and listed is None:
        raise ImportFailure(
            display, f"{where}, record {reference}", f"LISTED_ON {listed_raw!r} is not a date"
        )
    kind = _KINDS[element.tag]
    nationality_name = _text(element, "NATIONALITY/VALUE")
    return ListedRecord(
        id=f"un-{re.sub(r'[^a-z0-9]+', '-', reference.lower()).strip('-')}",
        kind=kind,
        name=name,
        regime_keys=[regime_for(list_type).key],
        reference_number=reference,
        list_record_id=data_id,
        aliases=[
            *(
                (alias.findtext("ALIAS_NAME").strip(), (alias.findtext("QUALITY") or "").strip())
                for alias in element.iterfind(f"{element.tag}_ALIAS")
                if (alias.findtext("ALIAS_NAME") or "").strip()
            ),
            *((original, ORIGINAL_SCRIPT) for original in _original_script(element)),
        ],
        listed_on=listed.isoformat() if listed else None,
        nationality=country_code(nationality_name) if nationality_name else None,
        dates_of_birth=_dates_of_birth(element, display, f"{where}, record {reference}"),
        remarks=_text(element, "COMMENTS1"),
        identifiers=_documents(element, display, f"{where}, record {reference}"),
        addresses=[
            *_places(element, f"{element.tag}_ADDRESS", AddressKind.ADDRESS),
            *_places(element, "INDIVIDUAL_PLACE_OF_BIRTH", AddressKind.PLACE_OF_BIRTH),
        ],
        quote=f"<DATAID>{data_id}</DATAID>",
        quote_field="list_record_id",
    )


def _original_script(element) -> list[str]:
    """The record's name in its original script (Arabic, Cyrillic, ...), when the list gives it."""
    return [
        " ".join(value.split())
        for value in (_text(e, ".") for e in element.iterfind("NAME_ORIGINAL_SCRIPT"))
        if value
    ]


def _documents(element, display: str, where: str) -> list[Identifier]:
    """INDIVIDUAL_DOCUMENT entries with a NUMBER: passports, national ids, other documents,
    with the issuing country, the date of issue, the expiry a NOTE states, and the rest of
    what the entry says as the note. A document with no number identifies nothing."""
    found = []
    for document in element.iterfind("INDIVIDUAL_DOCUMENT"):
        number = _words(document, "NUMBER")
        if not number or not any(c.isalnum() for c in number):
            continue
        first, second = _words(document, "TYPE_OF_DOCUMENT"), _words(document, "TYPE_OF_DOCUMENT2")
        kind = next(
            (t for pattern, t in _DOCUMENT_TYPES if pattern.search(f"{first} {second}")), None
        )
        issuer = _words(document, "ISSUING_COUNTRY") or _words(document, "COUNTRY_OF_ISSUE")
        country = (country_code(issuer) or "") if issuer else ""
        issued_raw, note = _words(document, "DATE_OF_ISSUE"), _words(document, "NOTE")
        issued = None
        if issued_raw:
            match = _DATE.match(issued_raw)
            try:
                issued = PartialDate.parse(match[1] if match else issued_raw).isoformat()
            except PartialDateError as exc:
                raise ImportFailure(
                    display, f"{where}, document {number}", f"DATE_OF_ISSUE: {exc}"
                ) from None
        city = _words(document, "CITY_OF_ISSUE")
        identifier = Identifier(
            type=kind or IdentifierType.OTHER,
            value=number,
            country=country,
            issued_on=issued,
            expires_on=expiry_in(note),
            note="; ".join(
                part
                for part in (
                    second if second and second.lower() != first.lower() else "",
                    f"issuing country {issuer}" if issuer and not country else "",
                    f"issued in {city}" if city else "",
                    note,
                )
                if part
            ),
        )
        problem = identifier.problem()
        if problem:
            raise ImportFailure(display, f"{where}, document {number}", problem)
        found.append(identifier)
    return found


# The parts of an address element, in the order they are joined into its text.
_ADDRESS_PARTS = (
    ("street", "STREET"),
    ("city", "CITY"),
    ("state_province", "STATE_PROVINCE"),
    ("postal_code", "ZIP_CODE"),
    ("country_name", "COUNTRY"),
)


def _places(element, tag: str, kind: str) -> list[Address]:
    """Addresses (INDIVIDUAL_ADDRESS, ENTITY_ADDRESS) or places of birth with any part given;
    the country as a party code where its wording is recognised."""
    found = []
    for place in element.iterfind(tag):
        parts = {name: _words(place, child) for name, child in _ADDRESS_PARTS}
        note = _words(place, "NOTE")
        if not any(parts.values()) and not note:
            continue
        country = country_code(parts["country_name"]) if parts["country_name"] else None
        found.append(Address.of_parts(kind=kind, note=note, country=country or "", **parts))
    return found


def _words(element, path: str) -> str:
    return " ".join(_text(element, path).split())


def _dates_of_birth(element, display: str, where: str) -> list[str]:
    dates = []
    for birth in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        candidates = [
            birth.findtext("DATE"),
            birth.findtext("YEAR"),
            birth.findtext("FROM_YEAR"),
            birth.findtext("TO_YEAR"),
        ]
        for raw in filter(None, (c.strip() if c else "" for c in candidates)):
            match = _DATE.match(raw)
            try:
                dates.append(PartialDate.parse(match[1] if match else raw).isoformat())
            except PartialDateError as exc:
                raise ImportFailure(display, where, f"date of birth: {exc}") from None
    return list(dict.fromkeys(dates))


def _text(element, path: str) -> str:
    return (element.findtext(path) or "").strip()


def _date(raw: str | None) -> dt.date | None:
    match = _DATE.match(raw or "")
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match[1])
    except ValueError:
        return None
