"""The translate stage: documents in, documents with targets, scores and flags out.

:func:`translate_documents` sits between the document model and a
:class:`~translate.mt.base.Translator` backend. In one run over all documents:

1. **Pass-through.** A sentence the segmenter marked ``passthrough`` (no
   letter: ``***``, ``—``, ``1.``, ``12:30``; or a separator line such as
   ``IV.`` or ``a)``) is copied to the target unchanged, flagged
   ``passthrough``, and never sent to the model (opus-mt invents English for
   such input). The decision is the segmenter's
   (:func:`translate.segment.is_passthrough`); this stage only honours it.
2. **Split.** A sentence over ``cfg.split_tokens`` source tokens is cut at
   clause boundaries (:func:`translate.mt.splitting.split_long`); each piece is
   translated on its own and kept in ``Sentence.pieces``; the sentence target
   is the pieces' targets joined with a space, flagged ``split``.
3. **Deduplicate.** Identical segments (sentences or pieces) are translated once.
4. **Backend calls** over all segments: the backend sorts by length and
   batches by token budget across documents. More than
   :func:`~translate.mt.batching.chunk_size` segments are cut into calls of
   that size, sorted by token length (:func:`~translate.mt.batching.length_chunks`),
   here and not in the cache, so that the model sees the same batches with or
   without the translation cache (and the cache stores each call's results
   before the next one).
5. **Repetition retry.** A hypothesis caught in a loop
   (:func:`translate.mt.flags.has_repetition`) is translated again with
   ``translate_batch(..., retry=True)`` (``no_repeat_ngram_size`` 3,
   ``repetition_penalty`` 1.2). The retried hypothesis replaces the first one;
   if it still loops, the sentence is flagged ``repetition``.
6. **Flags and scores** (:mod:`translate.mt.flags`): ``low-confidence``,
   ``repetition``, ``untranslated``, ``length-ratio``. A split sentence's score
   is the token-weighted mean of its pieces' scores (weights: target tokens
   + EOS, the unit the per-token scores average over).

The reader-trust checks (``number-mismatch``, ``name-mismatch``, ``omission``,
``term-mismatch``, :mod:`translate.checks`) are the next stage,
:meth:`translate.pipeline.Pipeline.check`, not part of translation.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from translate.config import TranslatorConfig
from translate.document import (
    FLAG_LENGTH_RATIO,
    FLAG_LOW_CONFIDENCE,
    FLAG_PASSTHROUGH,
    FLAG_REPETITION,
    FLAG_SPLIT,
    FLAG_UNTRANSLATED,
    Document,
    Piece,
    Sentence,
    TranslationStats,
)
from translate.mt.base import Hypothesis, ProgressFn, ScaledProgress, Translator
from translate.mt.batching import chunk_size, length_chunks
from translate.mt.flags import has_repetition, hypothesis_flags, order_flags
from translate.mt.splitting import split_long
from translate.segment import is_passthrough

OUR_FLAGS = frozenset({FLAG_LOW_CONFIDENCE, FLAG_REPETITION, FLAG_UNTRANSLATED, FLAG_LENGTH_RATIO, FLAG_SPLIT, FLAG_PASSTHROUGH})
"""The flags this stage sets; it replaces them on every run and keeps any other (a check's)."""


@dataclass(slots=True)
class _Plan:
    """How one sentence is translated: pass-through, one segment, or pieces."""

    sentence: Sentence
    kind: str  # "passthrough" | "whole" | "split"
    unit: int = -1  # segment index for "whole"
    pieces: list[tuple[tuple[int, int], int]] = dataclasses.field(default_factory=list)  # (span in sentence, unit or -1)


class _Units:
    """Unique source segments, in first-seen order."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, source: str) -> int:
        i = self._index.get(source)
        if i is None:
            i = self._index[source] = len(self.sources)
            self.sources.append(source)
        return i


def _weighted_score(pieces: Sequence[tuple[Hypothesis, int]]) -> float | None:
    num = den = 0.0
    for hyp, _ in pieces:
        if hyp.score is None:
            continue
        w = hyp.n_tokens + 1  # + EOS: scores are means over generated tokens incl. EOS
        num += hyp.score * w
        den += w
    return num / den if den else None


def _translate_in_calls(
    translator: Translator, sources: Sequence[str], cfg: TranslatorConfig, *, retry: bool, progress: ProgressFn | None
) -> list[Hypothesis]:
    """``translator.translate_batch`` over ``sources`` in calls of at most :func:`chunk_size` segments.

    Returns:
        ``list[Hypothesis]`` of length ``len(sources)``, in order.

    Raises:
        RuntimeError: the backend returned a wrong number of hypotheses.
    """
    size = chunk_size(cfg.max_batch_sentences)
    mode: dict[str, Any] = {"retry": True} if retry else {}
    if len(sources) <= size:
        return list(translator.translate_batch(sources, progress=progress, **mode))
    out: list[Hypothesis | None] = [None] * len(sources)
    for call in length_chunks(translator.count_tokens(list(sources)), size):
        part = translator.translate_batch([sources[i] for i in call], progress=progress, **mode)
        if len(part) != len(call):
            raise RuntimeError(f"translator returned {len(part)} hypotheses for {len(call)} segments")
        for i, h in zip(call, part):
            out[i] = h
    return [h for h in out if h is not None]


def translate_documents(
    docs: Sequence[Document],
    translator: Translator,
    cfg: TranslatorConfig,
    *,
    progress: Callable[[int], None] | None = None,
    on_retry: Callable[[int], Callable[[int], None] | None] | None = None,
) -> list[Document]:
    """Translate every sentence of ``docs`` (see the module docstring for the steps).

    Args:
        docs: segmented documents (targets may be unset).
        translator: the backend, usually a :class:`~translate.mt.cache.CachedTranslator`.
        cfg: the translator settings (``split_tokens``, ``low_confidence``).
        progress: called with the number of sentences just finished; the
            calls sum to the total number of sentences. Pass-through sentences
            are reported first; translated ones as the backend finishes
            batches (in proportion, as duplicates and pieces make segments
            and sentences differ).
        on_retry: called once, before the repetition-retry pass (step 5),
            with the number of segments translated again; it may return a
            progress callback for that pass (called with segments just
            finished), so that a display shows the pass instead of sitting at 100 %.

    Returns:
        New documents, same order and sentences, every sentence with a
        ``target`` (``""`` only for an empty source); ``meta.translation``
        holds the translator's signature and statistics
        (:class:`~translate.document.TranslationStats`). Warnings of the
        translator (a cache switched off) are appended to ``meta.warnings``.

    Raises:
        ValueError: a backend rejected a segment as too long (a bug: pieces
            are cut below ``split_tokens``).
    """
    start = time.perf_counter()
    calls_before = getattr(translator, "model_calls", None)
    hits_before = getattr(translator, "hits", None)
    misses_before = getattr(translator, "misses", None)
    warnings_before = len(getattr(translator, "warnings", []) or [])
    limit = min(cfg.split_tokens, translator.max_input_tokens)

    # 1. Plan every sentence.
    plans: list[list[_Plan]] = []
    to_count: dict[str, int] = {}
    for doc in docs:
        for s in doc.sentences():
            text = s.source.strip()
            if not (s.passthrough or not text):
                to_count.setdefault(text, 0)
    texts = list(to_count)
    for text, n in zip(texts, translator.count_tokens(texts)):
        to_count[text] = n

    def count_one(text: str) -> int:
        return translator.count_tokens([text])[0]

    units = _Units()
    for doc in docs:
        doc_plans: list[_Plan] = []
        for s in doc.sentences():
            text = s.source.strip()
            if s.passthrough or not text:
                doc_plans.append(_Plan(s, "passthrough"))
            elif to_count[text] <= limit:
                doc_plans.append(_Plan(s, "whole", unit=units.add(text)))
            else:
                offset = len(s.source) - len(s.source.lstrip())
                plan = _Plan(s, "split")
                for a, b in split_long(text, count_one, limit):
                    piece = text[a:b]
                    unit = -1 if is_passthrough(piece) else units.add(piece)
                    plan.pieces.append(((offset + a, offset + b), unit))
                doc_plans.append(plan)
        plans.append(doc_plans)

    total = sum(len(p) for p in plans)
    n_pass = sum(p.kind == "passthrough" for dp in plans for p in dp)
    if progress is not None and n_pass:
        progress(n_pass)

    # 2. One call for everything, then the repetition retry.
    hyps: list[Hypothesis] = []
    looped: list[bool] = []
    translate_calls = 0
    retried: set[int] = set()
    if units.sources:
        scaled = ScaledProgress(progress, len(units.sources), total - n_pass) if progress is not None else None
        hyps = _translate_in_calls(translator, units.sources, cfg, retry=False, progress=scaled)
        translate_calls += 1
        if len(hyps) != len(units.sources):
            raise RuntimeError(f"translator returned {len(hyps)} hypotheses for {len(units.sources)} segments")
        looped = [has_repetition(h.text, src) for h, src in zip(hyps, units.sources)]
        again = [i for i, bad in enumerate(looped) if bad]
        if again:
            retry_progress = on_retry(len(again)) if on_retry is not None else None
            second = _translate_in_calls(translator, [units.sources[i] for i in again], cfg, retry=True, progress=retry_progress)
            translate_calls += 1
            if len(second) != len(again):
                raise RuntimeError(f"translator returned {len(second)} hypotheses for {len(again)} retried segments")
            for i, h in zip(again, second):
                hyps[i] = h
                looped[i] = has_repetition(h.text, units.sources[i])
            retried.update(again)
        if scaled is not None:
            scaled.finish()

    # 3. Assemble sentences, flags and metadata.
    run_seconds = time.perf_counter() - start
    calls_after = getattr(translator, "model_calls", None)
    run_stats: dict[str, Any] = {
        "documents": len(docs),
        "segments": len(units.sources),
        "translate_calls": translate_calls,
        "model_calls": (calls_after - calls_before) if isinstance(calls_before, int) and isinstance(calls_after, int) else None,
        "seconds": round(run_seconds, 3),
    }
    if isinstance(hits_before, int) and isinstance(misses_before, int):
        run_stats["cache_hits"] = getattr(translator, "hits") - hits_before
        run_stats["cache_misses"] = getattr(translator, "misses") - misses_before
    new_warnings = list((getattr(translator, "warnings", []) or [])[warnings_before:])
    signature = dict(translator.signature)

    out: list[Document] = []
    for doc, doc_plans in zip(docs, plans):
        updates: dict[int, Sentence] = {}
        n_retried = 0
        for plan in doc_plans:
            s = plan.sentence
            kept = [f for f in s.flags if f not in OUR_FLAGS]
            if plan.kind == "passthrough":
                updates[s.id] = dataclasses.replace(
                    s, target=s.source, score=None, flags=order_flags([*kept, FLAG_PASSTHROUGH]), pieces=(), passthrough=True
                )
                continue
            if plan.kind == "whole":
                h = hyps[plan.unit]
                n_retried += plan.unit in retried
                flags = hypothesis_flags(s.source, h.text, h.score, low_confidence=cfg.low_confidence, repetition=looped[plan.unit])
                updates[s.id] = dataclasses.replace(
                    s, target=h.text, score=h.score, flags=order_flags([*kept, *flags]), pieces=(), passthrough=False
                )
                continue
            pieces: list[Piece] = []
            scored: list[tuple[Hypothesis, int]] = []
            loop = False
            for (a, b), unit in plan.pieces:
                src = s.source[a:b]
                span = (s.span[0] + a, s.span[0] + b)
                if unit < 0:
                    pieces.append(Piece(source=src, span=span, target=src, score=None))
                    continue
                h = hyps[unit]
                n_retried += unit in retried
                loop = loop or looped[unit]
                scored.append((h, unit))
                pieces.append(Piece(source=src, span=span, target=h.text, score=h.score))
            target = " ".join(p.target for p in pieces if p.target)
            score = _weighted_score(scored)
            flags = hypothesis_flags(s.source, target, score, low_confidence=cfg.low_confidence, repetition=loop)
            updates[s.id] = dataclasses.replace(
                s,
                target=target,
                score=score,
                flags=order_flags([*kept, FLAG_SPLIT, *flags]),
                pieces=tuple(pieces),
                passthrough=False,
            )
        new_doc = doc.with_targets(updates)
        flagged = Counter(f for s in new_doc.sentences() for f in s.flags)
        stats = TranslationStats(
            signature=signature,
            sentences=new_doc.n_sentences,
            passthrough=sum(p.kind == "passthrough" for p in doc_plans),
            split=sum(p.kind == "split" for p in doc_plans),
            retried=n_retried,
            flagged=dict(sorted(flagged.items())),
            **run_stats,
        )
        out.append(new_doc.with_meta(translation=stats, warnings=(*doc.meta.warnings, *new_warnings)))
    return out
