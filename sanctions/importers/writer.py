"""Apply a parsed official list to the register: all of it in one transaction, or nothing.

Re-importing is an update: new listings are added, changed ones updated, and listings the
newer file dropped are delisted (kept, with the date and the reason). A field a curator has
edited since the last import (it no longer equals what that import set) is not overwritten;
the report lists the conflict. Importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from core.choices import ReviewStatus
from core.countries import country_by_code
from core.history import change_reason
from core.imports import ImportFailure, ImportSummary
from core.partial_dates import PartialDate
from sanctions.identifiers import Identifier
from sanctions.importers.parsed import (
    VESSEL_FIELDS,
    ListedRecord,
    OfficialList,
    addresses_snapshot,
    identifiers_snapshot,
)
from sanctions.models import Designation, SanctionsRegime
from sanctions.services import (
    NewDesignation,
    address_of,
    designation_update,
    designations_create_many,
    identifier_of,
    regime_write,
)
from sources.choices import SourceKind
from sources.importing import CitationWriter, official_source
from sources.models import Source
from treaties.importing import party_for_country
from treaties.models import Party
from treaties.services import party_write

OUTCOMES = ("added", "updated", "delisted", "unchanged")


@dataclass
class ImportReport(ImportSummary):
    """What a list import did, per regime key."""

    outcomes: tuple[str, ...] = OUTCOMES
    source_id: str = ""


def official_list_import(
    *, parsed: OfficialList, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Write ``parsed`` to the register atomically; returns what changed, per regime."""
    _refuse_older(parsed)
    report = ImportReport(
        source_id=parsed.source_id,
        heading=f"{parsed.file_name} (generated {parsed.generated_on}) -> source {parsed.source_id}",
    )
    with (
        transaction.atomic(),
        change_reason(f"imported from {parsed.file_name} (generated {parsed.generated_on})"),
    ):
        source = official_source(
            id=parsed.source_id,
            file_name=parsed.file_name,
            sha256=parsed.sha256,
            text=parsed.text,
            kind=SourceKind.OFFICIAL_LIST,
            title=parsed.title,
            publisher=parsed.publisher,
            url=parsed.url,
            published_on=PartialDate(start=parsed.generated_on, precision="day"),
        )
        citations = CitationWriter(source=source)
        writers = {"": citations, **_companion_writers(parsed)}
        regimes = _issuer_and_regimes(parsed)
        parties: dict[str, Party] = {}
        existing = {
            d.pk: d
            for d in Designation.objects.filter(pk__in=[r.id for r in parsed.records])
            .select_related("nationality", "vessel_flag")
            .prefetch_related("aliases", "regimes", "identifiers", "addresses__country")
        }
        new: list[tuple[ListedRecord, NewDesignation]] = []
        for index, record in enumerate(parsed.records):
            party = (
                party_for_country(code=record.nationality, known=parties)
                if record.nationality
                else None
            )
            flag = _flag(record, parties)
            designation = existing.get(record.id)
            if designation is None:
                new.append((record, _new(record, party, flag, source, regimes)))
                report.count("added", record.regime_keys)
            else:
                outcome = _update(designation, record, regimes, party, flag, report, parsed)
                report.count(outcome, record.regime_keys)
                citations.cite(designation, record.quote_field, record.quote)
                if outcome == "updated":  # unchanged facts keep the evidence they had
                    for key, field, quote in record.quotes:
                        writers[key].cite(designation, field, quote)
            if progress:
                progress(index + 1)
        try:
            created = designations_create_many(items=[item for _, item in new])
        except ValidationError as exc:
            raise ImportFailure.refusal(parsed.file_name, exc.designation_id, exc) from None
        for (record, _), designation in zip(new, created, strict=True):
            citations.add(designation, record.quote_field, record.quote)
            for key, field, quote in record.quotes:
                writers[key].add(designation, field, quote)
        for writer in writers.values():
            writer.save()
        _delist_absent(parsed, report)
    return report


def _companion_writers(parsed: OfficialList) -> dict[str, CitationWriter]:
    """A Source for each companion file read with the list (e.g. OFAC's alt.csv), cited
    like the list file itself."""
    writers = {}
    for companion in parsed.companions:
        source = official_source(
            id=f"{parsed.source_id}-{companion.key}",
            file_name=companion.file_name,
            sha256=companion.sha256,
            text=companion.text,
            kind=SourceKind.OFFICIAL_LIST,
            title=companion.title,
            publisher=parsed.publisher,
            url=parsed.url.rsplit("/", 1)[0] + "/" + companion.file_name if parsed.url else "",
            published_on=PartialDate(start=parsed.generated_on, precision="day"),
        )
        writers[companion.key] = CitationWriter(source=source)
    return writers


def _refuse_older(parsed: OfficialList) -> None:
    latest = (
        Source.objects.filter(kind=SourceKind.OFFICIAL_LIST, id__startswith=f"{parsed.family}-")
        .order_by("-published_on")
        .first()
    )
    if latest and latest.published_on and latest.published_on > parsed.generated_on:
        raise ImportFailure(
            parsed.file_name,
            None,
            f"this list ({parsed.generated_on}) is older than the one already imported ({latest.published_on}); nothing was changed",
        )


def _issuer_and_regimes(parsed: OfficialList) -> dict[str, SanctionsRegime]:
    issuer = Party.objects.filter(pk=parsed.issuer_id).first()
    if issuer is None and parsed.issuer_code:  # the state may already be there under its own id
        issuer = Party.objects.filter(iso_alpha2=parsed.issuer_code).first()
    if issuer is None:
        issuer = Party(
            id=parsed.issuer_id,
            name=parsed.issuer_name,
            kind=parsed.issuer_kind,
            review_status=ReviewStatus.PUBLISHED,
        )
        if parsed.issuer_code:
            country = country_by_code(parsed.issuer_code)
            issuer.iso_alpha2, issuer.iso_alpha3 = country.alpha2, country.alpha3
        party_write(party=issuer)
    existing = {r.key: r for r in SanctionsRegime.objects.filter(key__in=parsed.regimes)}
    for key, spec in parsed.regimes.items():
        if key not in existing:
            regime = SanctionsRegime(
                id=spec.id,
                key=key,
                name=spec.name,
                issuer=issuer,
                legal_basis=spec.legal_basis,
                review_status=ReviewStatus.PUBLISHED,
            )
            regime_write(regime=regime)
            existing[key] = regime
    return existing


def _flag(record: ListedRecord, parties: dict[str, Party]) -> Party | None:
    code = record.vessel.get("vessel_flag")
    return party_for_country(code=code, known=parties) if code else None


def _new(
    record: ListedRecord, party: Party | None, flag: Party | None, source: Source, regimes
) -> NewDesignation:
    return NewDesignation(
        values={
            "id": record.id,
            "kind": record.kind,
            "name": record.name,
            "reference_number": record.reference_number,
            "list_record_id": record.list_record_id,
            "listed_on": record.listed_on,
            "nationality": party,
            "dates_of_birth": record.dates_of_birth,
            "remarks": record.remarks,
            **{name: record.vessel.get(name, default) for name, default in VESSEL_FIELDS.items()},
            "vessel_flag": flag,
            "source": source,
            "review_status": ReviewStatus.PUBLISHED,
            "import_snapshot": record.values(),
        },
        regimes=[regimes[key] for key in record.regime_keys],
        aliases=record.aliases,
        identifiers=record.identifiers,
        addresses=record.addresses,
    )


def _current(designation: Designation) -> dict:
    listed = designation.get_partial("listed_on")
    return {
        "kind": designation.kind,
        "name": designation.name,
        "reference_number": designation.reference_number,
        "list_record_id": designation.list_record_id,
        "listed_on": listed.isoformat() if listed else None,
        "nationality": designation.nationality.iso_alpha2 if designation.nationality else None,
        "dates_of_birth": list(designation.dates_of_birth),
        "remarks": designation.remarks,
        "aliases": sorted(a.name for a in designation.aliases.all()),
        "regimes": sorted(r.key for r in designation.regimes.all()),
        "identifiers": identifiers_snapshot(
            identifier_of(i) for i in designation.identifiers.all()
        ),
        "addresses": addresses_snapshot(address_of(a) for a in designation.addresses.all()),
        **{name: getattr(designation, name) for name in VESSEL_FIELDS if name != "vessel_flag"},
        "vessel_flag": designation.vessel_flag.iso_alpha2 if designation.vessel_flag else None,
    }


def _comparable(snapshot: dict) -> dict:
    """A stored import snapshot without what an older register recorded in another shape
    (identifiers as [type, value, country]): that field then counts as never imported."""
    identifiers = snapshot.get("identifiers")
    if identifiers and len(identifiers[0]) != len(Identifier(type="", value="").snapshot()):
        return {k: v for k, v in snapshot.items() if k != "identifiers"}
    return snapshot


def _update(
    designation: Designation,
    record: ListedRecord,
    regimes,
    party: Party | None,
    flag: Party | None,
    report: ImportReport,
    parsed: OfficialList,
) -> str:
    current, incoming, last = (
        _current(designation),
        record.values(),
        _comparable(designation.import_snapshot or {}),
    )
    changes = {}
    for name, new in incoming.items():
        if current[name] == new:
            continue
        if name in last and current[name] != last[name]:
            report.conflicts.append(
                f"{designation.pk} ({record.reference_number}): {name} was edited by a curator "
                f"({current[name]!r}); the list now says {new!r}; kept the curator's value"
            )
            continue
        changes[name] = new
    relisted = designation.delisted_on is not None
    if not changes and not relisted:
        if designation.import_snapshot != incoming:
            Designation.objects.filter(pk=designation.pk).update(
                import_snapshot=incoming
            )  # no history: not curated
        return "unchanged"
    parties = {"nationality": party, "vessel_flag": flag}
    values = {
        name: parties.get(name, value)
        for name, value in changes.items()
        if name not in ("aliases", "regimes", "identifiers", "addresses")
    }
    if relisted:
        values |= {"delisted_on": None, "delisting_reason": ""}
    values["import_snapshot"] = incoming
    try:
        designation_update(
            designation=designation,
            values=values,
            regimes=[regimes[key] for key in record.regime_keys if key in regimes]
            if "regimes" in changes
            else None,
            aliases=record.aliases if "aliases" in changes else None,
            identifiers=record.identifiers if "identifiers" in changes else None,
            addresses=record.addresses if "addresses" in changes else None,
        )
    except ValidationError as exc:
        raise ImportFailure.refusal(parsed.file_name, record.id, exc) from None
    return "updated"


def _delist_absent(parsed: OfficialList, report: ImportReport) -> None:
    """Designations from this family of lists (e.g. every UN list) that the file no longer
    holds: they stay, with the date and the reason of their delisting."""
    present = {record.id for record in parsed.records}
    absent = (
        Designation.objects.filter(id__startswith=f"{parsed.family}-", delisted_on__isnull=True)
        .exclude(pk__in=present)
        .prefetch_related("regimes")
    )
    values = {
        "delisted_on": PartialDate(start=parsed.generated_on, precision="day"),
        "delisting_reason": f"absent from the list generated on {parsed.generated_on.isoformat()}",
    }
    for designation in absent:
        try:
            designation_update(designation=designation, values=values)
        except ValidationError as exc:
            raise ImportFailure.refusal(parsed.file_name, designation.pk, exc) from None
        report.count("delisted", [r.key for r in designation.regimes.all()])
