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
6. **Byte for byte** (``--compare [DIR]``): ``dewire translate IN -o OUT`` with
   the local engine and with ``--engine ray``, *default options* (the same
   translation groups, dewire's default ``--group-docs``; the local engine with its
   translation cache on, in a fresh ``DEWIRE_HOME``; the Ray actors without
   it), on IN = the ``*.txt`` files of DIR (default: the 108 real articles of
   ``../shared/corpus/articles/10kgnad``) plus a binary file and an empty
   file. Every file of the two OUTs is compared byte for byte, masking only
   the wall-clock times (the report's "took … s", the manifest's
   ``seconds``/``finished``). Then a control run: Ray with ``--group-docs 5``
   (another partition, so other batches), which must differ from the local
   run where batches matter, or the comparison proves nothing. ``--model
   tiny`` runs the real CLI in subprocesses; ``--model opus`` runs
   ``translate_folder`` (the CLI's one call) in this process with the
   opus-mt-shaped random model decoding forced lengths
   (``benchmarks/forced_length.py``), the only way such a model ends a
   sentence.
5. **The driver's manifest**: seconds to write the snapshot
   ``.dewire-manifest.json`` with 10 k and 100 k entries (now only at
   compaction: a commit appends to the journal, see
   ``benchmarks/manifest_journal.py``).

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
    python3 benchmarks/ray_engine.py --compare --model tiny     # 6.: the real CLI, tiny model, 10kgnad + 2 bad files
    python3 benchmarks/ray_engine.py --compare DIR --model opus # 6.: opus-mt shape, forced lengths
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from batch_speed import CORPUS, copy_inputs, german_articles  # noqa: E402

from translate.batch.work import DEFAULT_GROUP_DOCS  # noqa: E402


def load() -> str:
    """``uptime``'s load averages (1, 5, 15 min)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def run_engine(name: str, src: Path, out: Path, model: str, threads: int, executor: object, group_docs: int | None = None) -> dict[str, float]:
    """One ``translate_folder`` run; wall seconds, documents and sentences done."""
    from translate.batch import translate_folder
    from translate.config import load_config
    from translate.pipeline import Options, Pipeline

    os.environ["DEWIRE_HOME"] = str(out.parent / f"home-{out.name}")
    pipeline = Pipeline(load_config(), Options(model=model, threads=threads, use_cache=False))
    start = time.perf_counter()
    report = translate_folder(src, out, pipeline=pipeline, quiet=True, executor=executor, **({"group_docs": group_docs} if group_docs else {}))  # type: ignore[arg-type]
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
    """Seconds for one snapshot write (:meth:`Manifest.compact`, the old whole-file save) with ``entries`` typical done entries.

    A commit during a run now only appends to the journal (``benchmarks/manifest_journal.py`` measures both)."""
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
    manifest.compact()
    return time.perf_counter() - start


_TIMES = (
    (re.compile(rb'<span(?: title="[^"]*")?>took [^<]*</span>'), b"took ..."),  # report.html (as tests/test_ray_engine.py)
    (re.compile(rb"Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC"), b"Generated ..."),  # index.html: when
    (re.compile(rb'data-seconds="[0-9.]+"'), b'data-seconds="..."'),  # index.html: seconds per document
    (re.compile(rb'<span class="label">seconds </span>[0-9.]+'), b'<span class="label">seconds </span>...'),
)
"""Wall-clock times in the HTML outputs: the only bytes masked."""

BAD_FILES = {"binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "empty.txt": b""}


def _masked(path: Path) -> bytes:
    """A file's bytes with only wall-clock times masked (:data:`_TIMES`; manifest: updated, seconds, finished)."""
    data = path.read_bytes()
    if path.name.endswith(".html"):
        for pattern, mask in _TIMES:
            data = pattern.sub(mask, data)
        return data
    if path.name == ".dewire-manifest.json":
        manifest = json.loads(data)
        manifest.pop("updated", None)
        for entry in manifest.get("files", {}).values():
            entry.pop("seconds", None)
            entry.pop("finished", None)
        return json.dumps(manifest, sort_keys=True).encode("utf-8")
    return data


def compare_trees(a: Path, b: Path) -> tuple[list[str], list[str]]:
    """Every file under ``a`` and ``b`` (the ownership record aside: it names temporaries); (all names, those that differ)."""
    from translate.ownership import RECORD_NAME

    names = sorted({p.relative_to(root).as_posix() for root in (a, b) for p in root.rglob("*") if p.is_file() and p.name != RECORD_NAME})
    differ = [n for n in names if not (a / n).is_file() or not (b / n).is_file() or _masked(a / n) != _masked(b / n)]
    return names, differ


def ray_environment(work: Path) -> dict[str, str]:
    """The environment of a Ray run here: loopback only, no usage stats, HOME (auth token) in ``work``, workers at nice 0."""
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0",
        RAY_USAGE_STATS_ENABLED="0",
        RAY_worker_niceness="0",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        # the Ray workers import forced_length.ForcedLengthTranslator (pickled by reference) and translate
        PYTHONPATH=os.pathsep.join([str(HERE), str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    return env


def compare_inputs(folder: Path | None, work: Path) -> Path:
    """IN: the ``*.txt`` files of ``folder`` (default 10kgnad's 108 articles) plus a binary and an empty file."""
    folder = folder or CORPUS / "10kgnad"
    src = work / "in"
    src.mkdir(parents=True)
    for path in sorted(folder.glob("*.txt")):
        shutil.copyfile(path, src / path.name)
    for name, data in BAD_FILES.items():
        (src / name).write_bytes(data)
    return src


def compare(args: argparse.Namespace, work: Path) -> int:
    """6. in the module docstring: local vs Ray with default options, every file byte for byte; 0 when all equal."""
    env = ray_environment(work)
    os.environ.update({k: env[k] for k in ("HOME", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "RAY_USAGE_STATS_ENABLED", "RAY_worker_niceness", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TOKENIZERS_PARALLELISM", "PYTHONPATH")})
    src = compare_inputs(args.compare if isinstance(args.compare, Path) else None, work)
    n_inputs = len(list(src.iterdir()))
    if args.model == "tiny":
        from tests.tiny_marian import build_tiny_marian

        model = str(build_tiny_marian(work / "tiny-marian"))
    else:
        model = str(args.opus_dir or __import__("opus_arch").build_opus_arch())
    print(f"compare: {n_inputs} inputs ({n_inputs - 2} articles from {args.compare if isinstance(args.compare, Path) else CORPUS / '10kgnad'}, a binary and an empty file); "
          f"model {args.model} ({model}); {os.cpu_count()} cores; load average {load()}", flush=True)

    def run(label: str, extra: list[str]) -> tuple[float, int]:
        out = work / label
        home = work / f"dewire-home-{label}"  # a fresh translation cache for every run
        start = time.perf_counter()
        if args.model == "tiny":
            argv = [sys.executable, "-m", "translate", "translate", str(src), "-o", str(out), "--model", model, "-q", *extra]
            result = subprocess.run(argv, cwd=REPO, env={**env, "DEWIRE_HOME": str(home)}, capture_output=True, text=True)
            code = result.returncode
            failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
            if code not in (0, 1) or len(failed) != 2:
                raise SystemExit(f"{label}: exit {code}: {result.stderr[-2000:]}")
        else:
            code = run_forced(src, out, home, model, extra)
        seconds = time.perf_counter() - start
        print(f"  {label:<22} {seconds:8.1f} s  exit {code}  load {load()}", flush=True)
        return seconds, code

    run("local", [])
    run("ray", ["--engine", "ray"])
    names, differ = compare_trees(work / "local", work / "ray")
    same = not differ
    print(f"  local vs ray, default options: {len(names) - len(differ)}/{len(names)} files byte-identical (times masked)"
          + (f"; differ: {differ[:8]}" if differ else ""), flush=True)
    if not args.no_control:
        run("ray-group-docs-5", ["--engine", "ray", "--group-docs", "5"])
        _, control = compare_trees(work / "local", work / "ray-group-docs-5")
        print(f"  control, Ray with --group-docs 5 (other batches): {len(control)}/{len(names)} files differ from local"
              + (" (the comparison sees batch effects)" if control else " (this model and corpus show no batch effect: the comparison above proves less)"), flush=True)
    print(f"  load average at the end: {load()}")
    return 0 if same else 1


def run_forced(src: Path, out: Path, home: Path, model: str, extra: list[str]) -> int:
    """``dewire translate SRC -o OUT [EXTRA]`` as the CLI calls it (``translate_folder``), with a forced-length translator.

    The local engine gets it behind the translation cache (a fresh one in ``home``), as the default
    options do; the Ray engine's actors get it without (the engine's cache policy). Returns the CLI's exit code.
    """
    from forced_length import ForcedLengthTranslator  # type: ignore[import-not-found]

    from translate.batch import translate_folder
    from translate.batch.executors import make_executor
    from translate.config import load_config
    from translate.mt.cache import CachedTranslator
    from translate.pipeline import Options, Pipeline

    os.environ["DEWIRE_HOME"] = str(home)
    engine = "ray" if "--engine" in extra else "local"
    group = {"group_docs": int(extra[extra.index("--group-docs") + 1])} if "--group-docs" in extra else {}
    translator = ForcedLengthTranslator(model)
    pipeline = Pipeline(load_config(), Options(model=model), translator=CachedTranslator(translator) if engine == "local" else translator)
    report = translate_folder(src, out, pipeline=pipeline, executor=make_executor(engine), **group)
    failed = [i for i in report.items if i.status == "failed"]
    if len(failed) != 2:
        raise SystemExit(f"{out.name}: {len(failed)} failed, expected the binary and the empty file: {[(i.relative, i.reason) for i in failed][:3]}")
    return 0 if report.ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200, help="articles (default: %(default)s)")
    parser.add_argument("--model", choices=("opus", "tiny"), default="opus", help="opus: benchmarks/opus_arch.py; tiny: tests/tiny_marian.py")
    parser.add_argument("--opus-dir", type=Path, help="an already built opus_arch model folder")
    parser.add_argument("--threads", type=int, default=1, help="torch threads, per engine and per Ray actor (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=1, help="Ray actors (default: %(default)s)")
    parser.add_argument("--group-docs", "--docs-per-task", dest="group_docs", type=int, default=DEFAULT_GROUP_DOCS,
                        help="documents per translation group, both engines (a Ray task is one group; default: dewire's, %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--echo-only", action="store_true", help="only measure the work outside the model (4.) and the manifest (5.)")
    parser.add_argument("--compare", nargs="?", const=True, type=Path, metavar="DIR",
                        help="6.: local vs --engine ray, default options, every output byte for byte, on DIR's *.txt (default: corpus articles/10kgnad) + 2 bad files")
    parser.add_argument("--no-control", action="store_true", help="--compare: skip the control run with --group-docs 5")
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
        if args.compare:
            raise SystemExit(compare(args, work))
        if args.echo_only:
            inputs = copy_inputs(german_articles(args.docs), work / "in")
            echo = echo_seconds(work / "in", work / "echo")
            print(f"echo translator, local engine: {echo['docs']} of {len(inputs)} articles, {echo['sentences']} sentences in {echo['seconds']:.1f} s: "
                  f"{echo['seconds'] / max(1, echo['docs']):.3f} s per document outside the model (one thread); load average {load()}")
            for entries in (10_000, 100_000):
                print(f"manifest snapshot (compaction) with {entries:>7} entries: {manifest_save_seconds(entries, work):.2f} s", flush=True)
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
              f"Ray: {args.workers} actor(s) x {args.threads} thread(s), {args.group_docs} documents per group (= Ray task); "
              f"{os.cpu_count()} cores; load average {load()}", flush=True)

        results = {}
        for label, folder in (("one-sentence document", one), (f"{len(inputs)} articles", src)):
            local = run_engine("local", folder, work / f"local-{folder.name}", str(model), args.threads, InProcessExecutor(), args.group_docs)
            print(f"  local engine  {label:<24} {local['seconds']:8.1f} s  ({local['docs']} docs, {local['sentences']} sentences)  load {load()}", flush=True)
            ray = RayExecutor(workers=args.workers, threads_per_worker=args.threads)
            remote = run_engine("ray", folder, work / f"ray-{folder.name}", str(model), args.threads, ray, args.group_docs)
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
            print(f"  manifest snapshot (compaction) with {entries:>7} entries: {manifest_save_seconds(entries, work):.2f} s", flush=True)
        print(f"  load average at the end: {load()}")
        print(json.dumps({"local": results["in"][0], "ray": results["in"][1], "fixed_s": fixed, "marginal_local_s": marginal_local, "marginal_ray_s": marginal_ray}))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
