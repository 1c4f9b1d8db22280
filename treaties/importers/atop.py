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

from django.db import transaction

from core.choices import ReviewStatus
from core.countries import iso_alpha2_from
from core.history import change_reason, edited_since_loaded
from core.imports import ImportFailure, ImportSummary
from core.partial_dates import PartialDate
from sources.choices import SourceKind
from sources.importing import CitationWriter, csv_rows, official_source, read_file
from treaties.choices import PartyKind, TreatyKind
from treaties.importing import country_code_on, party_for_country
from treaties.models import Participation, Party, Provision, Treaty
from treaties.services import participation_write, party_write, provision_write, treaty_write

PUBLISHER = "ATOP project (Leeds, Ritter, Mitchell and Long, 2002)"
ALLIANCE_COLUMNS = {
    "atopid",
    "begyr",
    "begmo",
    "begday",
    "endyr",
    "endmo",
    "endday",
    "bilat",
    "defense",
    "offense",
    "neutral",
    "nonagg",
    "consul",
}
MEMBER_COLUMNS = {"atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit"}
FLAGS = {
    "defense": "defense",
    "offense": "offense",
    "neutral": "neutrality",
    "nonagg": "non_aggression",
    "consul": "consultation",
}


@dataclass
class Member:
    code: int
    entered: PartialDate | None
    exited: PartialDate | None
    quote: str


@dataclass
class Alliance:
    atop_id: str
    start: PartialDate | None
    end: PartialDate | None
    bilateral: bool
    obligations: list[str]
    quote: str
    members: list[Member] = field(default_factory=list)


@dataclass
class AtopReport(ImportSummary):
    """What an ATOP import did: alliances added, treaties enriched, alliances unchanged."""

    outcomes: tuple[str, ...] = ("added", "enriched", "unchanged")

    @property
    def added(self) -> int:
        return self.total("added")

    @property
    def enriched(self) -> int:
        return self.total("enriched")

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
        try:
            alliances[row["atopid"]] = Alliance(
                atop_id=row["atopid"],
                start=_partial(row["begyr"], row["begmo"], row["begday"]),
                end=_partial(row["endyr"], row["endmo"], row["endday"]),
                bilateral=row["bilat"] == "1",
                obligations=[code for flag, code in FLAGS.items() if row[flag] == "1"],
                quote=_prefix(raw, 9),
            )
        except (ValueError, TypeError) as exc:
            raise ImportFailure(
                alliance_path.name,
                f"line {line}, alliance {row.get('atopid')}",
                f"bad date ({exc})",
            ) from None
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

    def cite(self, record, field_name: str, quote: str, kind: str) -> None:
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


def _match(alliance: Alliance, party_ids: set[str]) -> Treaty | None:
    """A treaty the register holds between exactly these parties, signed within ATOP's start."""
    if alliance.start is None:
        return None
    candidates = (
        Treaty.objects.filter(participations__party__in=party_ids)
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
    """Write ATOP alliances: enrich matching treaties, add the others. All or nothing."""
    report = AtopReport(heading=f"{len(alliances)} alliances")
    with transaction.atomic(), change_reason("imported from ATOP v4.01"):
        importer = _Importer(files, report)
        for index, alliance in enumerate(alliances):
            if progress:
                progress(index + 1)
            on = alliance.start.start if alliance.start else None
            members = [
                (m, importer.party(m, m.entered.start if m.entered else on))
                for m in alliance.members
            ]
            treaty = _match(alliance, {p.pk for _, p in members})
            if treaty is not None:
                _enrich(treaty, alliance, importer)
            else:
                _add(alliance, members, importer)
    return report


def _enrich(treaty: Treaty, alliance: Alliance, importer: _Importer) -> None:
    changed = False
    for field_name, value in (("signed_on", alliance.start), ("ended_on", alliance.end)):
        current = treaty.get_partial(field_name)
        if value is None or current == value:
            continue
        covers = current is None or (current.start <= value.start and value.end <= current.end)
        if not covers or (edited_since_loaded(treaty) and current is not None):
            importer.report.conflicts.append(
                f"{treaty.pk}: {field_name} is {current}, ATOP {alliance.atop_id} says {value}; kept"
            )
            continue
        treaty.set_partial(field_name, value)
        changed = True
        importer.cite(treaty, field_name, alliance.quote, "alliance-level")
    if changed:
        treaty_write(treaty=treaty)
        importer.report.count("enriched")
    else:
        importer.report.count("unchanged")


def _add(alliance: Alliance, members, importer: _Importer) -> None:
    treaty_id = f"atop-{alliance.atop_id}"
    if Treaty.objects.filter(pk=treaty_id).exists():
        importer.report.count("unchanged")
        return
    names = ", ".join(sorted(p.name for _, p in members)[:4]) + (
        " and others" if len(members) > 4 else ""
    )
    treaty = Treaty(
        id=treaty_id,
        title=f"ATOP alliance {alliance.atop_id}: {names}",
        kind=TreatyKind.BILATERAL if alliance.bilateral else TreatyKind.MULTILATERAL,
        review_status=ReviewStatus.PUBLISHED,
    )
    treaty.set_partial("signed_on", alliance.start)
    treaty.set_partial("ended_on", alliance.end)
    treaty_write(treaty=treaty)
    for field_name in ("title", "kind", "signed_on", "ended_on"):
        if field_name != "ended_on" or alliance.end:
            importer.cite(treaty, field_name, alliance.quote, "alliance-level")
    seen = set()
    for member, party in members:
        if party.pk in seen:
            continue
        seen.add(party.pk)
        participation = Participation(treaty=treaty, party=party)
        participation.set_partial("consented_on", member.entered)
        if member.exited and alliance.end != member.exited:
            participation.set_partial("withdrew_on", member.exited)
        participation_write(participation=participation)
        importer.cite(participation, "party", member.quote, "member-level")
    if alliance.obligations:
        provision = Provision(
            treaty=treaty,
            label="ATOP obligations",
            summary="Obligations ATOP codes for this alliance.",
        )
        provision_write(provision=provision, obligations=alliance.obligations)
        importer.cite(provision, "obligations", alliance.quote, "alliance-level")
    importer.report.count("added")
