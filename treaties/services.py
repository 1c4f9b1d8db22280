"""Writes with business rules for parties and treaties (used by the record loader)."""

from __future__ import annotations

from typing import Any

from core.choices import ReviewStatus
from core.history import edited_since_loaded
from core.records import Where, assign, partial_date_values, sync_m2m, take, validate
from sources.services import citation_specs, citations_cover, citations_sync
from treaties.models import ObligationType, Participation, Party, Provision, Treaty

PARTY_KEYS = (
    "id",
    "name",
    "kind",
    "aliases",
    "iso_alpha2",
    "iso_alpha3",
    "wikidata_qid",
    "successors",
    "citations",
)
TREATY_KEYS = (
    "id",
    "title",
    "aliases",
    "kind",
    "summary",
    "signed_on",
    "signed_at",
    "entered_into_force_on",
    "ended_on",
    "end_cause",
    "replaces",
    "amends",
    "citations",
    "participation",
    "provision",
)
PARTICIPATION_KEYS = (
    "party",
    "signed_on",
    "signatory_name",
    "signatory_office",
    "consent_type",
    "consented_on",
    "withdrew_on",
    "citations",
)
PROVISION_KEYS = ("label", "summary", "obligations", "automatic", "citations")


def party_upsert(*, spec: dict[str, Any], where: Where) -> bool:
    """Create or update a party (not its successor links: see party_successors_sync)."""
    take(spec, where, PARTY_KEYS, required=("id", "name", "kind"))
    party = Party.objects.filter(pk=spec["id"]).first() or Party(pk=spec["id"])
    created = party._state.adding
    values = {
        "name": spec["name"],
        "kind": spec["kind"],
        "review_status": ReviewStatus.PUBLISHED,
        "aliases": spec.get("aliases", []),
        "iso_alpha2": spec.get("iso_alpha2") or None,
        "iso_alpha3": spec.get("iso_alpha3") or None,
        "wikidata_qid": spec.get("wikidata_qid", ""),
    }
    changed = assign(party, values)
    validate(party, where)
    specs = citation_specs(spec, where)
    citations_cover(
        known={"name": party.name, "aliases": party.aliases, "successors": spec.get("successors")},
        specs=specs,
        where=where,
    )
    if where.keep(party):
        return False
    if changed:
        party.save()
    return citations_sync(record=party, specs=specs, where=where) or changed or created


def party_successors_sync(*, spec: dict[str, Any], where: Where) -> bool:
    """Link a party to its successors; every named successor must exist."""
    wanted = spec.get("successors", [])
    found = set(Party.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    for successor in wanted:
        if successor not in found:
            raise where.error("successors", f"unknown party {successor!r}")
    party = Party.objects.get(pk=spec["id"])
    if edited_since_loaded(party):
        return False
    return sync_m2m(party.successors, wanted)


def treaty_upsert(*, spec: dict[str, Any], where: Where) -> bool:
    """Create or update a treaty with its participations and provisions."""
    take(spec, where, TREATY_KEYS, required=("id", "title", "kind"))
    treaty = Treaty.objects.filter(pk=spec["id"]).first() or Treaty(pk=spec["id"])
    created = treaty._state.adding
    values = {
        "title": spec["title"],
        "review_status": ReviewStatus.PUBLISHED,
        "aliases": spec.get("aliases", []),
        "kind": spec["kind"],
        "summary": spec.get("summary", ""),
        "signed_at": spec.get("signed_at", ""),
        "end_cause": spec.get("end_cause", ""),
        **partial_date_values(spec, "signed_on", where),
        **partial_date_values(spec, "entered_into_force_on", where),
        **partial_date_values(spec, "ended_on", where),
    }
    changed = assign(treaty, values)
    validate(treaty, where)
    specs = citation_specs(spec, where)
    known = {
        name: values[name]
        for name in ("title", "aliases", "kind", "summary", "signed_at", "end_cause")
    }
    known |= {name: values[name] for name in Treaty.partial_dates}
    known |= {name: spec.get(name) for name in ("replaces", "amends")}
    citations_cover(known=known, specs=specs, where=where)
    if where.keep(treaty):
        return False
    if changed:
        treaty.save()
    changed = citations_sync(record=treaty, specs=specs, where=where) or changed
    for relation in ("replaces", "amends"):
        wanted = spec.get(relation, [])
        missing = set(wanted) - set(
            Treaty.objects.filter(pk__in=wanted).values_list("pk", flat=True)
        )
        if missing:
            raise where.error(relation, f"unknown treaty {sorted(missing)[0]!r}")
        changed = sync_m2m(getattr(treaty, relation), wanted) or changed
    changed = _participations_sync(treaty, spec.get("participation", []), where) or changed
    changed = _provisions_sync(treaty, spec.get("provision", []), where) or changed
    return changed or created


def _participations_sync(treaty: Treaty, items: list[dict[str, Any]], where: Where) -> bool:
    changed = False
    keep = []
    for item in items:
        here = where.child(f"participation {item.get('party')!r}")
        take(item, here, PARTICIPATION_KEYS, required=("party",))
        party = Party.objects.filter(pk=item["party"]).first()
        if party is None:
            raise here.error("party", f"unknown party {item['party']!r}")
        participation = Participation.objects.filter(
            treaty=treaty, party=party
        ).first() or Participation(treaty=treaty, party=party)
        values = {
            "signatory_name": item.get("signatory_name", ""),
            "signatory_office": item.get("signatory_office", ""),
            "consent_type": item.get("consent_type", ""),
            **partial_date_values(item, "signed_on", here),
            **partial_date_values(item, "consented_on", here),
            **partial_date_values(item, "withdrew_on", here),
        }
        dirty = assign(participation, values) or participation._state.adding
        validate(participation, here)
        specs = citation_specs(item, here)
        facts = {
            name: values[name] for name in ("signatory_name", "signatory_office", "consent_type")
        }
        facts |= {name: values[name] for name in Participation.partial_dates}
        citations_cover(known={"party": party.pk, **facts}, specs=specs, where=here)
        if here.keep(participation):
            keep.append(participation.pk)
            continue
        if dirty:
            participation.save()
        keep.append(participation.pk)
        changed = citations_sync(record=participation, specs=specs, where=here) or dirty or changed
    return _delete_loaded(treaty.participations.exclude(pk__in=keep)) or changed


def _provisions_sync(treaty: Treaty, items: list[dict[str, Any]], where: Where) -> bool:
    changed = False
    keep = []
    vocabulary = set(ObligationType.objects.values_list("code", flat=True))
    for item in items:
        here = where.child(f"provision {item.get('label')!r}")
        take(item, here, PROVISION_KEYS, required=("label", "summary"))
        obligations = item.get("obligations", [])
        for code in obligations:
            if code not in vocabulary:
                raise here.error("obligations", f"{code!r} is not in the obligation vocabulary")
        provision = Provision.objects.filter(
            treaty=treaty, label=item["label"]
        ).first() or Provision(treaty=treaty, label=item["label"])
        values = {"summary": item["summary"], "automatic": item.get("automatic")}
        dirty = assign(provision, values) or provision._state.adding
        validate(provision, here)
        specs = citation_specs(item, here)
        citations_cover(known={**values, "obligations": obligations}, specs=specs, where=here)
        if here.keep(provision):
            keep.append(provision.pk)
            continue
        if dirty:
            provision.save()
        keep.append(provision.pk)
        dirty = sync_m2m(provision.obligations, obligations) or dirty
        changed = citations_sync(record=provision, specs=specs, where=here) or dirty or changed
    return _delete_loaded(treaty.provisions.exclude(pk__in=keep)) or changed


def _delete_loaded(queryset) -> bool:
    """Delete what the fixtures no longer list, unless someone other than the loader made it."""
    deleted = False
    for record in queryset:
        if not edited_since_loaded(record):
            record.delete()
            deleted = True
    return deleted


def participations_replace(*, treaty: Treaty, items: list[dict[str, Any]]) -> None:
    """Make the treaty's participations exactly ``items``, matched by party so that kept
    ones keep their ids and citations. Items are already validated."""
    keep = []
    for item in items:
        participation = Participation.objects.filter(treaty=treaty, party=item["party"]).first()
        participation = participation or Participation(treaty=treaty, party=item["party"])
        for name, value in item.items():
            setattr(participation, name, value)
        participation.save()
        keep.append(participation.pk)
    for stale in treaty.participations.exclude(pk__in=keep):
        stale.delete()


def provisions_replace(*, treaty: Treaty, items: list[dict[str, Any]]) -> None:
    """Make the treaty's provisions exactly ``items``, matched by label."""
    keep = []
    for item in items:
        item = dict(item)
        obligations = item.pop("obligations", None)
        provision = Provision.objects.filter(treaty=treaty, label=item["label"]).first()
        provision = provision or Provision(treaty=treaty, label=item["label"])
        for name, value in item.items():
            setattr(provision, name, value)
        provision.save()
        if obligations is not None:
            provision.obligations.set(obligations)
        keep.append(provision.pk)
    for stale in treaty.provisions.exclude(pk__in=keep):
        stale.delete()


def succession_problem(*, party_id: str | None, successor_ids: list[str]) -> str | None:
    """Why ``successor_ids`` cannot be the successors of ``party_id`` (itself, or a cycle)."""
    if party_id is None:
        return None
    if party_id in successor_ids:
        return "A party cannot succeed itself."
    links = Party.successors.through.objects
    frontier, seen = set(successor_ids), set()
    while frontier:  # follow succession forward: reaching the party again would be a cycle
        if party_id in frontier:
            return "These successors would make the party its own predecessor (a succession cycle)."
        seen |= frontier
        frontier = (
            set(links.filter(from_party_id__in=frontier).values_list("to_party_id", flat=True))
            - seen
        )
    return None


def self_reference_problem(
    *, record_id: str | None, linked_ids: list[str], relation: str
) -> str | None:
    """A treaty cannot replace or amend itself."""
    if record_id is not None and record_id in linked_ids:
        return f"A treaty cannot {relation} itself."
    return None
