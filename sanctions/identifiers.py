"""Identifiers as lists give them (passports, national ids, IMO numbers): one value type for
parsers and services, and the rules for a valid one."""

from __future__ import annotations

from dataclasses import dataclass

from core.names import identifier_normalise
from sanctions.choices import IdentifierType

VALUE_LIMIT = 200


@dataclass(frozen=True)
class Identifier:
    """A document or registry number: its type, the value as given, the issuing country."""

    type: str
    value: str
    country: str = ""  # ISO 3166 alpha-2, blank when unknown

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
        if self.country and not (len(self.country) == 2 and self.country.isalpha()):
            return f"{self.country!r} is not an ISO 3166 alpha-2 code"
        return None
