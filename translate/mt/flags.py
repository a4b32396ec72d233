"""Quality flags on a hypothesis: which translations a reader should double-check.

Each rule is a pure function of source, hypothesis text and score, so the
transformers and CTranslate2 backends, and cached results, are flagged
alike. Flag names are the ``FLAG_*`` constants of :mod:`translate.document`.

* ``low-confidence``: mean log-probability per target token below the
  model's threshold (``low_confidence`` in models.yaml).
* ``repetition``: the hypothesis contains a loop (:func:`has_repetition`)
  that the source does not have.
* ``untranslated``: the hypothesis is (almost) the source (:func:`is_untranslated`).
* ``length-ratio``: target/source character ratio outside
  :data:`LENGTH_RATIO_BOUNDS` (:func:`length_ratio_off`). Its too-short side
  is folded into ``omission`` (:mod:`translate.checks.omission`, calibrated
  per source length): when ``omission`` fires, :func:`translate.checks.run_checks`
  drops ``length-ratio``.
* ``split``: set by the engine for sentences translated in pieces.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Iterable

from translate.document import (
    FLAG_LENGTH_RATIO,
    FLAG_LOW_CONFIDENCE,
    FLAG_PASSTHROUGH,
    FLAG_REPETITION,
    FLAG_SPLIT,
    FLAG_UNTRANSLATED,
)

FLAG_ORDER: tuple[str, ...] = (
    FLAG_PASSTHROUGH,
    FLAG_SPLIT,
    FLAG_LOW_CONFIDENCE,
    FLAG_REPETITION,
    FLAG_UNTRANSLATED,
    FLAG_LENGTH_RATIO,
)
"""The stable order flags are listed in."""

LENGTH_RATIO_BOUNDS: tuple[float, float] = (0.4, 2.0)
"""Allowed target/source character-length ratio for German→English.

Measured on the human references of WMT newstest2014, 2019 and 2021 de-en
(``../shared/corpus/wmt/``; 5,999 pairs with a source of ≥ 10 characters):
median 0.92–0.97, 0.1th percentile 0.47–0.53, 99.9th percentile 1.59–1.83;
only 5 pairs (0.08 %) fall outside [0.4, 2.0]. A hypothesis outside it is
most likely truncated (a multi-sentence source with only its first sentence
translated) or padded with invented text."""

LENGTH_RATIO_MIN_CHARS = 10
"""Sources shorter than this (``Von Josh Smith``) are not length-checked: their ratio is noise."""

UNTRANSLATED_MIN_WORDS = 3
"""Sources with fewer words (names, ``Kim Jong Un``) legitimately come back unchanged."""

UNTRANSLATED_SIMILARITY = 0.9
UNTRANSLATED_CHAR_LIMIT = 2000
"""Above this many characters (source + hypothesis) similarity is computed over words (difflib is quadratic)."""
"""Character similarity (``difflib`` ratio of the normalized texts) above which a hypothesis counts as the source."""

_TOKEN = re.compile(r"\w+|[^\w\s]")
_CHAR_LOOP = re.compile(r"([^\s\d]{1,12}?)\1{5,}")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def longest_loop(text: str, max_n: int = 6) -> tuple[int, int]:
    """Find the strongest immediate repetition of a word n-gram.

    Words and punctuation marks are tokens (``No, no, no`` is ``no , no , no``),
    case-folded.

    Args:
        text: a hypothesis or source.
        max_n: longest n-gram considered.

    Returns:
        ``(n, k)``: an n-gram repeated ``k`` times in a row, with the largest
        ``n × k`` found (``(0, 0)`` for none, ``k`` ≥ 2 otherwise).
    """
    toks = _tokens(text)
    best = (0, 0)
    for n in range(1, max_n + 1):
        i = 0
        while i + 2 * n <= len(toks):
            k = 1
            while toks[i + k * n : i + (k + 1) * n] == toks[i : i + n]:
                k += 1
            if k >= 2 and n * k > best[0] * best[1]:
                best = (n, k)
            i += n * (k - 1) + 1 if k >= 2 else 1
    return best


def _is_loop(n: int, k: int) -> bool:
    # One word 4+ times in a row ("de de de de"), or a longer n-gram 3+ times
    # ("no, no, no", "the man said the man said the man said").
    return (n == 1 and k >= 4) or (n >= 2 and k >= 3)


def has_repetition(hypothesis: str, source: str = "") -> bool:
    """Whether ``hypothesis`` is caught in a repetition loop the source does not have.

    A loop is an n-gram (n ≤ 6 word/punctuation tokens) repeated back to back —
    one word 4+ times, a longer n-gram 3+ times — or a sequence of 1–12
    non-space, non-digit characters repeated 6+ times (``hahahaha…``, ``--------``).
    A loop that the source also has (``Nein, nein, nein!`` → ``No, no, no!``)
    is the translation, not a model failure, and does not count.

    Args:
        hypothesis: the target text.
        source: the source text it was translated from.

    Returns:
        ``True`` if the hypothesis loops and the source does not.
    """
    n, k = longest_loop(hypothesis)
    if _is_loop(n, k):
        sn, sk = longest_loop(source)
        if not (_is_loop(sn, sk) and sk >= k):
            return True
    m = _CHAR_LOOP.search(hypothesis)
    if m and not _CHAR_LOOP.search(source):
        return True
    return False


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def is_untranslated(source: str, hypothesis: str) -> bool:
    """Whether the hypothesis is (almost) a copy of the source.

    Only sources of at least :data:`UNTRANSLATED_MIN_WORDS` words with at
    least one lower-case word are judged: names (``Kim Jong Un``), all-caps
    labels and short bylines legitimately stay the same, and every German
    sentence has lower-case words (verbs, articles). Texts are
    normalized (NFKC, case-folded, punctuation removed, spaces collapsed) and
    compared with ``difflib.SequenceMatcher``; equal texts or a ratio above
    :data:`UNTRANSLATED_SIMILARITY` count as untranslated.
    """
    words = source.split()
    if len(words) < UNTRANSLATED_MIN_WORDS or not any(w[:1].islower() for w in words):
        return False
    src, hyp = _normalize(source), _normalize(hypothesis)
    if src == hyp:
        return True
    if len(src) + len(hyp) > UNTRANSLATED_CHAR_LIMIT:
        # difflib is O(n·m): compare words, not characters, for very long segments.
        return _similar(difflib.SequenceMatcher(None, src.split(), hyp.split(), autojunk=False))
    return _similar(difflib.SequenceMatcher(None, src, hyp, autojunk=False))


def _similar(matcher: difflib.SequenceMatcher) -> bool:  # type: ignore[type-arg]
    """``matcher.ratio() > UNTRANSLATED_SIMILARITY``, trying difflib's cheap upper bounds first.

    ``real_quick_ratio() ≥ quick_ratio() ≥ ratio()`` (difflib documents them as
    upper bounds), so a bound at or under the threshold decides without the
    O(n·m) ``ratio()``; the verdict is the same. A translation is rarely
    similar enough to its source to get past the bounds.
    """
    return (
        matcher.real_quick_ratio() > UNTRANSLATED_SIMILARITY
        and matcher.quick_ratio() > UNTRANSLATED_SIMILARITY
        and matcher.ratio() > UNTRANSLATED_SIMILARITY
    )


def length_ratio_off(source: str, hypothesis: str) -> bool:
    """Whether the target/source character ratio is outside :data:`LENGTH_RATIO_BOUNDS`.

    Lengths are of the stripped texts; sources under
    :data:`LENGTH_RATIO_MIN_CHARS` characters are never flagged.
    """
    s, h = len(source.strip()), len(hypothesis.strip())
    if s < LENGTH_RATIO_MIN_CHARS:
        return False
    lo, hi = LENGTH_RATIO_BOUNDS
    return not (lo <= h / s <= hi)


def order_flags(flags: Iterable[str]) -> tuple[str, ...]:
    """Deduplicate ``flags`` and put them in :data:`FLAG_ORDER` (unknown flags last, in given order)."""
    seen = list(dict.fromkeys(flags))
    known = [f for f in FLAG_ORDER if f in seen]
    return tuple(known + [f for f in seen if f not in FLAG_ORDER])


def hypothesis_flags(
    source: str,
    hypothesis: str,
    score: float | None,
    *,
    low_confidence: float,
    repetition: bool | None = None,
) -> tuple[str, ...]:
    """All content flags of one translated segment, in :data:`FLAG_ORDER`.

    Args:
        source: the source segment.
        hypothesis: its translation.
        score: mean log-probability per target token, or ``None`` (then no
            ``low-confidence`` judgement is made).
        low_confidence: the model's threshold (``TranslatorConfig.low_confidence``).
        repetition: a precomputed repetition verdict (e.g. the OR over the
            pieces of a split sentence); ``None`` computes :func:`has_repetition`.

    Returns:
        A subset of ``low-confidence``, ``repetition``, ``untranslated``,
        ``length-ratio``.
    """
    flags: list[str] = []
    if score is not None and score < low_confidence:
        flags.append(FLAG_LOW_CONFIDENCE)
    if repetition if repetition is not None else has_repetition(hypothesis, source):
        flags.append(FLAG_REPETITION)
    if is_untranslated(source, hypothesis):
        flags.append(FLAG_UNTRANSLATED)
    if length_ratio_off(source, hypothesis):
        flags.append(FLAG_LENGTH_RATIO)
    return order_flags(flags)
