"""Is the input German? A light check with lingua-language-detector.

lingua ships its n-gram models inside the wheel (no download at run time) and
is accurate on short texts (Stahl, *lingua* README: accuracy tables per
language). dewire only warns (``input looks like English, not German``) unless
``--strict-language`` turns the warning into :class:`~translate.errors.LanguageError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

SAMPLE_CHARS = 6000
"""Characters examined (three slices of 2,000 from the start, middle and end);
enough for a stable decision, bounded for huge files."""

MIXED_SHARE = 0.25
"""A second language covering at least this share of the words (and at least
``MIXED_MIN_WORDS``) makes a ``mixes German with …`` warning."""

MIXED_MIN_WORDS = 12
MIN_LETTERS = 20
"""Texts with fewer letters are too short to judge: no warning."""


@dataclass(frozen=True, slots=True)
class LanguageFinding:
    """The result of :func:`detect_language`.

    Attributes:
        language: English name of the main language (``"German"``), or ``None``
            when the text is too short or undecidable.
        confidence: lingua's confidence in ``language`` (0–1), or 0.0; 1.0 when
            the language is decided without lingua (a script, or clearly German:
            :func:`_clearly_german`).
        warning: a one-line warning for the user, or ``None`` when the text is German.
    """

    language: str | None
    confidence: float = 0.0
    warning: str | None = None


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.GERMAN, Language.ENGLISH, Language.FRENCH, Language.SPANISH, Language.ITALIAN,
        Language.DUTCH, Language.PORTUGUESE, Language.POLISH, Language.CZECH, Language.DANISH,
        Language.SWEDISH, Language.TURKISH, Language.RUSSIAN, Language.UKRAINIAN, Language.ARABIC,
    ]
    # Low-accuracy mode uses the trigram models only: a 2,000-character sample
    # decides just as well, and loading is ~100x faster than the full models.
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    third = SAMPLE_CHARS // 3
    mid = len(text) // 2
    return "\n".join((text[:third], text[mid - third // 2 : mid + third // 2], text[-third:]))


MIN_LINE_LETTERS = 12
"""Sentences with fewer letters (``- ja``, ``Foto: dpa``) are too short to judge alone and count for nothing."""


_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f", "Japanese"),  # kana (Japanese also writes Han)
    ("\uac00-\ud7af\u1100-\u11ff\u3130-\u318f", "Korean"),  # Hangul
    ("\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002ebef\uf900-\ufaff", "Chinese"),  # Han
    ("\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff", "Arabic"),
    ("\u0590-\u05ff", "Hebrew"),
    ("\u0370-\u03ff\u1f00-\u1fff", "Greek"),
    ("\u0400-\u04ff", "Cyrillic"),
    ("\u0e00-\u0e7f", "Thai"),
    ("\u0900-\u097f", "Hindi"),
)
"""Unicode blocks (The Unicode Standard, chapter on each script) that decide
a language by script alone. lingua here knows only European languages and
Arabic: it called Chinese and Japanese "Arabic" (issue 12)."""

_SCRIPT_RES = tuple((re.compile(f"[{ranges}]"), name) for ranges, name in _SCRIPTS)
MIN_SCRIPT_LETTERS = 2
"""Two letters of a non-Latin script, making most of the letters, are enough
to judge (a CJK character carries a word): ``北京欢迎你`` is checked, not waved
through as too short."""


def _script_language(sample: str) -> str | None:
    """The language of a text written mostly in a non-Latin script, or ``None`` (Latin or undecided).

    Japanese wins over Chinese when kana occur; Cyrillic is returned as
    ``"Cyrillic"`` (the caller asks lingua for Russian/Ukrainian when the
    text is long enough).
    """
    letters = sum(ch.isalpha() for ch in sample)
    if letters < MIN_SCRIPT_LETTERS:
        return None
    counts = [(len(rx.findall(sample)), name) for rx, name in _SCRIPT_RES]
    total = sum(c for c, _ in counts)
    if total < MIN_SCRIPT_LETTERS or total * 2 < letters:
        return None
    kana = counts[0][0]
    if kana:
        return "Japanese"
    return max(counts)[1]


_QUOTE_PAIRS = {"„": "“", "»": "«", "«": "»", "\"": "\"", "“": "”"}


def _quoted_mask(line: str) -> list[bool]:
    """Which characters of ``line`` lie inside quotation marks (``„…“``, ``»…«``, ``"…"``, ``“…”``)."""
    mask = [False] * len(line)
    i = 0
    while i < len(line):
        close = _QUOTE_PAIRS.get(line[i])
        if close is None:
            i += 1
            continue
        j = line.find(close, i + 1)
        if j < 0:
            break
        for k in range(i + 1, j):
            mask[k] = True
        i = j + 1
    return mask


def _judged_sentences(sample: str, *, skip_quoted: bool = False) -> Iterator[str]:
    """The sentences of ``sample`` that are judged one by one (dewire's segmenter, inside each line).

    Sentences with fewer than :data:`MIN_LINE_LETTERS` letters are left out,
    and with ``skip_quoted`` also those mostly inside quotation marks (news
    quotes foreign speech; that is no mixed input).
    """
    from translate.segment import sentence_spans

    pos = 0
    for line in sample.split("\n"):
        start, pos = pos, pos + len(line) + 1
        mask = _quoted_mask(line) if skip_quoted else None
        for a, b in sentence_spans(sample, start, start + len(line)):
            sentence = sample[a:b]
            letters = sum(ch.isalpha() for ch in sentence)
            if letters < MIN_LINE_LETTERS:
                continue
            if mask is not None:
                quoted = sum(1 for k in range(a - start, b - start) if mask[k] and sample[start + k].isalpha())
                if quoted * 2 > letters:
                    continue
            yield sentence


def _words_by_language(sample: str, detector, *, skip_quoted: bool = False) -> dict[str, int]:
    """Words per language, deciding sentence by sentence.

    Each sentence (:func:`_judged_sentences`) is classified on its own and its
    words counted for the winning language. Word-level segmentation (lingua's
    ``detect_multiple_languages_of``) flips short runs of German words to
    Dutch or Swedish in low-accuracy mode (measured: a five-line German
    tenancy notice came out "35 % Dutch"); whole lines are long enough for the
    trigram models (every sentence of that notice: German, confidence 1.0),
    and an English sentence quoted in a German paragraph is still found.
    """
    words: dict[str, int] = {}
    for sentence in _judged_sentences(sample, skip_quoted=skip_quoted):
        values = detector.compute_language_confidence_values(sentence)
        if values:
            name = values[0].language.name.capitalize()
            words[name] = words.get(name, 0) + len(sentence.split())
    return words


GERMAN_MARKERS = frozenset(
    "und nicht ist sich auf für mit dem des eine einen einem einer eines wird wurde wurden sind haben werden "
    "noch über auch dass oder aber wenn nur schon bei vom zum zur nach sei seien hatte hatten ihre ihren "
    "sowie gegen unter zwischen".split()
)
"""German function words that the other languages lingua is asked about here do not spell the same way
(none of ``die``/``der``/``den``/``das``/``in``/``an``/``am``/``als``/``wie``/``so``/``was``/``will``/``war``/
``man``/``es``/``er``/``um``/``von``, which English, Dutch or the Scandinavian languages share). A longer list
(``im``, ``zu``, ``ich``, ``kann``, …) made the fast path decide 3 of 5,507 corpus texts differently from lingua."""

MIN_MARKERS = 3
"""Distinct :data:`GERMAN_MARKERS` that make a sentence clearly German without asking lingua."""

_WORD_RE = re.compile(r"[^\W\d_]+")


def _clearly_german(sample: str) -> bool:
    """True when the per-sentence vote of :func:`detect_language` cannot come out other than German without a warning.

    A sentence with at least :data:`MIN_MARKERS` distinct German function
    words counts as German (lingua agrees on all but 2 of 7,256 such
    sentences of ``../shared/corpus``, both German with an English title
    inside; ``benchmarks/language_fast_path.py``, which also finds all
    5,507 corpus texts decided as lingua alone decides them; with
    ``MIN_MARKERS = 2``, 3 differed); the words of every other judged
    sentence are counted as if one other language had them all. When the German words still outnumber them and they can
    make no ``mixes German with …`` warning (fewer than
    :data:`MIXED_MIN_WORDS` or under :data:`MIXED_SHARE` of the words), lingua
    cannot change the result, and its models (the largest part of a
    one-article run's language check) are not loaded.
    """
    german = other = 0
    for sentence in _judged_sentences(sample, skip_quoted=True):
        n = len(sentence.split())
        if len(GERMAN_MARKERS.intersection(_WORD_RE.findall(sentence.lower()))) >= MIN_MARKERS:
            german += n
        else:
            other += n
    total = german + other
    return german > other and (other < MIXED_MIN_WORDS or other / total < MIXED_SHARE)


def detect_language(text: str) -> LanguageFinding:
    """Decide whether ``text`` is German.

    Args:
        text: normalized source text (any length; a bounded sample is examined).

    Returns:
        A :class:`LanguageFinding`; ``warning`` is set when the main language is
        not German (``input looks like English, not German``) or when another
        language covers a large share of the words (``input mixes German with
        English (about 40% of words)``).
    """
    sample = _sample(text)
    script = _script_language(sample)
    letters = sum(ch.isalpha() for ch in sample)
    if script is not None and (script != "Cyrillic" or letters < MIN_LETTERS):
        name = "Russian" if script == "Cyrillic" else script
        return LanguageFinding(name, 1.0, f"input looks like {name}, not German")
    if letters < MIN_LETTERS:
        return LanguageFinding(None)
    if _clearly_german(sample):
        return LanguageFinding("German", 1.0)
    detector = _detector()
    values = detector.compute_language_confidence_values(sample)
    if not values:
        return LanguageFinding(None)
    top = values[0]
    name = top.language.name.capitalize()
    words = _words_by_language(sample, detector, skip_quoted=True)
    if name != "German":
        # the whole sample leans elsewhere (a long quotation in a short article):
        # German still wins when most words outside quotations are German
        if not words or max(words, key=words.get) != "German":  # type: ignore[arg-type]
            return LanguageFinding(name, top.value, f"input looks like {name}, not German")
        name = "German"
    total = sum(words.values()) or 1
    others = sorted(((n, c) for n, c in words.items() if n != "German"), key=lambda x: -x[1])
    if others and others[0][1] >= MIXED_MIN_WORDS and others[0][1] / total >= MIXED_SHARE:
        other, count = others[0]
        share = round(100 * count / total)
        return LanguageFinding(name, top.value, f"input mixes German with {other} (about {share}% of words)")
    return LanguageFinding(name, top.value)
