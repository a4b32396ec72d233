"""Regenerate translate/checks/data/lexicon_{de,en}.bin.gz from the installed wordfreq.

Usage: ``python3 tools/build_lexicon.py`` (needs ``pip install wordfreq``: the ``dev`` extra).
Prints each file's size and word count, and checks a sample of words against wordfreq.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translate.checks import lexicon  # noqa: E402


def main() -> int:
    import wordfreq

    out = ROOT / "translate" / "checks" / "data"
    for lang in lexicon.LANGUAGES:
        path = lexicon.build_lexicon(lang, out)
        lexicon.lexicon.cache_clear()
        lexicon.zipf.cache_clear()
        lex = lexicon.lexicon(lang)
        sample = lexicon.sample_words(lang, 2000) + ["Straße", "München", "Merkel", "xqzv"]
        bad = [w for w in sample if abs(lex.zipf(w) - wordfreq.zipf_frequency(w, lang)) > 0.005]
        print(f"{path.name}: {len(lex)} words, {path.stat().st_size / 1e6:.2f} MB, wordfreq {lex.info['wordfreq']}, mismatches in sample: {len(bad)} {bad[:5]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
