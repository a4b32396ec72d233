"""Splitting a huge unpunctuated line costs work linear in its length (issue 12).

Measured as an operation count, never wall-clock: the number of characters
handed to the token counter per character of input must not grow with the
input (a binary search over all remaining clauses tokenized half the rest of
the line per probe: quadratic; 20,000 words took 5.4 s).
"""

from __future__ import annotations

import random

import pytest

from translate.mt.splitting import split_long
from translate.segment import segment


def _words(n: int) -> str:
    rng = random.Random(12)
    vocab = ["Haus", "baut", "und", "der", "Stadt", "gehen", "schnell", "Regierung", "wieder"]
    return " ".join(rng.choice(vocab) for _ in range(n))


def _chars_tokenized(text: str, count) -> float:
    seen = [0]

    def counting(s: str) -> int:
        seen[0] += len(s)
        return count(s)

    pieces = split_long(text, counting, 200)
    assert pieces and all(text[a:b].strip() for a, b in pieces)
    return seen[0] / len(text)


@pytest.mark.parametrize(
    "count",
    [lambda s: len(s.split()) + 1, lambda s: len(s) // 4 + 1],
    ids=["words", "chars"],
)
def test_split_long_work_is_linear(count) -> None:
    small = _chars_tokenized(_words(2_000), count)
    large = _chars_tokenized(_words(40_000), count)
    assert large < 40, f"{large:.0f} characters tokenized per input character"
    assert large < 1.5 * small + 5, (small, large)


def test_split_long_single_huge_word_is_linear() -> None:
    text = "x" * 200_000
    assert _chars_tokenized(text, lambda s: len(s) // 4 + 1) < 40


def test_segment_huge_unpunctuated_line_is_one_sentence() -> None:
    text = _words(20_000)
    paragraphs = segment(text)
    assert [s.source for p in paragraphs for s in p.sentences] == [text]
