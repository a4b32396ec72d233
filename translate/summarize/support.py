"""Traceability of brief bullets: which sentences support a bullet, and what it invents.

Every bullet of the brief records the ids of the sentences that support it
(``BriefBullet.support``; the same ids as the ``sentence`` field of
``aligned.jsonl``, so the report can highlight the English sentence and its
German partner). An extractive bullet is its own support. An abstractive
bullet is matched to the English sentences of the document by token overlap:

* :func:`find_support` — greedy cover of the bullet's content terms
  (idf-weighted) by at most ``k`` sentences: first the sentence covering the
  most, then any sentence that adds at least :data:`MIN_ADDED_COVERAGE`.
* :func:`unsupported_terms` — the bullet's key terms (numbers, names; see
  :func:`translate.summarize.words.key_terms`) that occur in no translated
  sentence of the document. Numbers and names that appear in a summary but
  nowhere in the article are the classic summarizer hallucination.

:func:`bullet_flags` combines both into the ``unsupported`` flag.
"""

from __future__ import annotations

import math
from typing import Sequence

from translate.document import FLAG_UNSUPPORTED, Document, Sentence
from translate.summarize.words import content_terms, key_terms, vocabulary

MIN_COVERAGE = 0.3
"""The best-matching sentence must cover at least this share of the bullet's
(idf-weighted) content terms to count as support at all."""

MIN_ADDED_COVERAGE = 0.15
"""A further supporting sentence must add at least this share of the bullet's
content terms not covered by the sentences already chosen (an abstractive
sentence often fuses two or three source sentences)."""

MIN_AFFIX_MATCH = 4
"""A name matches a word of the document that it is a prefix of, or that is a
prefix of it, when the shorter has at least this many letters and they differ
by at most :data:`MAX_AFFIX_DIFF` letters (``Russia``/``Russian``,
``German``/``Germany``)."""

MAX_AFFIX_DIFF = 3


def _targets(doc: Document) -> list[Sentence]:
    return [s for s in doc.sentences() if s.target and s.target.strip()]


class SupportIndex:
    """Precomputed term statistics of one document, for many bullets.

    Args:
        doc: a translated document; only sentences with a target are indexed.

    Attributes:
        sentences: the indexed sentences in document order.
        vocabulary: every lower-cased word and number of the English side.
    """

    def __init__(self, doc: Document) -> None:
        self.sentences: list[Sentence] = _targets(doc)
        self._terms: list[frozenset[str]] = [frozenset(content_terms(s.target or "")) for s in self.sentences]
        n = max(len(self.sentences), 1)
        df: dict[str, int] = {}
        for terms in self._terms:
            for t in terms:
                df[t] = df.get(t, 0) + 1
        self._idf = {t: math.log(1.0 + n / c) for t, c in df.items()}
        self._idf_unseen = math.log(1.0 + n)
        self.vocabulary: frozenset[str] = vocabulary([s.target or "" for s in self.sentences])

    def find_support(self, bullet: str, k: int = 3) -> tuple[int, ...]:
        """See :func:`find_support`."""
        terms = set(content_terms(bullet))
        if not terms or k < 1:
            return ()
        weight = {t: self._idf.get(t, self._idf_unseen) for t in terms}
        total = sum(weight.values())
        covered: set[str] = set()
        chosen: list[int] = []
        while len(chosen) < k:
            best_gain, best_i = 0.0, -1
            for i, sent_terms in enumerate(self._terms):
                if self.sentences[i].id in chosen:
                    continue
                gain = sum(weight[t] for t in (terms & sent_terms) - covered) / total
                if gain > best_gain + 1e-12:
                    best_gain, best_i = gain, i
            threshold = MIN_COVERAGE if not chosen else MIN_ADDED_COVERAGE
            if best_i < 0 or best_gain < threshold:
                break
            chosen.append(self.sentences[best_i].id)
            covered |= terms & self._terms[best_i]
        return tuple(chosen)

    def _known(self, term: str) -> bool:
        low = term.lower()
        if low in self.vocabulary:
            return True
        if any(c.isdigit() for c in low):
            return False
        if "-" in low and all(p in self.vocabulary for p in low.split("-") if p):
            return True
        if len(low) < MIN_AFFIX_MATCH:
            return False
        for word in self.vocabulary:
            short, long_ = (word, low) if len(word) <= len(low) else (low, word)
            if len(short) >= MIN_AFFIX_MATCH and len(long_) - len(short) <= MAX_AFFIX_DIFF and long_.startswith(short):
                return True
        return False

    def unsupported_terms(self, bullet: str) -> list[str]:
        """See :func:`unsupported_terms`."""
        return [t for t in key_terms(bullet) if not self._known(t)]

    def flags(self, bullet: str, support: Sequence[int]) -> tuple[str, ...]:
        """See :func:`bullet_flags`."""
        if not support or self.unsupported_terms(bullet):
            return (FLAG_UNSUPPORTED,)
        return ()


def find_support(bullet: str, doc: Document, k: int = 3) -> tuple[int, ...]:
    """The ids of the English sentences of ``doc`` that best support ``bullet``.

    Matching is by token overlap of content terms (stop words removed, light
    stemming, number words as digits), each term weighted by its smoothed idf
    ``log(1 + n / df)`` over the document's n translated sentences (a term the
    document lacks gets the highest weight). A greedy cover picks the sentence
    covering the largest weighted share of the bullet's terms (at least
    :data:`MIN_COVERAGE`), then up to ``k - 1`` more, each adding at least
    :data:`MIN_ADDED_COVERAGE` of terms not yet covered.

    Args:
        bullet: one English brief sentence.
        doc: the translated document.
        k: the most supporting sentences to return (1–3 is typical).

    Returns:
        Sentence ids, strongest first (0 to ``k`` of them); empty when no
        sentence shares enough of the bullet's content words. For a bullet
        that is a sentence of the document, that sentence's id comes first.
    """
    return SupportIndex(doc).find_support(bullet, k)


def unsupported_terms(bullet: str, doc: Document) -> list[str]:
    """Key terms of ``bullet`` (numbers, names) found in no translated sentence of ``doc``.

    A number must appear in the English text with the same digits (``1,000``
    and ``1000`` are the same; ``thirty`` matches ``30``). A name (a capitalized
    word not at the start of the bullet, or an acronym) must appear as a word
    of the English text, case-insensitively; a hyphenated name may appear as
    its parts, and a form differing only by a short ending is accepted
    (``Russian`` for ``Russia``).

    Args:
        bullet: one English brief sentence.
        doc: the translated document.

    Returns:
        The unsupported terms as written in the bullet, in order, without
        repeats; empty when every key term is found.
    """
    return SupportIndex(doc).unsupported_terms(bullet)


def bullet_flags(bullet: str, support: Sequence[int], doc: Document) -> tuple[str, ...]:
    """``("unsupported",)`` when ``support`` is empty or the bullet has unsupported key terms, else ``()``."""
    return SupportIndex(doc).flags(bullet, support)
