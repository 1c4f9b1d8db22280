"""What one version of an official list added, changed and delisted relative to an earlier one.

Built only from what every import stores, so it answers for any two imported versions:

- a version's records are the designations its Source cites (each import cites every record
  the file holds, new or not);
- what a version said about a record is the record as its imports left it: the latest
  historical version (with its regimes, aliases and identifiers) written by an import of that
  list before the next version was imported. Versions written by curators are left out, so
  a curator's edit never shows as a change of the list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from core.choices import ReviewStatus
from core.partial_dates import PartialDate
from sanctions.models import (
    Designation,
    DesignationAddress,
    DesignationAlias,
    DesignationIdentifier,
)
from sources.choices import SourceKind
from sources.models import Citation, Source

# Fields of a designation a list import sets, in the order they are reported.
FIELDS = (
    "kind",
    "name",
    "reference_number",
    "list_record_id",
    "listed_on",
    "nationality",
    "dates_of_birth",
    "remarks",
    "regimes",
    "aliases",
    "identifiers",
    "addresses",
)
_DATED_ID = re.compile(r"^(?P<list>.+)-(?P<date>\d{4}-\d{2}-\d{2})$")


class NotAVersion(ValueError):
    """The source is not a version of an official list an import made."""


@dataclass
class FieldChange:
    field: str
    old: object
    new: object


@dataclass
class ListChange:
    """One designation the later version added, changed or delisted."""

    change: str  # "added", "changed" or "delisted"
    designation: Designation
    fields: list[FieldChange] = field(default_factory=list)


def list_of(source: Source) -> str:
    """The list a source is a version of (its id without the date), or NotAVersion."""
    match = _DATED_ID.match(source.pk)
    if source.kind != SourceKind.OFFICIAL_LIST or match is None:
        raise NotAVersion(f"source {source.pk!r} is not a version of an imported official list")
    return match["list"]


def list_versions(source: Source) -> list[Source]:
    """Every published version of the list ``source`` belongs to, oldest first."""
    name = list_of(source)
    candidates = Source.objects.filter(
        kind=SourceKind.OFFICIAL_LIST,
        publisher=source.publisher,
        id__startswith=f"{name}-",
        review_status=ReviewStatus.PUBLISHED,
    ).defer("text")
    versions = [s for s in candidates if (m := _DATED_ID.match(s.pk)) and m["list"] == name]
    return sorted(versions, key=lambda s: (s.published_on or dt.date.min, s.created_at))


def previous_version(source: Source) -> Source | None:
    """The version of the same list imported just before ``source`` (None for the first)."""
    versions = list_versions(source)
    index = [s.pk for s in versions].index(source.pk) if source in versions else 0
    return versions[index - 1] if index > 0 else None


def earlier_version_problem(*, source: Source, since: Source) -> str | None:
    """Why ``since`` is not an earlier version of the list ``source`` is a version of."""
    versions = [s.pk for s in list_versions(source)]
    if since.pk not in versions:
        return f"source {since.pk!r} is not a version of the same list as {source.pk!r}"
    if versions.index(since.pk) >= versions.index(source.pk):
        return f"source {since.pk!r} is not earlier than {source.pk!r}"
    return None


def list_version_changes(*, source: Source, since: Source | None) -> list[ListChange]:
    """What ``source`` added, changed and delisted relative to ``since`` (everything it
    holds is added when ``since`` is None), public designations only, ordered by id."""
    versions = list_versions(source)
    reasons = _import_reasons(versions)
    now = _listed(source)
    before = _listed(since) if since is not None else set()
    designations = {
        d.pk: d
        for d in Designation.objects.filter(
            pk__in=now | before, review_status=ReviewStatus.PUBLISHED
        ).only("id", "name", "kind", "reference_number")
    }
    both = sorted((now & before) & designations.keys())
    new_state = _states(both, reasons, _imported_until(source, versions))
    old_state = _states(both, reasons, _imported_until(since, versions)) if since else {}
    changes = []
    for pk in sorted(designations):
        if pk in now and pk not in before:
            changes.append(ListChange("added", designations[pk]))
        elif pk in before and pk not in now:
            changes.append(ListChange("delisted", designations[pk]))
        else:
            old, new = old_state.get(pk, {}), new_state.get(pk, {})
            fields = [
                FieldChange(f, old.get(f), new.get(f)) for f in FIELDS if old.get(f) != new.get(f)
            ]
            if fields:
                changes.append(ListChange("changed", designations[pk], fields))
    return changes


def _listed(source: Source) -> set[str]:
    """The designations a version holds: those its file is cited for."""
    content_type = ContentType.objects.get_for_model(Designation)
    return set(
        Citation.objects.filter(source=source, content_type=content_type)
        .values_list("object_id", flat=True)
        .distinct()
    )


def _import_reasons(versions: list[Source]) -> set[str]:
    """The change reasons of the imports of these versions (each import made its Source)."""
    history = Source.history.model.objects.filter(id__in=[s.pk for s in versions], history_type="+")
    return {reason for reason in history.values_list("history_change_reason", flat=True) if reason}


def _imported_until(source: Source, versions: list[Source]) -> dt.datetime | None:
    """When the version after ``source`` began to be imported (None: ``source`` is the last)."""
    later = [s.created_at for s in versions if s.created_at > source.created_at]
    return min(later) if later else None


def _latest(rows) -> dict:
    """The first row per ``id`` of rows ordered by id and newest first."""
    latest = {}
    for row in rows:
        latest.setdefault(row.id, row)
    return latest


def _states(pks: list[str], reasons: set[str], until: dt.datetime | None) -> dict[str, dict]:
    """What the imports had set on each designation before ``until``: its listed fields."""
    if not pks:
        return {}
    written = Q(history_change_reason__in=reasons)
    if until is not None:
        written &= Q(history_date__lt=until)
    history = Designation.history.model
    versions = _latest(
        history.objects.filter(written, id__in=pks)
        .select_related("nationality")
        .order_by("id", "-history_date", "-history_id")
    )
    regimes: dict[int, list[str]] = {}
    # Each historical version keeps its own copy of its regime links.
    links = history._meta.get_field("historicaldesignation_regimes").related_model
    for history_id, key in links.objects.filter(
        history__in=[v.history_id for v in versions.values()]
    ).values_list("history_id", "sanctionsregime__key"):
        regimes.setdefault(history_id, []).append(key)
    aliases = _parts(DesignationAlias, pks, written, lambda a: a.name)
    identifiers = _parts(
        DesignationIdentifier,
        pks,
        written,
        lambda i: f"{i.type}: {i.value} ({i.country})" if i.country else f"{i.type}: {i.value}",
    )
    addresses = _parts(
        DesignationAddress, pks, written, lambda a: f"{a.get_kind_display()}: {a.text}"
    )
    states = {}
    for pk, version in versions.items():
        listed = PartialDate.from_columns(version.listed_on, version.listed_on_precision)
        nationality = version.nationality
        states[pk] = {
            "kind": version.kind,
            "name": version.name,
            "reference_number": version.reference_number,
            "list_record_id": version.list_record_id,
            "listed_on": listed.isoformat() if listed else None,
            "nationality": (nationality.iso_alpha2 or nationality.pk) if nationality else None,
            "dates_of_birth": list(version.dates_of_birth or []),
            "remarks": version.remarks,
            "regimes": sorted(regimes.get(version.history_id, [])),
            "aliases": sorted(aliases.get(pk, [])),
            "identifiers": sorted(identifiers.get(pk, [])),
            "addresses": sorted(addresses.get(pk, [])),
        }
    return states


def _parts(model, pks: list[str], written: Q, shown) -> dict[str, list[str]]:
    """A designation's aliases, identifiers or addresses as the imports left them: each part's latest
    version, unless that version deleted it."""
    rows = _latest(
        model.history.model.objects.filter(written, designation_id__in=pks).order_by(
            "id", "-history_date", "-history_id"
        )
    )
    parts: dict[str, list[str]] = {}
    for row in rows.values():
        if row.history_type != "-":
            parts.setdefault(row.designation_id, []).append(shown(row))
    return parts
