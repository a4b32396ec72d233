"""Cost of committing one document to the batch manifest at 1 k vs 100 k entries (issue 15).

The batch driver commits after every translation group. Before the journal
it rewrote the whole JSON manifest each time (O(entries) per commit); now a
commit appends the group's entries to ``.dewire-manifest.journal`` and
fsyncs it (O(new entries)), and the snapshot is rewritten only on compaction
(:mod:`translate.batch.manifest`). For each size N this measures, on a
manifest of N typical done entries loaded from disk:

* **journal**: seconds per committed document, committing ``--docs``
  documents in groups of 16 (``record`` × 16, ``save``), fsync included;
* **rewrite**: the same with the old behaviour, the whole snapshot written
  atomically after every group (:meth:`Manifest.compact`, which is the old
  ``save``);
* **compaction**: one compaction at N entries, and its share per document
  (a compaction happens once per run and whenever the journal holds as many
  entries as the snapshot, so it costs ``compaction ÷ N`` per document,
  amortized);
* **load**: reading the record at the start of a run.

The ratio 100 k ÷ 1 k of the journal's cost per document should be near 1
(independent of the manifest size); the rewrite's grows with N. Print-only;
numbers go to benchmarks/RESULTS.md with the load average printed here.

Usage::

    python3 benchmarks/manifest_journal.py              # 1 k and 100 k entries, 320 documents committed
    python3 benchmarks/manifest_journal.py --sizes 1000 1000000
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

GROUP = 16
"""Documents per commit (the default translation group)."""

SAMPLE = {
    "sha256": "0" * 64, "settings": "0" * 16, "status": "done", "reason": None, "out_parent": "2024/05",
    "stem": "article", "outputs": [f"2024/05/article.{s}" for s in ("report.html", "aligned.jsonl", "en.txt", "brief.md", "brief.json")],
    "sentences": 24, "flags": 2, "seconds": 3.2, "title": "A title of a news article", "bullets": ["One bullet of the brief."] * 4,
    "warnings": [], "modified": 1.7e9, "finished": "2026-01-01T00:00:00Z",
}


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def build(folder: Path, entries: int) -> Path:
    """A compacted manifest of ``entries`` done entries in ``folder``; its path."""
    from translate.batch.manifest import MANIFEST_NAME, Manifest, ManifestEntry

    folder.mkdir(parents=True)
    manifest = Manifest(folder / MANIFEST_NAME)
    entry = ManifestEntry.from_json(SAMPLE)
    assert entry is not None
    for i in range(entries):
        manifest.files[f"2024/05/article-{i:07d}.txt"] = entry
    manifest.compact()
    return manifest.path


def commit(path: Path, docs: int, rewrite: bool) -> float:
    """Seconds per committed document: ``docs`` new documents in groups of :data:`GROUP`."""
    from translate.batch.manifest import Manifest
    from translate.batch.work import Outcome, WorkItem

    manifest = Manifest.load(path)
    start = time.perf_counter()
    for first in range(0, docs, GROUP):
        for i in range(first, min(docs, first + GROUP)):
            rel = f"new/doc-{i:06d}.txt"
            item = WorkItem(path=Path(rel), relative=rel, out_parent="new", stem=f"doc-{i:06d}", sha256="1" * 64)
            manifest.record(item, Outcome(relative=rel, status="done", outputs=(f"new/doc-{i:06d}.en.txt",), sentences=24, sha256="1" * 64), "0" * 16)
        if rewrite:
            manifest.compact()
        else:
            manifest.save()
    seconds = time.perf_counter() - start
    manifest.compact()
    return seconds / docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000], help="manifest sizes (default: %(default)s)")
    parser.add_argument("--docs", type=int, default=320, help="documents committed per measurement (default: %(default)s)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dewire-journal-bench-"))
    print(f"manifest commits: {args.docs} documents in groups of {GROUP}; load average {load()}")
    rows = {}
    try:
        for size in args.sizes:
            from translate.batch.manifest import Manifest

            path = build(work / f"m{size}", size)
            start = time.perf_counter()
            Manifest.load(path)
            load_s = time.perf_counter() - start
            journal = commit(build(work / f"j{size}", size), args.docs, rewrite=False)
            rewrite = commit(build(work / f"r{size}", size), max(GROUP, args.docs // 8 if size >= 100_000 else args.docs), rewrite=True)
            manifest = Manifest.load(path)
            start = time.perf_counter()
            manifest.compact()
            compaction = time.perf_counter() - start
            rows[size] = (journal, rewrite, compaction, load_s)
            print(f"  {size:>9} entries: journal {journal * 1e3:8.3f} ms/doc   rewrite {rewrite * 1e3:9.3f} ms/doc   "
                  f"compaction {compaction:6.2f} s ({compaction / size * 1e3:.3f} ms/doc amortized)   load {load_s:6.2f} s   load avg {load()}", flush=True)
        small, big = min(rows), max(rows)
        print(f"  ratio {big} / {small} entries, per committed document: journal {rows[big][0] / rows[small][0]:.2f}x, "
              f"journal + amortized compaction {(rows[big][0] + rows[big][2] / big) / (rows[small][0] + rows[small][2] / small):.2f}x, "
              f"rewrite {rows[big][1] / rows[small][1]:.1f}x")
        print(f"  load average at the end: {load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
