"""``dewire eval``: translate a line-aligned test set and score it with BLEU and chrF.

A test set is two files with one segment per line: the German source and a
human English reference (line N of one matches line N of the other), as WMT
publishes them (``newstest2019.de-en.de`` / ``.en``). :func:`evaluate`
translates the source the way ``dewire translate`` does — the same backend,
batching, splitting of over-long sentences, pass-through of segments without
letters, repetition retry, flags and cache — and scores the hypotheses against
the reference with sacrebleu (Post 2018, "A Call for Clarity in Reporting BLEU
Scores", WMT), whose signature is printed with every score so that numbers
can be compared with published ones (e.g. the opus-mt-de-en model card's
newstest2019 BLEU).

Two ways to feed lines to the model:

* ``segment=True`` (default): each line is cut into sentences with dewire's
  segmenter (:func:`translate.segment.sentence_spans`), the sentences are
  translated, and the line's hypothesis is their targets joined by a space —
  what ``dewire translate`` does to an article, so the score measures the tool.
* ``segment=False`` (``--whole-lines``): each line is one segment, as in
  WMT and model-card evaluations (lines longer than the model's limit are
  still split, never truncated).

Lines are decoded like any dewire input (encoding detection, NFC, CRLF, odd
spaces and control characters cleaned: :func:`translate.reading.clean_characters`)
but never re-wrapped or joined, so the line alignment is kept. An empty source
line gets an empty hypothesis.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from translate.document import FLAG_PASSTHROUGH, Document, Paragraph, Sentence, TranslationStats
from translate.errors import InputError
from translate.events import EventFn
from translate.reading import DEFAULT_MAX_BYTES, clean_characters, decode, display_name, read_bytes

if TYPE_CHECKING:
    from translate.pipeline import Pipeline


@dataclass(frozen=True, slots=True)
class EvalSet:
    """A line-aligned test set.

    Attributes:
        source: German lines (cleaned, stripped), length n.
        reference: English reference lines, length n.
        source_name: display name of the source file.
        reference_name: display name of the reference file.
        warnings: decoding warnings of both files.
    """

    source: tuple[str, ...]
    reference: tuple[str, ...]
    source_name: str
    reference_name: str
    warnings: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.source)


@dataclass(frozen=True, slots=True)
class Scores:
    """Corpus-level scores of hypotheses against one reference (sacrebleu).

    Attributes:
        bleu: BLEU, 0–100 (sacrebleu defaults: 13a tokenization, mixed case,
            exponential smoothing).
        chrf: chrF, 0–100 (character 6-grams, β = 2; Popović 2015).
        bleu_signature: sacrebleu's BLEU signature, e.g.
            ``nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1``.
        chrf_signature: sacrebleu's chrF signature.
        bleu_detail: sacrebleu's full BLEU line (n-gram precisions, brevity
            penalty, length ratio).
    """

    bleu: float
    chrf: float
    bleu_signature: str
    chrf_signature: str
    bleu_detail: str


@dataclass(frozen=True, slots=True)
class EvalResult:
    """What :func:`evaluate` measured.

    Attributes:
        hypotheses: one English line per source line (``""`` for empty lines).
        scores: BLEU and chrF of ``hypotheses`` against the reference.
        lines: number of lines.
        sentences: segments translated (sentences, or lines with ``segment=False``).
        seconds: wall-clock seconds of the translation (model loading included
            when it happened during the call).
        flags: flag → number of segments carrying it (``passthrough`` included).
        translation: the translate stage's statistics for the run (model
            calls, cache hits …).
        warnings: warnings of the translation (e.g. the cache switched off).
        source_name, reference_name: display names of the test set's files.
        segment: whether lines were cut into sentences.
        model, revision, backend, beams: the translator that made the hypotheses.
    """

    hypotheses: tuple[str, ...]
    scores: Scores
    lines: int
    sentences: int
    seconds: float
    flags: dict[str, int] = field(default_factory=dict)
    translation: TranslationStats = field(default_factory=TranslationStats)
    warnings: tuple[str, ...] = ()
    source_name: str = "source"
    reference_name: str = "reference"
    segment: bool = True
    model: str | None = None
    revision: str | None = None
    backend: str | None = None
    beams: int | None = None

    def summary(self) -> dict[str, Any]:
        """The results as one JSON-able mapping (``dewire eval --json``)."""
        return {
            "source": self.source_name,
            "reference": self.reference_name,
            "lines": self.lines,
            "segments": self.sentences,
            "segmentation": "sentences" if self.segment else "whole lines",
            "bleu": round(self.scores.bleu, 2),
            "bleu_signature": self.scores.bleu_signature,
            "chrf": round(self.scores.chrf, 2),
            "chrf_signature": self.scores.chrf_signature,
            "bleu_detail": self.scores.bleu_detail,
            "seconds": round(self.seconds, 2),
            "segments_per_second": round(self.sentences / self.seconds, 2) if self.seconds > 0 else None,
            "flags": self.flags,
            "model": self.model,
            "revision": self.revision,
            "backend": self.backend,
            "beams": self.beams,
            "cache_hits": self.translation.cache_hits,
        }

    def report(self) -> str:
        """The results as the lines ``dewire eval`` prints (five lines, each ending in a newline)."""
        flags = ", ".join(f"{k} {v}" for k, v in self.flags.items()) or "none"
        per_second = self.summary()["segments_per_second"]
        rate = f"{per_second} {'sentences' if self.segment else 'segments'}/s" if per_second else "-"
        return (
            f"{self.source_name}: {self.lines} lines → {self.sentences} "
            f"{'sentences' if self.segment else 'segments (whole lines)'}, translated in {self.seconds:.1f} s ({rate})\n"
            f"model {self.model}@{self.revision or '?'} · backend {self.backend} · beam {self.beams} · flags: {flags}\n"
            f"BLEU = {self.scores.bleu:.2f}  {self.scores.bleu_signature}\n"
            f"chrF = {self.scores.chrf:.2f}  {self.scores.chrf_signature}\n"
            f"BLEU details: {self.scores.bleu_detail.split(' ', 3)[-1]}\n"
        )

    def write_hypotheses(self, path: str | os.PathLike[str]) -> None:
        """Write the hypotheses, one per line, to ``path`` atomically.

        Raises:
            OutputError: it cannot be written.
        """
        from pathlib import Path

        from translate.writers.atomic import atomic_write_text

        atomic_write_text(Path(path), self.hypotheses_text())

    def hypotheses_text(self) -> str:
        """The hypotheses, one per line (each line ends in a newline)."""
        return "".join(h + "\n" for h in self.hypotheses)


def read_lines(path: str | os.PathLike[str], *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> tuple[list[str], list[str]]:
    """Read a line-aligned file: one segment per line, alignment kept.

    Args:
        path: the file.
        max_bytes: the largest file accepted, in bytes (``None``: no limit).

    Returns:
        ``(lines, warnings)``: the lines (split at LF, CRLF or CR only),
        cleaned (:func:`~translate.reading.clean_characters`) with runs of
        white space collapsed to one space and stripped; a final line break
        does not add an empty line.

    Raises:
        InputError: missing, a directory, unreadable, over ``max_bytes``,
            binary, or empty — one line naming the file.
    """
    name = display_name(path)
    data = read_bytes(path, name, max_bytes)
    if not data.strip():
        raise InputError(f"{name} is empty")
    text, _, warnings = decode(data, name)
    # Lines end at LF, CRLF or CR only (as sacrebleu and `wc -l` count them);
    # U+2028/U+2029, NEL, FF, VT inside a line are white space within it, not
    # line breaks, or the alignment with the reference would shift.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [" ".join(clean_characters(line).split()) for line in lines], warnings


def load_eval_set(
    source: str | os.PathLike[str],
    reference: str | os.PathLike[str],
    *,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    limit: int | None = None,
) -> EvalSet:
    """Read a source and a reference file and check they are line-aligned.

    Args:
        source: the German file.
        reference: the English reference file.
        max_bytes: the largest file accepted, per file.
        limit: keep only the first ``limit`` lines (a quick check).

    Raises:
        InputError: a file cannot be read (see :func:`read_lines`), or the
            two files have different numbers of lines.
    """
    src_lines, src_warnings = read_lines(source, max_bytes=max_bytes)
    ref_lines, ref_warnings = read_lines(reference, max_bytes=max_bytes)
    src_name, ref_name = display_name(source), display_name(reference)
    if len(src_lines) != len(ref_lines):
        raise InputError(
            f"{src_name} has {len(src_lines)} lines but {ref_name} has {len(ref_lines)}: "
            "a test set must be line-aligned (line N of the source matches line N of the reference)"
        )
    if limit is not None:
        src_lines, ref_lines = src_lines[:limit], ref_lines[:limit]
    return EvalSet(tuple(src_lines), tuple(ref_lines), src_name, ref_name, tuple(src_warnings + ref_warnings))


def eval_document(lines: Sequence[str], *, segment: bool = True, name: str = "test set") -> tuple[Document, list[int | None]]:
    """One :class:`Document` holding the non-empty lines, one paragraph each.

    Args:
        lines: the source lines.
        segment: cut each line into sentences (else one sentence per line).
        name: the document name.

    Returns:
        ``(doc, paragraph_of_line)``: ``paragraph_of_line[i]`` is the
        paragraph index of line ``i``, or ``None`` for an empty line. The text
        is the non-empty lines joined by blank lines, so spans are exact.
    """
    from translate.segment import is_passthrough, sentence_spans

    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    where: list[int | None] = []
    offset = 0
    next_id = 0
    for line in lines:
        if not line:
            where.append(None)
            continue
        if parts:
            offset += 2  # the blank line between paragraphs
        start, end = offset, offset + len(line)
        spans = sentence_spans(line, 0, len(line)) if segment else [(0, len(line))]
        sentences = []
        for a, b in spans:
            text = line[a:b]
            sentences.append(
                Sentence(id=next_id, source=text, span=(start + a, start + b), passthrough=is_passthrough(text))
            )
            next_id += 1
        where.append(len(paragraphs))
        paragraphs.append(Paragraph(index=len(paragraphs), kind="body", span=(start, end), sentences=tuple(sentences)))
        parts.append(line)
        offset = end
    return Document(name=name, path=None, text="\n\n".join(parts), paragraphs=tuple(paragraphs)), where


def line_hypotheses(doc: Document, where: Sequence[int | None]) -> list[str]:
    """The hypothesis of every line: its paragraph's targets joined by a space (``""`` for empty lines)."""
    out: list[str] = []
    for p in where:
        if p is None:
            out.append("")
            continue
        targets = [(s.target or "").strip() for s in doc.paragraphs[p].sentences]
        out.append(" ".join(t for t in targets if t))
    return out


def score(hypotheses: Sequence[str], references: Sequence[str]) -> Scores:
    """Corpus BLEU and chrF with sacrebleu's default settings.

    Args:
        hypotheses: n system lines.
        references: n reference lines.

    Raises:
        ValueError: the lengths differ.
    """
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(references)} references")
    from sacrebleu.metrics import BLEU, CHRF

    bleu, chrf = BLEU(), CHRF()
    hyps, refs = list(hypotheses), [list(references)]
    b = bleu.corpus_score(hyps, refs)
    c = chrf.corpus_score(hyps, refs)
    return Scores(
        bleu=float(b.score),
        chrf=float(c.score),
        bleu_signature=str(bleu.get_signature()),
        chrf_signature=str(chrf.get_signature()),
        bleu_detail=str(b),
    )


def evaluate(
    eval_set: EvalSet,
    pipeline: "Pipeline",
    *,
    segment: bool = True,
    events: EventFn | None = None,
    prepared: tuple[Document, Sequence[int | None]] | None = None,
) -> EvalResult:
    """Translate ``eval_set.source`` through the pipeline and score it against ``eval_set.reference``.

    The source goes through :meth:`Pipeline.process` (translate → check →
    finish; no brief), exactly as an article does.

    Args:
        eval_set: from :func:`load_eval_set`.
        pipeline: the pipeline whose translator (and settings) to evaluate.
        segment: cut lines into sentences first (see the module docstring).
        events: receives the pipeline's events (progress: sentences translated).
        prepared: :func:`eval_document`'s result for ``eval_set.source`` with
            the same ``segment``, when the caller made it already (e.g. to size
            a progress bar); ``None`` makes it here.

    Returns:
        An :class:`EvalResult`.

    Raises:
        InputError: the source has no non-empty line.
        ModelNotFoundError, ModelLoadError: from the translator.
    """
    doc, where = prepared if prepared is not None else eval_document(eval_set.source, segment=segment, name=eval_set.source_name)
    if not doc.paragraphs:
        raise InputError(f"{eval_set.source_name} has no text to translate (every line is empty)")
    start = time.perf_counter()
    (done,) = pipeline.process([doc], events, brief=False)
    seconds = time.perf_counter() - start
    hyps = line_hypotheses(done, where)
    flags: Counter[str] = Counter()
    for s in done.sentences():
        flags.update(s.flags)
        if s.passthrough and FLAG_PASSTHROUGH not in s.flags:
            flags[FLAG_PASSTHROUGH] += 1
    cfg = pipeline.translator_config
    signature = dict(getattr(pipeline.translator, "signature", {}) or {})
    return EvalResult(
        hypotheses=tuple(hyps),
        scores=score(hyps, eval_set.reference),
        lines=len(eval_set),
        sentences=done.n_sentences,
        seconds=seconds,
        flags=dict(sorted(flags.items())),
        translation=done.meta.translation or TranslationStats(),
        warnings=done.meta.warnings,
        source_name=eval_set.source_name,
        reference_name=eval_set.reference_name,
        segment=segment,
        model=signature.get("model", cfg.model),
        revision=signature.get("revision"),
        backend=signature.get("backend", cfg.backend),
        beams=cfg.beams,
    )
