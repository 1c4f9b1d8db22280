# ruff: noqa: RUF001 (the Cyrillic alphabet on purpose)
"""The screening evaluation (`make bench-match`): a labelled query set built from the official
lists, run through the matcher and through a naive baseline, with recall, false positives
and latency (docs/matching.md, "Evaluation").

Variant queries come from listed names and aliases: tokens reordered, spacing and hyphens
changed, one typo, Latin written in Cyrillic, original-script names as listed and machine
transliterated to Latin. The right answers for a query are every designation listing a
name with the same tokens as the one the query was made from (the UN and OFAC often list the
same person). Negative queries are names on no list: a given name of one listed person with
the family name of another, and companies named after places; none may share its tokens with
a listed name.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pycountry
from rapidfuzz import fuzz, process, utils

from core.names import name_tokens, transliterate
from sanctions.importers.parsed import ListedRecord
from sanctions.matching import (
    DEFAULT_THRESHOLD,
    SCHEMA_KINDS,
    EntityQuery,
    MatchOptions,
    entities_match,
)

KIND_SCHEMA = {
    "individual": "Person",
    "entity": "Company",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
_CYRILLIC = [
    ("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"),
    ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("q", "к"), ("w", "в"), ("x", "кс"),
    ("y", "й"),
]  # fmt: skip
COMPANY_WORDS = ["Trading", "Holdings", "Shipping", "Industries", "Group", "Logistics"]
LEGAL_FORMS = ["LLC", "Ltd.", "JSC", "Co.", "GmbH", ""]


@dataclass(frozen=True)
class LabelledQuery:
    """A query, what kind of variant it is, and the designations that are right answers."""

    variant: str
    query: EntityQuery
    expected: frozenset[str]  # empty for a name on no list


@dataclass
class Run:
    """Ranks, matches and timings of one method over a query set."""

    ranks: dict[str, list[int | None]] = field(default_factory=lambda: defaultdict(list))
    false_positives: list[bool] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def recall(self, at: int, variant: str | None = None) -> float:
        ranks = [
            r for v, rs in self.ranks.items() if variant in (None, v) for r in rs
        ]  # fmt: skip
        return sum(1 for r in ranks if r is not None and r < at) / (len(ranks) or 1)

    def latency(self, quantile: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000


def cyrillic(name: str) -> str:
    """A Latin name as a Russian speaker might write it (for the into-Cyrillic variants)."""
    text = name.lower()
    for latin, letter in _CYRILLIC:
        text = text.replace(latin, letter)
    return text.title()


def _typo(name: str, rng: random.Random) -> str | None:
    """One edit (substitution, deletion, transposition) in a token of five letters or more."""
    tokens = name.split()
    long = [i for i, t in enumerate(tokens) if len(t) >= 5 and t.isalpha()]
    if not long:
        return None
    i = rng.choice(long)
    token, at = tokens[i], rng.randrange(1, len(tokens[i]) - 1)
    edit = rng.choice(["substitute", "delete", "transpose"])
    if edit == "substitute":
        token = (
            token[:at] + rng.choice("aeioulnrst".replace(token[at].lower(), "")) + token[at + 1 :]
        )
    elif edit == "delete":
        token = token[:at] + token[at + 1 :]
    else:
        token = token[: at - 1] + token[at] + token[at - 1] + token[at + 1 :]
    tokens[i] = token
    return " ".join(tokens)


def variants(record: ListedRecord, rng: random.Random) -> Iterable[tuple[str, str, str]]:
    """(variant, query name, the listed name it came from) for one record."""
    name = record.name
    tokens = name.replace("-", " ").split()
    if len(tokens) >= 2:
        shuffled = tokens[:]
        while shuffled == tokens:
            rng.shuffle(shuffled)
        yield "reordered", " ".join(shuffled), name
        i = rng.randrange(len(tokens) - 1)
        joined = [*tokens[:i], tokens[i] + tokens[i + 1].lower(), *tokens[i + 2 :]]
        yield "spacing", " ".join(joined), name
        hyphen = [*tokens[:i], f"{tokens[i]}-{tokens[i + 1]}", *tokens[i + 2 :]]
        yield "hyphen", " ".join(hyphen), name
    typo = _typo(name, rng)
    if typo:
        yield "typo", typo, name
    if record.kind == "individual" and name.isascii():
        yield "into Cyrillic", cyrillic(name), name
    latin_aliases = [a for a, q in record.aliases if a.isascii() and q.lower() not in ("low",)]
    if latin_aliases:
        alias = rng.choice(latin_aliases)
        yield "alias", alias, alias
    for alias, _ in record.aliases:
        if not alias.isascii() and any(c.isalpha() for c in alias):
            yield "original script", alias, alias
            yield "out of original script", transliterate(alias), alias


def labelled_set(
    records: list[ListedRecord], *, available: set[str], size: int, seed: int
) -> list[LabelledQuery]:
    """``size`` records' variant queries and as many negative queries, reproducibly."""
    rng = random.Random(seed)
    by_tokens: dict[frozenset[str], set[str]] = defaultdict(set)
    for record in records:
        if record.id in available:
            for listed in [record.name, *(a for a, _ in record.aliases)]:
                by_tokens[frozenset(name_tokens(listed))].add(record.id)
    usable = [r for r in records if r.id in available and r.kind in KIND_SCHEMA]
    chosen = rng.sample(usable, min(size, len(usable)))
    queries = [
        LabelledQuery(
            variant, _query(record.kind, text), frozenset(by_tokens[frozenset(name_tokens(source))])
        )
        for record in chosen
        for variant, text, source in variants(record, rng)
    ]
    return queries + _negatives(usable, by_tokens, rng, size)


def _negatives(usable, by_tokens, rng: random.Random, size: int) -> list[LabelledQuery]:
    people = [r.name.split() for r in usable if r.kind == "individual" and len(r.name.split()) >= 2]
    listed_tokens = set().union(*by_tokens)
    places = [s.name for s in pycountry.subdivisions]
    negatives: list[LabelledQuery] = []
    while len(negatives) < size:
        if len(negatives) % 2:
            name = f"{rng.choice(people)[-1]} {rng.choice(people)[0]}"
            kind = "individual"
        else:
            name = f"{rng.choice(places)} {rng.choice(COMPANY_WORDS)} {rng.choice(LEGAL_FORMS)}"
            kind = "entity"
        if frozenset(name_tokens(name)) in by_tokens or (
            kind == "entity" and set(name_tokens(name)) <= listed_tokens
        ):
            continue
        negatives.append(LabelledQuery("not listed", _query(kind, name.strip()), frozenset()))
    return negatives


def _query(kind: str, name: str) -> EntityQuery:
    schema = KIND_SCHEMA[kind]
    assert schema in SCHEMA_KINDS
    return EntityQuery(schema=schema, names=(name,))


def run(
    queries: list[LabelledQuery],
    search: Callable[[EntityQuery], list[tuple[str, float]]],
    threshold: float,
) -> Run:
    """Each query alone, timed; the rank of the first right answer, and any false match."""
    result = Run()
    for labelled in queries:
        started = time.perf_counter()
        found = search(labelled.query)
        result.seconds.append(time.perf_counter() - started)
        if labelled.expected:
            ids = [pk for pk, _ in found]
            rank = next((i for i, pk in enumerate(ids) if pk in labelled.expected), None)
            result.ranks[labelled.variant].append(rank)
        else:
            result.false_positives.append(any(score >= threshold for _, score in found))
    return result


def ours(query: EntityQuery) -> list[tuple[str, float]]:
    """The matcher (sanctions.matching), top five."""
    outcome = entities_match(queries={"q": query}, options=MatchOptions(limit=5))["q"]
    return [(m.designation_id, m.score) for m in outcome.results]


def batch_seconds(queries: list[LabelledQuery], *, size: int = 20, rounds: int = 10) -> list[float]:
    """Seconds for batches of ``size`` queries in one call, as one API request makes them."""
    timings = []
    for start in range(0, min(len(queries), size * rounds), size):
        batch = {str(i): q.query for i, q in enumerate(queries[start : start + size])}
        started = time.perf_counter()
        entities_match(queries=batch, options=MatchOptions(limit=5))
        timings.append(time.perf_counter() - started)
    return timings


class Baseline:
    """Every listed name scored with rapidfuzz's token-sort ratio, no index, top five."""

    def __init__(self, names: list[tuple[str, str, str]]):  # (designation id, kind, name)
        self.by_kind: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for pk, kind, name in names:
            ids, texts = self.by_kind[kind]
            ids.append(pk)
            texts.append(utils.default_process(name))

    def __call__(self, query: EntityQuery) -> list[tuple[str, float]]:
        best: dict[str, float] = {}
        for kind in SCHEMA_KINDS[query.schema]:
            ids, texts = self.by_kind[kind]
            for name in query.names:
                for _, score, index in process.extract(
                    utils.default_process(name),
                    texts,
                    scorer=fuzz.token_sort_ratio,
                    limit=20,
                    processor=None,
                ):
                    best[ids[index]] = max(best.get(ids[index], 0.0), score / 100)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:5]


def summary(label: str, result: Run) -> str:
    """One line of figures."""
    fp = sum(result.false_positives) / (len(result.false_positives) or 1)
    return (
        f"{label:28} {result.recall(1):9.3f} {result.recall(5):9.3f} {fp:9.3%} "
        f"{result.latency(0.5):8.1f} {result.latency(0.95):8.1f}"
    )


def per_variant(ours_run: Run, baseline_run: Run | None) -> list[str]:
    lines = []
    for variant in sorted(ours_run.ranks):
        n = len(ours_run.ranks[variant])
        base = f"{baseline_run.recall(1, variant):9.3f}" if baseline_run else ""
        lines.append(f"  {variant:26} {n:5d} {ours_run.recall(1, variant):9.3f}{base}")
    return lines


def mean_ms(values: list[float]) -> float:
    return statistics.mean(values) * 1000 if values else 0.0


__all__ = ["DEFAULT_THRESHOLD", "Baseline", "batch_seconds", "labelled_set", "ours", "run"]
