"""Parser for OFAC's legacy SDN list (sdn.csv): no header, 12 columns, cp1252, "-0- " for
empty, programs like "NPWMD] [DPRK2", a trailing 0x1A byte."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sanctions.choices import IdentifierType
from sanctions.importers.ofac_companions import Companions, companions_read
from sanctions.importers.ofac_remarks import (
    RemarkProblem,
    remarks_aliases,
    remarks_identifiers,
    remarks_places_of_birth,
)
from sanctions.importers.parsed import (
    Identifier,
    ImportFailure,
    ListedRecord,
    OfficialList,
    RegimeSpec,
)
from sanctions.importers.un import country_code
from sources.importing import csv_rows, read_file

__all__ = ["ofac_sdn_parse", "program_regime", "remarks_identifiers"]

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
_TONNAGE = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")


def program_regime(code: str) -> RegimeSpec:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", code).strip("-")
    return RegimeSpec(
        id=f"us-ofac-{slug.lower()}",
        key=f"US-OFAC-{slug.upper()}",
        name=f"OFAC sanctions program {code}",
    )


def ofac_sdn_parse(
    path: Path,
    *,
    generated_on: dt.date | None = None,
    companions: dict[str, Path | None] | None = None,
) -> OfficialList:
    """Read and check a whole SDN CSV with its companion files (alt.csv, add.csv,
    sdn_comments.csv: those beside it, or as ``companions`` names them, None leaving one
    out); raise ImportFailure before anything is written.

    The file carries no date of its own: give ``generated_on``, or name the file with it
    (e.g. ofac_sdn_2024-05-03.csv).
    """
    display = path.name
    if generated_on is None:
        match = _FILE_DATE.search(path.name) or _FILE_DATE.search(path.parent.name)
        if not match:
            raise ImportFailure(
                display,
                None,
                "the SDN file has no date: put YYYY-MM-DD in its name (or its folder's) or pass --date",
            )
        generated_on = dt.date.fromisoformat(match[1])
    file = read_file(path, encoding="cp1252")
    if file.data.lstrip().startswith(b"<"):
        raise file.failure("line 1", "this is XML, not OFAC's SDN CSV")
    text = file.text
    rows = list(
        csv_rows(file, columns=COLUMNS, what="an SDN CSV", text=text.rstrip("\x1a\r\n"), raw=True)
    )
    entries: dict[str, int] = {}
    for csv_row in rows:
        ent_num = csv_row.values[0].strip()
        if ent_num in entries:
            raise ImportFailure(
                display, f"line {csv_row.line}", f"entry number {ent_num} appears twice"
            )
        entries[ent_num] = csv_row.line
    extra = companions_read(path, entries=entries, given=companions)
    records: list[ListedRecord] = []
    regimes: dict[str, RegimeSpec] = {}
    for csv_row in rows:
        row, line = csv_row.values, csv_row.line
        record = _record(row, display, line, extra)
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
        companions=extra.files,
    )


def _value(raw: str) -> str:
    value = raw.strip()
    return "" if value == EMPTY else value


def _vessel(row: list[str], display: str, where: str) -> tuple[dict, list[Identifier]]:
    """A row's vessel columns (call sign, type, tonnage, GRT, flag, owner) as the vessel's
    attributes; the call sign is also an identifier."""
    call_sign, vessel_type, tonnage, grt, flag, owner = (_value(v) for v in row[5:11])
    attributes: dict = {}
    for name, raw in (("tonnage", tonnage), ("gross_registered_tonnage", grt)):
        if raw:
            if not _TONNAGE.match(raw):
                raise ImportFailure(display, where, f"{name} {raw!r} is not a whole number")
            attributes[name] = int(raw.replace(",", ""))
    attributes |= {
        "call_sign": call_sign,
        "vessel_type": vessel_type,
        "vessel_owner": owner,
        "vessel_flag": (country_code(flag) if flag else None),
    }
    identifiers = (
        [Identifier(type=IdentifierType.OTHER, value=call_sign, note="Call sign")]
        if call_sign
        else []
    )
    return attributes, identifiers


def _programs(raw: str) -> list[str]:
    return [p.strip() for p in _value(raw).split("] [") if p.strip()]


def _record(row: list[str], display: str, line: int, extra: Companions) -> ListedRecord:
    ent_num, name, kind, programs, remarks = row[0], row[1], row[2], row[3], row[11]
    where = f"line {line}"
    if not ent_num.strip().isdigit():
        raise ImportFailure(display, where, f"entry number {ent_num!r} is not a number")
    ent_num = ent_num.strip()
    if not _value(name):
        raise ImportFailure(display, where, "the name is empty")
    kind_value = _value(kind).lower()
    if kind_value not in _KINDS:
        raise ImportFailure(display, where, f"unknown type {kind!r}")
    codes = _programs(programs)
    if not codes:
        raise ImportFailure(display, where, "no sanctions program")
    remarks_text = _value(remarks) + extra.comments.get(ent_num, "")
    try:
        identifiers = remarks_identifiers(remarks_text)
    except RemarkProblem as exc:
        raise ImportFailure(display, f"{where}, field remarks", str(exc)) from None
    attributes, vessel_identifiers = _vessel(row, display, where)
    nationality = _NATIONALITY.search(remarks_text)
    raw_name = '"' + name.replace('"', '""') + '"'
    places = remarks_places_of_birth(remarks_text)
    # What the row's remarks give is cited by the row's own citation (its entry number and
    # name); what a companion file gives is cited to that file.
    quotes = extra.quotes.get(ent_num, [])
    return ListedRecord(
        id=f"ofac-{ent_num}",
        kind=_KINDS[kind_value],
        name=_value(name),
        regime_keys=sorted({program_regime(code).key for code in codes}),
        list_record_id=ent_num,
        aliases=[
            *((alias, "a.k.a.") for alias in remarks_aliases(remarks_text)),
            *extra.aliases.get(ent_num, []),
        ],
        nationality=country_code(nationality[1]) if nationality else None,
        dates_of_birth=list(dict.fromkeys(_dates_of_birth(remarks_text))),
        remarks=remarks_text,
        identifiers=[*identifiers, *vessel_identifiers],
        addresses=[*extra.addresses.get(ent_num, []), *places],
        vessel=attributes,
        quote=f"{ent_num},{raw_name}",
        quote_field="list_record_id",
        quotes=quotes,
    )


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
