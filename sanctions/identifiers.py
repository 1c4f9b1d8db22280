"""Identifiers as lists give them (passports, national ids, IMO numbers, websites, ...): one
value type for parsers and services, and the rules for a valid one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.names import identifier_normalise
from core.partial_dates import PartialDate, PartialDateError
from sanctions.choices import IdentifierType

VALUE_LIMIT = 200
NOTE_LIMIT = 1000
# What a value of these types must look like, normalised (upper-case letters and digits).
_SHAPES = {
    IdentifierType.IMO: (re.compile(r"^(?:IMO)?\d{7}$"), "an IMO number has 7 digits"),
    IdentifierType.MMSI: (re.compile(r"^\d{9}$"), "an MMSI has 9 digits"),
    IdentifierType.SWIFT_BIC: (
        re.compile(r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$"),
        "a SWIFT/BIC code has 8 or 11 letters and digits, the first 6 letters",
    ),
}
# What a value of these types must look like, as given.
_FORMS = {
    IdentifierType.EMAIL: (
        re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
        "an e-mail address is name@domain",
    ),
    IdentifierType.WEBSITE: (
        re.compile(r"^(?:https?://)?[^\s/]+\.[^\s/.]+(?:[/?#]\S*)?$", re.I),
        "a website is a domain name or URL without spaces",
    ),
}


@dataclass(frozen=True)
class Identifier:
    """A document or registry number: its type, the value as given, the issuing country,
    when it was issued and expires (partial ISO dates), and what else the list says of it."""

    type: str
    value: str
    country: str = ""  # ISO 3166 alpha-2, blank when unknown
    issued_on: str | None = None
    expires_on: str | None = None
    note: str = ""

    @property
    def normalised(self) -> str:
        return identifier_normalise(self.value)

    def problem(self) -> str | None:
        """Why this identifier cannot be stored, or None."""
        if self.type not in IdentifierType.values:
            return f"{self.type!r} is not an identifier type"
        if not self.normalised:
            return "An identifier needs letters or digits."
        if len(self.value) > VALUE_LIMIT:
            return f"An identifier has at most {VALUE_LIMIT} characters."
        if len(self.note) > NOTE_LIMIT:
            return f"An identifier's note has at most {NOTE_LIMIT} characters."
        if self.country and not (len(self.country) == 2 and self.country.isalpha()):
            return f"{self.country!r} is not an ISO 3166 alpha-2 code"
        shape = _SHAPES.get(self.type)
        if shape and not shape[0].match(self.normalised):
            return f"{self.value!r}: {shape[1]}"
        form = _FORMS.get(self.type)
        if form and not form[0].match(self.value):
            return f"{self.value!r}: {form[1]}"
        for name in ("issued_on", "expires_on"):
            value = getattr(self, name)
            if value is not None:
                try:
                    PartialDate.parse(value)
                except PartialDateError as exc:
                    return f"{name}: {exc}"
        return None

    def snapshot(self) -> list[str]:
        """What an import snapshot compares: every field, as strings."""
        return [
            self.type,
            self.value,
            self.country,
            self.issued_on or "",
            self.expires_on or "",
            self.note,
        ]
