"""Domain-free normalisation of names for matching: folding, transliteration, tokens, keys.

A name is transliterated to ASCII (anyascii: Cyrillic, Arabic, Greek, Hangul, Chinese, ...),
case-folded, stripped of diacritics and punctuation, and split into tokens; a hyphen or a
space splits ("HO-JIN" is "ho", "jin") and adjacent tokens are also joined ("hojin"), so
spacing variants meet. Company legal forms (LLC, OOO, ZAO, Co., Ltd., JSC, ...) are set apart
under one canonical form each. A token's *skeleton* folds the spellings that transliteration
systems disagree on (kh/h, dzh/j, eo/o, voiced/voiceless consonants, doubled letters); its
*phonetic key* is the Metaphone code of the skeleton (jellyfish). ``name_keys`` gives the
index keys of a name: ``t:`` tokens and joined pairs, ``p:`` their phonetic keys.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import jellyfish
from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

KEY_LENGTH = 64
PREFIX_FROM = 5  # tokens this long get a prefix key
# Scripts written one syllable per character: transliterated character by character, so each
# syllable stays a token ("윤호진" is "yun ho jin", not "yunhojin").
_SYLLABIC = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# What separates the words of a name; a hyphen, an apostrophe or a full stop joins the parts
# of one word ("IZZ-AL-DIN" is one family name of three tokens).
_WORD_BREAK = re.compile(r"[\s,;/()]+")
# Spellings that transliteration systems render differently, folded to one (order matters).
_SKELETON = (
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("eo", "o"),
    ("eu", "u"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("y", "i"),
    ("g", "k"),
    ("d", "t"),
    ("b", "p"),
    ("z", "s"),
    ("v", "f"),
)
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiouw]")

# Company legal forms as token sequences (after folding), each with its canonical form.
LEGAL_FORMS: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): canonical
    for canonical, phrases in {
        "llc": [
            "llc",
            "l l c",
            "ooo",
            "tov",
            "limited liability company",
            "limited liability partnership",
            "llp",
            "obshchestvo s ogranichennoy otvetstvennostyu",
            "sp z o o",
            "gmbh",
            "sarl",
            "srl",
        ],
        "jsc": [
            "jsc",
            "ao",
            "oao",
            "zao",
            "pao",
            "ojsc",
            "cjsc",
            "pjsc",
            "joint stock company",
            "closed joint stock company",
            "open joint stock company",
            "public joint stock company",
            "aktsionernoe obshchestvo",
            "ag",
            "sa",
            "s a",
            "spa",
            "nv",
        ],
        "ltd": ["ltd", "limited", "co ltd", "company limited", "pte ltd", "pvt ltd", "pte", "pvt"],
        "co": ["co", "company", "cie"],
        "inc": ["inc", "incorporated"],
        "corp": ["corp", "corporation"],
        "plc": ["plc"],
        "bv": ["bv"],
        "fze": ["fze", "fzco", "fzc", "fz llc"],
    }.items()
    for phrase in phrases
}
_LONGEST_FORM = max(len(phrase) for phrase in LEGAL_FORMS)

# Particles and the most common given and family names across the lists' cultures: they
# count for less in a name's score, and a name made of nothing else cannot match alone.
COMMON_TOKENS = frozenset(
    """
    al el ul bin ibn bint abu abd abdul abdel de del der da di van von la le ben bn
    mohammad mohammed muhammad muhammed mohamed mohamad muhamad mohd md ahmad ahmed
    ali hassan hasan hussein husain hussain omar umar ibrahim khalid mahmoud mahmud
    mustafa mostafa yusuf yousef yusef abdullah abdallah abdulla said saeed salem salim
    hamid hamed karim rahman aziz jamal nasser nasir
    john james david michael robert maria jose juan carlos luis jorge antonio manuel
    ivan sergei sergey alexander aleksandr alexandr andrei andrey vladimir dmitry dmitri
    igor oleg nikolai viktor yuri
    kim lee li ri yi park pak choi choe jung jeong kang cho han
    wang zhang chen liu yang huang zhao wu zhou xu sun ma zhu hu guo lin
    trading shipping holding holdings industries industrial industry group international
    general services service enterprise enterprises investment investments commercial
    import export development technology technologies engineering logistics trust
    establishment organization organisation foundation bank
    """.split()  # noqa: SIM905 (a list literal of 130 names reads worse)
)


@dataclass(frozen=True)
class NameParts:
    """A name's tokens (legal forms set apart) and its legal forms, canonical."""

    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...] = ()


def transliterate(text: str) -> str:
    """ASCII for any script; syllabic scripts one syllable per token."""
    spaced = "".join(
        f" {char} " if any(low <= ord(char) <= high for low, high in _SYLLABIC) else char
        for char in text
    )
    return anyascii(spaced)


@lru_cache(maxsize=65536)
def name_fold(text: str) -> str:
    """Lower-case ASCII words: transliterated, without diacritics or punctuation."""
    return _NOT_ALNUM.sub(" ", transliterate(text).casefold()).strip()


def name_tokens(text: str) -> tuple[str, ...]:
    """The folded name's tokens in their order."""
    return tuple(name_fold(text).split())


@lru_cache(maxsize=65536)
def name_words(text: str) -> tuple[int, ...]:
    """For each token of ``name_tokens(text)``, the index of the word of the name it belongs
    to: "IZZ-AL-DIN, Hasan" is ``(0, 0, 0, 1)``."""
    parts = (
        _NOT_ALNUM.sub(" ", w).split() for w in _WORD_BREAK.split(transliterate(text).casefold())
    )
    return tuple(index for index, tokens in enumerate(p for p in parts if p) for _ in tokens)


@lru_cache(maxsize=65536)
def name_parts(text: str, *, legal_forms: bool = True) -> NameParts:
    """The name's tokens with company legal forms set apart (when ``legal_forms``)."""
    tokens = name_tokens(text)
    if not legal_forms:
        return NameParts(tokens=tokens)
    kept: list[str] = []
    forms: list[str] = []
    index = 0
    while index < len(tokens):
        for size in range(min(_LONGEST_FORM, len(tokens) - index), 0, -1):
            canonical = LEGAL_FORMS.get(tokens[index : index + size])
            if canonical:
                forms.append(canonical)
                index += size
                break
        else:
            kept.append(tokens[index])
            index += 1
    if not kept:  # a name that is only a legal form ("Co") keeps its words
        return NameParts(tokens=tokens)
    return NameParts(tokens=tuple(kept), legal_forms=tuple(dict.fromkeys(forms)))


@lru_cache(maxsize=65536)
def token_skeleton(token: str) -> str:
    """The token with spellings that transliterations disagree on folded to one."""
    for old, new in _SKELETON:
        token = token.replace(old, new)
    return _DOUBLED.sub(r"\1", token)


@lru_cache(maxsize=65536)
def token_phonetic(token: str) -> str:
    """Metaphone of the skeleton's consonants, so that scripts which write no short vowels
    (Arabic, Persian, Hebrew) meet their Latin spellings ("mhmd", "Mohammed")."""
    if token.isdigit():
        return token
    consonants = token_consonants(token)
    return jellyfish.metaphone(_DOUBLED.sub(r"\1", consonants)) if consonants else ""


def name_units(tokens: tuple[str, ...]) -> list[str]:
    """Tokens and adjacent pairs joined: the forms a spacing or hyphen variant may take."""
    return [*tokens, *(a + b for a, b in pairwise(tokens))]


def name_keys(text: str, *, legal_forms: bool = True) -> set[str]:
    """Index keys of a name: ``t:`` its tokens and joined pairs, ``p:`` their phonetic keys,
    ``f:`` the first four letters of a long token's skeleton (a typo later on still meets)."""
    keys: set[str] = set()
    for unit in name_units(name_parts(text, legal_forms=legal_forms).tokens):
        if len(unit) >= 2:
            keys.add(f"t:{unit}"[:KEY_LENGTH])
        phonetic = token_phonetic(unit)
        if len(phonetic) >= 2:
            keys.add(f"p:{phonetic}"[:KEY_LENGTH])
        if len(unit) >= PREFIX_FROM:
            keys.add(f"f:{token_skeleton(unit)[:4]}")
    return keys


def names_keys(names: Iterable[str], *, legal_forms: bool = True) -> set[str]:
    """The union of the names' keys."""
    return set().union(*(name_keys(name, legal_forms=legal_forms) for name in names))


def identifier_normalise(value: str) -> str:
    """An identifier as compared: upper-case letters and digits only ("OA 454044" is "OA454044")."""
    return re.sub(r"[^A-Z0-9]", "", anyascii(value).upper())


def allowed_edits(length: int) -> int:
    """Typos tolerated in a token of this length: none up to 4 letters, then one per 4 more."""
    return 0 if length <= 4 else 1 if length <= 8 else 2 if length <= 12 else 3


def token_consonants(token: str) -> str:
    """The skeleton's consonants: what scripts that write no short vowels keep."""
    return _VOWELS.sub("", token_skeleton(token)).rstrip("h")


@lru_cache(maxsize=262144)
def token_similarity(a: str, b: str) -> float:
    """1 for the same token, 0.95 for the same skeleton, 1 - edits/length for typos within
    the length's allowance, 0.7 for the same consonants (three or more, lengths within a
    factor of two: "mhmd" and "mohammed"); 0 otherwise."""
    if a == b:
        return 1.0
    skeleton_a, skeleton_b = token_skeleton(a), token_skeleton(b)
    if skeleton_a == skeleton_b:
        return 0.95
    length = max(len(skeleton_a), len(skeleton_b))
    distance = Levenshtein.distance(skeleton_a, skeleton_b)
    if distance <= allowed_edits(length):
        return round(min(0.95, 1 - distance / length), 4)
    consonants = token_consonants(a)
    if (
        len(consonants) >= 3
        and consonants == token_consonants(b)
        and max(len(a), len(b)) <= 2 * min(len(a), len(b))
    ):
        return 0.7
    return 0.0


@dataclass(frozen=True)
class NameComparison:
    """How well a query name covers a listed name, and the token pairs that matched."""

    score: float
    query_coverage: float
    listed_coverage: float
    pairs: tuple[tuple[str, str, float], ...]
    informative: int  # letters of matched query tokens that are not common names
    informative_tokens: int  # how many such tokens
    weakest: float  # the lowest similarity among them (1.0 when none)
    listed_matched: tuple[int, ...] = ()  # positions of the listed tokens matched


def _weight(token: str) -> float:
    """A token's part in a name: longer counts more, but less than in proportion; common less."""
    return math.sqrt(len(token)) * (0.4 if token in COMMON_TOKENS else 1.0)


def _units(tokens: tuple[str, ...]) -> list[tuple[str, frozenset[int]]]:
    singles = [(token, frozenset([i])) for i, token in enumerate(tokens)]
    pairs = [(a + b, frozenset([i, i + 1])) for i, (a, b) in enumerate(pairwise(tokens))]
    return singles + pairs


@lru_cache(maxsize=65536)
def name_compare(query: tuple[str, ...], listed: tuple[str, ...]) -> NameComparison:
    """Align query tokens with listed tokens in any order (a token may meet two joined ones),
    greedily best pair first; the score weighs query coverage 0.6 and listed coverage 0.4.

    Kept per pair of token tuples: a query meets the same listed names again and again (in
    a batch, and where the lists give several designations the same name)."""
    candidates = []
    for q_unit, q_used in _units(query):
        for l_unit, l_used in _units(listed):
            similarity = token_similarity(q_unit, l_unit)
            if similarity > 0:
                candidates.append((-similarity, -len(q_unit), q_unit, l_unit, q_used, l_used))
    candidates.sort()
    q_similarity: dict[int, float] = {}
    l_similarity: dict[int, float] = {}
    pairs = []
    for negative, _, q_unit, l_unit, q_used, l_used in candidates:
        if q_used & q_similarity.keys() or l_used & l_similarity.keys():
            continue
        q_similarity.update(dict.fromkeys(q_used, -negative))
        l_similarity.update(dict.fromkeys(l_used, -negative))
        pairs.append((q_unit, l_unit, -negative))
    matched_q = sum(_weight(query[i]) * s for i, s in q_similarity.items())
    matched_l = sum(_weight(listed[i]) * s for i, s in l_similarity.items())
    total_q = sum(_weight(t) for t in query) or 1.0
    total_l = sum(_weight(t) for t in listed) or 1.0
    query_coverage = min(1.0, matched_q / total_q)
    listed_coverage = min(1.0, matched_l / total_l)
    telling = [i for i in q_similarity if query[i] not in COMMON_TOKENS]
    return NameComparison(
        score=round(0.6 * query_coverage + 0.4 * listed_coverage, 4),
        query_coverage=round(query_coverage, 4),
        listed_coverage=round(listed_coverage, 4),
        pairs=tuple(pairs),
        informative=sum(len(query[i]) for i in telling),
        informative_tokens=len(telling),
        weakest=min((q_similarity[i] for i in telling), default=1.0),
        listed_matched=tuple(sorted(l_similarity)),
    )
