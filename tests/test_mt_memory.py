"""Out of memory inside one model batch: the batch is halved and retried, nothing is lost.

The OOM is injected (this machine has no GPU): the backends' model call raises
the error PyTorch or CTranslate2 raises on a full GPU whenever a batch holds
more than one source, so every batch ends up split down to single sources.
The result must equal a run that planned single-source batches from the start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from translate.config import TranslatorConfig
from translate.mt.memory import halve_on_oom, is_out_of_memory
from translate.mt.transformers_backend import TransformersTranslator

SOURCES = [
    "Die Männer nannten sich gegenseitig „Genossen“ und stießen am Mittwoch auf ihre Freundschaft an.",
    "Beide Länder haben ein Interesse daran, zu zeigen, dass sie Partner haben.",
    "Von Josh Smith",
    "„Kim würde Washington, Seoul und Tokio auch signalisieren, dass Russland Nordostasien den Rücken stärkt.“",
    "UKRAINE-FAKTOR",
]


def test_halve_on_oom_splits_down_to_what_fits() -> None:
    calls: list[list[int]] = []

    def run(batch: list[int]) -> list[int]:
        calls.append(batch)
        if len(batch) > 2:
            raise MemoryError
        return [10 * i for i in batch]

    splits: list[int] = []
    assert halve_on_oom([0, 1, 2, 3, 4, 5, 6], run, on_split=splits.append) == [0, 10, 20, 30, 40, 50, 60]
    assert splits == [7, 3, 4]  # 7 → 3 + 4, 3 → 1 + 2, 4 → 2 + 2
    assert [c for c in calls if len(c) <= 2] == [[0], [1, 2], [3, 4], [5, 6]]


def test_halve_on_oom_reraises_other_errors_and_single_source_oom() -> None:
    def broken(batch: list[int]) -> list[int]:
        raise ValueError("shape mismatch")

    with pytest.raises(ValueError):
        halve_on_oom([0, 1, 2, 3], broken)

    def never_fits(batch: list[int]) -> list[int]:
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")

    with pytest.raises(RuntimeError, match="out of memory"):
        halve_on_oom([0, 1, 2, 3], never_fits)


def test_is_out_of_memory() -> None:
    assert is_out_of_memory(MemoryError())
    assert is_out_of_memory(RuntimeError("CUDA failed with error out of memory"))
    assert is_out_of_memory(type("OutOfMemoryError", (RuntimeError,), {})("x"))
    assert not is_out_of_memory(ValueError("out of memory"))


def _transformers(model_dir: Path, **settings: Any) -> TransformersTranslator:
    cfg = TranslatorConfig(model=str(model_dir), device="cpu", threads=1, beams=1, **settings)
    return TransformersTranslator(cfg, model_dir, device="cpu", threads=1)


def test_transformers_backend_halves_a_batch_that_runs_out_of_memory(tiny_marian_dir: Path) -> None:
    import torch

    expected = _transformers(tiny_marian_dir, max_batch_sentences=1).translate_batch(SOURCES)
    t = _transformers(tiny_marian_dir, max_batch_sentences=64)
    real = t._generate
    sizes: list[int] = []

    def generate(batch_ids: list[list[int]], *, retry: bool) -> Any:
        sizes.append(len(batch_ids))
        if len(batch_ids) > 1:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 1.50 GiB")
        return real(batch_ids, retry=retry)

    t._generate = generate  # type: ignore[method-assign]
    progress: list[int] = []
    hyps = t.translate_batch(SOURCES, progress=progress.append)
    assert hyps == expected
    assert sizes[0] == len(SOURCES) and sizes.count(1) == len(SOURCES)
    assert t.oom_splits == len(SOURCES) - 1  # a binary tree over 5 leaves has 4 inner nodes
    assert sum(progress) == len(SOURCES)


class _OomProxy:
    """Stands in for ``ctranslate2.Translator``: batches of more than one source run out of memory."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.sizes: list[int] = []

    def translate_batch(self, tokens: list[list[str]], asynchronous: bool = False, **options: Any) -> Any:
        self.sizes.append(len(tokens))
        if len(tokens) > 1:
            error = RuntimeError("CUDA failed with error out of memory")
            if asynchronous:  # CTranslate2 reports it when the result is read
                return [_Failed(error) for _ in tokens]
            raise error
        return self.real.translate_batch(tokens, asynchronous=asynchronous, **options)


class _Failed:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def result(self) -> Any:
        raise self.error


def test_ctranslate2_backend_halves_a_batch_that_runs_out_of_memory(tiny_marian_dir: Path) -> None:
    pytest.importorskip("ctranslate2")
    from translate.mt import load_translator
    from translate.mt.ctranslate2_backend import CTranslate2Translator

    def ct2(**settings: Any) -> CTranslate2Translator:
        cfg = TranslatorConfig(model=str(tiny_marian_dir), backend="ctranslate2", beams=1, threads=1, **settings)
        tr = load_translator(str(tiny_marian_dir), cfg, use_cache=False)
        assert isinstance(tr, CTranslate2Translator)
        return tr

    expected = ct2(max_batch_sentences=1).translate_batch(SOURCES)
    t = ct2(max_batch_sentences=64)
    proxy = _OomProxy(t.translator)
    t._translator = proxy
    hyps = t.translate_batch(SOURCES)
    assert hyps == expected
    assert proxy.sizes[0] == len(SOURCES)
    assert t.oom_splits == len(SOURCES) - 1
