"""Designations and regimes as FollowTheMoney entities, as OpenSanctions publishes them:
newline-delimited `{"id", "schema", "properties": {name: [values]}}`.

A designation is one entity (Person, Organization, Company, Vessel, Airplane, or LegalEntity
for a kind FtM has no schema for) and, for each regime it is listed under, a Sanction linking
it to the regime (`entity`, `program`, `authority`, `startDate`, `endDate`, ...). A regime is
exported as what it lists: each of its designations and the Sanction of that regime.

Everything is read from the records' JSON as the API serves it (the stored representations),
so an entity says no more and no less than the API does. Properties are named as the FtM
schemata name them; a value the schema has no property for is left out (the JSON Lines export
has everything).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from core.api.exports import stored_bodies
from core.names import name_parts
from core.representations import served
from core.visibility import public_view
from sanctions.choices import Measure
from sanctions.models import Designation, SanctionsRegime

SCHEMAS = {
    "individual": "Person",
    "entity": "Organization",  # Company when its name carries a company's legal form
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
FALLBACK_SCHEMA = "LegalEntity"  # a kind of designation FtM has no narrower schema for

_THING = {"name", "alias", "country", "notes", "sourceUrl", "topics", "program"}
_LEGAL_ENTITY = _THING | {
    "idNumber",
    "taxNumber",
    "registrationNumber",
    "swiftBic",
    "email",
    "website",
}
_VEHICLE = _THING | {"registrationNumber"}
# The properties written for each schema (a subset of the schema's, by FtM's names).
PROPERTIES: dict[str, frozenset[str]] = {
    "LegalEntity": frozenset(_LEGAL_ENTITY),
    "Person": frozenset(_LEGAL_ENTITY | {"birthDate", "nationality", "passportNumber"}),
    "Organization": frozenset(_LEGAL_ENTITY | {"imoNumber"}),
    "Company": frozenset(_LEGAL_ENTITY | {"imoNumber"}),
    "Vessel": frozenset(_VEHICLE | {"imoNumber", "mmsi"}),
    "Airplane": frozenset(_VEHICLE),
    "Sanction": frozenset(
        {
            "entity",
            "program",
            "programId",
            "authority",
            "authorityId",
            "country",
            "provisions",
            "startDate",
            "endDate",
            "sourceUrl",
        }
    ),
}
# An identifier's type -> the FtM properties that may hold it, in order of preference.
IDENTIFIER_PROPERTIES: dict[str, tuple[str, ...]] = {
    "passport": ("passportNumber", "idNumber"),
    "national_id": ("idNumber",),
    "tax_id": ("taxNumber",),
    "registration": ("registrationNumber",),
    "imo": ("imoNumber",),
    "mmsi": ("mmsi",),
    "swift_bic": ("swiftBic",),
    "aircraft_tail": ("registrationNumber",),
    "vessel_registration": ("registrationNumber",),
    "website": ("website",),
    "email": ("email",),
}
OTHER_IDENTIFIER = ("idNumber",)
REGIME_BATCH = 500


def designation_schema(record: dict) -> str:
    schema = SCHEMAS.get(record.get("kind"), FALLBACK_SCHEMA)
    if schema == "Organization" and name_parts(record["name"]).legal_forms:
        return "Company"
    return schema


def designation_entity(record: dict, *, url: str) -> dict:
    """The designation's own entity (a Person, Vessel, ...)."""
    schema = designation_schema(record)
    allowed = PROPERTIES[schema]
    properties: dict[str, list[str]] = {}

    def add(name: str, values: Iterable) -> None:
        if name not in allowed:
            return
        for value in _known(list(values)):
            if value not in properties.setdefault(name, []):
                properties[name].append(value)

    add("name", [record["name"]])
    add("alias", record.get("aliases") or [])
    code = (record.get("nationality") or {}).get("iso_alpha2")
    if code:
        add("nationality" if schema == "Person" else "country", [code.lower()])
    add("birthDate", record.get("dates_of_birth") or [])
    for identifier in record.get("identifiers") or []:
        names = IDENTIFIER_PROPERTIES.get(identifier.get("type"), OTHER_IDENTIFIER)
        name = next((name for name in names if name in allowed), None)
        if name is not None:
            add(name, [identifier.get("value")])
    add("notes", [record.get("remarks")])
    if record.get("status") == "listed":
        add("topics", ["sanction"])
    add("sourceUrl", [url])
    return {"id": record["id"], "schema": schema, "properties": properties}


def sanction_entity(designation: dict, regime: dict, *, url: str) -> dict:
    """The link of a designation to one regime it is listed under."""
    issuer = regime.get("issuer") or {}
    properties = {
        "entity": [designation["id"]],
        "program": [regime["name"]],
        "programId": [regime["key"]],
        "authority": [issuer.get("name")],
        "authorityId": [designation.get("reference_number")],
        "country": [(issuer.get("iso_alpha2") or "").lower()],
        "provisions": [_measure_label(code) for code in regime.get("measures") or []],
        "startDate": [designation.get("listed_on")],
        "endDate": [designation.get("delisted_on")],
        "sourceUrl": [url],
    }
    return {
        "id": f"{designation['id']}.sanction.{regime['id']}",
        "schema": "Sanction",
        "properties": {name: kept for name, given in properties.items() if (kept := _known(given))},
    }


def _known(values: list) -> list[str]:
    return [str(value) for value in values if value not in (None, "")]


def _measure_label(code: str) -> str:
    try:
        return Measure(code).label
    except ValueError:
        return code


def designations_entities(
    batches: Iterable[list[dict]], *, detail_url: Callable[[str], str]
) -> Iterator[dict]:
    """Each designation's entity, then its Sanctions (one per public regime it shows)."""
    regimes: dict[str, dict] = {}
    for batch in batches:
        wanted = {r["id"] for record in batch for r in record.get("regimes") or []} - regimes.keys()
        if wanted:  # regimes are few: each is read once per export
            regimes |= {
                pk: json.loads(body)
                for pk, (body, _) in served(SanctionsRegime, sorted(wanted)).items()
            }
        for record in batch:
            url = detail_url(record["id"])
            yield designation_entity(record, url=url)
            for brief in record.get("regimes") or []:
                regime = regimes.get(brief["id"], brief)
                yield sanction_entity(record, regime, url=url)


def regimes_entities(
    batches: Iterable[list[dict]], *, detail_url: Callable[[str], str], size: int = REGIME_BATCH
) -> Iterator[dict]:
    """For each regime, every public designation it lists: its entity and this regime's
    Sanction for it (a designation under several exported regimes appears under each)."""
    for batch in batches:
        for regime in batch:
            listed = public_view(Designation.objects.filter(regimes=regime["id"])).order_by("pk")
            for bodies in stored_bodies(listed, size):
                for body in bodies:
                    record = json.loads(body)
                    url = detail_url(record["id"])
                    yield designation_entity(record, url=url)
                    yield sanction_entity(record, regime, url=url)


def ftm_example(designation: dict, regime: dict) -> list[dict]:
    """The entities a designation listed under ``regime`` exports as (for the schema)."""
    url = f"https://register.example.org/api/v1/designations/{designation['id']}/"
    return [designation_entity(designation, url=url), sanction_entity(designation, regime, url=url)]
