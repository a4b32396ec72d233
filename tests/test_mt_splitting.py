"""split_long: clause-boundary pieces, within the limit, nothing lost."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.mt.splitting import split_long


def words(text: str) -> int:
    """Token counter for the pure tests: words + EOS."""
    return len(text.split()) + 1


def nonspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_lossless(text: str, spans: list[tuple[int, int]], count, limit: int) -> None:
    pos = 0
    for a, b in spans:
        assert pos <= a < b <= len(text)
        assert not text[pos:a].strip(), f"text lost between pieces: {text[pos:a]!r}"
        assert text[a:b] == text[a:b].strip()
        assert count(text[a:b]) <= limit
        pos = b
    assert not text[pos:].strip()
    assert "".join(nonspace(text[a:b]) for a, b in spans) == nonspace(text)


# A real German sentence (samples/putin-kim.de.txt).
SENTENCE = (
    "Trotz des Drucks aus Kiew und Washington hat Südkorea der Ukraine nur nichttödliche Hilfe geleistet, "
    "große Mengen Waffen an das benachbarte Polen verkauft und die Vereinigten Staaten mit Artilleriegranaten "
    "versorgt, um die schwindenden Reserven aufzufüllen, betont jedoch, dass es keine Pläne habe, tödliche "
    "Hilfe zu leisten."
)


def test_short_sentence_is_one_piece() -> None:
    assert split_long("  Kurz und gut.  ", words, 10) == [(2, 15)]
    assert split_long("   ", words, 10) == []


def test_strong_boundary_first() -> None:
    text = "Erstens, zweitens und drittens; viertens, fünftens und sechstens"
    spans = split_long(text, words, 6)
    assert [text[a:b] for a, b in spans] == ["Erstens, zweitens und drittens;", "viertens, fünftens und sechstens"]


def test_comma_before_conjunction_preferred_over_plain_comma() -> None:
    text = "Die Männer tranken, lachten laut, weil sie Freunde waren"
    pieces = [text[a:b] for a, b in split_long(text, words, 7)]
    assert pieces == ["Die Männer tranken, lachten laut,", "weil sie Freunde waren"]


def test_real_sentence_pieces_merge_greedily() -> None:
    spans = split_long(SENTENCE, words, 20)
    check_lossless(SENTENCE, spans, words, 20)
    pieces = [SENTENCE[a:b] for a, b in spans]
    assert len(pieces) >= 3
    assert all(p.endswith((",", ".")) for p in pieces)  # cut at commas only
    # Greedy merging: no two neighbours would fit together.
    for (a, _), (_, d) in zip(spans, spans[1:]):
        assert words(SENTENCE[a:d]) > 20


def test_no_punctuation_falls_back_to_whitespace() -> None:
    text = " ".join(["Wort"] * 50)
    spans = split_long(text, words, 10)
    check_lossless(text, spans, words, 10)
    assert [b - a for a, b in spans][0] == len(" ".join(["Wort"] * 9))


def test_colon_in_time_and_comma_in_number_are_not_boundaries() -> None:
    text = "Um 12:30 Uhr kamen 1,5 Millionen Menschen zusammen und feierten lange"
    spans = split_long(text, words, 6)
    check_lossless(text, spans, words, 6)
    assert all(not text[a:b].startswith(("30", "5 ")) for a, b in spans)


def test_long_word_is_cut_by_characters_never_dropped() -> None:
    url = "https://example.org/" + "abcdefghij" * 40

    def chars(s: str) -> int:
        return len(s) // 10 + 1

    text = f"Siehe {url} für Details"
    spans = split_long(text, chars, 8)
    check_lossless(text, spans, chars, 8)
    assert len(spans) > 5


def test_limit_must_leave_room() -> None:
    with pytest.raises(ValueError):
        split_long("a b", words, 1)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Haus", "und", "weil", ",", ";", ":", "–", "12:30", "1,5", "Straße", "dass", "x" * 30, " ", "\n"]),
        max_size=120,
    ),
    st.integers(min_value=2, max_value=15),
)
def test_lossless_property(tokens: list[str], limit: int) -> None:
    text = " ".join(tokens)

    def count(s: str) -> int:  # characters/6: long "words" exceed small limits
        return len(s) // 6 + 1

    spans = split_long(text, count, limit)
    check_lossless(text, spans, count, limit)
