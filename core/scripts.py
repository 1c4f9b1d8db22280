"""The writing system of a text as an ISO 15924 code, from the Unicode names of its letters."""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

# The first word of a letter's Unicode name -> ISO 15924 code.
_SCRIPTS = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "HANGUL": "Hang",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "GURMUKHI": "Guru",
    "GUJARATI": "Gujr",
    "TAMIL": "Taml",
    "TELUGU": "Telu",
    "KANNADA": "Knda",
    "MALAYALAM": "Mlym",
    "SINHALA": "Sinh",
    "THAI": "Thai",
    "LAO": "Laoo",
    "TIBETAN": "Tibt",
    "MYANMAR": "Mymr",
    "KHMER": "Khmr",
    "ETHIOPIC": "Ethi",
    "SYRIAC": "Syrc",
    "THAANA": "Thaa",
    "MONGOLIAN": "Mong",
}
UNKNOWN = "Zzzz"  # ISO 15924: letters of a script not in the table above


@lru_cache(maxsize=65536)
def _letter_script(char: str) -> str:
    name = unicodedata.name(char, "")
    return _SCRIPTS.get(name.split(" ", 1)[0], UNKNOWN)


def script_code(text: str) -> str:
    """The ISO 15924 code of the script most of ``text``'s letters are written in ('Latn',
    'Arab', 'Cyrl', ...); Korean with Chinese characters is 'Kore', Japanese kana with kanji
    'Jpan'; blank when the text has no letters."""
    counts = Counter(_letter_script(char) for char in text if char.isalpha())
    if not counts:
        return ""
    if "Hang" in counts and "Hani" in counts:
        return "Kore"
    if ("Hira" in counts or "Kana" in counts) and "Hani" in counts:
        return "Jpan"
    return counts.most_common(1)[0][0]
