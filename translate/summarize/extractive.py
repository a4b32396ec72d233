"""The built-in extractive summarizer: central English sentences, lead-biased.

No model weights, works offline, never invents anything: every bullet *is* one
translated sentence (``Sentence.target``) and its support is that sentence's
id.

Ranking is continuous LexRank (Erkan & Radev 2004, "LexRank: Graph-based
Lexical Centrality as Salience in Text Summarization", JAIR 22): sentences are
nodes, edges are the idf-modified cosine similarity of their content terms,
and a sentence's centrality is its stationary probability in a random walk
over that graph (PageRank with damping 0.85, as in the paper's
"continuous LexRank"). News puts the most important facts first (the
"inverted pyramid"; lead-3 is a strong baseline on CNN/DailyMail, See et al.
2017), so the final score mixes normalized centrality with a lead prior::

    score(i) = (1 - lead_bias) * centrality(i) / max(centrality) + lead_bias / (1 + i)

where ``i`` is the 0-based position of the sentence among the candidates.
Sentences are then taken best-first, skipping near-duplicates of those already
taken, and output in document order.

Why not sumy's ``LexRankSummarizer``: it returns only the chosen sentences (no
scores to mix with a lead prior), its idf ``log(N / (1 + n_j))`` goes negative
on the 7–30-sentence articles dewire summarizes, its power method has no
damping (no convergence guarantee on disconnected graphs), and its default
tokenizer needs NLTK data downloaded at run time. The algorithm is 30 lines of
numpy; sumy's English stop-word list is still used (see
:mod:`translate.summarize.words`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from translate.config import SummarizerConfig
from translate.document import (
    FLAG_PASSTHROUGH,
    FLAG_REPETITION,
    FLAG_UNTRANSLATED,
    Brief,
    BriefBullet,
    Document,
    Sentence,
)
from translate.errors import ConfigError
from translate.summarize.words import content_terms, count_words

CANDIDATE_KINDS: frozenset[str] = frozenset({"body", "list", "dateline"})
"""Paragraph kinds whose sentences may become bullets. Headline (it is the
title), heading, byline, caption and separator paragraphs never do; a
dateline-only fragment (``SEOUL (Reuters) –``) fails the length rule."""

MIN_WORDS = 6
"""A bullet candidate has at least this many words (drops fragments, bylines,
credits such as ``KCNA via Reuters``). Relaxed to :data:`MIN_WORDS_RELAXED`
when too few sentences qualify."""

MIN_WORDS_RELAXED = 3

MIN_BULLETS = 3
"""The brief has 3–5 bullets (dewire's brief format: short enough to read first). When fewer than ``min(n_bullets, 3)``
sentences pass the strict candidate rules, the relaxed rules are used; above
that, a shorter brief of full sentences is preferred to padding it with
fragments."""

MAX_RANKED = 1000
"""At most this many candidates (the first, in document order) are ranked.
LexRank builds an n × n similarity matrix (and an n × vocabulary term
matrix), quadratic in memory and time: 17,800 sentences (a 2 MB file) took
10 GB and two minutes. News articles have 7–70 sentences, far below the cap;
for longer inputs the lead prior already makes sentences past the first few
hundred unlikely bullets, and a warning says the brief looked only at the
first ``MAX_RANKED`` candidates."""

BAD_FLAGS: frozenset[str] = frozenset({FLAG_PASSTHROUGH, FLAG_REPETITION, FLAG_UNTRANSLATED})
"""Sentences whose translation carries one of these flags are not preferred as
bullets (looping or untranslated output reads badly in a brief); they are used
only when too few other sentences qualify."""

DAMPING = 0.85
"""PageRank damping factor (Brin & Page 1998; Erkan & Radev 2004 use the same)."""

NEAR_DUPLICATE = 0.7
"""Two sentences are near-duplicates when the overlap coefficient of their
content-term sets, ``|A ∩ B| / min(|A|, |B|)``, is at least this (catches a
sentence repeated, or contained in a longer one, e.g. a lead and its restatement)."""

_NON_BULLET_RE = re.compile(r"^\s*(?:©|\(c\)\s|photo:|foto:|source:|quelle:)", re.IGNORECASE)
"""Caption/credit lines that a segmenter may have left in a body paragraph."""


@dataclass(frozen=True, slots=True)
class RankedSentence:
    """A candidate sentence with its scores (for inspection and benchmarks).

    Attributes:
        id: the sentence id.
        position: 0-based position among the candidates (document order).
        centrality: LexRank stationary probability (sums to 1 over candidates).
        score: the final, lead-biased score in ``[0, 1]``.
    """

    id: int
    position: int
    centrality: float
    score: float


def headline_title(doc: Document) -> str | None:
    """The translated headline: targets of the first ``headline`` paragraph, joined.

    Returns:
        The title, or ``None`` if the document has no headline paragraph (or it
        is untranslated).
    """
    for paragraph in doc.paragraphs:
        if paragraph.kind == "headline":
            parts = [s.target.strip() for s in paragraph.sentences if s.target and s.target.strip()]
            return " ".join(parts) or None
    return None


def candidate_sentences(doc: Document, *, relaxed: bool = False) -> list[Sentence]:
    """Sentences that may become bullets, in document order.

    Strict rules: the paragraph kind is in :data:`CANDIDATE_KINDS`; the sentence
    is translated, not pass-through, has no flag in :data:`BAD_FLAGS`, has at
    least :data:`MIN_WORDS` words and does not start like a credit (``©``).
    Relaxed rules (``relaxed=True``): any paragraph but headline, byline,
    caption and separator; at least :data:`MIN_WORDS_RELAXED` words; flags
    allowed (pass-through still excluded).
    """
    kinds = CANDIDATE_KINDS | ({"heading"} if relaxed else frozenset())
    min_words = MIN_WORDS_RELAXED if relaxed else MIN_WORDS
    out: list[Sentence] = []
    for paragraph in doc.paragraphs:
        if paragraph.kind not in kinds:
            continue
        for s in paragraph.sentences:
            target = (s.target or "").strip()
            if not target or s.passthrough or FLAG_PASSTHROUGH in s.flags:
                continue
            if not relaxed and (BAD_FLAGS.intersection(s.flags) or _NON_BULLET_RE.match(target)):
                continue
            if count_words(target) < min_words or not content_terms(target):
                continue
            out.append(s)
    return out


def lexrank(term_lists: Sequence[Sequence[str]], damping: float = DAMPING, tol: float = 1e-10) -> list[float]:
    """Continuous LexRank centrality of sentences given their content terms.

    Args:
        term_lists: one list of (stemmed, stop-word-free) terms per sentence;
            length n.
        damping: PageRank damping factor.
        tol: L1 convergence tolerance of the power iteration.

    Returns:
        n centrality scores summing to 1 (uniform if no two sentences share a
        term). Follows Erkan & Radev (2004), §3.3: idf-modified cosine
        similarity, rows normalized, damping ``d`` with uniform teleport. idf is
        the smoothed ``log(1 + n / df)`` so that it stays positive on short
        articles.
    """
    import numpy as np

    n = len(term_lists)
    if n == 0:
        return []
    if n == 1:
        return [1.0]
    df: dict[str, int] = {}
    for terms in term_lists:
        for t in set(terms):
            df[t] = df.get(t, 0) + 1
    vocab = {t: j for j, t in enumerate(sorted(df))}
    idf = np.array([math.log(1.0 + n / df[t]) for t in sorted(df)])
    tf = np.zeros((n, len(vocab)))
    for i, terms in enumerate(term_lists):
        for t in terms:
            tf[i, vocab[t]] += 1.0
    vectors = tf * idf
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    unit = vectors / norms[:, None]
    sim = unit @ unit.T
    np.fill_diagonal(sim, 0.0)
    row_sums = sim.sum(axis=1)
    transition = np.where(row_sums[:, None] > 0, sim / np.where(row_sums > 0, row_sums, 1.0)[:, None], 1.0 / n)
    p = np.full(n, 1.0 / n)
    for _ in range(1000):
        nxt = (1.0 - damping) / n + damping * (p @ transition)
        if np.abs(nxt - p).sum() < tol:
            p = nxt
            break
        p = nxt
    p = p / p.sum()
    return [float(x) for x in p]


def overlap_coefficient(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    """``|a ∩ b| / min(|a|, |b|)``; 0 when either set is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


class ExtractiveSummarizer:
    """Lead-biased LexRank over the English sentences; bullets are whole sentences.

    Args:
        cfg: the summarizer's settings (``sentences`` = default bullet count,
            ``lead_bias`` = weight of the lead prior in ``[0, 1]``).
        name: the name recorded in the brief (the models.yaml key).

    Attributes:
        name: as given.
        last_ranking: the candidates of the last :meth:`summarize` call with
            their scores, in document order (for inspection and benchmarks).
        last_warnings: warnings of the last call (e.g. relaxed candidate rules).
    """

    def __init__(self, cfg: SummarizerConfig, *, name: str = "extractive") -> None:
        self.cfg = cfg
        self.name = name
        self.last_ranking: tuple[RankedSentence, ...] = ()
        self.last_warnings: tuple[str, ...] = ()

    @property
    def signature(self) -> Mapping[str, str]:
        """Settings that determine the output (for the reproducibility signature)."""
        return {"summarizer": self.name, "kind": "extractive", "method": "lexrank", "lead_bias": f"{self.cfg.lead_bias:g}"}

    def rank(self, sentences: Sequence[Sentence]) -> list[RankedSentence]:
        """Score ``sentences`` (document order) by lead-biased LexRank.

        Returns:
            One :class:`RankedSentence` per input, in input order.
        """
        terms = [content_terms(s.target or "") for s in sentences]
        centrality = lexrank(terms)
        top = max(centrality, default=1.0) or 1.0
        lam = self.cfg.lead_bias
        return [
            RankedSentence(s.id, i, c, (1.0 - lam) * c / top + lam / (1.0 + i))
            for i, (s, c) in enumerate(zip(sentences, centrality))
        ]

    def summarize(self, doc: Document, n_bullets: int | None = None) -> Brief:
        """Pick the ``n_bullets`` most central sentences (lead-biased), in document order.

        Args:
            doc: a translated document (sentences without a target are skipped).
            n_bullets: bullets wanted; ``None`` uses ``cfg.sentences``. Never
                more than the document has usable, non-duplicate sentences.
                With a word budget (``cfg.words``) this is the most bullets:
                sentences are taken best-first while their words
                (:func:`count_words`) fit, skipping any that would overflow;
                if not even one fits, the best one is taken with a warning.
                Only the first :data:`MAX_RANKED` candidates are ranked
                (bounded memory on huge inputs; a warning says so).

        Returns:
            A :class:`Brief` whose title is the translated headline and whose
            bullets are English sentences of ``doc``, each with
            ``support = (its sentence id,)`` and no flags.

        Raises:
            ConfigError: ``n_bullets`` is below 1.
        """
        n = self.cfg.sentences if n_bullets is None else n_bullets
        if n < 1:
            raise ConfigError(f"summarizer {self.name!r}: the number of brief sentences must be at least 1 (got {n})")
        warnings: list[str] = []
        candidates = candidate_sentences(doc)
        if len(candidates) < min(n, MIN_BULLETS):
            relaxed = candidate_sentences(doc, relaxed=True)
            if len(relaxed) > len(candidates):
                warnings.append(
                    f"brief: only {len(candidates)} full body sentences; also used short or flagged sentences"
                )
                candidates = relaxed
        if len(candidates) > MAX_RANKED:
            warnings.append(
                f"brief: chose among the first {MAX_RANKED} of {len(candidates)} candidate sentences (long document)"
            )
            candidates = candidates[:MAX_RANKED]
        ranking = self.rank(candidates)
        self.last_ranking = tuple(ranking)
        by_id = {s.id: s for s in candidates}
        term_sets = {s.id: frozenset(content_terms(s.target or "")) for s in candidates}
        budget = self.cfg.words
        chosen: list[int] = []
        used = 0
        best_over: int | None = None  # best-ranked sentence that did not fit the budget
        for r in sorted(ranking, key=lambda r: (-r.score, r.position)):
            if len(chosen) == n:
                break
            if any(overlap_coefficient(term_sets[r.id], term_sets[c]) >= NEAR_DUPLICATE for c in chosen):
                continue
            if budget is not None:
                words = count_words(by_id[r.id].target or "")
                if used + words > budget:
                    if best_over is None:
                        best_over = r.id
                    continue  # a shorter, lower-ranked sentence may still fit
                used += words
            chosen.append(r.id)
        if budget is not None and not chosen and best_over is not None:
            chosen.append(best_over)
            over = count_words(by_id[best_over].target or "")
            warnings.append(f"brief: no sentence fits the budget of {budget} words; the brief is one sentence of {over} words")
        bullets = tuple(BriefBullet(text=(by_id[i].target or "").strip(), support=(i,)) for i in sorted(chosen))
        self.last_warnings = tuple(warnings)
        return Brief(title=headline_title(doc), bullets=bullets, summarizer=self.name)
