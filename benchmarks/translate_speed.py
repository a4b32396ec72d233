"""Translation speed: naive per-sentence ``generate`` vs dewire's backends vs CTranslate2 itself.

Protocol (issue 4, "Measured, in a benchmark script"):

* Model: the exact opus-mt-de-en architecture with random (seeded) weights and
  a SentencePiece vocabulary trained on ``../shared/corpus/``
  (:mod:`opus_arch`; built once into ``benchmarks/.cache/``). ``--quick`` uses
  the tiny model of ``tests/tiny_marian.py`` instead (seconds, for a smoke test).
* Input: the first ``--sentences`` (default 300) lines of
  ``../shared/corpus/wmt/newstest2019.de-en.de`` (WMT19, original German news).
* Forced lengths: random weights never emit EOS by themselves, so every
  method decodes a fixed number of tokens: ``min = max new tokens =
  ⌈1.1 × source tokens⌉``. Methods that batch decode a whole batch to the
  length of its longest source (one bound per batch: transformers'
  ``min_new_tokens``/``max_new_tokens`` and CTranslate2's
  ``min/max_decoding_length`` are per call), so they decode a few percent more
  tokens than the naive method (the "extra" column); throughput is always
  counted in the *useful* tokens ``Σ⌈1.1 × source tokens⌉``, identical for
  every method, so the extra work counts against the batching methods.
* Methods, each with greedy search and beam 4:

  (a) ``naive``: ``model.generate`` on one sentence at a time, as most
      tutorials do (fp32, transformers' defaults);
  (b) ``dewire``: dewire's default backend (``TransformersTranslator`` via
      ``translate.mt.load_translator``, ``use_cache=False``);
  (c) ``dewire-ct2``: dewire with ``--backend ctranslate2``, int8;
  (d) ``ct2-direct``: ``ctranslate2.Translator.translate_batch`` called
      directly on the same pre-tokenized sentences, the same batches, workers
      and settings — the practical ceiling; c/d shows dewire's overhead.

  ``--batching`` adds (e)/(f): CTranslate2 directly, every sentence decoded
  to one fixed length, batched by dewire's plan vs by CTranslate2 itself.

* Each method runs in its own child process (``--threads`` CPU threads,
  default 2). Peak memory is the child's own high-water mark, ``VmHWM`` of
  ``/proc/self/status`` (model load and imports included): unlike
  ``ru_maxrss``, which a child started by fork+exec inherits from a parent
  that already held a model, ``VmHWM`` belongs to the new address space. The
  parent never imports torch either (versions come from package metadata). A
  short untimed warm-up precedes the timed run; loading and conversion are not
  timed (the CTranslate2 conversion is done once, before the measurements,
  into ``benchmarks/.cache/dewire-home/ct2``).
* ``--bound-check``: the per-sentence output bound at beam 4 (and greedy).
  Methods (b) and (c) decode *without* forced lengths — the random-weight
  model never emits EOS, so every sentence runs to its bound — once with each
  sentence bounded by its own length (dewire's rule) and once with every
  sentence of a batch bounded by the batch's longest (``row_bound = False``,
  dewire 0.1). Prints sentences/s and decoded tokens/s of both: the per-token
  rate shows the bound's overhead, sentences/s the work it saves.

Usage::

    python benchmarks/translate_speed.py                  # 300 sentences, ≈ 12 min on an idle 2-core machine
    python benchmarks/translate_speed.py --sentences 150  # the naive runs dominate (≈ 2/3 of the time)
    python benchmarks/translate_speed.py --quick          # tiny model, 20 sentences, smoke test
    python benchmarks/translate_speed.py --batching       # also (e)/(f): plan_batches vs CTranslate2's batching
    python benchmarks/translate_speed.py --bound-check --beams 4 --sentences 100   # per-sentence bound cost
    python benchmarks/translate_speed.py --bound-check --methods bound-batch-c,bound-own-c   # only CTranslate2
    python benchmarks/translate_speed.py --ct2-batch-tokens 4096 --ct2-max-batch-sentences 32   # tune c, d
    python benchmarks/translate_speed.py --threads 1 --repeat 3   # on a busy machine

Prints one table (sentences/s, useful and decoded target tokens/s, peak
memory, load average), the CPU's int8-relevant flags, and the ratios b/a, c/a
and c/d. ``dewire-ct2`` is what ``backend: auto`` runs when CTranslate2 is
installed. Timings are from one run unless ``--repeat``; on a shared machine
whose load exceeds its CPU count, 2-thread PyTorch slows down far more than
CTranslate2, so the ratios inflate: compare runs by the load column. Measured
results: ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache"
NEWSTEST = REPO.parent / "shared" / "corpus" / "wmt" / "newstest2019.de-en.de"
FORCE_RATIO = 1.1
"""Forced target length = ⌈FORCE_RATIO × source tokens⌉ (issue 4)."""

METHODS = ("naive", "dewire", "dewire-ct2", "ct2-direct")
LETTERS = {"naive": "a", "dewire": "b", "dewire-ct2": "c", "ct2-direct": "d", "ct2-planned": "e", "ct2-internal": "f",
           "bound-own-b": "b", "bound-batch-b": "b", "bound-own-c": "c", "bound-batch-c": "c"}
BOUND_METHODS = ("bound-batch-b", "bound-own-b", "bound-batch-c", "bound-own-c")

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def forced_length(source_tokens: int) -> int:
    """⌈1.1 × source tokens⌉ (source tokens include EOS)."""
    return math.ceil(FORCE_RATIO * source_tokens)


# -- child side -----------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's own peak resident memory in MB: ``VmHWM`` (not inherited across exec), else ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


INT8_FLAGS = ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8", "neon", "asimddp")
"""CPU flags that decide int8 GEMM speed (oneDNN/MKL kernels: AVX-512 VNNI ≫ AVX2), in /proc/cpuinfo's names."""


def cpu_int8_flags() -> str:
    """The :data:`INT8_FLAGS` this CPU has, space-separated (``?`` where /proc/cpuinfo is unavailable)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "?"
    flags: set[str] = set()
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            flags.update(line.split(":", 1)[1].split())
    return " ".join(f for f in INT8_FLAGS if f in flags) or "none"


def _cfg(model_dir: str, beams: int, backend: Any, args: argparse.Namespace) -> Any:
    from translate.config import TranslatorConfig

    return TranslatorConfig(
        model=model_dir,
        backend=backend,
        beams=beams,
        device="cpu",
        threads=args.threads,
        batch_tokens=args.batch_tokens,
        max_batch_sentences=args.max_batch_sentences,
    )


def _run_child(args: argparse.Namespace) -> dict[str, Any]:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sentences = json.loads(Path(args.sentences_file).read_text(encoding="utf-8"))
    method, beams, model_dir = args.child, args.beams, args.model_dir
    warm = sentences[:2]
    result: dict[str, Any] = {"method": method, "beams": beams}

    if method == "prepare":
        from translate.mt import load_translator

        tr: Any = load_translator(model_dir, _cfg(model_dir, 1, "ctranslate2", args), use_cache=False)
        tr.translator  # converts once (cached under DEWIRE_HOME)
        lengths = tr.count_tokens(sentences)
        return {"ct2_dir": str(tr.ct2_dir), "converted": tr.converted, "lengths": lengths, "compute_type": tr.compute_type}

    if method == "naive":
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        torch.set_num_threads(args.threads)
        tok = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
        model.eval()
        model.generation_config.max_length = None

        def run_naive(batch: list[str]) -> int:
            done = 0
            for s in batch:
                enc = tok(s, return_tensors="pt")
                n = forced_length(int(enc["input_ids"].shape[1]))
                out = model.generate(**enc, num_beams=beams, min_new_tokens=n, max_new_tokens=n)
                tok.decode(out[0], skip_special_tokens=True)
                done += n
            return done

        run_naive(warm)
        seconds, decoded = _best(lambda: run_naive(sentences), args.repeat)

    elif method in ("dewire", "dewire-ct2"):
        from translate.mt import load_translator
        from translate.mt.batching import plan_batches

        backend = "transformers" if method == "dewire" else "ctranslate2"
        tr = load_translator(model_dir, _cfg(model_dir, beams, backend, args), use_cache=False)
        translator_any: Any = tr
        translator_any.forced_new_tokens = forced_length  # both backends have the hook
        tr.translate_batch(warm)
        seconds, hyps = _best(lambda: tr.translate_batch(sentences), args.repeat)
        assert len(hyps) == len(sentences)
        # Decoded tokens: each planned batch decodes its size × the forced length of its longest source.
        ls = tr.count_tokens(sentences)
        planned = plan_batches(ls, args.batch_tokens, args.max_batch_sentences)
        decoded = sum(len(b) * forced_length(max(ls[i] for i in b)) for b in planned)
        result["model_calls"] = translator_any.model_calls

    elif method in ("bound-own-b", "bound-batch-b", "bound-own-c", "bound-batch-c"):
        from translate.mt import load_translator

        backend = "transformers" if method.endswith("-b") else "ctranslate2"
        tr = load_translator(model_dir, _cfg(model_dir, beams, backend, args), use_cache=False)
        translator_any = tr
        translator_any.row_bound = method.startswith("bound-own")
        tr.translate_batch(warm)
        seconds, hyps = _best(lambda: tr.translate_batch(sentences), args.repeat)
        decoded = sum(h.n_tokens for h in hyps)

    elif method in ("ct2-direct", "ct2-planned", "ct2-internal"):
        import ctranslate2
        from transformers import MarianTokenizer  # AutoTokenizer would import torch (≈ 230 MB)

        from translate.mt.batching import plan_batches
        from translate.mt.ctranslate2_backend import split_batch, split_threads

        tok = MarianTokenizer.from_pretrained(model_dir)
        inter, intra = split_threads(args.threads, "cpu")  # the same workers × threads as dewire
        translator = ctranslate2.Translator(
            args.ct2_dir, device="cpu", compute_type="int8", inter_threads=inter, intra_threads=intra
        )
        result["inter_threads"], result["intra_threads"] = inter, intra
        tokens = [tok.convert_ids_to_tokens(ids) for ids in tok(sentences)["input_ids"]]
        ls = [len(t) for t in tokens]
        common = {"beam_size": beams, "length_penalty": 1.0, "max_input_length": 0, "return_scores": True}
        fixed = forced_length(round(sum(ls) / len(ls)))

        def run_planned(idx: list[int], fixed_len: int | None) -> int:
            # dewire's plan, each batch cut into one chunk per worker, all submitted asynchronously.
            done = 0
            sub = [ls[i] for i in idx]
            pending = []
            for b in plan_batches(sub, args.batch_tokens, args.max_batch_sentences):
                n = fixed_len or forced_length(max(sub[i] for i in b))
                for chunk in split_batch(b, inter):
                    pending += translator.translate_batch(
                        [tokens[idx[i]] for i in chunk],
                        min_decoding_length=n,
                        max_decoding_length=n,
                        asynchronous=True,
                        **common,
                    )
                done += n * len(b)
            for r in pending:
                r.result()
            return done

        def run_internal(idx: list[int]) -> int:
            translator.translate_batch(
                [tokens[i] for i in idx],
                max_batch_size=math.ceil(args.max_batch_sentences / inter),
                batch_type="examples",
                min_decoding_length=fixed,
                max_decoding_length=fixed,
                **common,
            )
            return fixed * len(idx)

        run: Callable[[list[int]], int]
        if method == "ct2-direct":
            run = lambda idx: run_planned(idx, None)  # noqa: E731
        elif method == "ct2-planned":
            run = lambda idx: run_planned(idx, fixed)  # noqa: E731
        else:
            run = run_internal
        run([0, 1])
        all_idx = list(range(len(sentences)))
        seconds, decoded = _best(lambda: run(all_idx), args.repeat)
        if method != "ct2-direct":
            result["fixed_length"] = fixed
    else:
        raise SystemExit(f"unknown method {method!r}")

    result.update(
        seconds=seconds, decoded=decoded, sentences=len(sentences), peak_rss_mb=_peak_rss_mb(), load=os.getloadavg()[0]
    )
    return result


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Run ``fn`` ``repeat`` times; the shortest wall time (seconds) and the last result."""
    best, value = math.inf, None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


# -- parent side ----------------------------------------------------------------


def _child(args: argparse.Namespace, method: str, beams: int, model_dir: Path, sentences_file: Path, ct2_dir: str | None) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child", method,
        "--beams", str(beams),
        "--model-dir", str(model_dir),
        "--sentences-file", str(sentences_file),
        "--threads", str(args.threads),
        "--batch-tokens", str(_budget(args, method)[0]),
        "--max-batch-sentences", str(_budget(args, method)[1]),
        "--repeat", str(args.repeat),
    ]
    if ct2_dir:
        cmd += ["--ct2-dir", ct2_dir]
    env = {
        **os.environ,
        "OMP_NUM_THREADS": str(args.threads),
        "MKL_NUM_THREADS": str(args.threads),
        "TOKENIZERS_PARALLELISM": "false",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "DEWIRE_HOME": str(CACHE / "dewire-home"),
        "PYTHONWARNINGS": "ignore",
    }
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
    line = next((ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"child {method} beam {beams} failed (exit {proc.returncode})")
    return json.loads(line[len("RESULT "):])


def _budget(args: argparse.Namespace, method: str) -> tuple[int, int]:
    """(batch tokens, max sentences) for ``method``: the ``--ct2-…`` overrides apply to the CTranslate2 methods."""
    if method in ("dewire-ct2", "ct2-direct", "ct2-planned", "ct2-internal", "prepare", "bound-own-c", "bound-batch-c"):
        return (args.ct2_batch_tokens or args.batch_tokens, args.ct2_max_batch_sentences or args.max_batch_sentences)
    return args.batch_tokens, args.max_batch_sentences


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sentences", type=int, default=None, help="number of newstest2019 sentences (default 300; 20 with --quick)")
    p.add_argument("--quick", action="store_true", help="tiny test model instead of the opus-mt-shaped one")
    p.add_argument("--threads", type=int, default=2, help="CPU threads per method (default 2)")
    p.add_argument("--beams", default="1,4", help="comma-separated beam sizes (default 1,4)")
    p.add_argument("--methods", default=",".join(METHODS), help=f"comma-separated subset of {','.join(METHODS)}")
    p.add_argument("--batching", action="store_true", help="also compare CTranslate2's own batching with plan_batches at one fixed length")
    p.add_argument("--batch-tokens", type=int, default=None, help="token budget per batch (default: dewire's, 1024)")
    p.add_argument("--max-batch-sentences", type=int, default=None, help="sentences per batch (default: dewire's, 16)")
    p.add_argument("--ct2-batch-tokens", type=int, default=None, help="token budget for the CTranslate2 methods (c, d; default: --batch-tokens)")
    p.add_argument("--ct2-max-batch-sentences", type=int, default=None, help="sentences per batch for c, d (default: --max-batch-sentences)")
    p.add_argument("--bound-check", action="store_true", help="only compare the per-sentence output bound with the per-batch one (b, c; natural decoding)")
    p.add_argument("--repeat", type=int, default=1, help="timed runs per method; the fastest counts (default 1)")
    p.add_argument("--json", metavar="FILE", help="also write the raw results as JSON")
    # child-process arguments (internal)
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--model-dir", help=argparse.SUPPRESS)
    p.add_argument("--sentences-file", help=argparse.SUPPRESS)
    p.add_argument("--ct2-dir", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.batch_tokens is None or args.max_batch_sentences is None:
        from translate.config import TranslatorConfig

        defaults = TranslatorConfig(model="x")
        args.batch_tokens = args.batch_tokens or defaults.batch_tokens
        args.max_batch_sentences = args.max_batch_sentences or defaults.max_batch_sentences

    if args.child:
        args.beams = int(args.beams)
        result = _run_child(args)
        sys.stdout.write("RESULT " + json.dumps(result) + "\n")
        return 0

    n = args.sentences or (20 if args.quick else 300)
    if not NEWSTEST.is_file():
        raise SystemExit(f"{NEWSTEST} not found (the benchmark needs ../shared/corpus/)")
    lines = [ln.strip() for ln in NEWSTEST.read_text(encoding="utf-8").splitlines() if ln.strip()]
    sentences = lines[:n]
    CACHE.mkdir(parents=True, exist_ok=True)
    if args.quick:
        from tests.tiny_marian import build_tiny_marian

        model_dir = CACHE / "tiny-marian"
        if not (model_dir / "config.json").is_file():
            build_tiny_marian(model_dir)
        label = "tiny Marian (tests/tiny_marian.py), random weights"
    else:
        from opus_arch import build_opus_arch

        model_dir = build_opus_arch()
        label = "opus-mt-de-en architecture (benchmarks/opus_arch.py), random weights"
    beam_sizes = [int(b) for b in args.beams.split(",")]
    methods = [m for m in args.methods.split(",") if m]
    extra = ["ct2-planned", "ct2-internal"] if args.batching else []
    if args.bound_check:  # all four, or those of them named in --methods (e.g. only the CTranslate2 pair)
        methods, extra = [m for m in BOUND_METHODS if m in methods] or list(BOUND_METHODS), []

    with tempfile.TemporaryDirectory() as tmp:
        sfile = Path(tmp) / "sentences.json"
        sfile.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
        prep = _child(args, "prepare", 1, model_dir, sfile, None)
        lengths = prep["lengths"]
        useful = sum(forced_length(x) for x in lengths)
        from importlib.metadata import version  # the parent never imports torch: children's memory is their own

        print(f"model:     {label}")
        print(f"input:     first {len(sentences)} lines of {NEWSTEST.relative_to(REPO.parent)}: "
              f"{sum(lengths)} source tokens (mean {sum(lengths) / len(lengths):.1f}, max {max(lengths)})")
        print(f"decoding:  forced length ⌈{FORCE_RATIO} × source tokens⌉ = {useful} useful target tokens per method")
        ct2_budget = _budget(args, "ct2-direct")
        if ct2_budget == (args.batch_tokens, args.max_batch_sentences):
            print(f"batches:   {args.batch_tokens} tokens, ≤ {args.max_batch_sentences} sentences (b, c, d)")
        else:
            print(f"batches:   {args.batch_tokens} tokens, ≤ {args.max_batch_sentences} sentences (b); "
                  f"{ct2_budget[0]} tokens, ≤ {ct2_budget[1]} sentences (c, d)")
        print(f"machine:   {_cpu_name()}, {args.threads} threads; torch {version('torch')}, "
              f"transformers {version('transformers')}, ctranslate2 {version('ctranslate2')}"
              f"{', CT2_USE_MKL=' + os.environ['CT2_USE_MKL'] if 'CT2_USE_MKL' in os.environ else ''}")
        print(f"int8 CPU flags: {cpu_int8_flags()}")
        print(f"ct2 model: {prep['ct2_dir']} ({prep['compute_type']}{', converted now' if prep['converted'] else ', cached'})")
        print(flush=True)

        rows: list[dict[str, Any]] = []
        header = (
            f"{'method':<16} {'beam':>4} {'sent/s':>8} {'tok/s':>8} {'extra':>6} {'dec tok/s':>9} {'peak RSS':>9} {'seconds':>8}"
            f" {'load':>5}"
        )
        print(header)
        print("-" * len(header), flush=True)
        for beams in beam_sizes:
            for method in methods + extra:
                r = _child(args, method, beams, model_dir, sfile, prep["ct2_dir"])
                r["sent_s"] = r["sentences"] / r["seconds"]
                r["tok_s"] = useful / r["seconds"]
                r["decoded_tok_s"] = r["decoded"] / r["seconds"]
                r["extra"] = r["decoded"] / useful - 1.0
                rows.append(r)
                if method in BOUND_METHODS:  # natural decoding: useful = decoded
                    r["tok_s"] = r["decoded_tok_s"]
                    r["extra"] = 0.0
                name = f"({LETTERS[method]}) {method}"
                print(
                    f"{name:<16} {beams:>4} {r['sent_s']:>8.2f} {r['tok_s']:>8.1f} {r['extra']:>+6.0%} "
                    f"{r['decoded_tok_s']:>9.1f} {r['peak_rss_mb']:>6.0f} MB {r['seconds']:>8.1f} {r['load']:>5.1f}",
                    flush=True,
                )
        print()
        by = {(r["method"], r["beams"]): r for r in rows}
        for beams in beam_sizes:
            parts = []
            for num, den in (("dewire", "naive"), ("dewire-ct2", "naive"), ("dewire-ct2", "ct2-direct")):
                if (num, beams) in by and (den, beams) in by:
                    ratio = by[(num, beams)]["tok_s"] / by[(den, beams)]["tok_s"]
                    parts.append(f"{LETTERS[num]}/{LETTERS[den]} = {ratio:.2f}")
            for own, batch in (("bound-own-b", "bound-batch-b"), ("bound-own-c", "bound-batch-c")):
                if (own, beams) in by and (batch, beams) in by:
                    o, b_ = by[(own, beams)], by[(batch, beams)]
                    parts.append(f"{own}/{batch}: sent/s {o['sent_s'] / b_['sent_s']:.2f}, dec tok/s {o['decoded_tok_s'] / b_['decoded_tok_s']:.2f}")
            if args.batching and ("ct2-internal", beams) in by and ("ct2-planned", beams) in by:
                ratio = by[("ct2-planned", beams)]["decoded_tok_s"] / by[("ct2-internal", beams)]["decoded_tok_s"]
                parts.append(f"planned/internal = {ratio:.2f}")
            print(f"beam {beams}: " + ", ".join(parts))
        print("\nRatios are of sent/s (= of tok/s). tok/s counts the useful tokens Σ⌈1.1 × source⌉, the same for every")
        print("method; 'extra' = tokens decoded beyond them because a batch decodes to the forced length of its longest")
        print("source; 'dec tok/s' counts every decoded token. Peak RSS = VmHWM of the method's own process.")
        print(f"load = 1-minute load average when the method finished ({os.cpu_count()} CPUs); on a shared machine a load")
        print("above the CPU count slows multi-threaded PyTorch far more than CTranslate2 (threads wait at barriers).")
        if args.batching:
            print("(e) ct2-planned / (f) ct2-internal: CT2 direct, every sentence forced to one fixed length, with dewire's")
            print("plan_batches (one call per batch) vs one call that lets CTranslate2 sort and batch by itself")
            print("(max_batch_size=⌈max_batch_sentences / workers⌉, batch_type='examples': the same chunk sizes when the")
            print("token budget does not bind); planned/internal is the ratio of their dec tok/s.")
        if args.json:
            Path(args.json).write_text(json.dumps({"useful_tokens": useful, "rows": rows}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
