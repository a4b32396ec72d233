"""``omission``: the English is too short for its German source.

The bound is calibrated on human translations (``data/omission.json``, made by
``python3 benchmarks/flags_eval.py --calibrate`` from WMT newstest2019 and
newstest2021 references A and B in ``../shared/corpus/wmt/``): for each band of
source length (characters), the :data:`QUANTILE` quantile of the natural-log
ratio target/source, once in characters and once in words. A pair is flagged
when *both* ratios fall below their band's bound — so a human translation
gets this flag about :data:`QUANTILE` × (overlap of the two) of the time, well
under 1 %.

With the model's own evidence (``dewire translate``: the hypothesis scored
below the model's ``low_confidence`` threshold) the looser
:data:`LOOSE_QUANTILE` bounds apply: a short *and* unsure hypothesis is
flagged sooner.

``length-ratio`` (:mod:`translate.mt.flags`, fixed bounds 0.4–2.0) stays as
it was for the too-long side and for very odd ratios; ``omission`` is the
calibrated, length-aware test for the too-short side.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from translate.document import FLAG_OMISSION

QUANTILE = 0.01
"""Quantile of the human log-ratio distribution used as the strict bound (per band, chars and words)."""

LOOSE_QUANTILE = 0.05
"""Quantile used when the model's score is below its low-confidence threshold."""

MIN_SOURCE_CHARS = 20
"""Shorter sources (``Von Josh Smith``) are not judged: their ratio is noise."""

MIN_SOURCE_WORDS = 4
"""Sources with fewer words are not judged."""

BAND_EDGES: tuple[int, ...] = (20, 40, 60, 90, 130, 180, 250)
"""Lower edges of the source-length bands, in characters (the last band is open)."""


@dataclass(frozen=True, slots=True)
class Band:
    """The bounds for sources of ``min_chars`` characters or more (up to the next band).

    Attributes:
        min_chars: lower edge, characters.
        char: strict bound on ``log(len(target) / len(source))`` (characters).
        word: strict bound on the same ratio in whitespace-separated words.
        char_loose: looser bound (model evidence present), characters.
        word_loose: looser bound, words.
        pairs: calibration pairs in the band.
    """

    min_chars: int
    char: float
    word: float
    char_loose: float
    word_loose: float
    pairs: int


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def ratios(source: str, target: str) -> tuple[float, float]:
    """``(log char ratio, log word ratio)`` of target to source (stripped texts; ≥ 1 char/word each)."""
    s, t = source.strip(), target.strip()
    return (
        math.log(max(len(t), 1) / max(len(s), 1)),
        math.log(max(len(t.split()), 1) / max(len(s.split()), 1)),
    )


def calibrate(pairs: Iterable[tuple[str, str]], *, source_note: str = "") -> dict:
    """Compute the bands from human translation pairs.

    Args:
        pairs: ``(German, English)`` pairs of human translations.
        source_note: where the pairs came from (stored in the result).

    Returns:
        A JSON-able ``dict`` (the content of ``data/omission.json``).
    """
    by_band: dict[int, list[tuple[float, float]]] = {edge: [] for edge in BAND_EDGES}
    for source, target in pairs:
        if len(source.strip()) < MIN_SOURCE_CHARS or len(source.split()) < MIN_SOURCE_WORDS or not target.strip():
            continue
        by_band[_band_edge(len(source.strip()))].append(ratios(source, target))
    bands = []
    for edge in BAND_EDGES:
        rows = by_band[edge]
        if len(rows) < 20:  # too few: borrow the neighbour's data below
            continue
        chars, words = [r[0] for r in rows], [r[1] for r in rows]
        bands.append(
            {
                "min_chars": edge,
                "char": round(_quantile(chars, QUANTILE), 4),
                "word": round(_quantile(words, QUANTILE), 4),
                "char_loose": round(_quantile(chars, LOOSE_QUANTILE), 4),
                "word_loose": round(_quantile(words, LOOSE_QUANTILE), 4),
                "pairs": len(rows),
            }
        )
    return {"source": source_note, "quantile": QUANTILE, "loose_quantile": LOOSE_QUANTILE, "bands": bands}


def _band_edge(n_chars: int) -> int:
    edge = BAND_EDGES[0]
    for e in BAND_EDGES:
        if n_chars >= e:
            edge = e
    return edge


@lru_cache(maxsize=None)
def bands() -> tuple[Band, ...]:
    """The calibrated bands from ``data/omission.json``, by ascending ``min_chars``."""
    text = resources.files("translate.checks").joinpath("data/omission.json").read_text("utf-8")
    return tuple(sorted((Band(**b) for b in json.loads(text)["bands"]), key=lambda b: b.min_chars))


def band_for(n_chars: int) -> Band:
    """The band of a source of ``n_chars`` characters (the first band for shorter ones)."""
    chosen = bands()[0]
    for band in bands():
        if n_chars >= band.min_chars:
            chosen = band
    return chosen


def is_omission(source: str, target: str, *, unsure: bool = False) -> tuple[bool, str]:
    """Whether ``target`` is too short for ``source``.

    Args:
        source: German text.
        target: English text.
        unsure: the model's evidence says the hypothesis is doubtful (low
            score): use the loose bounds.

    Returns:
        ``(flagged, detail)``; the detail reads like ``"English 38 chars,
        expected ≥ 71 for 96 German chars"``.
    """
    s = source.strip()
    if len(s) < MIN_SOURCE_CHARS or len(s.split()) < MIN_SOURCE_WORDS:
        return False, ""
    band = band_for(len(s))
    char_bound = band.char_loose if unsure else band.char
    word_bound = band.word_loose if unsure else band.word
    rc, rw = ratios(source, target)
    if rc < char_bound and rw < word_bound:
        expected = math.ceil(len(s) * math.exp(char_bound))
        return True, f"English {len(target.strip())} chars, expected ≥ {expected} for {len(s)} German chars"
    return False, ""


def check_omission(source: str, target: str, context: object = None) -> list[tuple[str, str]]:
    """The ``omission`` check.

    Args:
        source: German sentence.
        target: English sentence.
        context: a :class:`translate.checks.CheckContext`; its ``unsure``
            (score below the model's threshold) selects the loose bounds.

    Returns:
        ``[]`` or ``[("omission", detail)]``.
    """
    unsure = bool(getattr(context, "unsure", False))
    flagged, detail = is_omission(source, target, unsure=unsure)
    return [(FLAG_OMISSION, detail)] if flagged else []
