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
* Byte-compiled code: each variant's ``translate/`` is compiled first
  (``compileall``), as ``pip install`` leaves an installed package; where
  ``PYTHONDONTWRITEBYTECODE`` is set (this development machine) every run
  would otherwise compile dewire's ~60 modules from source again.
* Inputs: a ~600-word article (``../shared/corpus/articles/newstest2014-origde/
  10959-schwarzwaelder-bote.de.de.txt``, 596 words) and a folder of 20
  articles of that collection (batch mode).
* Targets (issue 16): everything but translation < 1.5 s on the CTranslate2
  path; the 600-word article end to end ≤ 1.3 × its pure translation time
  (the backend's ``translate_batch`` time measured inside the same process).

Usage::

    python3 benchmarks/cold_start.py                 # article + folder, auto backend, 2 threads, 3 runs each
    python3 benchmarks/cold_start.py --before main   # the same with main's code as a 'before' column, interleaved
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
active = set()
def add(key, seconds):
    timings[key] = timings.get(key, 0.0) + seconds

def timed(owner, name, key):
    # Nested calls under the same key (Pipeline.read -> read_document) count once.
    fn = getattr(owner, name, None)
    if fn is None:
        return
    def wrapper(*a, **k):
        if key in active:
            return fn(*a, **k)
        active.add(key)
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            active.discard(key)
            add(key, time.perf_counter() - t)
    setattr(owner, name, wrapper)

t = time.perf_counter()
import translate.mt as mt
import translate.pipeline as pipeline
import translate.language as language
add("import translate", time.perf_counter() - t)
load = mt.load_translator
def load_translator(*a, **k):
    t = time.perf_counter()
    tr = load(*a, **k)
    add("load translator", time.perf_counter() - t)
    inner = getattr(tr, "inner", tr)
    inner.forced_new_tokens = lambda longest: math.ceil(%(ratio)r * longest)
    timings["backend"] = getattr(inner, "name", "?") + "/" + str(getattr(inner, "compute_type", "?"))
    timings["tokenizer"] = type(getattr(inner, "tokenizer", None)).__name__
    cls = type(inner)
    if hasattr(cls, "_load"):
        timed(cls, "_load", "load model (ct2)")
    if hasattr(cls, "_load_model"):
        timed(cls, "_load_model", "load model (torch)")
    timed(inner, "translate_batch", "translate (backend)")
    return tr
mt.load_translator = load_translator
for owner, name, key in ((pipeline.Pipeline, "read", "read+segment"), (pipeline, "read_document", "read+segment"),
                         (language, "detect_language", "language detection"),
                         (pipeline.Pipeline, "translate", "translate (engine)"),
                         (pipeline.Pipeline, "check", "checks"),
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
    timings["modules"] = [m for m in ("torch", "transformers") if m in sys.modules]
    timings["translate_from"] = os.path.dirname(os.path.dirname(os.path.dirname(mt.__file__)))
    with open(os.environ["COLD_START_OUT"], "w") as fh:
        json.dump(timings, fh)
atexit.register(dump)
sys.argv = ["dewire"] + json.loads(os.environ["COLD_START_ARGS"])
T_MAIN = time.perf_counter()
runpy.run_module("translate", run_name="__main__", alter_sys=True)
'''


def run_once(args: list[str], env: dict[str, str], cwd: Path = REPO) -> dict[str, Any]:
    """Run the CLI with ``args`` in a fresh process (importing ``translate`` from ``cwd``); wall time and stage timings (s)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "timings.json"
        full_env = {**env, "COLD_START_OUT": str(out), "COLD_START_ARGS": json.dumps(args)}
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", BOOTSTRAP % {"ratio": FORCE_RATIO}], capture_output=True, text=True, env=full_env, cwd=cwd)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-3000:])
            raise SystemExit(f"dewire {' '.join(args)} failed (exit {proc.returncode})")
        timings: dict[str, Any] = json.loads(out.read_text())
    if Path(timings["translate_from"]).resolve() != Path(cwd).resolve():
        raise SystemExit(f"the child imported translate from {timings['translate_from']}, not {cwd}")
    timings["wall"] = wall
    timings["stderr"] = proc.stderr
    return timings


ROWS = (
    "process wall",
    "python start",
    "import translate",
    "CLI, config, other",
    "load translator",
    "load model (ct2)",
    "load model (torch)",
    "read+segment",
    "  of which language detection",
    "translation (pure)",
    "engine overhead (flags)",
    "checks",
    "summarize",
    "write",
    "everything but translation",
    "end to end / translation",
)


def derive(t: dict[str, Any]) -> dict[str, float]:
    """Table rows of one run (seconds; the last row a ratio).

    ``translation (pure)`` is the backend's ``translate_batch`` time less the
    model load that happens inside its first call; ``engine overhead`` is the
    rest of the translate stage (splitting, batching, flags); ``CLI, config,
    other`` is the CLI's time not in any timed stage (its own imports, config,
    argument parsing, the digest).
    """
    g = lambda key: float(t.get(key, 0.0))  # noqa: E731
    wall, main = float(t["wall"]), g("main")
    model = g("load model (ct2)") + g("load model (torch)")
    pure = g("translate (backend)") - model
    staged = g("load translator") + g("read+segment") + g("translate (engine)") + g("checks") + g("summarize") + g("write")
    row = {
        "process wall": wall,
        "python start": wall - main - g("import translate"),
        "import translate": g("import translate"),
        "CLI, config, other": main - staged,
        "load translator": g("load translator"),
        "load model (ct2)": g("load model (ct2)"),
        "load model (torch)": g("load model (torch)"),
        "read+segment": g("read+segment"),
        "  of which language detection": g("language detection"),
        "translation (pure)": pure,
        "engine overhead (flags)": g("translate (engine)") - g("translate (backend)"),
        "checks": g("checks"),
        "summarize": g("summarize"),
        "write": g("write"),
        "everything but translation": wall - pure,
        "end to end / translation": wall / pure if pure > 0 else float("inf"),
    }
    return row


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def report(label: str, runs: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    """Print one table: a column per variant (``after``, ``before``), median [min–max] of the runs.

    Returns:
        variant → row → median.
    """
    variants = list(runs)
    rows = {v: [derive(t) for t in runs[v]] for v in variants}
    print(f"\n{label}  (median [min–max] of {len(runs[variants[0]])} runs)")
    header = "".join(f"  {v + ': ' + runs[v][0].get('backend', '?') + ', ' + runs[v][0].get('tokenizer', '?'):>40}" for v in variants)
    print(f"  {'':<30}{header}")
    medians: dict[str, dict[str, float]] = {v: {} for v in variants}
    for key in ROWS:
        cells = []
        for v in variants:
            xs = [r[key] for r in rows[v]]
            if not any(xs) and key.startswith("load model"):
                cells.append(f"  {'—':>40}")
                continue
            med = _median(xs)
            medians[v][key] = med
            unit = "×" if key.startswith("end to end") else "s"
            cells.append(f"  {f'{med:.2f} {unit} [{min(xs):.2f}–{max(xs):.2f}]':>40}")
        print(f"  {key:<30}" + "".join(cells))
    mods = {v: sorted({m for t in runs[v] for m in t.get("modules", [])}) for v in variants}
    print("  heavy modules imported: " + "; ".join(f"{v}: {', '.join(m) or 'neither torch nor transformers'}" for v, m in mods.items()))
    return medians


def byte_compile(root: Path) -> None:
    """Compile ``root/translate`` to ``__pycache__`` (what ``pip install`` does), so no run compiles from source."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "translate")], check=True, stdout=subprocess.DEVNULL)


def export_revision(rev: str, dest: Path) -> Path:
    """``git archive rev`` of this repository unpacked into ``dest`` (the "before" code)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def _load() -> str:
    a, b, c = os.getloadavg()
    return f"{a:.2f} {b:.2f} {c:.2f} (1/5/15 min)"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", default="auto", help="auto (default), ctranslate2 or transformers")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--folder-articles", type=int, default=20, help="articles in the folder case (0: skip it)")
    p.add_argument("--quick", action="store_true", help="tiny test model instead of the opus-mt-shaped one")
    p.add_argument("--repeat", type=int, default=3, help="runs per case and variant, interleaved (default 3)")
    p.add_argument("--before", metavar="REV", help="also run git revision REV (e.g. main), interleaved, as the 'before' column")
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
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    print(f"machine: {_cpu_name()}, {os.cpu_count()} CPUs, {args.threads} threads; int8 CPU flags: {cpu_int8_flags()}")
    print(f"model:   {'tiny test Marian' if args.quick else 'opus-mt-de-en architecture (benchmarks/opus_arch.py), random weights'}; "
          f"forced lengths ⌈{FORCE_RATIO} × source tokens⌉; --no-cache; DEWIRE_HOME={home}")
    print(f"code:    after = working tree ({head}+)" + (f"; before = {args.before}" if args.before else "") + "; byte-compiled first")
    print(f"load:    {_load()} at start")
    try:
        variants: dict[str, Path] = {"after": REPO}
        if args.before:
            variants["before"] = export_revision(args.before, work / "before")
        for root in variants.values():
            byte_compile(root)
        ct2 = home / "ct2"
        fresh = not ct2.is_dir() or not any(ct2.iterdir())
        first = run_once(["translate", str(ARTICLE), "-o", str(work / "warm"), "-q", *common], env)
        if fresh and args.backend != "transformers":
            report("first run (converts the model once)", {"after": [first]})
        cases = [(f"one article ({words} words)", ["translate", str(ARTICLE), "-o", "{out}", "-q", *common])]
        if args.folder_articles:
            cases.append((f"folder of {args.folder_articles} articles (batch mode)", ["translate", str(folder), "-o", "{out}", "-q", *common]))
        results = {}
        for label, cli in cases:
            runs: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
            for i in range(max(1, args.repeat)):
                for v, cwd in variants.items():
                    run_cli = [str(work / f"out-{len(results)}-{v}-{i}") if a == "{out}" else a for a in cli]
                    runs[v].append(run_once(run_cli, env, cwd))
            print(f"load:    {_load()}")
            results[label] = report(label, runs)
        one = results[cases[0][0]]["after"]
        print(f"\ntargets (after): everything but translation {one['everything but translation']:.2f} s "
              f"(< 1.5 s: {'met' if one['everything but translation'] < 1.5 else 'NOT met'}); "
              f"end to end / translation {one['end to end / translation']:.2f} (≤ 1.3: {'met' if one['end to end / translation'] <= 1.3 else 'NOT met'})")
        print(f"load:    {_load()} at end")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
