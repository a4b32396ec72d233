#!/usr/bin/env bash
# GPU readiness check for dewire's two translation backends (issue 16). No network; ≤ 5 minutes on one GPU.
#
#   bash benchmarks/gpu_check.sh               # on a CUDA machine
#   bash benchmarks/gpu_check.sh --cpu-smoke   # the same steps on CPU with the tiny test model (proves the script runs)
#
# Steps: build the opus-mt-de-en-architecture model (benchmarks/opus_arch.py, random weights; the tiny test model
# with --cpu-smoke), then
#   1. CTranslate2 float16 and transformers float16 translate (CPU smoke: int8 and float32, CPUs have no float16 path);
#   2. float32 greedy outputs of the two backends agree token for token (same model, same length bounds);
#   3. sentences/s of both backends at beam 4, forced lengths ⌈1.1 × source tokens⌉ as in translate_speed.py, at
#      batch_tokens/max_batch_sentences 8192/128, 4096/64 and 16384/256 (GPU), next to the CPU default 1024/16.
# Prints one table; copy it into benchmarks/RESULTS.md with the card's name (nvidia-smi is printed first).
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTHONWARNINGS=ignore
export DEWIRE_HOME="${DEWIRE_HOME:-$PWD/benchmarks/.cache/gpu-check-home}"
MODE=gpu
if [[ "${1:-}" == "--cpu-smoke" ]]; then MODE=cpu; fi
if [[ "$MODE" == gpu ]]; then nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true; fi
echo "mode: $MODE; $(uptime)"
SENTENCES="${GPU_CHECK_SENTENCES:-$([[ $MODE == gpu ]] && echo 1000 || echo 24)}"
LIMIT="${GPU_CHECK_TIMEOUT:-$([[ $MODE == gpu ]] && echo 290 || echo 1500)}"  # the 5-minute budget on a GPU; a loaded CPU needs longer
MODE="$MODE" SENTENCES="$SENTENCES" timeout "$LIMIT" python3 - <<'PY'
import math, os, sys, time
from pathlib import Path

sys.path[:0] = ["benchmarks", "."]
mode = os.environ["MODE"]
gpu = mode == "gpu"
if gpu:
    from opus_arch import build_opus_arch
    model_dir = build_opus_arch()
else:
    from tests.tiny_marian import build_tiny_marian
    model_dir = Path("benchmarks/.cache/tiny-marian")
    if not (model_dir / "config.json").is_file():
        build_tiny_marian(model_dir)
from translate.config import TranslatorConfig
from translate.mt import load_translator

newstest = Path("../shared/corpus/wmt/newstest2019.de-en.de")
lines = [l.strip() for l in newstest.read_text(encoding="utf-8").splitlines() if l.strip()] if newstest.is_file() else []
if not lines:
    lines = ["Die Männer nannten sich gegenseitig Genossen.", "Beide Länder haben ein Interesse daran.", "Von Josh Smith"] * 10
sentences = lines[: int(os.environ["SENTENCES"])]
device = "cuda" if gpu else "cpu"
half = "float16" if gpu else None


def make(backend, compute, beams=4, batch_tokens=1024, max_sentences=16):
    cfg = TranslatorConfig(model=str(model_dir), backend=backend, compute_type=compute, device=device, beams=beams,
                           batch_tokens=batch_tokens, max_batch_sentences=max_sentences, threads=os.cpu_count() if gpu else 2)
    return load_translator(str(model_dir), cfg, use_cache=False)


ok = True
# 1. half precision runs (CPU smoke: the CPU compute types)
for backend, compute in (("ctranslate2", half or "int8"), ("transformers", half or "float32")):
    t0 = time.perf_counter()
    tr = make(backend, compute)
    hyps = tr.translate_batch(sentences[:8])
    good = len(hyps) == 8 and all(h.text for h in hyps)
    ok &= good
    print(f"1. {backend:<12} {tr.compute_type:<8} on {tr.device}: {'ok' if good else 'FAILED'} ({time.perf_counter() - t0:.1f} s incl. load)")

# 2. float32 greedy agreement, token for token
a = make("ctranslate2", "float32", beams=1).translate_batch(sentences[:32])
b = make("transformers", "float32", beams=1).translate_batch(sentences[:32])
same = sum(x.text == y.text and x.n_tokens == y.n_tokens for x, y in zip(a, b))
worst = max(abs((x.score or 0) - (y.score or 0)) for x, y in zip(a, b))
ok &= same == len(a)
print(f"2. float32 greedy: {same}/{len(a)} identical hypotheses (tokens and text); largest score difference {worst:.2e}")

# 3. speed at GPU batch sizes, beam 4, forced lengths
settings = [(1024, 16), (4096, 64), (8192, 128), (16384, 256)] if gpu else [(1024, 16), (8192, 128)]
print(f"3. beam 4, {len(sentences)} sentences, forced length ⌈1.1 × source tokens⌉; sentences/s")
print(f"   {'batch_tokens/sentences':<24}" + "".join(f"{b:>22}" for b in ("ctranslate2 " + (half or "int8"), "transformers " + (half or "float32"))))
for tokens, maxs in settings:
    row = []
    for backend, compute in (("ctranslate2", half or "int8"), ("transformers", half or "float32")):
        tr = make(backend, compute, batch_tokens=tokens, max_sentences=maxs)
        inner = getattr(tr, "inner", tr)
        inner.forced_new_tokens = lambda longest: math.ceil(1.1 * longest)
        inner.translate_batch(sentences[:4])  # warm-up (CUDA context, kernels)
        t0 = time.perf_counter()
        inner.translate_batch(sentences)
        row.append(len(sentences) / (time.perf_counter() - t0))
    print(f"   {f'{tokens}/{maxs}':<24}" + "".join(f"{v:>22.1f}" for v in row))
print("result:", "ok" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
