"""Sentence-boundary benchmark: dewire's segmenter vs pysbd vs a naive regex.

Protocol (issue 3). The WMT test sets in ``../shared/corpus/wmt/`` hold one
reference segment per line, with a document id per line (``.docids``):

* ``newstest2014.de-en.origde.de``: 96 original German news articles;
* ``ntrex128.newstest2019-en-de.de``: 123 articles translated into German.

Each document is rebuilt as running text by joining its lines with a space,
except after a line that ends without sentence-final punctuation (``.``,
``!``, ``?``, ``…``, optionally followed by closing quotes or brackets: a
headline), where a paragraph break (blank line) goes. The reference
boundaries are the ends of the lines (the end of the document excluded); a
system's boundaries are the ends of its sentences (trailing white space
trimmed). Precision, recall and F1 are micro-averaged over all boundaries.

The baselines get the same text, split at its blank lines first (as any
pipeline would): pysbd (``Segmenter(language="de", clean=False)``; an
exception in pysbd counts as "no boundary" for that paragraph, and is
counted: ``(pysbd raised on F of P paragraphs)`` under each set,
``Score.failures``) and the naive splitter ``(?<=[.!?])\\s+``.

Usage::

    python benchmarks/segmentation.py                 # table for both sets
    python benchmarks/segmentation.py --errors 40     # plus dewire's errors
    python benchmarks/segmentation.py --set newstest2014 --errors 100 --system pysbd
    python benchmarks/segmentation.py --scaling       # cost of one huge unpunctuated line

Prints a table: set, system, precision, recall, F1, true/false positives,
false negatives, seconds, and speed relative to pysbd measured in the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "wmt"
SETS: dict[str, str] = {
    "newstest2014": "newstest2014.de-en.origde",
    "ntrex": "ntrex128.newstest2019-en-de",
}
_FINAL = re.compile(r"[.!?…][\"'“”»«’‘)\]]*$")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
_NAIVE = re.compile(r"(?<=[.!?])\s+")

Splitter = Callable[[str], "set[int]"]


@dataclass(frozen=True, slots=True)
class Doc:
    """A rebuilt document: running text and the reference boundary offsets."""

    docid: str
    text: str
    boundaries: frozenset[int]


@dataclass(frozen=True, slots=True)
class Score:
    """Micro-averaged boundary counts and the figures derived from them."""

    tp: int
    fp: int
    fn: int
    seconds: float
    failures: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_docs(corpus: Path, prefix: str) -> list[Doc]:
    """Read ``prefix.de`` and ``prefix.docids`` and rebuild each document (see module docstring)."""
    lines = (corpus / f"{prefix}.de").read_text(encoding="utf-8").split("\n")
    ids = (corpus / f"{prefix}.docids").read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if ids and ids[-1] == "":
        ids.pop()
    if len(lines) != len(ids):
        raise SystemExit(f"{prefix}: {len(lines)} lines but {len(ids)} doc ids")
    grouped: OrderedDict[str, list[str]] = OrderedDict()
    for line, docid in zip(lines, ids):
        grouped.setdefault(docid, []).append(line.strip())
    docs = []
    for docid, segs in grouped.items():
        parts: list[str] = []
        ends: list[int] = []
        length = 0
        for i, seg in enumerate(segs):
            parts.append(seg)
            length += len(seg)
            ends.append(length)
            if i < len(segs) - 1:
                sep = " " if _FINAL.search(seg) else "\n\n"
                parts.append(sep)
                length += len(sep)
        docs.append(Doc(docid, "".join(parts), frozenset(ends[:-1])))
    return docs


def _trimmed_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def dewire_boundaries(text: str) -> set[int]:
    """Sentence ends found by :func:`translate.segment.segment`."""
    from translate.segment import segment

    return {s.span[1] for p in segment(text) for s in p.sentences}


class PysbdSplitter:
    """pysbd on each paragraph; its exceptions are counted, never raised."""

    def __init__(self) -> None:
        import pysbd

        self._seg = pysbd.Segmenter(language="de", clean=False, char_span=True)
        self.failures = 0
        self.paragraphs = 0

    def __call__(self, text: str) -> set[int]:
        out: set[int] = set()
        for m in _PARAGRAPH.finditer(text):
            para = m.group()
            self.paragraphs += 1
            try:
                spans = self._seg.segment(para)
            except Exception:  # noqa: BLE001 - a baseline must never stop the benchmark
                self.failures += 1
                spans = []
            for span in spans:
                out.add(m.start() + _trimmed_end(para, span.end))
            out.add(m.end())
        return out


def naive_boundaries(text: str) -> set[int]:
    """``(?<=[.!?])\\s+`` on each paragraph."""
    out: set[int] = set()
    for m in _PARAGRAPH.finditer(text):
        for b in _NAIVE.finditer(m.group()):
            out.add(m.start() + b.start())
        out.add(m.end())
    return out


def score(docs: Iterable[Doc], splitter: Splitter, errors: list[tuple[str, str, int]] | None = None) -> Score:
    """Score ``splitter`` on ``docs``; append ``(docid, "FP"/"FN", offset)`` to ``errors``."""
    tp = fp = fn = 0
    start = time.perf_counter()
    found_all = []
    docs = list(docs)
    for doc in docs:
        found = set(splitter(doc.text))
        found_all.append(found)
    seconds = time.perf_counter() - start
    for doc, found in zip(docs, found_all):
        found.discard(len(doc.text))
        found.discard(0)
        tp += len(found & doc.boundaries)
        fp += len(found - doc.boundaries)
        fn += len(doc.boundaries - found)
        if errors is not None:
            errors.extend((doc.docid, "FP", b) for b in sorted(found - doc.boundaries))
            errors.extend((doc.docid, "FN", b) for b in sorted(doc.boundaries - found))
    return Score(tp, fp, fn, seconds)


def _context(text: str, offset: int, width: int = 70) -> str:
    left = text[max(0, offset - width) : offset].replace("\n", "¶")
    right = text[offset : offset + width].replace("\n", "¶")
    return f"{left}⟂{right}"


def scaling(sizes: tuple[int, ...] = (5_000, 20_000, 80_000)) -> int:
    """Time :func:`segment` and ``split_long`` on one unpunctuated line of n words (issue 12).

    The token counter is a word count (no model), so the figures measure the
    splitter's own work: seconds, seconds per 1,000 words relative to the
    smallest size (1.0 = linear), and characters handed to the token counter
    per input character. Before the galloping search, 20,000 words took
    quadratic time (5.4 s with the real tokenizer).
    """
    import os
    import random

    from translate.mt.splitting import split_long
    from translate.segment import segment

    rng = random.Random(7)
    vocab = ["Haus", "baut", "und", "der", "Stadt", "gehen", "schnell", "Regierung", "wieder", "Brücke"]
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'words':>7} {'segment s':>10} {'split s':>8} {'per-word ×':>11} {'chars tokenized/char':>21}")
    base = None
    for n in sizes:
        text = " ".join(rng.choice(vocab) for _ in range(n))
        seen = [0]

        def count(s: str) -> int:
            seen[0] += len(s)
            return len(s.split()) + 1

        t0 = time.perf_counter()
        segment(text)
        t1 = time.perf_counter()
        split_long(text, count, 200)
        t2 = time.perf_counter()
        per_word = (t2 - t0) / n
        base = base or per_word
        print(f"{n:>7} {t1 - t0:10.3f} {t2 - t1:8.3f} {per_word / base:11.2f} {seen[0] / len(text):21.1f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder with the WMT files (default: %(default)s)")
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="print up to N errors per set")
    parser.add_argument("--system", choices=["dewire", "pysbd", "naive"], default="dewire", help="whose errors --errors prints")
    parser.add_argument("--scaling", action="store_true", help="time segment + split_long on huge unpunctuated lines")
    args = parser.parse_args(argv)
    if args.scaling:
        return scaling()
    if not args.corpus.is_dir():
        print(f"corpus folder not found: {args.corpus}", file=sys.stderr)
        return 2
    systems: dict[str, Splitter] = {"dewire": dewire_boundaries}
    try:
        systems["pysbd"] = PysbdSplitter()
    except ImportError:
        print("pysbd is not installed: skipping it", file=sys.stderr)
    systems["naive"] = naive_boundaries

    names = list(SETS) if args.set == "all" else [args.set]
    header = f"{'set':<14} {'system':<7} {'docs':>4} {'P':>7} {'R':>7} {'F1':>7} {'TP':>5} {'FP':>4} {'FN':>4} {'sec':>6} {'speed×pysbd':>11}"
    rows = [header, "-" * len(header)]
    error_lists: dict[str, tuple[list[Doc], list[tuple[str, str, int]]]] = {}
    for name in names:
        docs = load_docs(args.corpus, SETS[name])
        scores: dict[str, Score] = {}
        paragraphs: dict[str, int] = {}
        for system, splitter in systems.items():
            errs: list[tuple[str, str, int]] = []
            if isinstance(splitter, PysbdSplitter):
                splitter.failures = splitter.paragraphs = 0  # counted per test set
            scores[system] = score(docs, splitter, errs)
            if isinstance(splitter, PysbdSplitter):
                scores[system] = dataclasses.replace(scores[system], failures=splitter.failures)
                paragraphs[system] = splitter.paragraphs
            if system == args.system:
                error_lists[name] = (docs, errs)
        base = scores.get("pysbd")
        for system, sc in scores.items():
            speed = f"{base.seconds / sc.seconds:10.1f}×" if base and sc.seconds else "         -"
            rows.append(
                f"{name:<14} {system:<7} {len(docs):>4} {sc.precision:7.4f} {sc.recall:7.4f} {sc.f1:7.4f} "
                f"{sc.tp:>5} {sc.fp:>4} {sc.fn:>4} {sc.seconds:6.2f} {speed:>11}"
            )
        for system, n in paragraphs.items():
            rows.append(f"{'':<14} ({system} raised on {scores[system].failures} of {n} paragraphs; each counts as no boundary)")
    print("\n".join(rows))
    if args.errors:
        for name, (docs, errs) in error_lists.items():
            by_id = {d.docid: d for d in docs}
            print(f"\n{args.system} errors on {name}: {len(errs)} (FP = boundary found but not in the reference, FN = missed)")
            for docid, kind, offset in errs[: args.errors]:
                print(f"{kind} {docid}: {_context(by_id[docid].text, offset)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
