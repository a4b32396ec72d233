"""A translator for random-weight benchmark models: dewire's own backend, each batch forced to a set length.

Random weights never emit EOS, so every hypothesis would run to the
512-token cap. ``benchmarks/translate_speed.py`` forces the decoded length
instead (the backends' ``forced_new_tokens`` hook: each batch decodes
⌈1.1 × its longest source's tokens⌉ tokens); this module does the same for a
whole batch run, in whichever process translates: the object pickles without
its model and loads dewire's backend (``backend: auto``, cache off, the
pipeline's thread choice) on first use, so the same object works for the
local engine and inside a Ray actor (importable there as
``benchmarks.forced_length`` from the repository root).

The forced length depends on the longest source of each model batch, so a
run's outputs depend strongly on which sentences share a batch: a sensitive
test of "same batches on every engine".
"""

from __future__ import annotations

import math
from typing import Any, Sequence

FORCE_RATIO = 1.1
"""Decoded tokens per source token (as ``benchmarks/translate_speed.py``)."""


def forced_length(source_tokens: int) -> int:
    """⌈1.1 × source tokens⌉ (source tokens include EOS)."""
    return math.ceil(FORCE_RATIO * source_tokens)


class ForcedLengthTranslator:
    """A :class:`~translate.mt.base.Translator` that loads ``model_dir`` lazily and forces each batch's length.

    Args:
        model_dir: a local model folder (e.g. from ``benchmarks/opus_arch.py``).
        threads: CPU threads (``None`` = the backend's default, as dewire chooses it).
    """

    name = "forced-length"

    def __init__(self, model_dir: str, threads: int | None = None) -> None:
        self.model_dir = str(model_dir)
        self.threads = threads
        self._inner: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"model_dir": self.model_dir, "threads": self.threads}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.model_dir = state["model_dir"]
        self.threads = state["threads"]
        self._inner = None

    @property
    def inner(self) -> Any:
        """dewire's backend for the model (loaded on first use, cache off)."""
        if self._inner is None:
            from translate.config import load_config
            from translate.pipeline import Options, Pipeline

            pipeline = Pipeline(load_config(), Options(model=self.model_dir, threads=self.threads, use_cache=False))
            self._inner = pipeline.translator
            self._inner.forced_new_tokens = forced_length
        return self._inner

    @property
    def cfg(self) -> Any:
        return self.inner.cfg

    @property
    def max_input_tokens(self) -> int:
        return int(self.inner.max_input_tokens)

    @property
    def signature(self) -> Any:
        return {**dict(self.inner.signature), "forced": f"ceil({FORCE_RATIO}*src)"}

    @property
    def model_calls(self) -> int | None:
        return getattr(self.inner, "model_calls", None)

    def count_tokens(self, sources: Sequence[str]) -> list[int]:
        return list(self.inner.count_tokens(sources))

    def translate_batch(self, sources: Sequence[str], *, retry: bool = False, progress: Any = None) -> list[Any]:
        return list(self.inner.translate_batch(sources, retry=retry, progress=progress))
