"""The transformers backend on the tiny random-weight Marian model (real code path, real tokenizer).

Random weights never stop by themselves, so every hypothesis runs to its
``max_new_tokens`` bound and loops: good for testing the bound, the scores,
the repetition retry and memory, not translation quality. Threads are 1: on a
shared 2-core machine, 2 torch threads under load are many times slower.
"""

from __future__ import annotations

import gc
import re
import warnings
from pathlib import Path

import pytest

from translate.config import TranslatorConfig
from translate.document import check_alignment
from translate.mt.base import max_new_tokens
from translate.mt.batching import plan_batches
from translate.mt.cache import CachedTranslator
from translate.mt.engine import translate_documents
from translate.mt.transformers_backend import TransformersTranslator

from tests.test_mt_engine import make_doc

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "putin-kim.de.txt"

PARAGRAPH = [
    "Von Josh Smith",
    "Die Männer nannten sich gegenseitig „Genossen“ und stießen am Mittwoch auf ihre Freundschaft an.",
    "***",
    "Beide Länder haben ein Interesse daran, zu zeigen, dass sie trotz ihrer geopolitischen Isolation Partner haben.",
    "UKRAINE-FAKTOR",
    "„Kim würde Washington, Seoul und Tokio auch signalisieren, dass Russland Nordostasien den Rücken stärkt.“",
]


def make_translator(model_dir: Path, **settings) -> TransformersTranslator:
    cfg = TranslatorConfig(model=str(model_dir), device="cpu", threads=1, **{"beams": 2, **settings})
    return TransformersTranslator(cfg, model_dir, device="cpu", threads=1)


@pytest.fixture(scope="module")
def tiny(tiny_marian_dir: Path) -> TransformersTranslator:
    return make_translator(tiny_marian_dir)


@pytest.fixture(scope="module")
def tiny_greedy(tiny_marian_dir: Path) -> TransformersTranslator:
    return make_translator(tiny_marian_dir, beams=1)


def test_real_paragraph_end_to_end(tiny: TransformersTranslator) -> None:
    doc = make_doc([PARAGRAPH[:3], PARAGRAPH[3:]])
    [out] = translate_documents([doc], tiny, tiny.cfg)
    check_alignment(out)
    for s in out.sentences():
        if s.passthrough:
            assert s.source == "***" and s.target == "***"
            continue
        assert s.target and s.score is not None and s.score <= 0
    meta = out.meta.translation
    assert meta.signature["backend"] == "transformers" and meta.model_calls >= 1


@pytest.mark.parametrize("fixture", ["tiny", "tiny_greedy"])
def test_one_scored_hypothesis_per_input_within_the_bound(fixture: str, request: pytest.FixtureRequest) -> None:
    translator: TransformersTranslator = request.getfixturevalue(fixture)
    sources = [s for s in PARAGRAPH if s != "***"]
    hyps = translator.translate_batch(sources)
    assert len(hyps) == len(sources)
    lengths = translator.count_tokens(sources)
    bound = max_new_tokens(max(lengths), translator.max_input_tokens)  # one batch: the longest source's bound
    for h in hyps:
        assert h.text and h.score is not None and -20 < h.score <= 0
        # Random weights never stop early: every hypothesis runs to the bound (EOS forced last).
        assert h.n_tokens == bound - 1


def test_batching_restores_input_order(tiny_greedy: TransformersTranslator) -> None:
    # Same batch composition either way (batches are planned on sorted lengths),
    # so reversing the input must exactly reverse the output.
    sources = [s for s in PARAGRAPH if s != "***"]
    forward = tiny_greedy.translate_batch(sources)
    backward = tiny_greedy.translate_batch(sources[::-1])
    assert backward[::-1] == forward
    assert len({h.score for h in forward}) == len(sources)  # distinct, so a mix-up would show


def test_one_source_per_batch_matches_its_own_bound(tiny_marian_dir: Path) -> None:
    one_by_one = make_translator(tiny_marian_dir, beams=1, max_batch_sentences=1)
    sources = [s for s in PARAGRAPH if s != "***"]
    hyps = one_by_one.translate_batch(sources)
    assert one_by_one.model_calls == len(sources)
    for h, n in zip(hyps, one_by_one.count_tokens(sources)):
        assert h.n_tokens <= max_new_tokens(n, one_by_one.max_input_tokens)


def test_token_budget_decides_the_batches(tiny_marian_dir: Path) -> None:
    t = make_translator(tiny_marian_dir, beams=1, batch_tokens=80, max_batch_sentences=64)
    sources = [s for s in PARAGRAPH if s != "***"]
    progress: list[int] = []
    t.translate_batch(sources, progress=progress.append)
    expected = plan_batches(t.count_tokens(sources), 80, 64)
    assert t.model_calls == len(expected) > 1
    assert progress == [len(b) for b in expected]


@pytest.mark.parametrize(("beams", "retry"), [(1, False), (3, False), (3, True)])
def test_score_is_mean_log_probability_per_target_token(tiny_marian_dir: Path, beams: int, retry: bool) -> None:
    """The recorder's scores equal transformers' own scores (computed with all per-step scores kept)."""
    import torch

    t = make_translator(tiny_marian_dir, beams=beams)
    sources = [PARAGRAPH[1], PARAGRAPH[0]]  # different lengths: padding in the batch
    captured = {}
    generate = t.model.generate

    def spy(*args, **kwargs):
        out = generate(*args, **kwargs, output_scores=True, return_dict_in_generate=True)
        captured["out"] = out
        return out.sequences

    def no_fallback(*args, **kwargs):
        raise AssertionError("the teacher-forced fallback should not be needed")

    t.model.generate = spy
    t._score = no_fallback  # type: ignore[method-assign]
    hyps = t.translate_batch(sources, retry=retry)
    out = captured["out"]
    with torch.inference_mode():
        trans = t.model.compute_transition_scores(
            out.sequences, out.scores, getattr(out, "beam_indices", None), normalize_logits=True
        )
    [batch] = plan_batches(t.count_tokens(sources), t.cfg.batch_tokens, t.cfg.max_batch_sentences)
    pad, eos = t.tokenizer.pad_token_id, t.tokenizer.eos_token_id
    for row, i in enumerate(batch):  # rows are in batch order
        tokens = out.sequences[row, 1:].tolist()
        n = sum(1 for tid in tokens if tid != pad)
        if beams > 1:  # beam search: exactly transformers' sequences_scores (length_penalty 1.0)
            expected = float(out.sequences_scores[row])
        else:  # greedy: mean of the normalized transition scores
            expected = sum(trans[row, :n].tolist()) / n
        assert hyps[i].score == pytest.approx(expected, abs=1e-4)
        assert hyps[i].n_tokens == sum(1 for tid in tokens if tid not in (pad, eos))


def test_fallback_teacher_forced_score_is_close(tiny: TransformersTranslator) -> None:
    """The fallback (raw log_softmax by teacher forcing) agrees up to the renormalization of processed scores."""
    import torch

    sources = PARAGRAPH[1:2]
    [hyp] = tiny.translate_batch(sources)
    enc = tiny.tokenizer(sources, return_tensors="pt")
    captured = {}
    generate = tiny.model.generate

    def spy(*args, **kwargs):
        captured["sequences"] = out = generate(*args, **kwargs)
        return out

    tiny.model.generate = spy
    try:
        tiny.translate_batch(sources)
    finally:
        del tiny.model.generate
    with torch.inference_mode():
        states = tiny.model.get_encoder()(**enc).last_hidden_state
        [fallback] = tiny._score(states, enc["attention_mask"], captured["sequences"])
    # Raw and processed distributions differ by the banned <pad> mass and the
    # forced EOS at the bound: with 691 tokens and random weights, a few 0.01.
    assert fallback is not None and fallback <= 0
    assert fallback == pytest.approx(hyp.score, abs=0.1)


def test_hypotheses_stay_scored_when_the_recorder_cannot_follow(
    tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate.mt import transformers_backend

    def blind(self, input_ids, scores):
        self.failed = True
        return scores

    monkeypatch.setattr(transformers_backend.StepRecorder, "__call__", blind)
    t = make_translator(tiny_marian_dir)
    hyps = t.translate_batch(PARAGRAPH[:2])
    assert all(h.score is not None and h.score <= 0 for h in hyps)


def test_over_long_input_raises_instead_of_truncating(tiny: TransformersTranslator) -> None:
    long = " ".join(PARAGRAPH * 12)
    assert tiny.count_tokens([long])[0] > tiny.max_input_tokens
    calls = tiny.model_calls
    with pytest.raises(ValueError, match="over the model's limit of 512"):
        tiny.translate_batch(["Kurz.", long])
    assert tiny.model_calls == calls


def test_signature_and_token_counts(tiny: TransformersTranslator, tiny_marian_dir: Path) -> None:
    sig = tiny.signature
    assert sig["model"] == str(tiny_marian_dir) and sig["backend"] == "transformers" and sig["beams"] == "2"
    assert sig["revision"].startswith("local-") and sig["dtype"] == "float32" and sig["dewire"]
    ids = tiny.tokenizer(["Von Josh Smith"])["input_ids"][0]
    assert tiny.count_tokens(["Von Josh Smith"]) == [len(ids)] and ids[-1] == tiny.tokenizer.eos_token_id
    assert tiny.max_input_tokens == 512 and tiny.threads == 1 and tiny.device == "cpu"


def _long_german_sentence(translator: TransformersTranslator, min_tokens: int) -> str:
    """One sentence of real clauses from the sample article, joined by clause separators."""
    text = SAMPLE.read_text(encoding="utf-8")
    clauses = [c.strip().rstrip(".“”\"") for c in re.split(r"(?<=[.!?])\s+", text) if len(c.split()) > 6]
    seps = [", und ", "; ", ", weil ", ", "]
    parts: list[str] = []
    while True:
        parts.append(clauses[len(parts) % len(clauses)])
        sentence = "".join((seps[i % len(seps)] if i else "") + p for i, p in enumerate(parts)) + "."
        if translator.count_tokens([sentence])[0] >= min_tokens:
            return sentence


def test_1500_token_sentence_is_translated_in_pieces(tiny: TransformersTranslator) -> None:
    sentence = _long_german_sentence(tiny, 1500)
    n_tokens = tiny.count_tokens([sentence])[0]
    assert n_tokens >= 1500
    doc = make_doc([["Von Josh Smith", sentence]])
    [out] = translate_documents([doc], tiny, tiny.cfg)
    check_alignment(out)
    s = out.sentence(1)
    assert "split" in s.flags
    assert len(s.pieces) >= n_tokens // tiny.cfg.split_tokens
    # Every piece present, lossless, in order, within the limit, translated and scored.
    assert re.sub(r"\s", "", "".join(p.source for p in s.pieces)) == re.sub(r"\s", "", sentence)
    pos = s.span[0]
    for p in s.pieces:
        assert p.span[0] >= pos and out.text[p.span[0] : p.span[1]] == p.source
        pos = p.span[1]
        assert tiny.count_tokens([p.source])[0] <= tiny.cfg.split_tokens
        assert p.target and p.score is not None and p.score <= 0
    assert s.target == " ".join(p.target for p in s.pieces)
    assert s.score is not None and min(p.score for p in s.pieces) <= s.score <= max(p.score for p in s.pieces)


def test_cached_second_run_never_loads_the_model(tiny_marian_dir: Path, tmp_path: Path) -> None:
    doc = make_doc([PARAGRAPH])
    first = make_translator(tiny_marian_dir)
    out1 = translate_documents([doc], CachedTranslator(first, tmp_path / "c.sqlite"), first.cfg)
    assert first.model_calls >= 1
    second = make_translator(tiny_marian_dir)
    out2 = translate_documents([doc], CachedTranslator(second, tmp_path / "c.sqlite"), second.cfg)
    assert second.model_calls == 0 and second._model is None
    assert [s.target for s in out2[0].sentences()] == [s.target for s in out1[0].sentences()]
    assert [s.score for s in out2[0].sentences()] == [s.score for s in out1[0].sentences()]


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def _live_tensors() -> int:
    import torch

    gc.collect()
    with warnings.catch_warnings():  # isinstance() touches deprecated torch.distributed aliases
        warnings.simplefilter("ignore")
        return sum(1 for o in gc.get_objects() if isinstance(o, torch.Tensor))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc for VmRSS")
def test_memory_stays_flat_over_50_runs(tiny_marian_dir: Path) -> None:
    t = make_translator(tiny_marian_dir, beams=1)
    doc = make_doc([["Von Josh Smith", "Die Männer nannten sich Genossen.", "***"]])
    for _ in range(5):  # warm-up: allocator pools, lazy imports
        translate_documents([doc], t, t.cfg)
    rss0, tensors0 = _rss_kib(), _live_tensors()
    for _ in range(45):
        translate_documents([doc], t, t.cfg)
    growth_kib = _rss_kib() - rss0
    print(f"RSS {rss0} KiB after 5 runs, +{growth_kib} KiB after 45 more")
    assert _live_tensors() == tensors0  # no tensor outlives a call
    assert growth_kib < 16 * 1024, f"RSS grew by {growth_kib} KiB over 45 runs"
    assert t.model_calls == 100  # 50 runs × (batch + repetition retry): no cache involved


# -- device and dtype (issue 4: auto = CUDA, then MPS, then CPU; half precision on GPU) --------------
# No GPU here: torch's availability checks are monkeypatched; nothing is moved to a device.


@pytest.fixture()
def fake_devices(monkeypatch: pytest.MonkeyPatch):
    """``fake_devices(cuda=…, mps=…)`` makes torch report those devices as (un)available."""
    import torch

    def set_devices(*, cuda: bool, mps: bool | None) -> None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
        if mps is None:  # a torch build without the MPS backend module
            monkeypatch.delattr(torch.backends, "mps")
        else:
            monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)

    return set_devices


@pytest.mark.parametrize(
    ("cuda", "mps", "expected"),
    [(True, True, "cuda"), (True, False, "cuda"), (False, True, "mps"), (False, False, "cpu"), (False, None, "cpu")],
)
def test_auto_device_prefers_cuda_then_mps_then_cpu(fake_devices, cuda: bool, mps: bool | None, expected: str) -> None:
    from translate.mt.transformers_backend import resolve_device

    fake_devices(cuda=cuda, mps=mps)
    assert resolve_device("auto") == expected
    assert resolve_device("cpu") == "cpu"  # an explicit cpu is always honoured


def test_requested_devices_are_honoured_when_present(fake_devices) -> None:
    from translate.mt.transformers_backend import resolve_device

    fake_devices(cuda=True, mps=True)
    assert resolve_device("cuda") == "cuda"
    assert resolve_device("mps") == "mps"


@pytest.mark.parametrize(
    ("device", "mps", "needle"),
    [
        ("cuda", True, "device 'cuda' requested but PyTorch sees no CUDA GPU"),
        ("mps", False, "device 'mps' requested but Apple MPS is not available"),
        ("mps", None, "device 'mps' requested but Apple MPS is not available"),
    ],
)
def test_missing_requested_device_is_a_one_line_model_error(fake_devices, device: str, mps: bool | None, needle: str) -> None:
    from translate.errors import ModelLoadError
    from translate.mt.transformers_backend import resolve_device

    fake_devices(cuda=False, mps=mps)
    with pytest.raises(ModelLoadError) as info:
        resolve_device(device)
    message = str(info.value)
    assert needle in message and "\n" not in message
    assert "--device cpu or auto" in message  # says what to do instead
    assert info.value.exit_code == 5


def test_float16_only_on_cuda(tiny_marian_dir: Path, fake_devices) -> None:
    """dtype is decided at construction, before (and without) loading the weights."""
    cpu = make_translator(tiny_marian_dir)
    assert (cpu.device, cpu.dtype, cpu.signature["dtype"]) == ("cpu", "float32", "float32")

    fake_devices(cuda=False, mps=True)
    mps = TransformersTranslator(TranslatorConfig(model=str(tiny_marian_dir), device="auto", threads=1), tiny_marian_dir)
    assert (mps.device, mps.dtype) == ("mps", "float32")  # MPS float16 generation is not reliable for Marian

    fake_devices(cuda=True, mps=True)
    for device in ("cuda", "auto"):
        gpu = TransformersTranslator(TranslatorConfig(model=str(tiny_marian_dir), device="cpu", threads=1), tiny_marian_dir, device=device)
        assert (gpu.device, gpu.dtype, gpu.signature["dtype"]) == ("cuda", "float16", "float16")
        assert gpu._model is None  # nothing was loaded (or moved to a GPU)


def test_missing_cuda_fails_before_loading_anything(tiny_marian_dir: Path, fake_devices, monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.errors import ModelLoadError
    from translate.mt import transformers_backend

    fake_devices(cuda=False, mps=False)

    def no_tokenizer(self):
        raise AssertionError("the tokenizer was loaded before the device was checked")

    monkeypatch.setattr(transformers_backend.TransformersTranslator, "_load_tokenizer", no_tokenizer)
    cfg = TranslatorConfig(model=str(tiny_marian_dir), device="cuda", threads=1)
    with pytest.raises(ModelLoadError, match="device 'cuda' requested"):
        TransformersTranslator(cfg, tiny_marian_dir)


def test_cli_device_cuda_without_a_gpu_is_one_line(
    tiny_marian_dir: Path, tmp_path: Path, fake_devices, capsys: pytest.CaptureFixture[str]
) -> None:
    from translate.cli import main

    fake_devices(cuda=False, mps=False)
    out = tmp_path / "out"
    code = main(["translate", str(SAMPLE), "--model", str(tiny_marian_dir), "--device", "cuda", "--threads", "1", "-q", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 5, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dewire: error: device 'cuda' requested but PyTorch sees no CUDA GPU"), err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(("cuda", "dtype"), [(True, "float16"), (False, None)])
def test_weights_load_in_half_precision_only_on_cuda(
    tiny_marian_dir: Path, fake_devices, monkeypatch: pytest.MonkeyPatch, cuda: bool, dtype: str | None
) -> None:
    """What ``from_pretrained`` is asked for, and where the model goes (a stand-in model: no GPU here)."""
    import torch
    import transformers

    calls: list[dict] = []

    class StandIn:
        def __init__(self) -> None:
            self.moved_to: list[str] = []
            self.evaluated = False
            self.generation_config = type("GenerationConfig", (), {"max_length": 512})()

        def to(self, device):
            self.moved_to.append(device)
            return self

        def eval(self):
            self.evaluated = True
            return self

    def from_pretrained(path, **kwargs):
        calls.append({"path": path, **kwargs})
        return StandIn()

    fake_devices(cuda=cuda, mps=False)
    monkeypatch.setattr(transformers.AutoModelForSeq2SeqLM, "from_pretrained", from_pretrained)
    t = TransformersTranslator(TranslatorConfig(model=str(tiny_marian_dir), device="auto", threads=1), tiny_marian_dir)
    model = t.model
    [call] = calls
    assert call["path"] == str(tiny_marian_dir) and call["trust_remote_code"] is False and call["use_safetensors"] is True
    if dtype is None:
        assert "dtype" not in call  # float32, transformers' default
    else:
        assert call["dtype"] is getattr(torch, dtype)
    assert model.moved_to == ["cuda" if cuda else "cpu"] and model.evaluated
    assert model.generation_config.max_length is None  # max_new_tokens bounds every call


def test_forced_new_tokens_hook_decodes_exactly_that_many_tokens(tiny_marian_dir: Path) -> None:
    """The benchmark hook: every hypothesis of a batch gets rule(longest source) tokens, EOS included."""
    t = make_translator(tiny_marian_dir, beams=2)
    sources = [s for s in PARAGRAPH if s != "***"]
    t.forced_new_tokens = lambda longest: 7
    hyps = t.translate_batch(sources)
    # 7 generated tokens, the last one the forced EOS (opus-mt's forced_eos_token_id): 6 real tokens.
    assert [h.n_tokens for h in hyps] == [6] * len(sources)
    t.forced_new_tokens = None
    assert all(h.n_tokens > 6 for h in t.translate_batch(sources))  # random weights never stop before the bound
