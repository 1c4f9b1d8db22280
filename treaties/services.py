"""Writes with business rules for parties and treaties (used by the record loader)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model

from core.choices import ReviewStatus
from core.fixture_files import FixtureRecord, keys_check, partial_date_values, values_set, written
from core.history import edited_since_loaded
from core.services import m2m_set, record_delete, record_save, record_validate, unknown_problem
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


def party_upsert(*, spec: dict[str, Any], where: FixtureRecord) -> bool:
    """Load a party from its fixture (not its successor links: see party_successors_sync)."""
    keys_check(spec, where, PARTY_KEYS, required=("id", "name", "kind"))
    party = Party.objects.filter(pk=spec["id"]).first() or Party(pk=spec["id"])
    created = party._state.adding
    values_set(
        party,
        {
            "name": spec["name"],
            "kind": spec["kind"],
            "review_status": ReviewStatus.PUBLISHED,
            "aliases": spec.get("aliases", []),
            "iso_alpha2": spec.get("iso_alpha2") or None,
            "iso_alpha3": spec.get("iso_alpha3") or None,
            "wikidata_qid": spec.get("wikidata_qid", ""),
        },
    )
    written(where, party_validate, party=party)
    specs = citation_specs(spec, where)
    citations_cover(
        known={"name": party.name, "aliases": party.aliases, "successors": spec.get("successors")},
        specs=specs,
        where=where,
    )
    if where.keep(party):
        return False
    changed = written(where, party_write, party=party)
    return citations_sync(record=party, specs=specs, where=where) or changed or created


def party_successors_sync(*, spec: dict[str, Any], where: FixtureRecord) -> bool:
    """Link a loaded party to its successors; every named successor must exist."""
    party = Party.objects.get(pk=spec["id"])
    if edited_since_loaded(party):
        return False
    return written(where, party_write, party=party, successors=spec.get("successors", []))


def treaty_upsert(*, spec: dict[str, Any], where: FixtureRecord) -> bool:
    """Load a treaty with its participations and provisions from its fixture."""
    keys_check(spec, where, TREATY_KEYS, required=("id", "title", "kind"))
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
    values_set(treaty, values)
    participations = [_participation_item(item, where) for item in spec.get("participation", [])]
    provisions = [_provision_item(item, where) for item in spec.get("provision", [])]
    arguments = {
        "treaty": treaty,
        "replaces": spec.get("replaces", []),
        "amends": spec.get("amends", []),
        "participations": [values for values, _, _ in participations],
        "provisions": [values for values, _, _ in provisions],
    }
    parts = {
        "participations": [label for _, _, label in participations],
        "provisions": [label for _, _, label in provisions],
    }
    written(where, treaty_validate, parts=parts, **arguments)
    specs = citation_specs(spec, where)
    known = {
        name: values[name]
        for name in ("title", "aliases", "kind", "summary", "signed_at", "end_cause")
    }
    known |= {name: values[name] for name in Treaty.partial_dates}
    known |= {name: spec.get(name) for name in ("replaces", "amends")}
    citations_cover(known=known, specs=specs, where=where)
    for values, part_specs, label in [*participations, *provisions]:
        facts = {k: v for k, v in values.items() if not k.endswith("_precision") and k != "label"}
        citations_cover(known=facts, specs=part_specs, where=where.child(label))
    if where.keep(treaty):
        return False
    changed = written(
        where,
        treaty_write,
        parts=parts,
        keep=lambda part: where.child(_part_label(part)).keep(part),
        **arguments,
    )
    changed = citations_sync(record=treaty, specs=specs, where=where) or changed
    for model, key, items in (
        (Participation, "party", participations),
        (Provision, "label", provisions),
    ):
        for values, part_specs, label in items:
            part = model.objects.get(treaty=treaty, **{key: values[key]})
            if not edited_since_loaded(part):
                here = where.child(label)
                changed = citations_sync(record=part, specs=part_specs, where=here) or changed
    return changed or created


def _participation_item(item: dict[str, Any], where: FixtureRecord):
    """A participation from a fixture: its values, its citations and its label."""
    here = where.child(f"participation {item.get('party')!r}")
    keys_check(item, here, PARTICIPATION_KEYS, required=("party",))
    values = {
        "party": item["party"],
        "signatory_name": item.get("signatory_name", ""),
        "signatory_office": item.get("signatory_office", ""),
        "consent_type": item.get("consent_type", ""),
        **partial_date_values(item, "signed_on", here),
        **partial_date_values(item, "consented_on", here),
        **partial_date_values(item, "withdrew_on", here),
    }
    return values, citation_specs(item, here), f"participation {item['party']!r}"


def _provision_item(item: dict[str, Any], where: FixtureRecord):
    """A provision from a fixture: its values, its citations and its label."""
    here = where.child(f"provision {item.get('label')!r}")
    keys_check(item, here, PROVISION_KEYS, required=("label", "summary"))
    values = {
        "label": item["label"],
        "summary": item["summary"],
        "automatic": item.get("automatic"),
        "obligations": item.get("obligations", []),
    }
    return values, citation_specs(item, here), f"provision {item['label']!r}"


def _part_label(part: Model) -> str:
    if isinstance(part, Participation):
        return f"participation {part.party_id!r}"
    return f"provision {part.label!r}"


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
    for index, item in enumerate(participations or []):
        unknown = unknown_problem(Party, [item["party"]])
        try:
            record_validate(
                _part(Participation, treaty, item, "party"),
                exclude=["treaty", "party"] if unknown else ["treaty"],
                rules={"party": unknown},
                prefix=f"participations.{index}.",
            )
        except ValidationError as exc:
            errors |= exc.message_dict
    for index, item in enumerate(provisions or []):
        unknown = sorted(set(map(_id, item.get("obligations", []))) - vocabulary)
        try:
            record_validate(
                _part(Provision, treaty, item, "label"),
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


def _part(model: type[Model], treaty: Treaty, item: dict[str, Any], key: str) -> Model:
    """The treaty's existing part matched by ``key`` with ``item``'s values set, or a new one."""
    match = {f"{key}_id" if key == "party" else key: _id(item[key])}
    part = model.objects.filter(treaty=treaty, **match).first() if treaty.pk else None
    part = part or model(treaty=treaty, **match)
    for name, value in item.items():
        if name == "obligations":
            continue
        setattr(
            part,
            f"{name}_id" if name == "party" else name,
            _id(value) if name == "party" else value,
        )
    return part


def _parts_set(
    treaty: Treaty,
    model: type[Model],
    key: str,
    items: list[dict[str, Any]],
    keep: Callable[[Model], bool] | None,
) -> bool:
    changed = False
    kept = []
    for item in items:
        part = _part(model, treaty, item, key)
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
