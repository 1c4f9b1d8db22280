"""Name normalisation for matching: the forms one name takes meet in the same tokens and keys."""
# ruff: noqa: RUF001 (names in Cyrillic on purpose)

import pytest

from core.names import (
    identifier_normalise,
    name_compare,
    name_keys,
    name_parts,
    name_tokens,
    name_words,
    token_similarity,
)

LISTED = "YUN HO-JIN"


def score(query: str, listed: str, *, legal_forms: bool = False) -> float:
    q = name_parts(query, legal_forms=legal_forms).tokens
    c = name_parts(listed, legal_forms=legal_forms).tokens
    return name_compare(q, c).score


def test_case_diacritics_and_punctuation_fold_away():
    assert name_tokens("Müller, José-María O'Neil") == ("muller", "jose", "maria", "o", "neil")


@pytest.mark.parametrize(
    "query", ["Yun Hojin", "Ho-jin Yun", "Ho Jin Yun", "yun ho jin", "YUN, Ho Jin"]
)
def test_spacing_hyphen_and_order_variants_score_one(query):
    assert score(query, LISTED) == 1.0


def test_spacing_variants_share_index_keys():
    assert "t:hojin" in name_keys(LISTED)
    assert "t:hojin" in name_keys("Yun Hojin")


@pytest.mark.parametrize(
    ("script", "expected"),
    [("Юн Хо Джин", ("yun", "kho", "dzhin")), ("윤호진", ("yun", "ho", "jin"))],
)
def test_other_scripts_are_transliterated(script, expected):
    assert name_tokens(script) == expected


@pytest.mark.parametrize("query", ["Юн Хо Джин", "윤호진"])
def test_cyrillic_and_hangul_match_the_latin_listing(query):
    assert score(query, LISTED) >= 0.95
    assert name_keys(query) & name_keys(LISTED) - {"t:yun"}, "a key besides the family name"


def test_arabic_script_meets_its_latin_spelling_by_consonants():
    comparison = name_compare(name_tokens("عبد اللطيف منصور"), name_tokens("Abdul Latif Mansur"))
    assert ("mnswr", "mansur", 0.7) in comparison.pairs
    assert comparison.score > 0.5


def test_chinese_is_transliterated_one_syllable_per_token():
    assert name_tokens("习近平") == ("xi", "jin", "ping")
    assert score("习近平", "XI Jinping") >= 0.95


def test_typos_are_tolerated_in_proportion_to_length():
    assert token_similarity("hojim", "hojin") == 0.8  # one edit in five letters
    assert token_similarity("kim", "kin") == 0.0  # up to four letters: no typo allowed
    assert token_similarity("azua", "aqua") == 0.0
    assert token_similarity("mansour", "mansur") > 0.8
    assert token_similarity("abcdef", "abxyef") == 0.0  # two edits in six letters


def test_legal_forms_are_set_apart_and_canonical():
    assert name_parts("OOO Romashka").legal_forms == ("llc",)
    assert name_parts("Romashka Limited Liability Company").legal_forms == ("llc",)
    assert name_parts("ЗАО Ромашка").legal_forms == ("jsc",)
    assert name_parts("Acme Trading Co., Ltd.").tokens == ("acme", "trading")
    assert score("Romashka LLC", "OOO Romashka", legal_forms=True) == 1.0


def test_a_name_that_is_only_a_legal_form_keeps_its_words():
    assert name_parts("Co").tokens == ("co",)


def test_a_persons_name_keeps_every_token_when_legal_forms_are_off():
    assert name_parts("Sa Co", legal_forms=False).tokens == ("sa", "co")


def test_common_tokens_are_not_informative():
    comparison = name_compare(name_tokens("Mohammed Ali"), name_tokens("Mohammed Ali Hassan"))
    assert comparison.informative == 0
    assert name_compare(name_tokens("Kim Jong Un"), name_tokens("KIM JONG UN")).informative == 6


def test_different_names_score_low():
    assert score("Vladimir Putin", LISTED) == 0.0
    assert score("Ho Chi Minh", LISTED) < 0.5


def test_scores_are_deterministic():
    assert {score("Юн Хо Джин", LISTED) for _ in range(5)} == {score("Юн Хо Джин", LISTED)}


def test_identifiers_normalise_to_letters_and_digits():
    assert identifier_normalise("OA 454044") == "OA454044"
    assert identifier_normalise("se-011697") == "SE011697"


def test_hyphens_join_the_tokens_of_one_word_of_a_name():
    assert name_words("IZZ-AL-DIN, Hasan") == (0, 0, 0, 1)
    assert name_words("YUN HO-JIN") == (0, 1, 1)
    assert len(name_words("Müller, José-María O'Neil")) == len(
        name_tokens("Müller, José-María O'Neil")
    )


def test_the_listed_tokens_matched_are_named():
    comparison = name_compare(name_tokens("Baz Izz-al-Din"), name_tokens("IZZ-AL-DIN, Hasan"))
    assert comparison.listed_matched == (0, 1, 2)
