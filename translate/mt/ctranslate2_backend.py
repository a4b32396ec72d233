"""The optional CTranslate2 backend (``pip install 'dewire[fast]'``, ``--backend ctranslate2``).

CTranslate2 (OpenNMT) runs Transformer models with its own C++ kernels, int8
quantization and a decoder that drops finished hypotheses from the batch; it is
the fastest maintained engine for Marian models on CPU. dewire uses its API and
reimplements nothing:

* **Conversion, once.** The Hugging Face model directory (the one
  :func:`translate.mt.loading.resolve_model_dir` found) is converted with
  ``ctranslate2.converters.TransformersConverter(model_dir).convert(out,
  quantization=…)`` into ``$DEWIRE_HOME/ct2/<model>-<revision>-<compute type>/``
  (:func:`converted_dir`; ``DEWIRE_HOME`` defaults to
  ``platformdirs.user_cache_dir("dewire")``, beside the Hugging Face cache).
  The revision is :func:`translate.mt.loading.model_revision`: the hub commit
  for a cache snapshot, a content hash for any other directory, so changed
  weights get a new conversion. Conversion writes into a temporary sibling
  directory that is renamed into place, so an interrupted or concurrent
  conversion never leaves a half-written model that a later run would load.
* **Device and precision.** ``auto`` = ``cuda`` if
  ``ctranslate2.get_cuda_device_count() > 0``, else ``cpu`` (CTranslate2 has
  no Apple MPS support; ``mps`` is refused). Compute type ``auto`` = ``int8``
  on CPU, ``float16`` on CUDA (``TranslatorConfig.compute_type`` overrides,
  e.g. ``float32`` for bit-for-bit comparisons with the default backend). The
  model is converted with the same quantization it runs with.
* **Threads.** ``threads``, else ``TranslatorConfig.threads``, else
  :func:`translate.mt.transformers_backend.default_threads` (the physical
  cores among the CPUs this process may use; torch-free), split by
  :func:`split_threads` into ``inter_threads`` workers that decode in
  parallel (up to 4) × ``intra_threads`` threads each: on 2 CPUs, 2 × 1,
  which measured 1.6× the throughput of 1 × 2.
* **No PyTorch at run time.** Translating with a converted model imports
  neither torch nor ``AutoTokenizer`` (which imports torch): a Marian model's
  ``MarianTokenizer`` is loaded directly (it is the class ``AutoTokenizer``
  picks for Marian). That keeps peak RSS about 230 MB lower; only the
  one-time conversion loads the model with PyTorch.
* **Tokens.** The model directory's own tokenizer (``MarianTokenizer`` for
  opus-mt), exactly as the default backend uses it:
  ``convert_ids_to_tokens(tokenizer(text).input_ids)`` (EOS included) in,
  ``tokenizer.decode(convert_tokens_to_ids(tokens), skip_special_tokens=True)``
  out. ``max_input_length=0``: CTranslate2 never truncates; a source over
  :attr:`CTranslate2Translator.max_input_tokens` raises ``ValueError``.
* **Batches.** :func:`translate.mt.batching.plan_batches` (the same
  length-sorted, padding-aware token budget as the default backend). This
  gives every batch the same ``max_new_tokens`` bound as the default backend
  (the bound is per batch: :func:`translate.mt.base.max_new_tokens` of its
  longest source), so both backends stop a degenerate hypothesis at the same
  length; CTranslate2's own batching (``max_batch_size=…``) takes one
  ``max_decoding_length`` for the whole call. Speed is the same at equal batch sizes: measured on the
  opus-mt-shaped benchmark model (150 newstest2019 sentences, int8, 1 thread,
  every sentence decoded to the same length, batches of 16), 1341 vs 1382
  target tokens/s greedy and 656 vs 631 at beam 4 (plan_batches vs
  CTranslate2's own). Each planned batch is cut into ``inter_threads``
  chunks (:func:`split_batch`) that keep the batch's bound and are all
  submitted with ``asynchronous=True``, so the workers decode them in
  parallel and results are collected in order; the configured budget is thus
  roughly what is in flight at once.
* **Length bound.** opus-mt's generation config forces EOS as the last of
  ``max_new_tokens`` tokens (``forced_eos_token_id``), so transformers returns
  at most ``max_new_tokens − 1`` text tokens; CTranslate2 counts EOS in
  ``max_decoding_length``, so it gets ``max_new_tokens − 1`` when the model
  forces EOS and ``max_new_tokens`` otherwise: the same number of text tokens.
* **Score.** With ``return_scores=True`` and ``length_penalty=1`` CTranslate2
  returns the cumulative log-probability divided by the hypothesis length,
  EOS included, for beam and greedy search alike (``TranslationOptions`` in
  CTranslate2's ``translation.h``; checked against ``score_batch``): the mean
  log-probability per target token, as the default backend reports. A
  hypothesis cut at the length bound has no EOS; where transformers would
  append the forced EOS with log-probability 0 (after the logits processor),
  the score is rescaled by ``L / (L + 1)`` to count it, so both backends
  average over the same tokens.
* **Retry.** ``retry=True`` passes ``no_repeat_ngram_size`` and
  ``repetition_penalty`` (:data:`~translate.mt.base.RETRY_NO_REPEAT_NGRAM_SIZE`,
  :data:`~translate.mt.base.RETRY_REPETITION_PENALTY`) as the default backend does.

Conversion and model loading happen on the first
:meth:`CTranslate2Translator.translate_batch` (a run answered entirely from the
translation cache never converts or loads); the tokenizer loads at construction.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from translate.config import TranslatorConfig
from translate.errors import ConfigError, ModelLoadError
from translate.mt.base import (
    backend_signature,
    count_source_tokens,
    encode_sources,
    RETRY_NO_REPEAT_NGRAM_SIZE,
    RETRY_REPETITION_PENALTY,
    Hypothesis,
    ProgressFn,
    max_new_tokens,
)
from translate.mt.batching import plan_batches
from translate.mt.loading import is_path_like, model_revision
from translate.mt.memory import free_accelerator_memory, halve_on_oom, is_out_of_memory
from translate.mt.transformers_backend import VERY_LARGE, default_threads  # torch-free: the module imports torch lazily

CT2_SUBDIR = "ct2"
"""Converted models live under ``dewire_home() / CT2_SUBDIR``."""

MARKER = "dewire-ct2.json"
"""Written last into a converted directory; its presence means the conversion finished."""

COMPUTE_TYPES: tuple[str, ...] = (
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)
"""Quantizations ``TransformersConverter.convert`` accepts (CTranslate2 4.x)."""


def resolve_device(device: str) -> str:
    """Map ``auto`` to ``cuda`` (a CUDA GPU CTranslate2 can use) or ``cpu``.

    Raises:
        ModelLoadError: ``cuda`` requested but CTranslate2 sees no CUDA device,
            or ``mps`` requested (CTranslate2 has no Apple MPS support).
    """
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


def resolve_compute_type(compute_type: str, device: str) -> str:
    """``auto`` → ``int8`` on CPU, ``float16`` on CUDA; any other value is checked and kept.

    Raises:
        ConfigError: not one of :data:`COMPUTE_TYPES` (or ``auto``).
    """
    if compute_type == "auto":
        return "float16" if device == "cuda" else "int8"
    if compute_type not in COMPUTE_TYPES:
        raise ConfigError(
            f"compute_type {compute_type!r} is not a CTranslate2 compute type (use auto or one of: {', '.join(COMPUTE_TYPES)})"
        )
    return compute_type


MAX_INTER_THREADS = 4
"""Most batches decoded in parallel on CPU (each worker holds its own activations)."""


def split_threads(threads: int, device: str) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for ``threads`` CPU threads.

    CPU: ``inter = min(threads, MAX_INTER_THREADS)`` batches decoded in
    parallel, ``intra = threads // inter`` threads each. CTranslate2's
    performance notes advise parallel batches for throughput; measured on the
    opus-mt-shaped benchmark model (300 newstest2019 sentences, int8, 2 CPUs),
    2 workers × 1 thread decoded 1.6× the tokens/s of 1 worker × 2 threads at
    beam 4 and 1.6–2× greedy, with lower peak RSS (two half-size batches in
    flight instead of one full one). CUDA: one worker (``inter = 1``,
    ``intra = 0`` = CTranslate2's default for its few CPU-side threads).
    """
    if device != "cpu":
        return 1, 0
    inter = max(1, min(threads, MAX_INTER_THREADS))
    return inter, max(1, threads // inter)


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "--", text).strip("-.")
    return slug[:80] or "model"


def converted_dir(model: str, model_dir: Path, revision: str, quantization: str) -> Path:
    """Where the converted model for these settings lives (not created).

    ``$DEWIRE_HOME/ct2/<model id, or the directory's name for a path>-<revision>-<quantization>``,
    with characters other than ``A-Z a-z 0-9 . _ -`` replaced by ``--``
    (``Helsinki-NLP/opus-mt-de-en`` → ``Helsinki-NLP--opus-mt-de-en``).
    """
    from translate.mt.cache import dewire_home

    name = Path(model_dir).name if is_path_like(model) or Path(model).expanduser().is_dir() else model
    return dewire_home() / CT2_SUBDIR / f"{_slug(name)}-{_slug(revision)}-{quantization}"


def is_converted(path: Path) -> bool:
    """Whether ``path`` holds a finished conversion (marker, ``model.bin`` and ``config.json``)."""
    return all((path / name).is_file() for name in (MARKER, "model.bin", "config.json"))


def convert_model(model_dir: Path, out: Path, quantization: str, *, source: Mapping[str, str] | None = None) -> bool:
    """Convert a Hugging Face model directory for CTranslate2, atomically, unless already done.

    Args:
        model_dir: the ``save_pretrained`` directory.
        out: the final directory (see :func:`converted_dir`).
        quantization: a CTranslate2 quantization (:data:`COMPUTE_TYPES`).
        source: extra facts recorded in the marker file (model id, revision).

    Returns:
        ``True`` if this call converted, ``False`` if ``out`` was already
        converted (by an earlier run or a concurrent process).

    Raises:
        ModelLoadError: the converter fails (unsupported architecture,
            unreadable weights) or ``out`` cannot be written.
    """
    if is_converted(out):
        return False
    from ctranslate2 import __version__ as ct2_version
    from ctranslate2.converters import TransformersConverter
    from transformers.utils import logging as hf_logging

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as err:
        raise ModelLoadError(f"cannot write the converted model to '{out.parent}' ({err.__class__.__name__}: {err})") from None
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            TransformersConverter(str(model_dir)).convert(str(tmp), quantization=quantization, force=True)
        marker = {"ctranslate2": ct2_version, "quantization": quantization, "model_dir": str(model_dir), **(source or {})}
        (tmp / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
        tmp.chmod(0o755)
        try:
            tmp.rename(out)  # atomic; fails if `out` exists and is not empty
        except OSError:
            if is_converted(out):  # a concurrent process finished first: use theirs
                return False
            shutil.rmtree(out, ignore_errors=True)  # a stale, unfinished directory
            tmp.rename(out)
        return True
    except ModelLoadError:
        raise
    except Exception as err:  # the converter raises ValueError, OSError, KeyError, NotImplementedError …
        first = (str(err).splitlines() or [""])[0][:200]
        raise ModelLoadError(
            f"translation model '{model_dir}' cannot be converted for CTranslate2 ({err.__class__.__name__}: {first})"
        ) from None
    finally:
        hf_logging.set_verbosity(verbosity)
        hf_logging.enable_progress_bar()
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


STALE_TEMPORARY_S = 3600.0
"""A temporary conversion directory untouched this long (seconds) was left by a killed process."""


def _remove_stale_temporaries(out: Path) -> None:
    """Delete ``.<name>.tmp-*`` siblings of ``out`` older than :data:`STALE_TEMPORARY_S` (a conversion takes about a minute)."""
    now = time.time()
    for path in out.parent.glob(f".{out.name}.tmp-*"):
        try:
            if now - path.stat().st_mtime > STALE_TEMPORARY_S:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


class CTranslate2Translator:
    """A MarianMT model run by CTranslate2 (see the module docstring for every rule).

    Args:
        cfg: the translator settings (beams, batch budget, limits, ``compute_type``).
        model_dir: a ``save_pretrained`` directory (see
            :func:`translate.mt.loading.resolve_model_dir`).
        device: ``auto``, ``cpu`` or ``cuda`` (``None``: ``cfg.device``).
        threads: CPU threads (``None``: ``cfg.threads`` or the default).

    Attributes:
        device: the resolved device (``cpu`` or ``cuda``).
        compute_type: the resolved compute type, also the conversion's quantization.
        threads: CPU threads in all (``inter_threads × intra_threads``, see :func:`split_threads`).
        inter_threads: CTranslate2 workers, each decoding one chunk of a batch at a time.
        intra_threads: threads per worker.
        revision: :func:`translate.mt.loading.model_revision` of ``model_dir``.
        ct2_dir: the converted model directory.
        converted: whether this instance ran the conversion (``False`` when it
            reused an earlier one, or has not loaded the model yet).
        model_calls: number of chunks submitted to CTranslate2 so far.
        oom_splits: chunks split in halves after running out of memory
            (:func:`translate.mt.memory.halve_on_oom`).
        forced_new_tokens: benchmark hook, ``None`` in normal use. When set to
            a function of a batch's longest source length (tokens), every
            hypothesis of that batch is decoded to exactly that many tokens
            (``min_decoding_length = max_decoding_length``), ignoring EOS, so
            engines can be timed on equal work with random-weight models that
            never stop by themselves.

    Raises:
        ModelLoadError: the tokenizer cannot be loaded, the device is
            unavailable, or (at first use) conversion or loading fails.
        ConfigError: ``cfg.compute_type`` is not a CTranslate2 compute type.
    """

    name = "ctranslate2"

    def __init__(
        self,
        cfg: TranslatorConfig,
        model_dir: Path,
        *,
        device: str | None = None,
        threads: int | None = None,
    ) -> None:
        self.cfg = cfg
        self.model_dir = Path(model_dir)
        self.device = resolve_device(device or cfg.device)
        self.compute_type = resolve_compute_type(cfg.compute_type, self.device)
        self.threads = int(threads or cfg.threads or default_threads())
        self.inter_threads, self.intra_threads = split_threads(self.threads, self.device)
        self.revision = model_revision(self.model_dir)
        config = self._read_json("config.json", required=True)
        generation = self._read_json("generation_config.json", required=False)
        limit = int(config.get("max_position_embeddings") or cfg.max_input_tokens)
        self.max_input_tokens = min(cfg.max_input_tokens, limit)
        eos = generation.get("eos_token_id", config.get("eos_token_id"))
        forced = generation.get("forced_eos_token_id", config.get("forced_eos_token_id"))
        self._forced_eos = forced is not None and forced == eos
        self.tokenizer = self._load_tokenizer(str(config.get("model_type", "")))
        self.ct2_dir = converted_dir(cfg.model, self.model_dir, self.revision, self.compute_type)
        self.converted = False
        self.model_calls = 0
        self.oom_splits = 0
        self.forced_new_tokens: Callable[[int], int] | None = None
        self._translator: Any = None

    # -- loading ---------------------------------------------------------------
    def _read_json(self, name: str, *, required: bool) -> dict[str, Any]:
        path = self.model_dir / name
        if not path.is_file() and not required:
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ModelLoadError(f"translation model '{self.model_dir}': cannot read {name} ({err.__class__.__name__})") from None
        return data if isinstance(data, dict) else {}

    def _load_tokenizer(self, model_type: str) -> Any:
        # ``AutoTokenizer`` imports torch (≈ 230 MB RSS); for Marian it returns
        # ``MarianTokenizer`` (there is no fast Marian tokenizer), which loads without it.
        tokenizer_class: Any
        if model_type == "marian":
            from transformers import MarianTokenizer as tokenizer_class
        else:
            from transformers import AutoTokenizer as tokenizer_class
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*sacremoses.*")
                tokenizer = tokenizer_class.from_pretrained(str(self.model_dir), trust_remote_code=False)
        except Exception as err:  # transformers raises OSError, ValueError, KeyError …
            first = (str(err).splitlines() or [""])[0][:200]
            raise ModelLoadError(
                f"translation model '{self.model_dir}': tokenizer cannot be loaded ({err.__class__.__name__}: {first})"
            ) from None
        # dewire enforces max_input_tokens itself (splitting, ValueError); counting an
        # over-long sentence before it is split must not log "indexing errors".
        tokenizer.model_max_length = VERY_LARGE
        return tokenizer

    @property
    def translator(self) -> Any:
        """The ``ctranslate2.Translator``, converting the model first if needed (on first access)."""
        if self._translator is None:
            self._translator = self._load()
        return self._translator

    def _load(self) -> Any:
        import ctranslate2

        self.converted = convert_model(
            self.model_dir,
            self.ct2_dir,
            self.compute_type,
            source={"model": self.cfg.model, "revision": self.revision},
        )
        try:
            return ctranslate2.Translator(
                str(self.ct2_dir),
                device=self.device,
                compute_type=self.compute_type,
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
            )
        except (ValueError, RuntimeError, OSError) as err:
            first = (str(err).splitlines() or [""])[0][:200]
            raise ModelLoadError(
                f"translation model '{self.ct2_dir}' cannot be loaded by CTranslate2 on {self.device} "
                f"with compute type {self.compute_type} ({first})"
            ) from None

    # -- Translator protocol ---------------------------------------------------
    @property
    def signature(self) -> Mapping[str, str]:
        """``model``, ``revision``, ``backend``, ``beams``, ``compute_type``, ``max_new_tokens`` rule, ``dewire`` version."""
        return backend_signature(self.name, self.cfg.model, self.revision, self.cfg.beams, compute_type=self.compute_type)

    def count_tokens(self, sources: Sequence[str]) -> list[int]:
        """Source token counts with EOS (the tokenizer's ``input_ids`` lengths)."""
        return count_source_tokens(self.tokenizer, sources)

    def translate_batch(
        self,
        sources: Sequence[str],
        *,
        retry: bool = False,
        progress: ProgressFn | None = None,
    ) -> list[Hypothesis]:
        """Translate ``sources`` in token-budget batches (see the module docstring).

        Args:
            sources: ``list[str]`` of length n, each ≤ :attr:`max_input_tokens` tokens.
            retry: decode with ``no_repeat_ngram_size`` and ``repetition_penalty``.
            progress: called with the batch size after each batch.

        Returns:
            ``list[Hypothesis]`` of length n, in input order.

        Raises:
            ValueError: a source is longer than :attr:`max_input_tokens` (never truncated).
            ModelLoadError: conversion or loading fails (first call only).
        """
        if not sources:
            return []
        ids = encode_sources(self.tokenizer, sources, self.max_input_tokens)
        lengths = [len(x) for x in ids]
        translator = self.translator
        out: list[Hypothesis | None] = [None] * len(sources)
        # Submit every chunk at once (asynchronous=True): the inter_threads workers
        # take them in parallel; results are collected in submission order.
        pending: list[tuple[list[int], list[Any], int, bool]] = []
        for batch in plan_batches(lengths, self.cfg.batch_tokens, self.cfg.max_batch_sentences):
            options, limit, forced = self._options(max(lengths[i] for i in batch), retry=retry)
            for chunk in split_batch(batch, self.inter_threads):
                tokens = [self.tokenizer.convert_ids_to_tokens(ids[i]) for i in chunk]
                pending.append((chunk, translator.translate_batch(tokens, asynchronous=True, **options), limit, forced))
                self.model_calls += 1
        for chunk, results, limit, forced in pending:
            if len(results) != len(chunk):
                raise RuntimeError(f"CTranslate2 returned {len(results)} hypotheses for a batch of {len(chunk)}")
            try:
                hyps = [self._hypothesis(result.result(), limit, forced) for result in results]
            except Exception as err:  # noqa: BLE001 - only an OOM of a splittable chunk is retried
                if len(chunk) < 2 or not is_out_of_memory(err):
                    raise
                free_accelerator_memory()
                self.oom_splits += 1
                half = len(chunk) // 2
                hyps = [
                    h
                    for part in (chunk[:half], chunk[half:])
                    for h in halve_on_oom(part, lambda b: self._translate_now(b, ids, retry), on_split=self._count_split)
                ]
            for i, h in zip(chunk, hyps):
                out[i] = h
            if progress is not None:
                progress(len(chunk))
        assert all(h is not None for h in out)
        return out  # type: ignore[return-value]

    def _count_split(self, size: int) -> None:
        self.oom_splits += 1

    def _translate_now(self, chunk: list[int], ids: Sequence[Sequence[int]], retry: bool) -> list[Hypothesis]:
        """Translate ``chunk`` (indices into ``ids``) synchronously: the out-of-memory retry path."""
        options, limit, forced = self._options(max(len(ids[i]) for i in chunk), retry=retry)
        tokens = [self.tokenizer.convert_ids_to_tokens(ids[i]) for i in chunk]
        self.model_calls += 1
        results = self.translator.translate_batch(tokens, **options)
        return [self._hypothesis(r, limit, forced) for r in results]

    def _options(self, longest: int, *, retry: bool) -> tuple[dict[str, Any], int, bool]:
        """``translate_batch`` options for a planned batch whose longest source has ``longest`` tokens.

        Returns:
            ``(options, max_decoding_length, forced)``; ``forced`` is whether
            :attr:`forced_new_tokens` set the length.
        """
        bound = max_new_tokens(longest, self.max_input_tokens)
        limit = max(1, bound - 1) if self._forced_eos else bound
        options: dict[str, Any] = {
            "beam_size": self.cfg.beams,
            "num_hypotheses": 1,
            "length_penalty": 1.0,
            "max_input_length": 0,
            "max_decoding_length": limit,
            "return_scores": True,
        }
        forced = self.forced_new_tokens(longest) if self.forced_new_tokens is not None else None
        if forced is not None:
            limit = options["max_decoding_length"] = options["min_decoding_length"] = max(1, int(forced))
        if retry:
            options["no_repeat_ngram_size"] = RETRY_NO_REPEAT_NGRAM_SIZE
            options["repetition_penalty"] = RETRY_REPETITION_PENALTY
        return options, limit, forced is not None

    def _hypothesis(self, result: Any, limit: int, forced: bool) -> Hypothesis:
        target = result.hypotheses[0]
        score: float | None = float(result.scores[0]) if result.scores else None
        n = len(target)
        if score is not None and self._forced_eos and n >= limit and not forced:
            # Cut at the bound without EOS: count the EOS transformers would force (log-prob 0).
            score = score * n / (n + 1)
        text = self.tokenizer.decode(self.tokenizer.convert_tokens_to_ids(target), skip_special_tokens=True)
        return Hypothesis(text=text.strip(), score=_finite_score(score), n_tokens=n)


def split_batch(batch: Sequence[int], parts: int) -> list[list[int]]:
    """Split a planned batch into ``min(parts, len(batch))`` contiguous chunks of near-equal size.

    ``plan_batches`` sorts longest first, so each chunk holds neighbours in
    length. Every chunk keeps its batch's decoding bound, so outputs do not
    depend on ``parts``.

    Args:
        batch: source indices (``list[int]`` of length m ≥ 1).
        parts: number of CTranslate2 workers (``inter_threads``, ≥ 1).

    Returns:
        Chunks whose concatenation is ``batch``.
    """
    k = max(1, min(parts, len(batch)))
    size, extra = divmod(len(batch), k)
    chunks: list[list[int]] = []
    start = 0
    for j in range(k):
        end = start + size + (1 if j < extra else 0)
        chunks.append(list(batch[start:end]))
        start = end
    return chunks


def _finite_score(value: float | None) -> float | None:
    """A log-probability clipped to ≤ 0; ``None`` for a missing, NaN or infinite score."""
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return min(0.0, value)
