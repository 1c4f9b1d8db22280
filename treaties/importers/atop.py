"""Importer for ATOP alliance data (Leeds, Ritter, Mitchell and Long 2002; v4.01): treaties,
their members with entry and exit dates, and obligation flags as provisions.

States are given as Correlates of War codes, mapped to ISO 3166 with country-converter
(its Gleditsch-Ward codes, which equal COW codes for the states concerned here), with state
succession by date: code 365 before 26 December 1991 is the Soviet Union. An alliance that
is a treaty the register already holds (same parties, signature date within the recorded
one) enriches that treaty instead of duplicating it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from core.choices import ReviewStatus
from core.countries import iso_alpha2_from
from core.history import change_reason, edited_since_loaded
from core.imports import ImportFailure, ImportSummary
from core.partial_dates import PartialDate
from core.services import record_delete
from sources.choices import SourceKind, Stance
from sources.importing import CitationWriter, csv_rows, official_source, read_file
from treaties.choices import MilitaryAid, PartyKind, TreatyKind
from treaties.importing import country_code_on, party_for_country
from treaties.models import Participation, Party, Provision, Treaty
from treaties.services import participation_write, party_write, provision_write, treaty_write

PUBLISHER = "ATOP project (Leeds, Ritter, Mitchell and Long, 2002)"
IMPORT_REASON = "imported from ATOP v4.01"
PROVISION_LABEL = "ATOP obligations"
FLAGS = {
    "defense": "defense",
    "offense": "offense",
    "neutral": "neutrality",
    "nonagg": "non_aggression",
    "consul": "consultation",
}
# ATOP's further obligation detail: column -> (provision field, highest code, reading).
# ATOP codes 0 for "no such provision"; the yes/no fields say whether the code is above 0.
DETAIL = {
    "conditio": ("conditional", 1, bool),
    "milaid": ("military_aid", 4, lambda code: MILITARY_AID[code]),
    "intcom": ("integrated_command", 1, bool),
    "base": ("bases", None, bool),
    "secrart": ("secret_articles", None, bool),
    "renounce": ("renunciation_terms", None, bool),
}
MILITARY_AID = list(MilitaryAid.values)  # ATOP milaid codes 0..4, in the choices' order
ALLIANCE_COLUMNS = {
    "atopid",
    "begyr",
    "begmo",
    "begday",
    "endyr",
    "endmo",
    "endday",
    "ineffect",
    "bilat",
    *FLAGS,
    *DETAIL,
}
MEMBER_COLUMNS = {"atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit"}


@dataclass
class Member:
    code: int
    entered: PartialDate | None
    exited: PartialDate | None
    quote: str


@dataclass
class Alliance:
    """One ATOP alliance. ``start`` and ``end`` are the days ATOP codes it as taking effect
    and ending; ``in_effect`` is ATOP's ``ineffect``: still in effect when its coding ends."""

    atop_id: str
    start: PartialDate | None
    end: PartialDate | None
    in_effect: bool | None
    bilateral: bool
    obligations: list[str]
    detail: dict[str, object]  # provision field -> value (None: ATOP leaves it blank)
    quote: str  # the row's first ten values: id, COW ids, begin, end, ineffect
    row: str  # the whole row, the evidence for the obligation detail
    members: list[Member] = field(default_factory=list)

    @property
    def entered_into_force(self) -> PartialDate | None:
        """ATOP's begin date, where ATOP also says when the alliance ended or that it is still
        in effect (with neither, ATOP's coding leaves open whether it ever took effect)."""
        if self.start is None or (self.end is None and not self.in_effect):
            return None
        return self.start


@dataclass
class AtopReport(ImportSummary):
    """What an ATOP import did: alliances added, curated treaties enriched, alliances added
    before and updated, alliances unchanged."""

    outcomes: tuple[str, ...] = ("added", "enriched", "updated", "unchanged")

    @property
    def added(self) -> int:
        return self.total("added")

    @property
    def enriched(self) -> int:
        return self.total("enriched")

    @property
    def updated(self) -> int:
        return self.total("updated")

    @property
    def unchanged(self) -> int:
        return self.total("unchanged")


def _partial(year: str, month: str, day: str) -> PartialDate | None:
    y, m, d = (int(float(v or 0)) for v in (year, month, day))
    if y <= 0:
        return None
    if m <= 0:
        return PartialDate.parse(f"{y:04d}")
    if d <= 0:
        return PartialDate.parse(f"{y:04d}-{m:02d}")
    return PartialDate.parse(f"{y:04d}-{m:02d}-{d:02d}")


def _code(value: str, highest: int | None) -> int | None:
    """An ATOP code: blank is unknown (None); otherwise a whole number from 0 to ``highest``."""
    value = value.strip()
    if not value:
        return None
    number = float(value)
    if not number.is_integer() or number < 0 or (highest is not None and number > highest):
        bound = f"0 to {highest}" if highest is not None else "0 or more"
        raise ValueError(f"{value!r} is not an ATOP code ({bound})")
    return int(number)


def _detail(row: dict[str, str]) -> tuple[bool | None, dict[str, object]]:
    """``ineffect`` and the provision values of ATOP's obligation detail; ValueError naming
    the column for a value that is not one of its codes."""
    column = "ineffect"
    try:
        in_effect = _code(row["ineffect"], 1)
        detail = {}
        for column, (name, highest, reading) in DETAIL.items():
            code = _code(row[column], highest)
            detail[name] = None if code is None else reading(code)
    except ValueError as exc:
        raise ValueError(f"field {column}: {exc}") from None
    return (None if in_effect is None else bool(in_effect)), detail


def _read(path: Path, columns: set[str]) -> tuple[str, str, list]:
    file = read_file(path)
    rows = list(csv_rows(file, columns=columns, what="ATOP data", raw=True))
    return file.text, file.sha256, [(row.line, row.values, row.raw) for row in rows]


def _prefix(raw_line: str, fields: int) -> str:
    """The first ``fields`` comma-separated values of a line, verbatim: the citation quote."""
    return ",".join(raw_line.split(",")[:fields])


def atop_parse(alliance_path: Path, member_path: Path):
    """Read and check both files; raise ImportFailure before anything is written."""
    a_text, a_sha, a_rows = _read(alliance_path, ALLIANCE_COLUMNS)
    m_text, m_sha, m_rows = _read(member_path, MEMBER_COLUMNS)
    alliances: dict[str, Alliance] = {}
    for line, row, raw in a_rows:
        where = f"line {line}, alliance {row.get('atopid')}"
        try:
            start = _partial(row["begyr"], row["begmo"], row["begday"])
            end = _partial(row["endyr"], row["endmo"], row["endday"])
        except (ValueError, TypeError) as exc:
            raise ImportFailure(alliance_path.name, where, f"bad date ({exc})") from None
        try:
            in_effect, detail = _detail(row)
        except ValueError as exc:
            raise ImportFailure(alliance_path.name, where, str(exc)) from None
        alliances[row["atopid"]] = Alliance(
            atop_id=row["atopid"],
            start=start,
            end=end,
            in_effect=in_effect,
            bilateral=row["bilat"] == "1",
            obligations=[code for flag, code in FLAGS.items() if row[flag] == "1"],
            detail=detail,
            quote=_prefix(raw, 10),
            row=raw,
        )
    for line, row, raw in m_rows:
        alliance = alliances.get(row["atopid"])
        if alliance is None:
            raise ImportFailure(
                member_path.name,
                f"line {line}",
                f"alliance {row['atopid']} is not in {alliance_path.name}",
            )
        try:
            alliance.members.append(
                Member(
                    code=int(row["member"]),
                    entered=_partial(row["yrent"], row["moent"], row["dayent"]),
                    exited=_partial(row["yrexit"], row["moexit"], row["dayexit"]),
                    quote=_prefix(raw, 4),
                )
            )
        except (ValueError, TypeError) as exc:
            raise ImportFailure(
                member_path.name, f"line {line}", f"bad member row ({exc})"
            ) from None
    files = [
        (alliance_path.name, a_text, a_sha, "alliance-level"),
        (member_path.name, m_text, m_sha, "member-level"),
    ]
    return list(alliances.values()), files


def iso_for_cow(code: int, on: dt.date | None) -> str | None:
    """ISO 3166 alpha-2 for a COW state code on a date (365 before 26 Dec 1991: SU)."""
    iso = iso_alpha2_from(str(code), scheme="GWcode")
    return country_code_on(code=iso, on=on) if iso else None


class _Importer:
    def __init__(self, files, report: AtopReport):
        self.report = report
        self.citations = {
            kind: CitationWriter(source=_source(name, text, sha, kind))
            for name, text, sha, kind in files
        }
        self.parties: dict[str, Party] = {}
        self.matched: set[str] = set()  # curated treaties an alliance of this file enriches

    def cite(self, record, field_name: str, quote: str, kind: str = "alliance-level") -> None:
        self.citations[kind].cite(record, field_name, quote)

    def party(self, member: Member, on: dt.date | None) -> Party:
        code = iso_for_cow(member.code, on)
        if code:
            return party_for_country(code=code, known=self.parties)
        # A state that ISO 3166 does not know (e.g. one that ended before it existed).
        party_id = f"cow-{member.code}"
        party = self.parties.get(party_id) or Party.objects.filter(pk=party_id).first()
        if party is None:
            party = Party(
                id=party_id,
                name=f"Correlates of War state {member.code}",
                kind=PartyKind.STATE,
                review_status=ReviewStatus.PUBLISHED,
            )
            party_write(party=party)
        self.parties[party_id] = party
        return party

    def write(self, alliance: Alliance, writer, **kwargs) -> bool:
        """A service's write; its refusal refuses the import, naming the alliance and field."""
        try:
            return writer(**kwargs)
        except ValidationError as exc:
            raise ImportFailure.refusal(
                self.citations["alliance-level"].source.file_name,
                f"alliance {alliance.atop_id}",
                exc,
            ) from None


def _source(file_name: str, text: str, sha: str, kind: str):
    return official_source(
        id=f"atop-4-01-{kind}",
        file_name=file_name,
        sha256=sha,
        text=text,
        kind=SourceKind.DATASET,
        title=f"ATOP v4.01 {kind} data",
        publisher=PUBLISHER,
        url="http://www.atopdata.org/",
        published_on="2018",
    )


def _ours(record) -> bool:
    """The record's latest version was written by an ATOP import (not a curator, not the
    record loader): a later import may change what it set."""
    reason = (
        record.history.order_by("-history_date", "-history_id")
        .values_list("history_change_reason", flat=True)
        .first()
    )
    return reason == IMPORT_REASON


def _match(alliance: Alliance, party_ids: set[str], taken: set[str]) -> Treaty | None:
    """A curated treaty between exactly these parties, signed within ATOP's begin date."""
    if alliance.start is None:
        return None
    candidates = (
        Treaty.objects.filter(participations__party__in=party_ids)
        .exclude(pk__startswith="atop-")
        .exclude(pk__in=taken)
        .distinct()
        .prefetch_related("participations")
    )
    for treaty in candidates:
        if {p.party_id for p in treaty.participations.all()} != party_ids:
            continue
        signed = treaty.get_partial("signed_on")
        if signed is None or signed.start <= alliance.start.start <= signed.end:
            return treaty
    return None


def atop_import(*, alliances: list[Alliance], files, progress=None) -> AtopReport:
    """Write ATOP alliances: enrich matching curated treaties, add the others, update those
    added before. All or nothing; importing the same files again changes nothing."""
    report = AtopReport(heading=f"{len(alliances)} alliances")
    with transaction.atomic(), change_reason(IMPORT_REASON):
        importer = _Importer(files, report)
        for index, alliance in enumerate(alliances):
            if progress:
                progress(index + 1)
            treaty = Treaty.objects.filter(pk=f"atop-{alliance.atop_id}").first()
            if treaty is not None:
                changed = _enrich(treaty, alliance, importer)
                report.count("updated" if changed else "unchanged")
                continue
            on = alliance.start.start if alliance.start else None
            members = [
                (m, importer.party(m, m.entered.start if m.entered else on))
                for m in alliance.members
            ]
            treaty = _match(alliance, {p.pk for _, p in members}, importer.matched)
            if treaty is not None:
                importer.matched.add(treaty.pk)
                changed = _enrich(treaty, alliance, importer)
                report.count("enriched" if changed else "unchanged")
            else:
                _add(alliance, members, importer)
    return report


def _enrich(treaty: Treaty, alliance: Alliance, importer: _Importer) -> bool:
    """Give a treaty ATOP's entry into force and end, and ATOP's obligations provision,
    without overwriting what a curator stated: a disagreement is kept, reported and recorded
    as a disputes citation. True when anything changed."""
    ours = _ours(treaty)
    changed = _undo_signed_on(treaty, importer) if ours else False
    cited = []
    for field_name, value in (
        ("entered_into_force_on", alliance.entered_into_force),
        ("ended_on", alliance.end),
    ):
        current = treaty.get_partial(field_name)
        if value is None:
            continue
        if current == value:
            cited.append(field_name)
            continue
        atop_only = not (
            treaty.citations.filter(field=field_name)
            .exclude(source=importer.citations["alliance-level"].source)
            .exists()
        )
        problem = _disagreement(treaty, field_name, current, value, ours=ours and atop_only)
        if problem:
            importer.report.conflicts.append(
                f"{treaty.pk}: {field_name} is {current or 'unknown'}, ATOP alliance "
                f"{alliance.atop_id} says {value}; kept ({problem})"
            )
            importer.citations["alliance-level"].dispute(
                treaty,
                field_name,
                alliance.quote,
                note=f"ATOP alliance {alliance.atop_id} codes {field_name} as {value}; "
                f"not taken because {problem}.",
            )
            continue
        treaty.set_partial(field_name, value)
        changed = True
        cited.append(field_name)
    if changed:
        importer.write(alliance, treaty_write, treaty=treaty)
    for field_name in cited:
        importer.cite(treaty, field_name, alliance.quote)
    return _provision(treaty, alliance, importer) or changed


def _disagreement(
    treaty: Treaty,
    field_name: str,
    current: PartialDate | None,
    value: PartialDate,
    *,
    ours: bool,
) -> str | None:
    """Why ATOP's ``value`` for ``field_name`` cannot be taken (None when it can). A value
    ATOP set (``ours``: only ATOP cites it and ATOP wrote the treaty last) follows ATOP; any
    other is only narrowed (a year to its day) and never contradicted."""
    if current is not None and not ours:
        narrows = current.start <= value.start and value.end <= current.end
        if not narrows:
            return f"the register states {current}"
        if edited_since_loaded(treaty):
            return "a curator has edited the treaty"
    earlier = [
        (name, treaty.get_partial(name))
        for name in ("signed_on", "entered_into_force_on")
        if name != field_name
    ]
    for name, date in earlier:
        if date is not None and value.end < date.start:
            return f"it is before the recorded {name} ({date})"
    return None


def _undo_signed_on(treaty: Treaty, importer: _Importer) -> bool:
    """An earlier version of this importer took ATOP's begin date for the signing date; ATOP
    gives none. Put back the value before it (none for an alliance it added) and drop that
    citation."""
    source = importer.citations["alliance-level"].source
    stale = list(treaty.citations.filter(field="signed_on", source=source, stance=Stance.SUPPORTS))
    if not stale:
        return False
    before = (
        treaty.history.exclude(history_change_reason=IMPORT_REASON)
        .order_by("-history_date", "-history_id")
        .first()
    )
    treaty.signed_on = before.signed_on if before else None
    treaty.signed_on_precision = before.signed_on_precision if before else ""
    for citation in stale:
        record_delete(record=citation)
    return True


def _provision(treaty: Treaty, alliance: Alliance, importer: _Importer) -> bool:
    """The treaty's "ATOP obligations" provision: ATOP's obligation flags and detail, each
    cited to the row. A provision a curator has edited is kept. True when anything changed."""
    known = {name: value for name, value in alliance.detail.items() if value is not None}
    provision = Provision.objects.filter(treaty=treaty, label=PROVISION_LABEL).first()
    if provision is None:
        if not (alliance.obligations or known):
            return False
        provision = Provision(
            treaty=treaty,
            label=PROVISION_LABEL,
            summary="Obligations and terms ATOP codes for this alliance.",
        )
    elif not _ours(provision):
        importer.report.conflicts.append(
            f"{treaty.pk}: provision {PROVISION_LABEL!r} was edited by a curator; kept"
        )
        return False
    for name, value in alliance.detail.items():
        setattr(provision, name, "" if value is None and name == "military_aid" else value)
    changed = importer.write(
        alliance, provision_write, provision=provision, obligations=alliance.obligations
    )
    if alliance.obligations:
        importer.cite(provision, "obligations", alliance.quote)
    for name in known:
        importer.cite(provision, name, alliance.row)
    return changed


def _add(alliance: Alliance, members, importer: _Importer) -> None:
    names = ", ".join(sorted(p.name for _, p in members)[:4]) + (
        " and others" if len(members) > 4 else ""
    )
    treaty = Treaty(
        id=f"atop-{alliance.atop_id}",
        title=f"ATOP alliance {alliance.atop_id}: {names}",
        kind=TreatyKind.BILATERAL if alliance.bilateral else TreatyKind.MULTILATERAL,
        review_status=ReviewStatus.PUBLISHED,
    )
    # ATOP gives when an alliance took effect and ended, not when it was signed.
    treaty.set_partial("entered_into_force_on", alliance.entered_into_force)
    treaty.set_partial("ended_on", alliance.end)
    importer.write(alliance, treaty_write, treaty=treaty)
    for field_name in ("title", "kind", "entered_into_force_on", "ended_on"):
        if treaty.get_partial(field_name) if field_name.endswith("_on") else True:
            importer.cite(treaty, field_name, alliance.quote)
    seen = set()
    for member, party in members:
        if party.pk in seen:
            continue
        seen.add(party.pk)
        participation = Participation(treaty=treaty, party=party)
        participation.set_partial("consented_on", member.entered)
        if member.exited and alliance.end != member.exited:
            participation.set_partial("withdrew_on", member.exited)
        importer.write(alliance, participation_write, participation=participation)
        importer.cite(participation, "party", member.quote, "member-level")
    _provision(treaty, alliance, importer)
    importer.report.count("added")
