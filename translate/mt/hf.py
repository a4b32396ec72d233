"""Hugging Face helpers shared by the translation backends and the abstractive summarizer.

One place for what every model wrapper needs: which device to run on, how many
CPU threads to use, loading with transformers' logging and progress bars
silenced, loading a tokenizer with one-line errors, and turning a raw
log-probability into a finite score. Nothing here imports torch at module
level; :func:`resolve_device` imports torch only when asked about a PyTorch
device, :func:`load_tokenizer` imports only the tokenizer class it needs
(``MarianTokenizer`` loads without torch).
"""

from __future__ import annotations

import contextlib
import math
import os
import warnings
from pathlib import Path
from typing import Any, Iterator

from translate.errors import ModelLoadError

VERY_LARGE = int(1e30)
"""``model_max_length`` given to tokenizers: dewire enforces input limits itself
(splitting, ``ValueError``), so the tokenizer must not log "indexing errors"."""


def resolve_device(device: str, *, runtime: str = "torch") -> str:
    """The device a model runs on: ``auto`` resolved, explicit choices checked.

    Args:
        device: ``auto``, ``cpu``, ``cuda`` or ``mps``.
        runtime: ``torch`` (transformers backend, summarizer: ``auto`` = CUDA,
            then Apple MPS, then CPU) or ``ctranslate2`` (``auto`` = CUDA if
            ``ctranslate2.get_cuda_device_count() > 0``, else CPU; no MPS).

    Returns:
        ``cpu``, ``cuda`` or ``mps``.

    Raises:
        ModelLoadError: a device was requested that the runtime cannot see or use.
    """
    if runtime == "ctranslate2":
        import ctranslate2

        cuda = ctranslate2.get_cuda_device_count() > 0
        if device == "auto":
            return "cuda" if cuda else "cpu"
        if device == "cuda" and not cuda:
            raise ModelLoadError("device 'cuda' requested but CTranslate2 sees no CUDA GPU (use --device cpu or auto)")
        if device == "mps":
            raise ModelLoadError("backend 'ctranslate2' cannot run on Apple MPS (use --device cpu, or --backend transformers)")
        if device not in ("cpu", "cuda"):
            raise ModelLoadError(f"backend 'ctranslate2' does not know device {device!r} (use auto, cpu or cuda)")
        return device
    import torch

    if device == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return "mps"
        return "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelLoadError("device 'cuda' requested but PyTorch sees no CUDA GPU (use --device cpu or auto)")
    if device == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise ModelLoadError("device 'mps' requested but Apple MPS is not available (use --device cpu or auto)")
    return device


def default_threads() -> int:
    """Physical CPU cores this process may run on (no torch import).

    Counts distinct ``(package, core)`` pairs of the CPUs in
    ``os.sched_getaffinity`` from ``/sys/devices/system/cpu/cpu*/topology``
    — what torch and OpenMP default to, since a second hyper-thread per core
    adds little to matrix multiplication — and falls back to the number of
    usable logical CPUs where that is not available (macOS, Windows).
    """
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
    cores = set()
    for cpu in cpus:
        topo = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology")
        try:
            cores.add((topo.joinpath("physical_package_id").read_text().strip(), topo.joinpath("core_id").read_text().strip()))
        except OSError:
            return max(1, len(cpus))
    return max(1, len(cores))


@contextlib.contextmanager
def quiet_loading() -> Iterator[None]:
    """Silence transformers' logging (errors only), progress bars and Python warnings while loading.

    The previous verbosity and progress-bar state are restored afterwards,
    also when loading raises.
    """
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    bar_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bar_enabled:
            hf_logging.enable_progress_bar()


def first_line(err: BaseException, limit: int = 200) -> str:
    """``"ErrorClass: first line of the message"``, at most ``limit`` characters of message."""
    return f"{err.__class__.__name__}: {(str(err).splitlines() or [''])[0][:limit]}"


def load_tokenizer(model_dir: Path, what: str = "translation model", *, model_type: str | None = None) -> Any:
    """The tokenizer of a ``save_pretrained`` directory, quietly, with one-line errors.

    A Marian model (``model_type: marian``) gets ``MarianTokenizer`` directly
    — the class ``AutoTokenizer`` picks for it (there is no fast Marian
    tokenizer) — because ``AutoTokenizer`` imports torch (≈ 230 MB of memory)
    and the CTranslate2 path must not. Others get ``AutoTokenizer``.
    ``model_max_length`` is set to :data:`VERY_LARGE`.

    Args:
        model_dir: the directory.
        what: names the model in errors.
        model_type: ``config.json``'s ``model_type`` if already read.

    Raises:
        ModelLoadError: the tokenizer files cannot be read or parsed.
    """
    tokenizer_class: Any
    if model_type == "marian":
        from transformers import MarianTokenizer as tokenizer_class
    else:
        from transformers import AutoTokenizer as tokenizer_class
    try:
        with warnings.catch_warnings():
            # MarianTokenizer recommends sacremoses for punctuation normalization; opus-mt
            # was trained without it at inference time in transformers' own examples.
            warnings.filterwarnings("ignore", message=".*sacremoses.*")
            tokenizer = tokenizer_class.from_pretrained(str(model_dir), trust_remote_code=False)
    except Exception as err:  # transformers raises OSError, ValueError, KeyError, PermissionError …
        raise ModelLoadError(f"{what} '{model_dir}': tokenizer cannot be loaded ({first_line(err)})") from None
    tokenizer.model_max_length = VERY_LARGE
    return tokenizer


def finite_score(value: float | None) -> float | None:
    """A log-probability clipped to ≤ 0; ``None`` for a missing, NaN or infinite one (e.g. float16 overflow)."""
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return min(0.0, float(value))
