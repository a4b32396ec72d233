"""Cold load of word frequencies for the checks: shipped lexicon vs importing wordfreq (issue 14/16).

Each sample is a fresh ``python3`` process (cold: nothing cached in the process) that times, with
``time.perf_counter``:

* ``wordfreq``: ``import wordfreq`` + one German and one English ``zipf_frequency`` (loads both lists);
* ``lexicon``: ``translate.checks.lexicon.zipf`` for the same two words (reads both shipped files);
* ``check_pair``: ``from translate.checks import check_pair`` + one call on a sentence pair (what
  ``dewire check`` pays before its first line).

Runs alternate so that load changes hit both sides alike; prints medians, the ratio, and the load average
(``os.getloadavg``) before and after. Usage: ``python3 benchmarks/lexicon_load.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SNIPPETS = {
    "wordfreq": "import time; t=time.perf_counter(); import wordfreq; wordfreq.zipf_frequency('Haus','de'); wordfreq.zipf_frequency('house','en'); print(time.perf_counter()-t)",
    "lexicon": "import time; t=time.perf_counter(); from translate.checks.lexicon import zipf; zipf('Haus','de'); zipf('house','en'); print(time.perf_counter()-t)",
    "check_pair": "import time; t=time.perf_counter(); from translate.checks import check_pair; check_pair('Am Montag traf Merkel in Beilngries 14 Bürger.', 'On Monday, Merkel met 14 citizens in Beilngries.'); print(time.perf_counter()-t)",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {k: [] for k in SNIPPETS}
    for _ in range(args.runs):
        for name, code in SNIPPETS.items():
            out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
            times[name].append(float(out.stdout.strip()))
    load_after = os.getloadavg()
    print(f"{args.runs} cold processes each; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    for name, values in times.items():
        print(f"{name:11s} median {statistics.median(values):.3f} s  (min {min(values):.3f}, max {max(values):.3f})")
    ratio = statistics.median(times["wordfreq"]) / statistics.median(times["lexicon"])
    print(f"wordfreq / lexicon: {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
