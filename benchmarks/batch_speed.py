"""Batch folder mode vs. one ``dewire translate FILE`` process per file (issue 7).

What it measures, all in one run so the ratios compare like with like:

1. **tiny model** (``tests/tiny_marian.py``, random weights): N articles from
   ``../shared/corpus/articles/`` translated by

   * ``dewire translate DIR -o OUT --model TINY`` — one process, batch mode,
     with ``--jobs 1`` and ``--jobs J`` (each worker a model replica);
   * ``dewire translate FILE -o OUT --model TINY`` once per file (a fresh
     process each: start-up and model load every time), on the first
     ``--per-file`` files (the rate is per file, so a sample suffices).

   Prints files/s of each and the ratio batch ÷ per-file (target ≥ 5×).
   Every run uses ``--no-cache`` and its own ``DEWIRE_HOME``, so no method
   profits from another's translation cache.

2. **memory**: in this process, batch mode over the N articles on the tiny
   model, sampling ``VmRSS`` (``/proc/self/status``) after document 10 and
   after the last: the growth should stay within a few MiB.

3. ``--opus`` (needs ``benchmarks/opus_arch.py``): the random-weight model
   with the exact opus-mt-de-en architecture, on ``--opus-files`` corpus
   articles (slow on a 2-core CPU): sentence throughput of batch mode (model
   already loaded) vs. the same articles concatenated into one document, both
   through the same stages (translate, check, brief, write; issue 16 target:
   batch ≥ 0.95 of one document), and files/s with ``--jobs 1`` vs.
   ``--jobs J``. ``--repeat R`` times the pair R times in alternating order
   (A B, B A, …) and prints the median ratio and its spread: on a shared
   machine one pair is not enough. A warm-up document goes through every
   stage first, so neither side pays the check data's first load.

Random weights never emit EOS. By default each model batch therefore decodes
a forced length, ⌈1.1 × its longest source's tokens⌉
(``benchmarks/forced_length.py``, as ``translate_speed.py`` and
``cold_start.py`` do), as a trained model ends its hypotheses. ``--unforced``
lets the random weights run to their output bounds instead: every row but a
batch's longest then overruns its own bound and is decoded again (one extra
call per distinct bound, see :mod:`translate.mt.ctranslate2_backend`), which a
trained model does only for a looping sentence, so that mode exaggerates the
cost of small translation groups. Beam size is models.yaml's (4).

Usage::

    python benchmarks/batch_speed.py                    # tiny model, 100 files
    python benchmarks/batch_speed.py --opus --opus-files 6
    python benchmarks/batch_speed.py --no-tiny --opus --opus-files 100 --jobs 1 --repeat 4   # issue 16 target

Measured results, with date, machine and load: ``benchmarks/RESULTS.md``.

The default ``--jobs`` stays 1 (see :mod:`translate.batch.executors`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO.parent / "shared" / "corpus" / "articles"
sys.path.insert(0, str(REPO))


def german_articles(n: int) -> list[Path]:
    """``n`` German articles, taken round-robin from the corpus folders (sorted within each).

    newstest2014-origde and ntrex128 hold ``<doc>.de.txt`` (German) beside
    ``<doc>.en.txt``; 10kgnad holds German ``*.txt`` only (see SOURCES.md).
    """
    pools = []
    for sub in ("newstest2014-origde", "ntrex128", "10kgnad"):
        folder = CORPUS / sub
        if not folder.is_dir():
            continue
        files = sorted(p for p in folder.glob("*.txt") if not p.name.endswith(".en.txt"))
        pools.append(files)
    if not pools:
        raise SystemExit(f"no articles under {CORPUS}")
    out: list[Path] = []
    i = 0
    while len(out) < n and any(i < len(p) for p in pools):
        for pool in pools:
            if i < len(pool) and len(out) < n:
                out.append(pool[i])
        i += 1
    return out


def copy_inputs(files: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for i, f in enumerate(files):
        dest = folder / f"{i:03d}-{f.name}"
        shutil.copyfile(f, dest)
        copies.append(dest)
    return copies


THREADS: list[str] = []
"""``["--threads", "N"]`` when ``--threads`` is given, appended to every ``dewire translate``."""


def dewire(args: list[str], home: Path) -> float:
    """Run ``python -m translate ARGS`` in a fresh process; return wall seconds (raises on failure)."""
    args = [*args, *THREADS]
    env = {**os.environ, "DEWIRE_HOME": str(home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "translate", *args], cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"dewire {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return seconds


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def row(label: str, files: int, seconds: float, extra: str = "") -> None:
    print(f"  {label:<44} {files:>4} files {seconds:>8.1f} s {files / seconds:>8.2f} files/s  {extra}", flush=True)


def bench_tiny(args: argparse.Namespace, work: Path) -> None:
    from tests.tiny_marian import build_tiny_marian

    model = build_tiny_marian(work / "tiny-marian")
    files = german_articles(args.files)
    src = work / "tiny-in"
    inputs = copy_inputs(files, src)
    print(f"\n== tiny model ({model}), {len(inputs)} articles from {CORPUS} ==", flush=True)

    results: dict[str, float] = {}
    for jobs in sorted({1, *args.jobs}):
        seconds = dewire(["translate", str(src), "-o", str(work / f"tiny-batch-j{jobs}"), "--model", str(model), "--no-cache", "-q", "--jobs", str(jobs)], work / f"home-b{jobs}")
        results[f"batch j{jobs}"] = len(inputs) / seconds
        row(f"batch mode, one process, --jobs {jobs}", len(inputs), seconds)

    sample = inputs[: args.per_file]
    start = time.perf_counter()
    for path in sample:
        dewire(["translate", str(path), "-o", str(work / "tiny-single"), "--model", str(model), "--no-cache", "-q"], work / "home-single")
    seconds = time.perf_counter() - start
    per_file = len(sample) / seconds
    row("one `dewire translate FILE` process per file", len(sample), seconds)
    for label, rate in results.items():
        print(f"  ratio {label} / per-file: {rate / per_file:.1f}x (target >= 5x)")
    if len(results) > 1:
        print(f"  ratio --jobs {max(args.jobs)} / --jobs 1: {results[f'batch j{max(args.jobs)}'] / results['batch j1']:.2f}x")

    # Memory over a long batch, in this process.
    from translate.config import load_config
    from translate.batch import translate_folder
    from translate.pipeline import Options, Pipeline

    os.environ["DEWIRE_HOME"] = str(work / "home-rss")
    pipeline = Pipeline(load_config(), Options(model=str(model), use_cache=False, threads=args.threads))
    samples: dict[int, int] = {}
    count = [0]

    def on_item(item) -> None:
        count[0] += 1
        if count[0] in (10, len(inputs)):
            samples[count[0]] = rss_kib()

    translate_folder(src, work / "tiny-rss", pipeline=pipeline, quiet=True, on_item=on_item)
    if len(samples) == 2:
        a, b = samples[10], samples[len(inputs)]
        print(f"  RSS after 10 documents {a / 1024:.1f} MiB, after {len(inputs)}: {b / 1024:.1f} MiB (growth {(b - a) / 1024:+.1f} MiB)")


def load() -> str:
    """The load average (1, 5, 15 min) as printed with every figure."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_opus(args: argparse.Namespace, work: Path) -> None:
    try:
        from opus_arch import build_opus_arch  # type: ignore[import-not-found]
    except ImportError:
        print("\n== opus architecture: benchmarks/opus_arch.py not found, skipped ==")
        return
    from translate.batch import translate_folder
    from translate.config import load_config
    from translate.pipeline import Options, Pipeline

    model = build_opus_arch()
    files = german_articles(args.opus_files)
    src = work / "opus-in"
    inputs = copy_inputs(files, src)
    print(f"\n== opus-mt architecture ({model}), {len(inputs)} corpus articles (newstest2014, ntrex128, 10kgnad in turn) ==", flush=True)
    os.environ["DEWIRE_HOME"] = str(work / "home-opus")
    pipeline = Pipeline(load_config(), Options(model=str(model), use_cache=False, threads=args.threads))
    pipeline.check_models()
    if not args.unforced:
        # Each model batch decodes ceil(1.1 x its longest source) tokens (benchmarks/forced_length.py), as a
        # trained model ends its hypotheses: without this, random weights never emit EOS, every row but a
        # batch's longest runs past its own output bound and is decoded again (one extra call per distinct
        # bound), which a trained model does only for a looping sentence.
        from forced_length import forced_length  # type: ignore[import-not-found]

        pipeline.translator.forced_new_tokens = forced_length
    mode = "unforced (random weights to their bounds)" if args.unforced else "forced lengths ceil(1.1 x longest source) per batch"
    print(f"  decoding: {mode}", flush=True)

    # Warm-up, not timed: first-call allocations, and the data the check and brief stages load on first use
    # (lexicon, gazetteer, name model), so neither timed run pays them.
    warm = pipeline.read("-", data="Ein Satz über Berlin, 3 Prozent.\n\nNoch ein Satz.\n".encode(), name="warm")
    list(pipeline.process([warm]))
    seen = [pipeline.translator.model_calls]

    def calls_since() -> int:
        """Model calls (CTranslate2 ``translate_batch`` calls, re-decodes included) since the last call."""
        now = pipeline.translator.model_calls
        out, seen[0] = now - seen[0], now
        return out

    big = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in inputs) + "\n"
    runs = [0]

    def batch_rate(group_docs: int) -> float:
        """Sentences/s of batch mode over the folder (model loaded), one run."""
        runs[0] += 1
        start = time.perf_counter()
        report = translate_folder(src, work / f"opus-batch-{runs[0]}", pipeline=pipeline, quiet=True, group_docs=group_docs, group_sentences=args.group_sentences)
        seconds = time.perf_counter() - start
        print(f"  batch mode, --group-docs {group_docs}, {args.group_sentences} sentences a run: {report.sentences} sentences in {seconds:.1f} s = {report.sentences / seconds:.2f} sentences/s, "
              f"{calls_since()} model calls  (load {load()})", flush=True)
        return report.sentences / seconds

    def one_rate() -> float:
        """Sentences/s of the same articles as one concatenated document, through the same stages, one run."""
        runs[0] += 1
        start = time.perf_counter()
        doc = pipeline.read("-", data=big.encode("utf-8"), name="all")
        (doc,) = pipeline.process([doc])  # translate, check, summarize, finish: the stages batch mode runs
        pipeline.write(doc, work / f"opus-big-{runs[0]}")
        seconds = time.perf_counter() - start
        print(f"  one concatenated document:  {doc.n_sentences} sentences in {seconds:.1f} s = {doc.n_sentences / seconds:.2f} sentences/s, "
              f"{calls_since()} model calls  (load {load()})", flush=True)
        return doc.n_sentences / seconds

    # Each repetition times batch mode and the one document back to back, in alternating order (A B, B A, ...),
    # so that a drift in the shared machine's speed falls on both sides.
    for group_docs in args.group_docs:
        ratios = []
        for rep in range(args.repeat):
            if rep % 2 == 0:
                b = batch_rate(group_docs)
                o = one_rate()
            else:
                o = one_rate()
                b = batch_rate(group_docs)
            ratios.append(b / o)
            print(f"  repetition {rep + 1}: ratio batch / one document {b / o:.3f}", flush=True)
        print(f"  --group-docs {group_docs}: ratio batch / one document, median of {len(ratios)}: {statistics.median(ratios):.3f} "
              f"(spread {min(ratios):.3f}-{max(ratios):.3f}; target >= 0.95)  (load {load()})", flush=True)

    for jobs in args.jobs:
        if jobs == 1:
            continue
        seconds = dewire(["translate", str(src), "-o", str(work / f"opus-j{jobs}"), "--model", str(model), "--no-cache", "-q", "--jobs", str(jobs)], work / f"home-oj{jobs}")
        seconds1 = dewire(["translate", str(src), "-o", str(work / "opus-j1"), "--model", str(model), "--no-cache", "-q", "--jobs", "1"], work / "home-oj1")
        row("batch mode --jobs 1 (process incl. load)", len(inputs), seconds1)
        row(f"batch mode --jobs {jobs} (process incl. load)", len(inputs), seconds)
        print(f"  ratio --jobs {jobs} / --jobs 1: {seconds1 / seconds:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=100, help="articles for the tiny-model runs (default: %(default)s)")
    parser.add_argument("--per-file", type=int, default=20, help="files for the one-process-per-file loop (default: %(default)s)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to compare (default: %(default)s)")
    parser.add_argument("--opus", action="store_true", help="also run the opus-mt-architecture comparison (slow)")
    parser.add_argument("--opus-files", type=int, default=6, help="articles for the opus-architecture runs (default: %(default)s)")
    parser.add_argument("--no-tiny", action="store_true", help="skip the tiny-model runs")
    parser.add_argument("--repeat", type=int, default=1, help="--opus: repetitions of the batch vs one-document comparison, in alternating order (default: %(default)s)")
    parser.add_argument("--unforced", action="store_true", help="--opus: let the random weights decode to their output bounds instead of forcing each batch's length")
    parser.add_argument("--group-docs", type=lambda v: [int(x) for x in v.split(",")], default=None, help="--opus: comma-separated translation group sizes to time (default: dewire's)")
    parser.add_argument("--group-sentences", type=int, default=None, help="--opus: sentences translated together inside a group (default: dewire's)")
    parser.add_argument("--threads", type=int, default=None, help="--threads for every run (default: dewire's, all cores)")
    args = parser.parse_args(argv)
    if args.group_sentences is None:
        from translate.batch import DEFAULT_GROUP_SENTENCES

        args.group_sentences = DEFAULT_GROUP_SENTENCES
    if args.group_docs is None:
        from translate.batch import DEFAULT_GROUP_DOCS

        args.group_docs = [DEFAULT_GROUP_DOCS]
    args.jobs = sorted({int(j) for j in args.jobs.split(",") if j.strip()})
    if args.threads:
        THREADS[:] = ["--threads", str(args.threads)]
    sys.path.insert(0, str(HERE))
    import torch

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, torch {torch.__version__}, {os.cpu_count()} CPUs, "
          f"--threads {args.threads or 'default'}, load average {load:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="dewire-batch-bench-") as tmp:
        work = Path(tmp)
        if not args.no_tiny:
            bench_tiny(args, work)
        if args.opus:
            bench_opus(args, work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
