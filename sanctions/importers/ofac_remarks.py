"""What OFAC's SDN remarks say, item by item ("DOB 10 Jan 1970; Passport 123 (Korea, North)
expires 01 Jan 2025; Website www.example.com; POB Moscow, Russia; a.k.a. 'X'")."""

from __future__ import annotations

import re

from core.countries import iso_alpha2_from
from sanctions.addresses import Address
from sanctions.choices import AddressKind
from sanctions.choices import IdentifierType as T
from sanctions.identifiers import Identifier
from sanctions.importers.dates import DateWordingError, written_date

# A remark item's label -> the identifier type. The label is kept as the identifier's note
# unless it is the type's own plain wording (in PLAIN).
LABELS: dict[str, str] = {
    "Passport": T.PASSPORT,
    "Diplomatic Passport": T.PASSPORT,
    "Passport Booklet": T.PASSPORT,
    "Passport Booklet:": T.PASSPORT,
    "British National Overseas Passport": T.PASSPORT,
    "Travel Document Number": T.PASSPORT,
    "National ID No.": T.NATIONAL_ID,
    "Cedula No.": T.NATIONAL_ID,
    "Personal ID No.": T.NATIONAL_ID,
    "Personal ID Card": T.NATIONAL_ID,
    "Identification Number": T.NATIONAL_ID,
    "C.U.R.P.": T.NATIONAL_ID,
    "C.U.R.P. #": T.NATIONAL_ID,
    "D.N.I.": T.NATIONAL_ID,
    "Kenyan ID No.": T.NATIONAL_ID,
    "Turkish Identification Number": T.NATIONAL_ID,
    "Turkish Identificiation Number": T.NATIONAL_ID,
    "National Foreign ID Number": T.NATIONAL_ID,
    "Citizen's Card Number": T.NATIONAL_ID,
    "Electoral Registry No.": T.NATIONAL_ID,
    "Credencial electoral": T.NATIONAL_ID,
    "Numero de Identidad": T.NATIONAL_ID,
    "Tazkira National ID Card": T.NATIONAL_ID,
    "SSN": T.NATIONAL_ID,
    "Birth Certificate Number": T.NATIONAL_ID,
    "Residency Number": T.NATIONAL_ID,
    "Refugee ID Card": T.NATIONAL_ID,
    "Driver's License No.": T.NATIONAL_ID,
    "Tax ID No.": T.TAX_ID,
    "R.F.C.": T.TAX_ID,
    "R.F.C. #": T.TAX_ID,
    "RFC": T.TAX_ID,
    "NIT #": T.TAX_ID,
    "RUC #": T.TAX_ID,
    "RIF #": T.TAX_ID,
    "V.A.T. Number": T.TAX_ID,
    "Italian Fiscal Code": T.TAX_ID,
    "Italian Fiscal Code:": T.TAX_ID,
    "US FEIN": T.TAX_ID,
    "C.U.I.T.": T.TAX_ID,
    "RTN": T.TAX_ID,
    "Registration Number": T.REGISTRATION,
    "Registration ID": T.REGISTRATION,
    "Business Registration Number": T.REGISTRATION,
    "Business Registration Document #": T.REGISTRATION,
    "Company Number": T.REGISTRATION,
    "UK Company Number": T.REGISTRATION,
    "Commercial Registry Number": T.REGISTRATION,
    "Chamber of Commerce Number": T.REGISTRATION,
    "Legal Entity Number": T.REGISTRATION,
    "Government Gazette Number": T.REGISTRATION,
    "Unified Social Credit Code (USCC)": T.REGISTRATION,
    "Economic Register Number (CBLS)": T.REGISTRATION,
    "Folio Mercantil No.": T.REGISTRATION,
    "Matricula Mercantil No": T.REGISTRATION,
    "C.R. No.": T.REGISTRATION,
    "Trade License No.": T.REGISTRATION,
    "Certificate of Incorporation Number": T.REGISTRATION,
    "Public Registration Number": T.REGISTRATION,
    "Central Registration System Number": T.REGISTRATION,
    "D-U-N-S Number": T.REGISTRATION,
    "IMO": T.IMO,
    "Vessel Registration Identification": T.VESSEL_REGISTRATION,
    "MMSI": T.MMSI,
    "SWIFT/BIC": T.SWIFT_BIC,
    "Website": T.WEBSITE,
    "Email Address": T.EMAIL,
    "Email": T.EMAIL,
    "Aircraft Manufacturer's Serial Number (MSN)": T.AIRCRAFT_SERIAL,
    "Aircraft Serial Identification": T.AIRCRAFT_SERIAL,
    "Aircraft Tail Number": T.AIRCRAFT_TAIL,
    "Previous Aircraft Tail Number": T.AIRCRAFT_TAIL,
    "Digital Currency Address - XBT": T.OTHER,
    "Digital Currency Address - ETH": T.OTHER,
    "Digital Currency Address - USDT": T.OTHER,
    "Digital Currency Address - LTC": T.OTHER,
    "Digital Currency Address - XMR": T.OTHER,
    "Digital Currency Address - DASH": T.OTHER,
    "Digital Currency Address - BCH": T.OTHER,
    "Digital Currency Address - ZEC": T.OTHER,
    "Digital Currency Address - TRX": T.OTHER,
    "Digital Currency Address - BSV": T.OTHER,
    "Digital Currency Address - BTG": T.OTHER,
    "Digital Currency Address - ETC": T.OTHER,
    "Digital Currency Address - XRP": T.OTHER,
    "Digital Currency Address - XVG": T.OTHER,
    "Digital Currency Address - USDC": T.OTHER,
    "Digital Currency Address - ARB": T.OTHER,
    "Digital Currency Address - BSC": T.OTHER,
}
PLAIN = {
    "Passport",
    "National ID No.",
    "Tax ID No.",
    "Registration Number",
    "IMO",
    "MMSI",
    "SWIFT/BIC",
    "Website",
    "Email Address",
    "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Tail Number",
    "Vessel Registration Identification",
}
_LABEL = re.compile(
    r"^(?P<alt>alt\.\s+)?(?P<label>"
    + "|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True))
    + r")(?=\s|$)\s*(?P<rest>.*)$",
    re.S,
)
# After the label: the value (tokens; a parenthesis attached to one belongs to it, e.g.
# "D489833(9)"), then parenthesised groups (the last a country), issue and expiry clauses.
_REST = re.compile(
    r"^(?P<value>(?:\(?[^\s()]+(?:\([^()\s]*\)[^\s()]*)*)(?:\s+(?!issued\b|expires\b)[^\s()]+(?:\([^()\s]*\)[^\s()]*)*)*)"
    r"(?P<groups>(?:\s*\([^()]*\))*)"
    r"(?:\s*,?\s*issued\s+(?P<issued>.+?))?"
    r"(?:\s*,?\s*expires\s+(?P<expires>.+?))?\s*\.?$",
    re.S,
)
_GROUP = re.compile(r"\(([^()]*)\)")
# Prose that names a label without giving one ("Passport issued in Sarajevo", "Passport and
# National ID were issued in Ulm", "Passport No.: 0310857, Eritrea, ..."): not an identifier.
_PROSE = re.compile(r"^(?:(?:issued|and|or|were|was|is|in|of|on|for)\s|No\.:)")
# Types whose value is one token; what follows it in the value is kept as the note.
_ONE_TOKEN = {T.IMO, T.MMSI, T.SWIFT_BIC, T.WEBSITE, T.EMAIL}
# An IMO number inside another label's value ("Vessel Registration Identification IMO 9187629",
# "Company Number IMO 1234567"): the identifier is the IMO number.
_IMO_VALUE = re.compile(r"^IMO\s+(?P<number>\d{7})$")
_LOOKS_LIKE_DATE = re.compile(r"^(?:\d{1,2}\s+)?[A-Za-z]{3,9}\.?\s+\d{4}\.?$|^\d{4}-\d{2}-\d{2}$")
_POB = re.compile(r"^(?:alt\.\s+)?POB\s+(?P<place>.+?)\.?$", re.S)
_AKA = re.compile(r"a\.k\.a\. '([^']+)'")


class RemarkProblem(ValueError):
    """A remark item with an identifier's label whose value cannot be that identifier."""

    def __init__(self, item: str, problem: str) -> None:
        super().__init__(f"{item!r}: {problem}")


def remarks_items(remarks: str) -> list[str]:
    """The remark's items, as OFAC separates them."""
    return [item.strip() for item in remarks.split(";") if item.strip()]


def remarks_identifiers(remarks: str) -> list[Identifier]:
    """Every identifier the remarks give. Raises RemarkProblem for an item whose label says
    what it is but whose value cannot be one (an MMSI that is not 9 digits, a SWIFT/BIC code
    of another shape, an e-mail address without @, ...) or whose date is not a real date."""
    found = []
    for item in remarks_items(remarks):
        match = _LABEL.match(item)
        if match:
            identifier = _identifier(item, match["label"], match["rest"])
            if identifier is not None:
                found.append(identifier)
    return found


def _identifier(item: str, label: str, rest: str) -> Identifier | None:
    parts = _REST.match(rest)
    if not parts or not rest.strip() or _PROSE.match(rest):
        if LABELS[label] in _ONE_TOKEN:
            raise RemarkProblem(item, f"{label} without a value")
        return None  # prose mentioning the label, kept in the remarks
    value = parts["value"].strip().rstrip(".").strip()
    kind = LABELS[label]
    note = [] if label in PLAIN else [label]
    imo = _IMO_VALUE.match(value)
    if imo and kind != T.IMO:
        kind, value = T.IMO, imo["number"]
    elif kind == T.IMO:
        value = value.removeprefix("IMO").strip()
    if kind in _ONE_TOKEN:
        value, _, more = value.partition(" ")
        value = value.rstrip(".")
        if more.strip():
            note.append(more.strip())
    country = ""
    groups = _GROUP.findall(parts["groups"] or "")
    if groups:
        country = iso_alpha2_from(groups[-1], scheme="regex") or ""
    note.extend(f"({group.strip()})" for group in (groups if not country else groups[:-1]))
    dates = {}
    for name in ("issued", "expires"):
        clause = (parts[name] or "").strip().rstrip(".")
        if not clause:
            continue
        try:
            dates[name] = written_date(clause)
        except DateWordingError as exc:
            if _LOOKS_LIKE_DATE.match(clause):  # written as a date, but no such day
                raise RemarkProblem(item, f"{name}: {exc}") from None
            note.append(f"{name} {clause}")
    identifier = Identifier(
        type=kind,
        value=value,
        country=country,
        issued_on=dates.get("issued"),
        expires_on=dates.get("expires"),
        note="; ".join(note),
    )
    problem = identifier.problem()
    if problem:
        raise RemarkProblem(item, problem)
    return identifier


def remarks_places_of_birth(remarks: str) -> list[Address]:
    """Places of birth ("POB Culiacan, Sinaloa, Mexico"): the text as given, the country
    from its last part where recognised."""
    found = []
    for item in remarks_items(remarks):
        match = _POB.match(item)
        if match:
            place = match["place"].strip()
            last = place.rsplit(",", 1)[-1].strip()
            country = iso_alpha2_from(last, scheme="regex") or ""
            found.append(
                Address(
                    kind=AddressKind.PLACE_OF_BIRTH,
                    text=place,
                    country_name=last if country else "",
                    country=country,
                )
            )
    return found


def remarks_aliases(remarks: str) -> list[str]:
    """The a.k.a. names the remarks give."""
    return [alias.strip() for alias in _AKA.findall(remarks)]
