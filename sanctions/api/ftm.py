"""Designations and regimes as FollowTheMoney entities, as OpenSanctions publishes them:
newline-delimited `{"id", "schema", "properties": {name: [values]}}`.

A designation is one entity (Person, Organization, Company, Vessel, Airplane, or LegalEntity
for a kind FtM has no schema for) and, for each regime it is listed under, a Sanction linking
it to the regime (`entity`, `program`, `authority`, `startDate`, `endDate`, ...). A regime is
exported as what it lists: each of its designations and the Sanction of that regime.

Everything is read from the records' JSON as the API serves it (the stored representations),
so an entity says no more and no less than the API does; only the fields mapped here are
parsed (``FtmRecord``). Properties are named as the FtM
schemata name them; a value the schema has no property for is left out (the JSON Lines export
has everything).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypedDict

import msgspec

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
REGIME_BATCH = 2000


class _Brief(TypedDict, total=False):
    id: Any
    key: Any
    name: Any
    iso_alpha2: Any


class _Identifier(TypedDict, total=False):
    type: Any
    value: Any


class FtmRecord(TypedDict, total=False):
    """The fields of a designation's JSON that its entities are made from."""

    id: Any
    kind: Any
    name: Any
    aliases: Any
    reference_number: Any
    regimes: list[_Brief] | None
    listed_on: Any
    delisted_on: Any
    status: Any
    nationality: _Brief | None
    dates_of_birth: Any
    remarks: Any
    identifiers: list[_Identifier] | None


# A designation's JSON text -> its FtmRecord (other fields are skipped, not parsed).
designation_record = msgspec.json.Decoder(FtmRecord).decode
_decode = msgspec.json.Decoder().decode


def designation_schema(record: dict) -> str:
    schema = SCHEMAS.get(record.get("kind"), FALLBACK_SCHEMA)
    if schema == "Organization" and name_parts(record["name"]).legal_forms:
        return "Company"
    return schema


def designation_entity(record: dict, *, url: str) -> dict:
    """The designation's own entity (a Person, Vessel, ...)."""
    schema = designation_schema(record)
    allowed = PROPERTIES[schema]
    # Each property's values in the order given; unknown ones and repeats are left out below.
    given: dict[str, list] = {"name": [record["name"]]}
    if record.get("aliases"):
        given["alias"] = record["aliases"]
    code = (record.get("nationality") or {}).get("iso_alpha2")
    if code:
        given["nationality" if schema == "Person" else "country"] = [code.lower()]
    if record.get("dates_of_birth"):
        given["birthDate"] = record["dates_of_birth"]
    for identifier in record.get("identifiers") or ():
        names = IDENTIFIER_PROPERTIES.get(identifier.get("type"), OTHER_IDENTIFIER)
        name = next((name for name in names if name in allowed), None)
        value = identifier.get("value")
        if name is not None and value not in (None, ""):
            given.setdefault(name, []).append(value)
    given["notes"] = [record.get("remarks")]
    if record.get("status") == "listed":
        given["topics"] = ["sanction"]
    given["sourceUrl"] = [url]
    properties = {
        name: kept
        for name, values in given.items()
        if name in allowed and (kept := _distinct(values))
    }
    return {"id": record["id"], "schema": schema, "properties": properties}


def sanction_entity(
    designation: dict, regime: dict, *, url: str, program: tuple[dict, dict] | None = None
) -> dict:
    """The link of a designation to one regime it is listed under (``program``: the
    regime's part of it, ``sanction_program(regime)``, made once for many designations)."""
    before, after = program or sanction_program(regime)
    properties = {"entity": [str(designation["id"])], **before}
    if designation.get("reference_number") not in (None, ""):
        properties["authorityId"] = [str(designation["reference_number"])]
    properties |= after
    for name in ("listed_on", "delisted_on"):
        if designation.get(name) not in (None, ""):
            properties["startDate" if name == "listed_on" else "endDate"] = [str(designation[name])]
    properties["sourceUrl"] = [url]
    return {
        "id": f"{designation['id']}.sanction.{regime['id']}",
        "schema": "Sanction",
        "properties": properties,
    }


def sanction_program(regime: dict) -> tuple[dict, dict]:
    """A regime's properties of a Sanction: those before the designation's `authorityId`,
    and those after it (FtM's order)."""
    issuer = regime.get("issuer") or {}
    before = {
        "program": [regime["name"]],
        "programId": [regime["key"]],
        "authority": [issuer.get("name")],
    }
    after = {
        "country": [(issuer.get("iso_alpha2") or "").lower()],
        "provisions": [_measure_label(code) for code in regime.get("measures") or []],
    }
    return (
        {name: kept for name, given in before.items() if (kept := _known(given))},
        {name: kept for name, given in after.items() if (kept := _known(given))},
    )


def _known(values: list) -> list[str]:
    return [str(value) for value in values if value not in (None, "")]


def _distinct(values: list) -> list[str]:
    """The known values as text, each once, in the order given."""
    kept = _known(values)
    return kept if len(kept) < 2 else list(dict.fromkeys(kept))


def _measure_label(code: str) -> str:
    try:
        return Measure(code).label
    except ValueError:
        return code


def designations_entities(
    batches: Iterable[list[str]], *, detail_url: Callable[[str], str]
) -> Iterator[dict]:
    """Each designation's entity, then its Sanctions (one per public regime it shows)."""
    regimes: dict[str, tuple[dict, tuple[dict, dict]]] = {}  # id -> (regime, its Sanction part)
    read: set[str] = set()
    for bodies in batches:
        batch = [designation_record(body) for body in bodies]
        wanted = {r["id"] for record in batch for r in record.get("regimes") or []} - read
        if wanted:  # regimes are few: each is read once per export
            read |= wanted
            for pk, (body, _) in served(SanctionsRegime, sorted(wanted)).items():
                regime = _decode(body)
                regimes[pk] = (regime, sanction_program(regime))
        for record in batch:
            url = detail_url(record["id"])
            yield designation_entity(record, url=url)
            for brief in record.get("regimes") or []:
                if brief["id"] in regimes:
                    regime, program = regimes[brief["id"]]
                    yield sanction_entity(record, regime, url=url, program=program)
                else:  # not served: what the designation shows of it
                    yield sanction_entity(record, brief, url=url)


def regimes_entities(
    batches: Iterable[list[str]], *, detail_url: Callable[[str], str], size: int = REGIME_BATCH
) -> Iterator[dict]:
    """For each regime, every public designation it lists: its entity and this regime's
    Sanction for it (a designation under several exported regimes appears under each)."""
    for bodies in batches:
        for regime in map(_decode, bodies):
            program = sanction_program(regime)
            listed = public_view(Designation.objects.filter(regimes=regime["id"])).order_by("pk")
            for designations in stored_bodies(listed, size):
                for body in designations:
                    record = designation_record(body)
                    url = detail_url(record["id"])
                    yield designation_entity(record, url=url)
                    yield sanction_entity(record, regime, url=url, program=program)


def ftm_example(designation: dict, regime: dict) -> list[dict]:
    """The entities a designation listed under ``regime`` exports as (for the schema)."""
    url = f"https://register.example.org/api/v1/designations/{designation['id']}/"
    return [designation_entity(designation, url=url), sanction_entity(designation, regime, url=url)]
