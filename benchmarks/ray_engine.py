"""The Ray engine (``--engine ray``) vs the local engine on the same corpus documents (issue 15).

What it measures, all in one process so the ratios compare like with like:

1. **Throughput** on N articles from ``../shared/corpus/articles/`` (taken
   round-robin from its folders, as ``benchmarks/batch_speed.py`` does):
   ``translate_folder`` with the local in-process engine and with the Ray
   engine (a local Ray instance started and stopped by the run, W actors of T
   threads, K documents per task). Wall seconds, documents/s, sentences/s, and
   the ratio Ray ÷ local. The outputs of the two runs are compared file by file.
2. **Fixed cost**: the same two engines on one one-sentence document; the
   difference of the wall times is what Ray adds per run (start the instance,
   start the actor process and import torch there, load the model there
   instead of here, stop the instance). The Ray run also reports its own
   split: ``init`` (``ray.init``), ``first row`` (from the start of the run to
   the first finished document), ``shutdown``.
3. **Marginal cost per document** of each engine: (wall of N documents − wall
   of the one-sentence document) ÷ N, the figure the scaling projection in
   ``benchmarks/RESULTS.md`` starts from.
4. **Work outside the model** (``--echo-only``, or after the runs above): the
   local engine on the same articles with the deterministic echo translator —
   reading, segmenting, language checks, brief, writing — the CPU cost per
   document that every worker pays beside the model (on a GPU worker, on its CPU).
5. **The driver's manifest**: seconds to save ``.dewire-manifest.json`` with
   10 k and 100 k entries (the driver rewrites it after every task's worth of
   documents, so at a million documents this, not the workers, sets the pace).

Ray's workers run at nice 0 here, like the local engine (Ray's default is 15:
on a shared machine that alone would make the actor several times slower).
Every run uses ``use_cache=False`` (the Ray engine's actors never use the
translation cache) and its own ``DEWIRE_HOME``. Random weights never emit EOS,
so every hypothesis runs to its length cap: absolute speeds are pessimistic,
ratios are what count. Print-only; numbers go to benchmarks/RESULTS.md by hand,
with the load average printed here.

Usage::

    python3 benchmarks/ray_engine.py                            # opus-mt architecture, 200 articles
    python3 benchmarks/ray_engine.py --docs 6 --model tiny      # a loaded machine: fewer, and say so
    python3 benchmarks/ray_engine.py --opus-dir PATH            # reuse a built benchmarks/opus_arch.py model
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from batch_speed import CORPUS, copy_inputs, german_articles  # noqa: E402


def load() -> str:
    """``uptime``'s load averages (1, 5, 15 min)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def run_engine(name: str, src: Path, out: Path, model: str, threads: int, executor: object) -> dict[str, float]:
    """One ``translate_folder`` run; wall seconds, documents and sentences done."""
    from translate.batch import translate_folder
    from translate.config import load_config
    from translate.pipeline import Options, Pipeline

    os.environ["DEWIRE_HOME"] = str(out.parent / f"home-{out.name}")
    pipeline = Pipeline(load_config(), Options(model=model, threads=threads, use_cache=False))
    start = time.perf_counter()
    report = translate_folder(src, out, pipeline=pipeline, quiet=True, executor=executor)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    failed = [(i.relative, i.reason) for i in report.items if i.status == "failed"]
    if failed:
        raise SystemExit(f"{name}: {len(failed)} failed: {failed[:3]}")
    return {"seconds": seconds, "docs": report.count("done"), "sentences": report.sentences}


def same_outputs(a: Path, b: Path) -> tuple[int, list[str]]:
    """Output files compared byte for byte (manifest, digest and report.html, which holds wall-clock times, aside)."""
    names = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file() and p.name not in (".dewire-manifest.json", "index.html") and not p.name.endswith(".report.html"))
    differ = [n for n in names if not (b / n).is_file() or not filecmp.cmp(a / n, b / n, shallow=False)]
    return len(names), differ


def echo_seconds(src: Path, out: Path) -> dict[str, float]:
    """The local engine on ``src`` with the echo translator: the per-document work outside the model."""
    from translate.batch import InProcessExecutor, translate_folder
    from translate.config import load_config
    from translate.mt.echo import EchoTranslator
    from translate.pipeline import Options, Pipeline

    os.environ["DEWIRE_HOME"] = str(out.parent / "home-echo")
    pipeline = Pipeline(load_config(), Options(threads=1, use_cache=False), translator=EchoTranslator())
    start = time.perf_counter()
    report = translate_folder(src, out, pipeline=pipeline, executor=InProcessExecutor())
    return {"seconds": time.perf_counter() - start, "docs": report.count("done"), "sentences": report.sentences}


def manifest_save_seconds(entries: int, work: Path) -> float:
    """Seconds for one :meth:`Manifest.save` with ``entries`` typical done entries."""
    from translate.batch.manifest import Manifest, ManifestEntry

    manifest = Manifest(work / f"manifest-{entries}.json")
    sample = {
        "sha256": "0" * 64, "settings": "0" * 16, "status": "done", "reason": None, "out_parent": "2024/05",
        "stem": "article", "outputs": [f"2024/05/article.{s}" for s in ("report.html", "aligned.jsonl", "en.txt", "brief.md", "brief.json")],
        "sentences": 24, "flags": 2, "seconds": 3.2, "title": "A title of a news article", "bullets": ["One bullet of the brief."] * 4,
        "warnings": [], "modified": 1.7e9, "finished": "2026-01-01T00:00:00Z",
    }
    for i in range(entries):
        manifest.files[f"2024/05/article-{i:07d}.txt"] = ManifestEntry.from_json(sample)  # type: ignore[assignment]
    start = time.perf_counter()
    manifest.save()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200, help="articles (default: %(default)s)")
    parser.add_argument("--model", choices=("opus", "tiny"), default="opus", help="opus: benchmarks/opus_arch.py; tiny: tests/tiny_marian.py")
    parser.add_argument("--opus-dir", type=Path, help="an already built opus_arch model folder")
    parser.add_argument("--threads", type=int, default=1, help="torch threads, per engine and per Ray actor (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=1, help="Ray actors (default: %(default)s)")
    parser.add_argument("--docs-per-task", type=int, default=8, help="documents per Ray task (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--echo-only", action="store_true", help="only measure the work outside the model (4.) and the manifest (5.)")
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Ray starts its workers at nice 15 (RAY_worker_niceness); the local engine runs at nice 0. On a machine
    # shared with other jobs that alone makes the actor several times slower, so both run at 0 here.
    os.environ.setdefault("RAY_worker_niceness", "0")
    from translate.batch import InProcessExecutor
    from translate.batch.ray_engine import RayExecutor

    work = Path(tempfile.mkdtemp(prefix="dewire-ray-bench-"))
    try:
        if args.echo_only:
            inputs = copy_inputs(german_articles(args.docs), work / "in")
            echo = echo_seconds(work / "in", work / "echo")
            print(f"echo translator, local engine: {echo['docs']} of {len(inputs)} articles, {echo['sentences']} sentences in {echo['seconds']:.1f} s: "
                  f"{echo['seconds'] / max(1, echo['docs']):.3f} s per document outside the model (one thread); load average {load()}")
            for entries in (10_000, 100_000):
                print(f"manifest save with {entries:>7} entries: {manifest_save_seconds(entries, work):.2f} s", flush=True)
            return
        if args.model == "opus":
            if args.opus_dir:
                model = args.opus_dir
            else:
                from opus_arch import build_opus_arch  # type: ignore[import-not-found]

                model = build_opus_arch()
        else:
            from tests.tiny_marian import build_tiny_marian

            model = build_tiny_marian(work / "tiny-marian")
        src = work / "in"
        inputs = copy_inputs(german_articles(args.docs), src)
        one = work / "one"
        one.mkdir()
        (one / "one.txt").write_text("Der Gemeinderat hat am Dienstag den Haushalt beschlossen.\n", encoding="utf-8")
        print(f"model {model}; {len(inputs)} articles from {CORPUS}; torch threads {args.threads}; "
              f"Ray: {args.workers} actor(s) x {args.threads} thread(s), {args.docs_per_task} documents per task; "
              f"{os.cpu_count()} cores; load average {load()}", flush=True)

        results = {}
        for label, folder in (("one-sentence document", one), (f"{len(inputs)} articles", src)):
            local = run_engine("local", folder, work / f"local-{folder.name}", str(model), args.threads, InProcessExecutor())
            print(f"  local engine  {label:<24} {local['seconds']:8.1f} s  ({local['docs']} docs, {local['sentences']} sentences)  load {load()}", flush=True)
            ray = RayExecutor(workers=args.workers, docs_per_task=args.docs_per_task, threads_per_worker=args.threads)
            remote = run_engine("ray", folder, work / f"ray-{folder.name}", str(model), args.threads, ray)
            c = ray.cluster
            print(f"  Ray engine    {label:<24} {remote['seconds']:8.1f} s  (init {c.get('init_s', 0):.1f} s, first row {c.get('first_row_s', 0):.1f} s, "
                  f"shutdown {c.get('shutdown_s', 0):.1f} s)  load {load()}", flush=True)
            results[folder.name] = (local, remote)
            count, differ = same_outputs(work / f"local-{folder.name}", work / f"ray-{folder.name}")
            print(f"    outputs (report.html aside): {count - len(differ)}/{count} files byte-identical" + (f"; differ: {differ[:5]}" if differ else ""), flush=True)

        (l1, r1), (ln, rn) = results["one"], results["in"]
        fixed = r1["seconds"] - l1["seconds"]
        marginal_local = (ln["seconds"] - l1["seconds"]) / ln["docs"]
        marginal_ray = (rn["seconds"] - r1["seconds"]) / rn["docs"]
        print(f"\n  throughput, whole runs: local {ln['docs'] / ln['seconds']:.3f} docs/s ({ln['sentences'] / ln['seconds']:.2f} sentences/s), "
              f"Ray {rn['docs'] / rn['seconds']:.3f} docs/s; ratio Ray / local {ln['seconds'] / rn['seconds']:.2f}x")
        print(f"  fixed cost of a Ray run (one-sentence document, Ray - local): {fixed:.1f} s")
        print(f"  marginal seconds per document: local {marginal_local:.2f}, Ray {marginal_ray:.2f} (ratio local / Ray {marginal_local / marginal_ray:.2f}x)")
        print(f"  sentences per article: {ln['sentences'] / ln['docs']:.1f}")
        for entries in (10_000, 100_000):
            print(f"  manifest save with {entries:>7} entries: {manifest_save_seconds(entries, work):.2f} s", flush=True)
        print(f"  load average at the end: {load()}")
        print(json.dumps({"local": results["in"][0], "ray": results["in"][1], "fixed_s": fixed, "marginal_local_s": marginal_local, "marginal_ray_s": marginal_ray}))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
