"""What a parsed official list holds, independent of its file format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.imports import ImportFailure
from sanctions.addresses import Address
from sanctions.identifiers import Identifier

__all__ = ["Address", "Identifier", "ImportFailure", "ListedRecord", "OfficialList", "RegimeSpec"]


@dataclass(frozen=True)
class RegimeSpec:
    """A regime a list names (e.g. the UN "DPRK" list or the OFAC "DPRK2" program)."""

    id: str
    key: str
    name: str
    legal_basis: str = ""


@dataclass
class ListedRecord:
    """One listed person, entity, vessel or aircraft, as the list gives it."""

    id: str
    kind: str
    name: str
    regime_keys: list[str]
    reference_number: str = ""
    list_record_id: str = ""
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (name, quality or type)
    listed_on: str | None = None  # partial ISO date
    nationality: str | None = None  # ISO 3166 alpha-2, None when the list gives none we know
    dates_of_birth: list[str] = field(default_factory=list)
    remarks: str = ""
    identifiers: list[Identifier] = field(default_factory=list)  # documents, IMO numbers
    addresses: list[Address] = field(default_factory=list)  # addresses and places of birth
    vessel: dict = field(default_factory=dict)  # call_sign, vessel_type, vessel_flag (ISO), ...
    quote: str = ""  # verbatim text of the file that identifies the record, cited as evidence
    quote_field: str = "reference_number"
    # Further evidence: (companion file key, "" for the list file itself; field; verbatim quote).
    quotes: list[tuple[str, str, str]] = field(default_factory=list)

    def values(self) -> dict:
        """The designation's own fields as the import sets them (compared with curator edits)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "reference_number": self.reference_number,
            "list_record_id": self.list_record_id,
            "listed_on": self.listed_on,
            "nationality": self.nationality,
            "dates_of_birth": list(self.dates_of_birth),
            "remarks": self.remarks,
            "aliases": sorted({name for name, _ in self.aliases}),
            "regimes": sorted(self.regime_keys),
            "identifiers": identifiers_snapshot(self.identifiers),
            "addresses": addresses_snapshot(self.addresses),
            **{name: self.vessel.get(name, default) for name, default in VESSEL_FIELDS.items()},
        }


# A vessel's attributes (Designation fields; vessel_flag as an ISO code) and their unknown value.
VESSEL_FIELDS = {
    "call_sign": "",
    "vessel_type": "",
    "vessel_flag": None,
    "tonnage": None,
    "gross_registered_tonnage": None,
    "vessel_owner": "",
}


def identifiers_snapshot(identifiers) -> list[list[str]]:
    """Identifiers as an import snapshot compares them: each one's fields, sorted, once per
    type and normalised value (as the services store them)."""
    unique = {}
    for identifier in identifiers:
        unique.setdefault((identifier.type, identifier.normalised), identifier.snapshot())
    return sorted(unique.values())


def addresses_snapshot(addresses) -> list[list[str]]:
    """Addresses as an import snapshot compares them: each one's fields, sorted, without
    repeats (as the services store them)."""
    unique = {}
    for address in addresses:
        unique.setdefault(address.key(), address.snapshot())
    return sorted(unique.values())


@dataclass
class OfficialList:
    """A whole parsed list file, ready to write."""

    family: str  # "un" or "ofac": record ids start with it, delisting stays within it
    file_name: str
    sha256: str
    text: str
    generated_on: dt.date
    source_id: str
    title: str
    publisher: str
    issuer_id: str
    issuer_name: str
    issuer_kind: str
    issuer_code: str | None
    regimes: dict[str, RegimeSpec]
    records: list[ListedRecord]
    url: str = ""
    companions: list = field(default_factory=list)  # CompanionFile: files read with this one
