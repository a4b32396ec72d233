"""Main-text extraction on real German web pages: dewire vs trafilatura vs readability vs raw text.

Scores every extractor on ``../shared/corpus/html/`` (105 pages from
trafilatura's own evaluation set, with ``expected.json``) the way
trafilatura's ``tests/evaluate.py`` does: each ``with`` snippet found in the
extracted text is a true positive, else a false negative; each ``without``
snippet found is a false positive, else a true negative; precision, recall
and F1 over all snippets. A page where an extractor returns nothing counts
all its ``with`` snippets as false negatives.

Extractors:

* ``dewire`` — :func:`translate.readers.read_input` on the file, i.e. the
  text ``dewire segment --text page.html`` prints (trafilatura's XML plus
  dewire's German cleanup);
* ``dewire, no German rules`` — the same without :class:`GermanCleanup`
  (an ablation: what the rules add);
* ``trafilatura`` — ``trafilatura.extract(html)`` with default settings;
* ``readability-lxml`` — ``Document(html).summary()`` as text (skipped
  when not installed; it is not a dewire dependency);
* ``raw text`` — every text node of the page but scripts and styles.

Usage (from the repository root)::

    python3 benchmarks/html_reading.py [--corpus DIR] [--check] [--misses]

``--check`` exits 1 when dewire misses the target of issue 13 (F ≥ 0.94 and
recall ≥ 0.95); ``--misses`` lists dewire's false negatives and positives.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_F = 0.94
TARGET_RECALL = 0.95


def _dewire(path: Path, data: bytes) -> str | None:
    from translate.errors import InputError
    from translate.readers import read_input

    try:
        return read_input(path, data=data).text
    except InputError:
        return None


def _dewire_plain(path: Path, data: bytes) -> str | None:
    from translate.readers.base import build_text
    from translate.readers.html import GermanCleanup, _parse_page, decode_html, extract_article

    text, _, _ = decode_html(data, path.name)
    page = extract_article(text, _parse_page(text), cleanup=GermanCleanup(False, False, False, False))
    return build_text(page[0])[0] if page else None


def _trafilatura(path: Path, data: bytes) -> str | None:
    import trafilatura

    return trafilatura.extract(data)


def _readability(path: Path, data: bytes) -> str | None:
    import lxml.html
    from readability import Document

    summary = Document(data).summary()
    return lxml.html.fromstring(summary).text_content() if summary else None


def _raw(path: Path, data: bytes) -> str | None:
    import lxml.html

    tree = lxml.html.fromstring(data)
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    return tree.text_content()


def score(extract: Callable[[Path, bytes], str | None], corpus: Path, expected: dict) -> dict:
    """Run one extractor over the corpus; counts, P, R, F, seconds and the misses."""
    tp = fn = fp = tn = 0
    misses: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    for name, item in expected.items():
        path = corpus / "pages" / name
        try:
            result = extract(path, path.read_bytes())
        except Exception as err:  # noqa: BLE001 - a crash counts as "nothing extracted"
            print(f"  {name}: {type(err).__name__}: {err}", file=sys.stderr)
            result = None
        for snippet in item["with"]:
            if result and snippet in result:
                tp += 1
            else:
                fn += 1
                misses.append(("FN", name, snippet))
        for snippet in item["without"]:
            if result and snippet in result:
                fp += 1
                misses.append(("FP", name, snippet))
            else:
                tn += 1
    seconds = time.perf_counter() - start
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fn": fn, "fp": fp, "tn": tn, "precision": precision, "recall": recall, "f": f,
            "seconds": seconds, "misses": misses}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "html")
    parser.add_argument("--check", action="store_true", help="exit 1 when dewire misses F >= 0.94 and R >= 0.95")
    parser.add_argument("--misses", action="store_true", help="list dewire's false negatives and false positives")
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.WARNING)  # trafilatura and readability log every odd page
    corpus = args.corpus.resolve()
    expected = json.loads((corpus / "expected.json").read_text(encoding="utf-8"))
    extractors: list[tuple[str, Callable[[Path, bytes], str | None]]] = [
        ("dewire", _dewire),
        ("dewire, no German rules", _dewire_plain),
        ("trafilatura (default)", _trafilatura),
    ]
    try:
        import readability  # noqa: F401

        extractors.append(("readability-lxml", _readability))
    except ImportError:
        print("readability-lxml is not installed: its row is skipped (pip install readability-lxml)", file=sys.stderr)
    extractors.append(("raw text", _raw))
    import trafilatura

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    n_with = sum(len(v["with"]) for v in expected.values())
    n_without = sum(len(v["without"]) for v in expected.values())
    print(f"{len(expected)} pages in {corpus} ({n_with} 'with' and {n_without} 'without' snippets); "
          f"trafilatura {trafilatura.__version__}; load average {load:.2f}")
    print()
    print(f"| {'extractor':<24} | {'P':>5} | {'R':>5} | {'F':>5} | {'TP':>4} | {'FN':>3} | {'FP':>3} | {'TN':>4} | time vs trafilatura |")
    print(f"|{'-' * 26}|{'-' * 7}|{'-' * 7}|{'-' * 7}|{'-' * 6}|{'-' * 5}|{'-' * 5}|{'-' * 6}|{'-' * 21}|")
    results = {label: score(fn, corpus, expected) for label, fn in extractors}
    base = results["trafilatura (default)"]["seconds"] or 1e-9
    for label, r in results.items():
        print(f"| {label:<24} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f']:.3f} | {r['tp']:>4} | {r['fn']:>3} | "
              f"{r['fp']:>3} | {r['tn']:>4} | {r['seconds'] / base:>18.2f}x |")
    ours = results["dewire"]
    met = ours["f"] >= TARGET_F and ours["recall"] >= TARGET_RECALL
    print()
    print(f"target F >= {TARGET_F} and R >= {TARGET_RECALL}: {'met' if met else 'NOT met'}")
    if args.misses:
        for kind, name, snippet in ours["misses"]:
            print(f"{kind} {name}: {snippet!r}")
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
