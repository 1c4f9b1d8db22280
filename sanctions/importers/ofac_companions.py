"""OFAC's companion files to sdn.csv: alt.csv (aliases, typed aka/fka/nka), add.csv
(addresses) and sdn_comments.csv (remarks too long for sdn.csv, continued). Each has no
header, is cp1252 with "-0- " for empty, and keys its rows by sdn.csv's entry number."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.countries import iso_alpha2_from
from sanctions.addresses import Address
from sanctions.choices import AddressKind
from sources.importing import ImportFile, csv_rows, read_file

# name -> (file name beside sdn.csv, columns, what it holds)
FILES = {
    "alt": ("alt.csv", 5, "OFAC's alt.csv (ent_num, alt_num, alt_type, alt_name, alt_remarks)"),
    "add": (
        "add.csv",
        6,
        "OFAC's add.csv (ent_num, add_num, address, city/state/postal code, country, remarks)",
    ),
    "comments": ("sdn_comments.csv", 2, "OFAC's sdn_comments.csv (ent_num, remarks continued)"),
}
TITLES = {
    "alt": "SDN alternate names (alt.csv), legacy CSV",
    "add": "SDN addresses (add.csv), legacy CSV",
    "comments": "SDN remarks continued (sdn_comments.csv), legacy CSV",
}
# alt.csv's alt_type -> the alias's quality, as sdn.csv's remarks write it.
ALIAS_TYPES = {"aka": "a.k.a.", "fka": "f.k.a.", "nka": "n.k.a."}
# "-0- " is empty; the copy of 2019 ends in a cut "-0".
_EMPTY = {"-0-", "-0"}


@dataclass(frozen=True)
class CompanionFile:
    """A companion file read whole, to be stored as its own Source and cited."""

    key: str  # "alt", "add" or "comments"
    file_name: str
    sha256: str
    text: str
    title: str


@dataclass
class Companions:
    """What the companion files add to sdn.csv's entries, by entry number."""

    files: list[CompanionFile] = field(default_factory=list)
    aliases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    addresses: dict[str, list[Address]] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    # (companion key, designation field, verbatim quote): one per entry and field.
    quotes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


def companions_read(
    sdn: Path, *, entries: dict[str, int], given: dict[str, Path | None] | None = None
) -> Companions:
    """Read the companion files beside ``sdn`` (or the paths ``given`` names; None leaves
    one out). A malformed file, or a row naming an entry sdn.csv does not hold, raises
    ImportFailure naming the file, line and field."""
    given = given or {}
    found = Companions()
    for key, (name, columns, what) in FILES.items():
        path = given[key] if key in given else _beside(sdn, name)
        if path is None:
            continue
        file = read_file(path, encoding="cp1252")
        text = file.text.rstrip("\x1a\r\n")
        found.files.append(CompanionFile(key, path.name, file.sha256, file.text, TITLES[key]))
        for row in csv_rows(file, columns=columns, what=what, text=text, raw=True):
            ent_num = _entry(file, row.line, row.values[0], entries, sdn.name)
            reader = {"alt": _alias, "add": _address, "comments": _comment}[key]
            reader(found, file, row, ent_num)
    return found


def _beside(sdn: Path, name: str) -> Path | None:
    path = sdn.with_name(name)
    return path if path.is_file() else None


def _value(raw: str) -> str:
    value = raw.strip()
    return "" if value in _EMPTY else value


def _entry(file: ImportFile, line: int, raw: str, entries: dict[str, int], sdn: str) -> str:
    ent_num = raw.strip()
    if not ent_num.isdigit():
        raise file.failure(f"line {line}, field ent_num", f"{raw!r} is not an entry number")
    if ent_num not in entries:
        raise file.failure(
            f"line {line}, field ent_num",
            f"entry {ent_num} is not in {sdn}: the files are not one set",
        )
    return ent_num


def _quote(found: Companions, key: str, ent_num: str, field_name: str, raw: str) -> None:
    quotes = found.quotes.setdefault(ent_num, [])
    if raw and not any(k == key and f == field_name for k, f, _ in quotes):
        quotes.append((key, field_name, raw))


def _alias(found: Companions, file: ImportFile, row, ent_num: str) -> None:
    _, _, alt_type, alt_name, _ = row.values
    kind = _value(alt_type).lower()
    if kind not in ALIAS_TYPES:
        raise file.failure(
            f"line {row.line}, field alt_type",
            f"{alt_type!r} is not an alias type (aka, fka or nka)",
        )
    name = _value(alt_name)
    if not name:
        raise file.failure(f"line {row.line}, field alt_name", "the alias is empty")
    found.aliases.setdefault(ent_num, []).append((name, ALIAS_TYPES[kind]))
    _quote(found, "alt", ent_num, "aliases", row.raw)


def _address(found: Companions, file: ImportFile, row, ent_num: str) -> None:
    street, place, country_name, note = (_value(v) for v in row.values[2:6])
    if not (street or place or country_name or note):
        return  # OFAC's placeholder row: an entry with no known address
    country = iso_alpha2_from(country_name, scheme="regex") if country_name else None
    found.addresses.setdefault(ent_num, []).append(
        Address.of_parts(
            kind=AddressKind.ADDRESS,
            street=street,
            city=place,
            country_name=country_name,
            country=country or "",
            note=note,
        )
    )
    _quote(found, "add", ent_num, "addresses", row.raw)


def _comment(found: Companions, file: ImportFile, row, ent_num: str) -> None:
    if ent_num in found.comments:
        raise file.failure(f"line {row.line}, field ent_num", f"entry {ent_num} is continued twice")
    found.comments[ent_num] = row.values[1]
    _quote(found, "comments", ent_num, "remarks", row.raw)
