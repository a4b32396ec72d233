"""Check: the sentencepiece-only Marian tokenizer equals transformers' MarianTokenizer on the opus-mt vocabulary.

``tests/test_marian_spm.py`` compares ``translate.mt.marian_spm.MarianSpmTokenizer``
with ``MarianTokenizer`` on the tiny test model (400 SentencePiece pieces a
side). This script does the same with the opus-mt-de-en architecture model of
:mod:`opus_arch` (SentencePiece models of up to 32,000 pieces, a 58,101-entry
joint vocabulary) on more German text: ids, tokens, decoded text (skipping
special tokens or not) and random id sequences, plus the time to load each
tokenizer in this process (the first ``import transformers`` included).

Usage::

    python3 benchmarks/marian_spm_check.py [--lines 600]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=600, help="German corpus lines to compare (default 600)")
    args = parser.parse_args(argv)
    from opus_arch import build_opus_arch

    model_dir = build_opus_arch()
    t0 = time.perf_counter()
    from translate.mt.marian_spm import MarianSpmTokenizer

    MarianSpmTokenizer(model_dir)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    from tests.test_marian_spm import EDGE_CASES, assert_identical, corpus_sentences, reference

    reference(model_dir)
    t_ref = time.perf_counter() - t0
    lines = corpus_sentences(args.lines) + EDGE_CASES
    checks = assert_identical(model_dir, lines)
    print(f"opus-mt-de-en architecture tokenizer ({model_dir.name}): {len(lines)} lines, {checks} comparisons, all identical")
    print(f"load: MarianSpmTokenizer {t_ours:.2f} s; MarianTokenizer {t_ref:.2f} s (incl. import transformers)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
