"""Addresses and places of birth as lists give them: one value type for parsers and
services, and the rules for a valid one."""

from __future__ import annotations

from dataclasses import dataclass

from sanctions.choices import AddressKind

LIMITS = {
    "text": 1000,
    "street": 500,
    "city": 300,
    "state_province": 300,
    "postal_code": 50,
    "country_name": 200,
    "note": 1000,
}


@dataclass(frozen=True)
class Address:
    """An address or place of birth: its parts as the list separates them, the country as an
    ISO 3166 alpha-2 code where its wording is recognised, and the whole text as given."""

    kind: str
    text: str
    street: str = ""
    city: str = ""
    state_province: str = ""
    postal_code: str = ""
    country_name: str = ""
    country: str = ""  # ISO 3166 alpha-2, blank when the wording is not recognised
    note: str = ""

    @classmethod
    def of_parts(cls, *, kind: str, note: str = "", country: str = "", **parts: str) -> Address:
        """An address whose text is its given parts joined, in the list's order."""
        text = ", ".join(
            value
            for value in (
                parts.get("street", ""),
                parts.get("city", ""),
                parts.get("state_province", ""),
                parts.get("postal_code", ""),
                parts.get("country_name", ""),
            )
            if value
        )
        return cls(kind=kind, text=text or note, note=note, country=country, **parts)

    def key(self) -> tuple[str, str, str]:
        """Two addresses with the same key are one (the list repeating itself)."""
        return (self.kind, self.text, self.note)

    def problem(self) -> str | None:
        """Why this address cannot be stored, or None."""
        if self.kind not in AddressKind.values:
            return f"{self.kind!r} is not an address kind"
        if not self.text.strip():
            return "An address needs some text."
        for name, limit in LIMITS.items():
            if len(getattr(self, name)) > limit:
                return f"An address's {name} has at most {limit} characters."
        if self.country and not (len(self.country) == 2 and self.country.isalpha()):
            return f"{self.country!r} is not an ISO 3166 alpha-2 code"
        return None

    def snapshot(self) -> list[str]:
        """What an import snapshot compares: every field, as strings."""
        return [
            self.kind,
            self.text,
            self.street,
            self.city,
            self.state_province,
            self.postal_code,
            self.country_name,
            self.country,
            self.note,
        ]
