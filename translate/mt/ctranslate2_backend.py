"""The CTranslate2 backend (``pip install 'dewire[fast]'``): what ``backend: auto`` runs when installed.

CTranslate2 (OpenNMT) runs Transformer models with its own C++ kernels, int8
quantization and a decoder that drops finished hypotheses from the batch; it
is the fastest maintained engine for Marian models on CPU. dewire uses its API
and reimplements nothing. Measured speeds are in ``benchmarks/RESULTS.md``.

* **Conversion, once.** The Hugging Face model directory is converted with
  ``ctranslate2.converters.TransformersConverter(model_dir).convert(out,
  quantization=…)`` into ``$DEWIRE_HOME/ct2/<model>-<revision>-<compute type>/``
  (:func:`converted_dir`). The revision is
  :func:`translate.mt.loading.model_revision` (hub commit, or a content hash
  of a local directory), so changed weights get a new conversion. Conversion
  writes into a temporary sibling directory renamed into place, so an
  interrupted or concurrent conversion never leaves a half-written model. It
  is announced on the ``translate.mt.ctranslate2_backend`` logger at INFO
  (start, then duration): the CLI shows those lines; the library prints nothing.
* **Device and precision.** ``auto`` = ``cuda`` if CTranslate2 sees a CUDA
  device, else ``cpu`` (no Apple MPS). Compute type ``auto`` = ``int8`` on
  CPU, ``float16`` on CUDA; ``float32`` compares bit for bit with the
  transformers backend's greedy output. The model is converted with the same
  quantization it runs with.
* **Threads.** :func:`split_threads`: on CPU up to 4 workers decode chunks of
  a batch in parallel (``inter_threads``), ``threads // inter`` threads each
  — CTranslate2's performance notes advise parallel batches for throughput.
* **No PyTorch, no transformers at run time.** A converted Marian model is
  run with :class:`translate.mt.marian_spm.MarianSpmTokenizer` (``sentencepiece``
  alone, token for token ``MarianTokenizer``), so neither torch nor
  transformers is imported; a directory outside the plain Marian tokenizer
  layout gets ``MarianTokenizer`` (:func:`translate.mt.hf.load_tokenizer`, a
  DEBUG log line says why). Only the one-time conversion loads the model with
  PyTorch.
* **Tokens.** ``convert_ids_to_tokens(tokenizer(text).input_ids)`` (EOS
  included) in, ``tokenizer.decode(…, skip_special_tokens=True)`` out.
  ``max_input_length=0``: CTranslate2 never truncates; a source over
  :attr:`CTranslate2Translator.max_input_tokens` raises ``ValueError``.
* **Batches.** :func:`translate.mt.batching.plan_batches` (the same
  length-sorted token budget as the transformers backend); each planned batch
  is cut into ``inter_threads`` contiguous chunks (:func:`split_batch`), all
  submitted with ``asynchronous=True`` and collected in order.
* **Output bound per sentence.** Each chunk's ``max_decoding_length`` is the
  bound (:func:`translate.mt.base.max_new_tokens`) of its batch's longest
  source; a hypothesis that runs past its own source's bound (only a loop
  does) is decoded again with its own bound, so a one-word line batched with
  a long sentence gets a short target, as in the transformers backend. opus-mt forces
  EOS as the last of ``max_new_tokens`` tokens; CTranslate2 counts EOS in
  ``max_decoding_length``, so it gets ``bound − 1`` when the model forces EOS:
  the same number of text tokens as transformers.
* **Score.** With ``return_scores=True`` and ``length_penalty=1``,
  CTranslate2 returns the cumulative log-probability divided by the
  hypothesis length, EOS included (``TranslationOptions`` in its
  ``translation.h``): the mean log-probability per target token. A hypothesis
  cut at the bound has no EOS; where transformers would append the forced EOS
  with log-probability 0, the score is rescaled by ``L / (L + 1)``.
* **Retry.** ``retry=True`` passes ``no_repeat_ngram_size`` and
  ``repetition_penalty`` as the transformers backend does.

Conversion and model loading happen on the first
:meth:`CTranslate2Translator.translate_batch` (a run answered entirely from the
translation cache never converts or loads); the tokenizer loads at construction.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import time
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
from translate.mt.backends import BACKENDS
from translate.mt.batching import plan_batches
from translate.mt.hf import VERY_LARGE, default_threads, finite_score, first_line, load_tokenizer, quiet_loading
from translate.mt.hf import resolve_device as _resolve_device
from translate.mt.loading import is_path_like, model_revision
from translate.mt.memory import free_accelerator_memory, halve_on_oom, is_out_of_memory

logger = logging.getLogger(__name__)
"""Conversion progress (INFO): ``converting … (once)`` and ``converted … in N s``; the CLI shows it."""

CT2_SUBDIR = "ct2"
"""Converted models live under ``dewire_home() / CT2_SUBDIR``."""

MARKER = "dewire-ct2.json"
"""Written last into a converted directory; its presence means the conversion finished."""

COMPUTE_TYPES: tuple[str, ...] = BACKENDS["ctranslate2"].compute_types
"""Quantizations ``TransformersConverter.convert`` accepts (CTranslate2 4.x), from the backend registry."""


def resolve_device(device: str) -> str:
    """:func:`translate.mt.hf.resolve_device` for CTranslate2 (``auto`` = CUDA if visible, else CPU; no MPS)."""
    return _resolve_device(device, runtime="ctranslate2")


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
    performance notes advise parallel batches for throughput (on 2 CPUs,
    2 × 1 measured 1.6× the tokens/s of 1 × 2 and a lower peak memory; see
    ``benchmarks/RESULTS.md``). CUDA: one worker (``inter = 1``, ``intra = 0``
    = CTranslate2's default for its few CPU-side threads).
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

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as err:
        raise ModelLoadError(f"cannot write the converted model to '{out.parent}' ({err.__class__.__name__}: {err})") from None
    start = time.perf_counter()
    logger.info("converting the translation model for CTranslate2 (%s, once; later runs reuse it): %s", quantization, model_dir)
    try:
        with quiet_loading():
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
        logger.info("converted in %.1f s → %s", time.perf_counter() - start, out)
        return True
    except ModelLoadError:
        raise
    except Exception as err:  # the converter raises ValueError, OSError, KeyError, NotImplementedError …
        raise ModelLoadError(f"translation model '{model_dir}' cannot be converted for CTranslate2 ({first_line(err)})") from None
    finally:
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
        row_bound: benchmark hook, ``True`` in normal use; ``False`` keeps
            every hypothesis at its chunk's bound (dewire 0.1's behaviour).

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
        self.row_bound = True
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
        """:class:`translate.mt.marian_spm.MarianSpmTokenizer` for a Marian model (no transformers import);
        ``MarianTokenizer`` / ``AutoTokenizer`` (:func:`translate.mt.hf.load_tokenizer`) for anything else,
        with the reason logged at DEBUG."""
        if model_type == "marian":
            from translate.mt.marian_spm import MarianSpmTokenizer, NotMarianLayout

            try:
                tokenizer = MarianSpmTokenizer(self.model_dir)
                tokenizer.model_max_length = VERY_LARGE  # as load_tokenizer: dewire enforces input limits itself
                return tokenizer
            except NotMarianLayout as err:
                logger.debug("%s: not the plain Marian tokenizer layout (%s); loading transformers' MarianTokenizer", self.model_dir, err)
        else:
            logger.debug("%s: model type %r is not Marian; loading the tokenizer with transformers", self.model_dir, model_type)
        return load_tokenizer(self.model_dir, "translation model", model_type=model_type or None)

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
            raise ModelLoadError(
                f"translation model '{self.ct2_dir}' cannot be loaded by CTranslate2 on {self.device} "
                f"with compute type {self.compute_type} ({first_line(err)})"
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
                hyps = self._hypotheses(chunk, [result.result() for result in results], ids, limit, forced, retry)
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
        return self._hypotheses(chunk, results, ids, limit, forced, retry)

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

    def _row_limit(self, source_tokens: int, batch_limit: int) -> int:
        """Most target tokens (EOS excluded) for one source: its own bound, as the transformers backend's ``RowBound`` gives."""
        bound = max_new_tokens(source_tokens, self.max_input_tokens)
        own = max(1, bound - 1) if self._forced_eos or bound - 1 < batch_limit else bound
        return min(own, batch_limit)

    def _hypotheses(
        self,
        chunk: Sequence[int],
        results: Sequence[Any],
        ids: Sequence[Sequence[int]],
        limit: int,
        forced: bool,
        retry: bool,
    ) -> list[Hypothesis]:
        """Hypotheses of one chunk, each within its own source's bound (see the module docstring).

        A hypothesis that ran past its own bound (to the chunk's, set by a
        longer source) is decoded again with its own bound, in one call per
        distinct bound: exactly what a per-row bound gives (the tokens of a
        greedy hypothesis are its first ones; the score is CTranslate2's own).
        Only a looping hypothesis gets there with a real model.
        """
        out: list[Hypothesis | None] = [None] * len(chunk)
        again: dict[int, list[int]] = {}
        for j, (i, result) in enumerate(zip(chunk, results)):
            own = self._row_limit(len(ids[i]), limit)
            if not forced and self.row_bound and len(result.hypotheses[0]) > own:
                again.setdefault(own, []).append(j)
            else:
                out[j] = self._hypothesis(result, limit, forced)
        for own, rows in again.items():
            options, _, _ = self._options(0, retry=retry)
            options["max_decoding_length"] = own
            tokens = [self.tokenizer.convert_ids_to_tokens(ids[chunk[j]]) for j in rows]
            self.model_calls += 1
            for j, result in zip(rows, self.translator.translate_batch(tokens, **options)):
                out[j] = self._hypothesis(result, own, False, eos_at_limit=True)  # RowBound forces EOS there
        assert all(h is not None for h in out)
        return out  # type: ignore[return-value]

    def _hypothesis(self, result: Any, limit: int, forced: bool, *, eos_at_limit: bool | None = None) -> Hypothesis:
        target = result.hypotheses[0]
        score: float | None = float(result.scores[0]) if result.scores else None
        n = len(target)
        eos = self._forced_eos if eos_at_limit is None else eos_at_limit
        if score is not None and n >= limit and not forced and eos:
            # Cut at the bound without EOS: count the EOS transformers would force (log-prob 0).
            score = score * n / (n + 1)
        text = self.tokenizer.decode(self.tokenizer.convert_tokens_to_ids(target), skip_special_tokens=True)
        return Hypothesis(text=text.strip(), score=finite_score(score), n_tokens=n)


def split_batch(batch: Sequence[int], parts: int) -> list[list[int]]:
    """Split a planned batch into ``min(parts, len(batch))`` contiguous chunks of near-equal size.

    ``plan_batches`` sorts longest first, so each chunk holds neighbours in
    length. Every chunk keeps its batch's decoding bound (and each hypothesis
    is then cut to its own source's bound), so outputs do not depend on ``parts``.

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
