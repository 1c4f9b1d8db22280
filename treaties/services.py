"""Writes with business rules for parties and treaties: the one write path of each record."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model

from core.services import (
    m2m_set,
    missing_ids,
    record_delete,
    record_save,
    record_validate,
    unknown_problem,
)
from treaties.models import ObligationType, Participation, Party, Provision, Treaty

# ---------------------------------------------------------------------------------------
# The one write path of each record: the API, the admin, the record loader and the importers
# all call these. Each validates everything first (model rules, constraints and the rules
# below), raising one ValidationError keyed by field, then writes only what changed.


def party_validate(*, party: Party, successors: Iterable[Party | str] | None = None) -> None:
    """Every rule a party must meet: its model's, and no succession cycle."""
    rules = {}
    if successors is not None:
        rules["successors"] = unknown_problem(Party, successors) or succession_problem(
            party_id=party.pk, successor_ids=[_id(s) for s in successors]
        )
    record_validate(party, rules=rules)


def party_write(*, party: Party, successors: Iterable[Party | str] | None = None) -> bool:
    """Create or change a party (and, when given, its successors); True when anything changed."""
    successors = None if successors is None else list(successors)
    party_validate(party=party, successors=successors)
    changed = record_save(party)
    if successors is not None:
        changed = m2m_set(party.successors, successors) or changed
    return changed


def treaty_validate(
    *,
    treaty: Treaty,
    replaces: Iterable[Treaty | str] | None = None,
    amends: Iterable[Treaty | str] | None = None,
    participations: list[dict[str, Any]] | None = None,
    provisions: list[dict[str, Any]] | None = None,
) -> None:
    """Every rule a treaty and its parts must meet, checked before anything is written."""
    rules: dict[str, str | None] = {}
    for relation, linked in (("replaces", replaces), ("amends", amends)):
        if linked is not None:
            rules[relation] = unknown_problem(Treaty, linked) or self_reference_problem(
                record_id=treaty.pk,
                linked_ids=[_id(t) for t in linked],
                relation=relation.removesuffix("s"),
            )
    if participations is not None:
        parties = [_id(item["party"]) for item in participations]
        if len(parties) != len(set(parties)):
            rules["participations"] = "A party can take part only once."
    if provisions is not None:
        labels = [item["label"] for item in provisions]
        if len(labels) != len(set(labels)):
            rules["provisions"] = "Provision labels must be unique within a treaty."
    errors: dict[str, list[str]] = {}
    try:
        record_validate(treaty, rules=rules)
    except ValidationError as exc:
        errors |= exc.message_dict
    vocabulary = set(ObligationType.objects.values_list("code", flat=True))
    participations, provisions = participations or [], provisions or []
    # The parties are checked in one query here, not one foreign-key look-up per item.
    missing = set(missing_ids(Party, [item["party"] for item in participations]))
    parts = _parts(Participation, treaty, "party", participations)
    for index, (item, part) in enumerate(zip(participations, parts, strict=True)):
        party = _id(item["party"])
        try:
            record_validate(
                part,
                exclude=["treaty", "party"],
                rules={"party": f"unknown party {party!r}" if party in missing else None},
                prefix=f"participations.{index}.",
            )
        except ValidationError as exc:
            errors |= exc.message_dict
    parts = _parts(Provision, treaty, "label", provisions)
    for index, (item, part) in enumerate(zip(provisions, parts, strict=True)):
        unknown = sorted(set(map(_id, item.get("obligations", []))) - vocabulary)
        try:
            record_validate(
                part,
                exclude=["treaty"],
                rules={"obligations": unknown and f"{unknown[0]!r} is not an obligation code."},
                prefix=f"provisions.{index}.",
            )
        except ValidationError as exc:
            errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)


def treaty_write(
    *,
    treaty: Treaty,
    replaces: Iterable[Treaty | str] | None = None,
    amends: Iterable[Treaty | str] | None = None,
    participations: list[dict[str, Any]] | None = None,
    provisions: list[dict[str, Any]] | None = None,
    keep: Callable[[Model], bool] | None = None,
) -> bool:
    """Create or change a treaty; ``replaces``, ``amends``, ``participations`` and
    ``provisions``, when given, become exactly those (parts matched by party and by label, so
    kept ones keep their ids and citations). Parts for which ``keep`` says so are left as
    they are. True when anything changed."""
    replaces = None if replaces is None else list(replaces)
    amends = None if amends is None else list(amends)
    treaty_validate(
        treaty=treaty,
        replaces=replaces,
        amends=amends,
        participations=participations,
        provisions=provisions,
    )
    changed = record_save(treaty)
    for relation, linked in (("replaces", replaces), ("amends", amends)):
        if linked is not None:
            changed = m2m_set(getattr(treaty, relation), linked) or changed
    if participations is not None:
        changed = _parts_set(treaty, Participation, "party", participations, keep) or changed
    if provisions is not None:
        changed = _parts_set(treaty, Provision, "label", provisions, keep) or changed
    return changed


def participation_write(*, participation: Participation) -> bool:
    """Create or change one participation (e.g. from its own admin page)."""
    record_validate(participation)
    return record_save(participation)


def provision_write(
    *, provision: Provision, obligations: Iterable[ObligationType | str] | None = None
) -> bool:
    """Create or change one provision and, when given, its obligations."""
    record_validate(provision)
    changed = record_save(provision)
    if obligations is not None:
        changed = m2m_set(provision.obligations, obligations) or changed
    return changed


def _id(value: Any) -> str:
    return str(getattr(value, "pk", value))


def _parts(model: type[Model], treaty: Treaty, key: str, items: list[dict[str, Any]]) -> list:
    """The treaty's part for each item: the existing one matched by ``key`` (all read in one
    query) or a new one, with the item's values set (links as ids)."""
    attname = "party_id" if key == "party" else key
    existing = {}
    if not treaty._state.adding:
        existing = {str(getattr(p, attname)): p for p in model.objects.filter(treaty=treaty)}
    parts = []
    for item in items:
        part = existing.get(_id(item[key])) or model(treaty=treaty)
        for name, value in item.items():
            if name != "obligations":
                setattr(
                    part,
                    "party_id" if name == "party" else name,
                    _id(value) if name == "party" else value,
                )
        parts.append(part)
    return parts


def _parts_set(
    treaty: Treaty,
    model: type[Model],
    key: str,
    items: list[dict[str, Any]],
    keep: Callable[[Model], bool] | None,
) -> bool:
    changed = False
    kept = []
    for item, part in zip(items, _parts(model, treaty, key, items), strict=True):
        if not part._state.adding and keep and keep(part):
            kept.append(part.pk)
            continue
        changed = record_save(part) or changed
        if "obligations" in item:
            changed = m2m_set(part.obligations, item["obligations"]) or changed
        kept.append(part.pk)
    for stale in model.objects.filter(treaty=treaty).exclude(pk__in=kept):
        if keep and keep(stale):
            continue
        record_delete(record=stale)
        changed = True
    return changed


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
