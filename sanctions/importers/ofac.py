"""Parser for OFAC's legacy SDN list (sdn.csv): no header, 12 columns, cp1252, "-0- " for
empty, programs like "NPWMD] [DPRK2", a trailing 0x1A byte."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sanctions.choices import IdentifierType
from sanctions.importers.parsed import (
    Identifier,
    ImportFailure,
    ListedRecord,
    OfficialList,
    RegimeSpec,
)
from sanctions.importers.un import country_code
from sources.importing import csv_rows, read_file

COLUMNS = 12
EMPTY = "-0-"
_KINDS = {"": "entity", "individual": "individual", "vessel": "vessel", "aircraft": "aircraft"}
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}
_DOB = re.compile(r"\bDOB (?:(?:circa )?(\d{1,2}) ([A-Z][a-z]{2}) )?(\d{4})\b")
_NATIONALITY = re.compile(r"\bnationality ([^;.]+)")
_AKA = re.compile(r"a\.k\.a\. '([^']+)'")
# A remark item naming a document: its label (-> identifier type), number and country.
_DOCUMENT_LABELS = {
    "Passport": IdentifierType.PASSPORT,
    "Diplomatic Passport": IdentifierType.PASSPORT,
    "National ID No.": IdentifierType.NATIONAL_ID,
    "Cedula No.": IdentifierType.NATIONAL_ID,
    "Personal ID No.": IdentifierType.NATIONAL_ID,
    "Identification Number": IdentifierType.NATIONAL_ID,
    "Tax ID No.": IdentifierType.TAX_ID,
    "Registration Number": IdentifierType.REGISTRATION,
    "Registration ID": IdentifierType.REGISTRATION,
    "Business Registration Number": IdentifierType.REGISTRATION,
    "Company Number": IdentifierType.REGISTRATION,
    "Commercial Registry Number": IdentifierType.REGISTRATION,
    "Aircraft Tail Number": IdentifierType.AIRCRAFT_TAIL,
}
_DOCUMENT = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(label) for label in sorted(_DOCUMENT_LABELS, key=len, reverse=True))
    + r")\s+(?P<value>[A-Za-z0-9][A-Za-z0-9/.\- ]*?)\s*(?:\((?P<country>[^)]+)\))?"
    + r"\s*(?:(?:issued|expires|Issue Date|Expiration Date)\b.*)?\.?$"
)
_IMO = re.compile(r"\bIMO (\d{7})\b")


def program_regime(code: str) -> RegimeSpec:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", code).strip("-")
    return RegimeSpec(
        id=f"us-ofac-{slug.lower()}",
        key=f"US-OFAC-{slug.upper()}",
        name=f"OFAC sanctions program {code}",
    )


def ofac_sdn_parse(path: Path, *, generated_on: dt.date | None = None) -> OfficialList:
    """Read and check a whole SDN CSV; raise ImportFailure before anything is written.

    The file carries no date of its own: give ``generated_on``, or name the file with it
    (e.g. ofac_sdn_2024-05-03.csv).
    """
    display = path.name
    if generated_on is None:
        match = _FILE_DATE.search(path.name)
        if not match:
            raise ImportFailure(
                display, None, "the SDN file has no date: put YYYY-MM-DD in its name or pass --date"
            )
        generated_on = dt.date.fromisoformat(match[1])
    file = read_file(path, encoding="cp1252")
    if file.data.lstrip().startswith(b"<"):
        raise file.failure("line 1", "this is XML, not OFAC's SDN CSV")
    text = file.text
    records: list[ListedRecord] = []
    regimes: dict[str, RegimeSpec] = {}
    seen: set[str] = set()
    for csv_row in csv_rows(file, columns=COLUMNS, what="an SDN CSV", text=text.rstrip("\x1a\r\n")):
        row, line = csv_row.values, csv_row.line
        record = _record(row, display, line)
        if record.id in seen:
            raise ImportFailure(
                display, f"line {line}", f"entry number {record.list_record_id} appears twice"
            )
        seen.add(record.id)
        for key in record.regime_keys:
            regimes.setdefault(
                key,
                next(program_regime(c) for c in _programs(row[3]) if program_regime(c).key == key),
            )
        records.append(record)
    if not records:
        raise ImportFailure(display, None, "the file holds no SDN rows")
    return OfficialList(
        family="ofac",
        file_name=path.name,
        sha256=file.sha256,
        text=text,
        generated_on=generated_on,
        source_id=f"ofac-sdn-{generated_on.isoformat()}",
        title="Specially Designated Nationals and Blocked Persons List (SDN), legacy CSV",
        publisher="U.S. Department of the Treasury, Office of Foreign Assets Control",
        url="https://www.treasury.gov/ofac/downloads/sdn.csv",
        issuer_id="united-states",
        issuer_name="United States",
        issuer_kind="state",
        issuer_code="US",
        regimes=regimes,
        records=records,
    )


def _value(raw: str) -> str:
    value = raw.strip()
    return "" if value == EMPTY else value


def _programs(raw: str) -> list[str]:
    return [p.strip() for p in _value(raw).split("] [") if p.strip()]


def _record(row: list[str], display: str, line: int) -> ListedRecord:
    ent_num, name, kind, programs, *_rest, remarks = (
        row[0],
        row[1],
        row[2],
        row[3],
        *row[4:11],
        row[11],
    )
    where = f"line {line}"
    if not ent_num.strip().isdigit():
        raise ImportFailure(display, where, f"entry number {ent_num!r} is not a number")
    if not _value(name):
        raise ImportFailure(display, where, "the name is empty")
    kind_value = _value(kind).lower()
    if kind_value not in _KINDS:
        raise ImportFailure(display, where, f"unknown type {kind!r}")
    codes = _programs(programs)
    if not codes:
        raise ImportFailure(display, where, "no sanctions program")
    remarks_text = _value(remarks)
    nationality = _NATIONALITY.search(remarks_text)
    raw_name = '"' + name.replace('"', '""') + '"'
    return ListedRecord(
        id=f"ofac-{ent_num.strip()}",
        kind=_KINDS[kind_value],
        name=_value(name),
        regime_keys=sorted({program_regime(code).key for code in codes}),
        list_record_id=ent_num.strip(),
        aliases=[(alias.strip(), "a.k.a.") for alias in _AKA.findall(remarks_text)],
        nationality=country_code(nationality[1]) if nationality else None,
        dates_of_birth=list(dict.fromkeys(_dates_of_birth(remarks_text))),
        remarks=remarks_text,
        identifiers=remarks_identifiers(remarks_text),
        quote=f"{ent_num.strip()},{raw_name}",
        quote_field="list_record_id",
    )


def remarks_identifiers(remarks: str) -> list[Identifier]:
    """Passports, national ids, tax and registration numbers and IMO numbers in the remarks
    ("Passport 1084010 (Egypt); ... IMO 7406784")."""
    found = []
    for item in remarks.split(";"):
        match = _DOCUMENT.match(item.strip())
        if match:
            country = country_code(match["country"]) if match["country"] else None
            found.append(
                Identifier(
                    type=_DOCUMENT_LABELS[match["label"]],
                    value=match["value"].strip(" .-/"),
                    country=country or "",
                )
            )
    found.extend(
        Identifier(type=IdentifierType.IMO, value=number) for number in _IMO.findall(remarks)
    )
    return [i for i in found if i.normalised]


def _dates_of_birth(remarks: str) -> list[str]:
    dates = []
    for day, month, year in _DOB.findall(remarks):
        if day and month in _MONTHS:
            try:
                dates.append(dt.date(int(year), _MONTHS[month], int(day)).isoformat())
                continue
            except ValueError:
                pass
        dates.append(year)
    return dates
