"""Writes with business rules for sanctions: regimes and designations.

A designation is written only through designation_create, designation_update,
designation_delete and (for list imports) designations_create_many: the API, the admin and
the importers all call them. They raise ValidationError keyed by field name. They keep what
derives from a designation current in the same transaction: its identifiers, addresses, the
scripts of its aliases and the name keys the matcher finds it by (sanctions.matching).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from core.history import history_bulk_created
from core.names import names_keys
from core.partial_dates import PartialDateError
from core.scripts import script_code
from core.services import m2m_set, record_save, record_validate, unknown_problem
from sanctions.addresses import Address
from sanctions.choices import DesignationKind
from sanctions.identifiers import Identifier
from sanctions.models import (
    Designation,
    DesignationAddress,
    DesignationAlias,
    DesignationIdentifier,
    DesignationNameKey,
    MeasureType,
    SanctionsRegime,
)
from treaties.importing import party_for_country
from treaties.models import Party

REGIME_REQUIRED = "A designation needs at least one regime."
BATCH = 500
KEY_CHUNK = 1000  # name-key rows per INSERT (2,000 parameters: within SQLite's limit)

# An alias is a name, or a (name, the list's quality grading) pair.
Alias = str | tuple[str, str]


def regime_validate(
    *,
    regime: SanctionsRegime,
    targets: Iterable[Party | str] | None = None,
    measures: Iterable[MeasureType | str] | None = None,
) -> None:
    """Every rule a regime must meet: its model's, known targets and known measure codes."""
    unknown = None
    if measures is not None:
        codes = {str(getattr(m, "pk", m)) for m in measures}
        unknown = sorted(codes - set(MeasureType.objects.values_list("code", flat=True)))
    record_validate(
        regime,
        rules={
            "targets": unknown_problem(Party, targets),
            "measures": unknown and f"{unknown[0]!r} is not in the measure vocabulary",
        },
    )


def regime_write(
    *,
    regime: SanctionsRegime,
    targets: Iterable[Party | str] | None = None,
    measures: Iterable[MeasureType | str] | None = None,
) -> bool:
    """Create or change a regime and, when given, its targets and measures; True when
    anything changed."""
    targets = None if targets is None else list(targets)
    measures = None if measures is None else list(measures)
    regime_validate(regime=regime, targets=targets, measures=measures)
    changed = record_save(regime)
    if targets is not None:
        changed = m2m_set(regime.targets, targets) or changed
    if measures is not None:
        changed = m2m_set(regime.measures, measures) or changed
    return changed


def designation_write(
    *,
    designation: Designation,
    regimes: Iterable[SanctionsRegime] | None = None,
    aliases: Iterable[Alias] | None = None,
    identifiers: Iterable[Identifier] | None = None,
) -> bool:
    """Create or change a designation whose field values are already set on it (the API's
    path), through designation_create or designation_update."""
    if not designation._state.adding:
        designation_update(
            designation=designation, regimes=regimes, aliases=aliases, identifiers=identifiers
        )
        return True
    values = {f.attname: getattr(designation, f.attname) for f in Designation._meta.concrete_fields}
    created = designation_create(
        values=values, regimes=regimes or [], aliases=aliases or [], identifiers=identifiers or []
    )
    designation.pk, designation._state.adding = created.pk, False
    return True


@dataclass(frozen=True)
class NewDesignation:
    """A designation for designations_create_many: field values, regimes, aliases,
    identifiers, addresses."""

    values: Mapping[str, Any]
    regimes: Sequence[SanctionsRegime]
    aliases: Sequence[Alias] = ()
    identifiers: Sequence[Identifier] = ()
    addresses: Sequence[Address] = ()


def designation_validate(
    *,
    designation: Designation,
    regimes: Iterable[SanctionsRegime],
    aliases: Iterable[Alias],
    in_bulk: bool = False,
) -> dict[str, str]:
    """Check every rule for a designation; returns its aliases deduplicated (name -> quality)."""
    errors: dict[str, list[str]] = {}
    try:
        if in_bulk:
            # No query per record: the caller holds the referenced rows and new ids, the
            # database's constraints hold, and clean() states the same date rules.
            designation.full_clean(
                exclude=["nationality", "source"], validate_unique=False, validate_constraints=False
            )
        else:
            designation.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not list(regimes):
        errors["regimes"] = [REGIME_REQUIRED]
    wanted: dict[str, str] = {}
    name_limit = DesignationAlias._meta.get_field("name").max_length
    quality_limit = DesignationAlias._meta.get_field("quality").max_length
    for alias in aliases:
        name, quality = alias if isinstance(alias, tuple) else (alias, "")
        if not name.strip():
            errors["aliases"] = ["An alias cannot be blank."]
        elif len(name) > name_limit or len(quality) > quality_limit:
            errors["aliases"] = [
                f"An alias has at most {name_limit} characters, its quality {quality_limit}."
            ]
        wanted[name] = quality  # the same name twice is one alias (the last quality wins)
    if errors:
        raise ValidationError(errors)
    return wanted


def identifiers_validate(*, identifiers: Iterable[Identifier]) -> list[Identifier]:
    """Check identifiers; returns them without repeats (the same type and normalised value)."""
    unique: dict[tuple[str, str], Identifier] = {}
    for identifier in identifiers:
        problem = identifier.problem()
        if problem:
            raise ValidationError({"identifiers": [problem]})
        unique.setdefault((identifier.type, identifier.normalised), identifier)
    return list(unique.values())


def addresses_validate(*, addresses: Iterable[Address]) -> list[Address]:
    """Check addresses and places of birth; returns them without repeats."""
    unique: dict[tuple[str, str, str], Address] = {}
    for address in addresses:
        problem = address.problem()
        if problem:
            raise ValidationError({"addresses": [problem]})
        unique.setdefault(address.key(), address)
    return list(unique.values())


def designation_create(
    *,
    values: Mapping[str, Any],
    regimes: Iterable[SanctionsRegime],
    aliases: Iterable[Alias] = (),
    identifiers: Iterable[Identifier] = (),
    addresses: Iterable[Address] = (),
) -> Designation:
    """Create a designation from field values, with its regimes, aliases, identifiers and
    addresses, after every check; its name keys follow."""
    designation = Designation()
    _assign(designation, values)
    regimes = list(regimes)
    wanted = designation_validate(designation=designation, regimes=regimes, aliases=aliases)
    unique = identifiers_validate(identifiers=identifiers)
    places = addresses_validate(addresses=addresses)
    with transaction.atomic():
        designation.save()
        designation.regimes.set(regimes)
        _aliases_write(designation, wanted)
        _identifiers_write(designation, unique)
        _addresses_write(designation, places)
        _name_keys_write(designation)
    return designation


def designation_update(
    *,
    designation: Designation,
    values: Mapping[str, Any] | None = None,
    regimes: Iterable[SanctionsRegime] | None = None,
    aliases: Iterable[Alias] | None = None,
    identifiers: Iterable[Identifier] | None = None,
    addresses: Iterable[Address] | None = None,
) -> Designation:
    """Change a designation's fields; replace its regimes, aliases, identifiers or addresses
    when given. Every check; its name keys follow its name, kind and aliases."""
    values = values or {}
    _assign(designation, values)
    regimes = None if regimes is None else list(regimes)
    wanted = designation_validate(
        designation=designation,
        regimes=designation.regimes.all() if regimes is None else regimes,
        aliases=() if aliases is None else aliases,  # the stored ones were checked when written
    )
    unique = None if identifiers is None else identifiers_validate(identifiers=identifiers)
    places = None if addresses is None else addresses_validate(addresses=addresses)
    with transaction.atomic():
        designation.save()
        if regimes is not None:
            designation.regimes.set(regimes)  # adds and removes only the difference
        if aliases is not None:
            _aliases_write(designation, wanted)
        if unique is not None:
            _identifiers_write(designation, unique)
        if places is not None:
            _addresses_write(designation, places)
        _name_keys_write(designation)  # the name may have been set on it before the call
    return designation


def designation_delete(*, designation: Designation) -> None:
    """Delete a designation with its aliases and citations, keeping the deletion in history."""
    with transaction.atomic():
        designation.delete()


def designations_create_many(*, items: Sequence[NewDesignation]) -> list[Designation]:
    """Create many new designations in bulk, each checked by designation_validate first.

    Each gets one "created" version already holding its regimes, like its aliases, with
    change-feed rows (core.history.history_bulk_created). A refusal is the ValidationError
    of the first bad designation, with its ``designation_id`` set on it.
    """
    designations: list[Designation] = []
    aliases: list[DesignationAlias] = []
    identifiers: list[DesignationIdentifier] = []
    addresses: list[tuple[str, Address]] = []
    seen: set[str] = set()
    for item in items:
        designation = Designation()
        try:
            _assign(designation, item.values)
            if designation.pk in seen:
                raise ValidationError({"id": ["The same id is given twice."]})
            seen.add(designation.pk)
            wanted = designation_validate(
                designation=designation, regimes=item.regimes, aliases=item.aliases, in_bulk=True
            )
            unique = identifiers_validate(identifiers=item.identifiers)
            places = addresses_validate(addresses=item.addresses)
        except ValidationError as exc:
            exc.designation_id = item.values.get("id")
            raise
        designations.append(designation)
        aliases.extend(
            DesignationAlias(
                designation_id=designation.pk, name=name, quality=quality, script=script_code(name)
            )
            for name, quality in wanted.items()
        )
        identifiers.extend(_identifier_rows(designation, unique))
        addresses.extend((designation.pk, address) for address in places)
    if not designations:
        return []
    Designation.objects.bulk_create(designations, batch_size=BATCH)
    through = Designation.regimes.through
    links = [
        through(designation_id=designation.pk, sanctionsregime_id=regime.pk)
        for designation, item in zip(designations, items, strict=True)
        for regime in item.regimes
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    history_bulk_created(Designation, designations, m2m_links={"regimes": links})
    DesignationAlias.objects.bulk_create(aliases, batch_size=BATCH)
    history_bulk_created(DesignationAlias, aliases)
    DesignationIdentifier.objects.bulk_create(identifiers, batch_size=BATCH)
    history_bulk_created(DesignationIdentifier, identifiers)
    countries: dict[str, Party] = {}
    address_rows = [
        _address_row(designation_id, address, countries) for designation_id, address in addresses
    ]
    DesignationAddress.objects.bulk_create(address_rows, batch_size=BATCH)
    history_bulk_created(DesignationAddress, address_rows)
    names: dict[str, list[str]] = {d.pk: [d.name] for d in designations}
    for alias in aliases:
        names[alias.designation_id].append(alias.name)
    _name_keys_insert(
        (designation.pk, key)
        for designation in designations
        for key in _name_keys(designation, names[designation.pk])
    )
    return designations


def _assign(designation: Designation, values: Mapping[str, Any]) -> None:
    """Set field values; a partial date may come as PartialDate, ISO string or None, or as
    its two columns (e.g. listed_on and listed_on_precision)."""
    errors = {}
    for name, value in values.items():
        if name in Designation.partial_dates and f"{name}_precision" not in values:
            try:
                designation.set_partial(name, value)
            except PartialDateError as exc:
                errors[name] = [str(exc)]
        else:
            setattr(designation, name, value)
    if errors:
        raise ValidationError(errors)


def _aliases_write(designation: Designation, wanted: dict[str, str]) -> None:
    """Make the designation's aliases exactly ``wanted`` (name -> quality), with history."""
    stored = DesignationAlias.objects.filter(designation=designation)  # not a prefetched list
    for stale in stored.exclude(name__in=wanted):
        stale.delete()
    have = {alias.name: alias for alias in stored.filter(name__in=wanted)}
    for name, alias in have.items():
        if (alias.quality, alias.script) != (wanted[name], script_code(name)):
            alias.quality, alias.script = wanted[name], script_code(name)
            alias.save()
    for name, quality in wanted.items():
        if name not in have:  # one by one: each version keeps who made it
            DesignationAlias.objects.create(
                designation=designation, name=name, quality=quality, script=script_code(name)
            )
    getattr(designation, "_prefetched_objects_cache", {}).pop("aliases", None)


def _identifier_rows(
    designation: Designation, identifiers: Iterable[Identifier]
) -> list[DesignationIdentifier]:
    rows = []
    for identifier in identifiers:
        row = DesignationIdentifier(
            designation_id=designation.pk,
            type=identifier.type,
            value=identifier.value,
            normalised=identifier.normalised,
            country=identifier.country.upper(),
            note=identifier.note,
        )
        row.set_partial("issued_on", identifier.issued_on)
        row.set_partial("expires_on", identifier.expires_on)
        rows.append(row)
    return rows


_IDENTIFIER_FIELDS = (
    "value",
    "country",
    "issued_on",
    "issued_on_precision",
    "expires_on",
    "expires_on_precision",
    "note",
)


def _identifiers_write(designation: Designation, identifiers: list[Identifier]) -> None:
    """Make the designation's identifiers exactly ``identifiers``, with history."""
    wanted = {(row.type, row.normalised): row for row in _identifier_rows(designation, identifiers)}
    for stored in DesignationIdentifier.objects.filter(designation=designation):
        row = wanted.pop((stored.type, stored.normalised), None)
        if row is None:
            stored.delete()
        elif any(getattr(stored, f) != getattr(row, f) for f in _IDENTIFIER_FIELDS):
            for name in _IDENTIFIER_FIELDS:
                setattr(stored, name, getattr(row, name))
            stored.save()
    for row in wanted.values():  # one by one: each version keeps who made it
        row.save()
    getattr(designation, "_prefetched_objects_cache", {}).pop("identifiers", None)


def _address_row(
    designation_id: str, address: Address, countries: dict[str, Party]
) -> DesignationAddress:
    """The row of an address; its country code becomes the party (added from ISO 3166 when
    the register has none), looked up once per code in ``countries``."""
    return DesignationAddress(
        designation_id=designation_id,
        kind=address.kind,
        text=address.text,
        street=address.street,
        city=address.city,
        state_province=address.state_province,
        postal_code=address.postal_code,
        country_name=address.country_name,
        country=party_for_country(code=address.country, known=countries)
        if address.country
        else None,
        note=address.note,
    )


def _addresses_write(designation: Designation, addresses: list[Address]) -> None:
    """Make the designation's addresses exactly ``addresses``, with history."""
    countries: dict[str, Party] = {}
    wanted = {address.key(): address for address in addresses}
    for stored in DesignationAddress.objects.filter(designation=designation):
        address = wanted.pop((stored.kind, stored.text, stored.note), None)
        if address is None:
            stored.delete()
            continue
        row = _address_row(designation.pk, address, countries)
        names = ("street", "city", "state_province", "postal_code", "country_name", "country_id")
        if any(getattr(stored, n) != getattr(row, n) for n in names):
            for name in names:
                setattr(stored, name, getattr(row, name))
            stored.save()
    for address in wanted.values():  # one by one: each version keeps who made it
        _address_row(designation.pk, address, countries).save()
    getattr(designation, "_prefetched_objects_cache", {}).pop("addresses", None)


def address_of(row: DesignationAddress) -> Address:
    """A stored address as the value parsers give (its country as the party's code)."""
    return Address(
        kind=row.kind,
        text=row.text,
        street=row.street,
        city=row.city,
        state_province=row.state_province,
        postal_code=row.postal_code,
        country_name=row.country_name,
        country=row.country.iso_alpha2 if row.country and row.country.iso_alpha2 else "",
        note=row.note,
    )


def identifier_of(row: DesignationIdentifier) -> Identifier:
    """A stored identifier as the value parsers give."""
    issued, expires = row.get_partial("issued_on"), row.get_partial("expires_on")
    return Identifier(
        type=row.type,
        value=row.value,
        country=row.country,
        issued_on=issued.isoformat() if issued else None,
        expires_on=expires.isoformat() if expires else None,
        note=row.note,
    )


def _name_keys(designation: Designation, names: Iterable[str]) -> list[str]:
    """The match index keys of a designation's names (legal forms set apart but a person's)."""
    return sorted(names_keys(names, legal_forms=designation.kind != DesignationKind.INDIVIDUAL))


def _name_keys_insert(rows: Iterable[tuple[str, str]]) -> None:
    """Insert (designation id, key) rows, many per statement: plain tuples, not model
    instances, since a list import writes hundreds of thousands of them (one statement per
    row took 10 s for one OFAC file on PostgreSQL)."""
    meta = DesignationNameKey._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(f).column) for f in ("designation", "key"))
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, KEY_CHUNK)):
            cursor.execute(head + ", ".join(["(%s, %s)"] * len(chunk)), list(chain(*chunk)))


def _name_keys_write(designation: Designation) -> None:
    """Make the designation's name keys those of its current name and aliases."""
    names = [designation.name, *designation.aliases.values_list("name", flat=True)]
    wanted = set(_name_keys(designation, names))
    keys = DesignationNameKey.objects.filter(designation=designation)
    stored = set(keys.values_list("key", flat=True))
    keys.filter(key__in=stored - wanted).delete()
    _name_keys_insert((designation.pk, key) for key in sorted(wanted - stored))
