"""Apply a parsed official list to the register: all of it in one transaction, or nothing.

Re-importing is an update: new listings are added, changed ones updated, and listings the
newer file dropped are delisted (kept, with the date and the reason). A field a curator has
edited since the last import (it no longer equals what that import set) is not overwritten;
the report lists the conflict. Importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from simple_history.utils import get_history_manager_for_model

from core.choices import ReviewStatus
from core.countries import country_by_code
from core.history import change_reason, current_reason
from core.models import Change
from core.partial_dates import PartialDate
from sanctions.importers.records import ImportFailure, ListedRecord, OfficialList
from sanctions.models import Designation, DesignationAlias, SanctionsRegime
from sanctions.services import designation_aliases_set
from sources.choices import SourceKind
from sources.models import Citation, Source
from treaties.models import Party


@dataclass
class ImportReport:
    """What an import did, per regime key."""

    source_id: str
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    conflicts: list[str] = field(default_factory=list)

    def count(self, regime_keys, outcome: str) -> None:
        for key in regime_keys:
            self.counts[key][outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())


OUTCOMES = ("added", "updated", "delisted", "unchanged")


class _Writer:
    def __init__(self, parsed: OfficialList, report: ImportReport) -> None:
        self.parsed = parsed
        self.report = report
        self.cursor = 0  # quotes appear in file order: search forward from the last one
        self.parties: dict[str, Party] = {
            p.iso_alpha2: p for p in Party.objects.exclude(iso_alpha2=None)
        }
        self.content_types = {
            model: ContentType.objects.get_for_model(model)
            for model in (Designation, Party, SanctionsRegime)
        }

    def locate(self, quote: str) -> tuple[int, int]:
        start = self.parsed.text.find(quote, self.cursor)
        if start < 0:
            start = self.parsed.text.find(quote)
        if start < 0:  # the parser built the quote from the file: this is a bug, not bad input
            raise ImportFailure(self.parsed.file_name, None, f"quote {quote!r} is not in the file")
        self.cursor = start
        return start, start + len(quote)

    def cite(self, record, field_name: str, quote: str, source: Source) -> None:
        start, end = self.locate(quote)
        Citation.objects.get_or_create(
            content_type=self.content_types[type(record)],
            object_id=str(record.pk),
            field=field_name,
            source=source,
            start=start,
            end=end,
            stance="supports",
            defaults={"quote": quote},
        )

    def source(self) -> Source:
        parsed = self.parsed
        source = Source.objects.filter(pk=parsed.source_id).first()
        if source is not None:
            if source.sha256 != parsed.sha256:
                raise ImportFailure(
                    parsed.file_name,
                    None,
                    f"a different file was already imported as {parsed.source_id} (sha256 {source.sha256})",
                )
            return source
        source = Source(
            id=parsed.source_id,
            kind=SourceKind.OFFICIAL_LIST,
            title=parsed.title,
            publisher=parsed.publisher,
            url=parsed.url,
            file_name=parsed.file_name,
            sha256=parsed.sha256,
            text=parsed.text,
            review_status=ReviewStatus.PUBLISHED,
        )
        source.set_partial("published_on", PartialDate(start=parsed.generated_on, precision="day"))
        source.full_clean()
        source.save()
        return source

    def issuer_and_regimes(self) -> dict[str, SanctionsRegime]:
        parsed = self.parsed
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
            issuer.full_clean()
            issuer.save()
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
                regime.full_clean()
                regime.save()
                existing[key] = regime
        return existing

    def party_for(self, record: ListedRecord) -> Party | None:
        """The party for the record's nationality; a state missing from the register is
        added from ISO 3166 (reference data, like the codes every party is checked against)."""
        code = record.nationality
        if not code:
            return None
        if code not in self.parties:
            country = country_by_code(code)
            party = Party(
                id=f"iso-{code.lower()}",
                name=country.name,
                kind="former_state" if country.former else "state",
                iso_alpha2=country.alpha2,
                iso_alpha3=country.alpha3,
                review_status=ReviewStatus.PUBLISHED,
            )
            party.full_clean()
            party.save()
            self.parties[code] = party
        return self.parties[code]


def official_list_import(
    *, parsed: OfficialList, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Write ``parsed`` to the register atomically; returns what changed, per regime."""
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
    report = ImportReport(source_id=parsed.source_id)
    with (
        transaction.atomic(),
        change_reason(f"imported from {parsed.file_name} (generated {parsed.generated_on})"),
    ):
        writer = _Writer(parsed, report)
        source = writer.source()
        regimes = writer.issuer_and_regimes()
        existing = {
            d.pk: d
            for d in Designation.objects.filter(
                pk__in=[r.id for r in parsed.records]
            ).prefetch_related("aliases", "regimes")
        }
        new: list[tuple[ListedRecord, Party | None]] = []
        for index, record in enumerate(parsed.records):
            designation = existing.get(record.id)
            party = writer.party_for(record)
            if designation is None:
                new.append((record, party))
                report.count(record.regime_keys, "added")
            else:
                outcome = _update(designation, record, regimes, party, writer)
                report.count(record.regime_keys, outcome)
                writer.cite(designation, record.quote_field, record.quote, source)
            if progress:
                progress(index + 1)
        _create_many(new, regimes, source, writer)
        _delist_absent(parsed, report)
    return report


def _create_many(
    new: list[tuple[ListedRecord, Party | None]], regimes, source: Source, writer: _Writer
) -> None:
    """Create the new designations with their links, aliases, citations, history versions
    and change-feed rows in bulk: one version each, already holding its regimes."""
    if not new:
        return
    reason = current_reason() or ""
    designations = []
    for record, party in new:
        designation = Designation(
            id=record.id,
            kind=record.kind,
            name=record.name,
            reference_number=record.reference_number,
            list_record_id=record.list_record_id,
            nationality=party,
            dates_of_birth=record.dates_of_birth,
            remarks=record.remarks,
            source=source,
            review_status=ReviewStatus.PUBLISHED,
            import_snapshot=record.values(),
        )
        designation.set_partial("listed_on", record.listed_on)
        designations.append(designation)
    Designation.objects.bulk_create(designations, batch_size=BATCH)
    versions = _versions(Designation, designations, reason)
    through = Designation.regimes.through
    links = [
        through(designation_id=record.id, sanctionsregime_id=regimes[key].pk)
        for record, _ in new
        for key in record.regime_keys
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    # The version's own copy of its regime links, as django-simple-history keeps them.
    history_links = Designation.history.model._meta.get_field(
        "historicaldesignation_regimes"
    ).related_model
    history_links.objects.bulk_create(
        [
            history_links(
                id=link.pk,
                designation_id=link.designation_id,
                sanctionsregime_id=link.sanctionsregime_id,
                history_id=versions[link.designation_id].history_id,
            )
            for link in links
        ],
        batch_size=BATCH,
    )
    aliases = [
        DesignationAlias(designation_id=record.id, name=name, quality=quality)
        for record, _ in new
        for name, quality in dict(record.aliases).items()
    ]
    DesignationAlias.objects.bulk_create(aliases, batch_size=BATCH)
    _versions(DesignationAlias, aliases, reason)
    citations = []
    for record, _ in new:
        start, end = writer.locate(record.quote)
        citations.append(
            Citation(
                content_type_id=writer.content_types[Designation].pk,
                object_id=record.id,
                field=record.quote_field,
                source=source,
                quote=record.quote,
                start=start,
                end=end,
                stance="supports",
            )
        )
    Citation.objects.bulk_create(citations, batch_size=BATCH)
    _versions(Citation, citations, reason)


BATCH = 500


def _versions(model, objs, reason: str) -> dict:
    """Bulk-create the "created" history version of each object and its change-feed row;
    returns the versions by the object's primary key."""
    records = get_history_manager_for_model(model).bulk_history_create(
        objs, batch_size=BATCH, default_change_reason=reason
    )
    content_type = ContentType.objects.get_for_model(model)
    pk_name = model._meta.pk.attname
    Change.objects.bulk_create(
        [
            Change(
                content_type=content_type,
                object_id=str(getattr(r, pk_name)),
                history_id=r.history_id,
                action="created",
                changed_at=r.history_date,
                reason=reason,
            )
            for r in records
        ],
        batch_size=BATCH,
    )
    return {getattr(r, pk_name): r for r in records}


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
    }


def _update(designation: Designation, record: ListedRecord, regimes, party, writer) -> str:
    current, incoming, last = (
        _current(designation),
        record.values(),
        designation.import_snapshot or {},
    )
    changes = {}
    for name, new in incoming.items():
        if current[name] == new:
            continue
        if name in last and current[name] != last[name]:
            writer.report.conflicts.append(
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
    for name, value in changes.items():
        if name == "listed_on":
            designation.set_partial("listed_on", value)
        elif name == "nationality":
            designation.nationality = party
        elif name not in ("aliases", "regimes"):
            setattr(designation, name, value)
    if relisted:
        designation.set_partial("delisted_on", None)
        designation.delisting_reason = ""
    designation.import_snapshot = incoming
    designation.save()
    if "regimes" in changes:
        designation.regimes.set([regimes[key] for key in record.regime_keys if key in regimes])
    if "aliases" in changes:
        designation_aliases_set(designation=designation, aliases=record.aliases)
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
    reason = f"absent from the list generated on {parsed.generated_on.isoformat()}"
    for designation in absent:
        designation.set_partial(
            "delisted_on", PartialDate(start=parsed.generated_on, precision="day")
        )
        designation.delisting_reason = reason
        designation.save()
        report.count([r.key for r in designation.regimes.all()], "delisted")
