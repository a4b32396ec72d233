"""Cold start: ``dewire translate ARTICLE`` as a whole process, with the time of each stage.

What a user waits for is imports + model load (or conversion) + reading +
segmentation + translation + brief + writing, not only translation. This
script runs ``python3 -m translate translate …`` in a fresh process on the
default path (``backend: auto``; with CTranslate2 installed, int8 on CPU)
with the opus-mt-de-en architecture model of :mod:`opus_arch` (random
weights), and reports where the time goes.

* Forced decode lengths, as in ``translate_speed.py``: random weights never
  emit EOS, so every sentence is decoded to ``⌈1.1 × source tokens⌉``
  tokens (the backends' ``forced_new_tokens`` hook), i.e. about the length
  of a real translation.
* The child process is ``python3 -c <bootstrap>``: the bootstrap wraps a few
  library functions with timers (module import, translator construction,
  model load, each backend call, summarizer, writers), sets the hook, then
  runs the ``translate`` package exactly as ``python3 -m translate`` does
  (``runpy``). Process wall time is measured by the parent, from spawn to
  exit; "python start" is the interpreter before the bootstrap runs.
* ``--no-cache``: the translation cache would answer a repeated run; the
  CTranslate2 conversion is cached (done once in a warm-up run, as on a
  user's second run), and the first, converting run is reported separately.
* Inputs: a ~600-word article (``../shared/corpus/articles/newstest2014-origde/
  10959-schwarzwaelder-bote.de.de.txt``, 596 words) and a folder of 20
  articles of that collection (batch mode).
* Targets (issue 16): everything but translation < 1.5 s on the CTranslate2
  path; the 600-word article end to end ≤ 1.3 × its pure translation time
  (the backend's ``translate_batch`` time measured inside the same process).

Usage::

    python3 benchmarks/cold_start.py                 # article + folder, auto backend, 2 threads
    python3 benchmarks/cold_start.py --backend transformers
    python3 benchmarks/cold_start.py --quick         # tiny test model (smoke test)

Results: ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache"
ARTICLES = REPO.parent / "shared" / "corpus" / "articles" / "newstest2014-origde"
ARTICLE = ARTICLES / "10959-schwarzwaelder-bote.de.de.txt"
FORCE_RATIO = 1.1

if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

BOOTSTRAP = r'''
import json, math, os, sys, time
T0 = time.perf_counter()
timings = {"bootstrap_start": T0}
def add(key, seconds):
    timings[key] = timings.get(key, 0.0) + seconds

def timed(owner, name, key):
    fn = getattr(owner, name, None)
    if fn is None:
        return
    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            add(key, time.perf_counter() - t)
    setattr(owner, name, wrapper)

t = time.perf_counter()
import translate.mt as mt
import translate.pipeline as pipeline
add("import translate", time.perf_counter() - t)
load = mt.load_translator
def load_translator(*a, **k):
    t = time.perf_counter()
    tr = load(*a, **k)
    add("load translator", time.perf_counter() - t)
    inner = getattr(tr, "inner", tr)
    inner.forced_new_tokens = lambda longest: math.ceil(%(ratio)r * longest)
    timings["backend"] = getattr(inner, "name", "?") + "/" + str(getattr(inner, "compute_type", "?"))
    cls = type(inner)
    if hasattr(cls, "_load"):
        timed(cls, "_load", "load model (ct2)")
    if hasattr(cls, "_load_model"):
        timed(cls, "_load_model", "load model (torch)")
    timed(inner, "translate_batch", "translate (backend)")
    return tr
mt.load_translator = load_translator
for owner, name, key in ((pipeline.Pipeline, "read", "read+segment"), (pipeline, "read_document", "read+segment"),
                         (pipeline.Pipeline, "summarize", "summarize"), (pipeline.Pipeline, "write", "write")):
    timed(owner, name, key)
try:
    import translate.writers as writers
    timed(writers, "write_outputs", "write")
except Exception:
    pass
import atexit, runpy
def dump():
    timings["main"] = time.perf_counter() - T_MAIN
    with open(os.environ["COLD_START_OUT"], "w") as fh:
        json.dump(timings, fh)
atexit.register(dump)
sys.argv = ["dewire"] + json.loads(os.environ["COLD_START_ARGS"])
T_MAIN = time.perf_counter()
runpy.run_module("translate", run_name="__main__", alter_sys=True)
'''


def run_once(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run the CLI with ``args`` in a fresh process; wall time and the stage timings (seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "timings.json"
        full_env = {**env, "COLD_START_OUT": str(out), "COLD_START_ARGS": json.dumps(args)}
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", BOOTSTRAP % {"ratio": FORCE_RATIO}], capture_output=True, text=True, env=full_env, cwd=REPO)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-3000:])
            raise SystemExit(f"dewire {' '.join(args)} failed (exit {proc.returncode})")
        timings: dict[str, Any] = json.loads(out.read_text())
    timings["wall"] = wall
    timings["stderr"] = proc.stderr
    return timings


STAGES = ("import translate", "load translator", "load model (ct2)", "load model (torch)", "read+segment", "translate (backend)", "summarize", "write")


def report(label: str, t: dict[str, Any]) -> dict[str, float]:
    """Print one row block; returns the derived figures."""
    wall = float(t["wall"])
    translate = float(t.get("translate (backend)", 0.0))
    startup = wall - float(t.get("main", wall))  # interpreter start + bootstrap imports before main
    other = wall - translate
    print(f"\n{label}  [{t.get('backend', '?')}]")
    print(f"  {'process wall':<22} {wall:7.2f} s")
    print(f"  {'python start+bootstrap':<22} {startup:7.2f} s")
    for key in STAGES:
        if key in t:
            print(f"  {key:<22} {float(t[key]):7.2f} s")
    print(f"  {'everything but translation':<22} {other:7.2f} s")
    ratio = wall / translate if translate else float("inf")
    print(f"  {'end to end / translation':<22} {ratio:7.2f} ×")
    return {"wall": wall, "translate": translate, "other": other, "ratio": ratio}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", default="auto", help="auto (default), ctranslate2 or transformers")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--folder-articles", type=int, default=20)
    p.add_argument("--quick", action="store_true", help="tiny test model instead of the opus-mt-shaped one")
    p.add_argument("--repeat", type=int, default=1, help="runs per case; the fastest counts (a converting run is extra)")
    args = p.parse_args(argv)
    if args.quick:
        sys.path.insert(0, str(REPO))
        from tests.tiny_marian import build_tiny_marian

        model_dir = CACHE / "tiny-marian"
        if not (model_dir / "config.json").is_file():
            build_tiny_marian(model_dir)
    else:
        from opus_arch import build_opus_arch

        model_dir = build_opus_arch()
    from translate_speed import _cpu_name, cpu_int8_flags

    home = CACHE / "cold-start-home"
    work = Path(tempfile.mkdtemp(prefix="dewire-cold-"))
    folder = work / "articles"
    folder.mkdir()
    for f in sorted(ARTICLES.glob("*.de.de.txt"))[: args.folder_articles]:
        shutil.copy(f, folder / f.name.replace(".de.de.txt", ".txt"))
    words = len(ARTICLE.read_text(encoding="utf-8").split())
    env = {**os.environ, "DEWIRE_HOME": str(home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false", "PYTHONWARNINGS": "ignore"}
    common = ["--model", str(model_dir), "--threads", str(args.threads), "--no-cache", "--backend", args.backend]
    print(f"machine: {_cpu_name()}, {os.cpu_count()} CPUs, {args.threads} threads; int8 CPU flags: {cpu_int8_flags()}")
    print(f"model:   {'tiny test Marian' if args.quick else 'opus-mt-de-en architecture (benchmarks/opus_arch.py), random weights'}; "
          f"forced lengths ⌈{FORCE_RATIO} × source tokens⌉; --no-cache; DEWIRE_HOME={home}")
    print(f"load:    {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1/5/15 min) at start")
    try:
        ct2 = home / "ct2"
        fresh = not ct2.is_dir() or not any(ct2.iterdir())
        first = run_once(["translate", str(ARTICLE), "-o", str(work / "warm"), "-q", *common], env)
        if fresh and args.backend != "transformers":
            report("first run (converts the model once)", first)
        results = {}
        for label, cli in (
            (f"one article ({words} words)", ["translate", str(ARTICLE), "-o", str(work / "one"), "-q", *common]),
            (f"folder of {args.folder_articles} articles (batch mode)", ["translate", str(folder), "-o", str(work / "batch"), "-q", *common]),
        ):
            best = min((run_once(cli, env) for _ in range(max(1, args.repeat))), key=lambda t: t["wall"])
            results[label] = report(label, best)
        one = results[f"one article ({words} words)"]
        print(f"\ntargets: everything but translation {one['other']:.2f} s (< 1.5 s: {'met' if one['other'] < 1.5 else 'NOT met'}); "
              f"end to end / translation {one['ratio']:.2f} (≤ 1.3: {'met' if one['ratio'] <= 1.3 else 'NOT met'})")
        print(f"load:    {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1/5/15 min) at end")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
