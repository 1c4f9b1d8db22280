"""What a parsed official list holds, independent of its file format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.imports import ImportFailure
from sanctions.identifiers import Identifier

__all__ = ["Identifier", "ImportFailure", "ListedRecord", "OfficialList", "RegimeSpec"]


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
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (name, quality)
    listed_on: str | None = None  # partial ISO date
    nationality: str | None = None  # ISO 3166 alpha-2, None when the list gives none we know
    dates_of_birth: list[str] = field(default_factory=list)
    remarks: str = ""
    identifiers: list[Identifier] = field(default_factory=list)  # documents, IMO numbers
    quote: str = ""  # verbatim text of the file that identifies the record, cited as evidence
    quote_field: str = "reference_number"

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
        }


def identifiers_snapshot(identifiers) -> list[list[str]]:
    """Identifiers as an import snapshot compares them: sorted [type, value, country]."""
    return sorted([i.type, i.value, i.country] for i in identifiers)


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
