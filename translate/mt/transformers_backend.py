"""The reference backend: seq2seq models (MarianMT) through Hugging Face transformers and PyTorch.

``AutoTokenizer`` + ``AutoModelForSeq2SeqLM`` (``MarianTokenizer`` /
``MarianMTModel`` for opus-mt) and ``model.generate`` under
``torch.inference_mode()``. transformers 5 removed the ``translation``
pipeline, so this module does its own pre-processing (tokenize, plan batches),
model call (``generate``) and post-processing (decode, score, restore order).
``backend: auto`` prefers CTranslate2 when it is installed; this backend is
the reference the other is checked against (``--backend transformers``).

* Device ``auto``: CUDA, then Apple MPS, then CPU
  (:func:`translate.mt.hf.resolve_device`); compute type ``auto``: float16
  on CUDA, float32 elsewhere (MPS float16 generation is not reliable for Marian).
* CPU threads: ``threads`` if given, else ``TranslatorConfig.threads``, else
  :func:`translate.mt.hf.default_threads`.
* Batches: :func:`translate.mt.batching.plan_batches` over token lengths,
  ``batch_tokens`` counting padding, at most ``max_batch_sentences``.
* Out of memory: a batch that does not fit is run again in halves
  (:func:`translate.mt.memory.halve_on_oom`); only a single source that
  still does not fit raises.
* Output bound per sentence: ``generate``'s ``max_new_tokens`` is
  :func:`translate.mt.base.max_new_tokens` of the batch's longest source, and
  :class:`RowBound` forces EOS in each row when it reaches its own source's
  bound, so a one-word line batched with a long sentence cannot loop for
  hundreds of tokens.
* Score: the mean log-probability per generated target token, EOS
  included, of the scores decoding chose from (after the logits processors:
  pad ban, forced EOS at the bound, on retry the n-gram ban and repetition
  penalty). Beam search: exactly ``sequences_scores`` with
  ``length_penalty=1.0``; greedy search: the mean of
  ``compute_transition_scores(..., normalize_logits=True)``. Both are
  collected by :class:`StepRecorder`, which keeps only the top ``2 × beams``
  tokens per row and step, because ``generate(output_scores=True)`` keeps a
  full ``(rows, vocabulary)`` float32 tensor per step (several GB at beam 4
  with opus-mt's 58,101-token vocabulary). A teacher-forced scoring pass is
  kept only as a fallback (:meth:`TransformersTranslator._score`).

The model weights load on the first :meth:`TransformersTranslator.translate_batch`,
so a run answered entirely from the cache never loads them; the tokenizer
loads at construction (that validates the directory early).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from translate.config import TranslatorConfig
from translate.errors import ModelLoadError
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
from translate.mt.hf import VERY_LARGE, default_threads, finite_score, first_line, load_tokenizer, quiet_loading, resolve_device
from translate.mt.loading import model_revision
from translate.mt.memory import halve_on_oom

__all__ = ["TransformersTranslator", "BanTokens", "RowBound", "StepRecorder", "VERY_LARGE", "default_threads", "resolve_device"]

SCORING_LOGITS_BUDGET = 2**24
"""Most logits (floats) the scoring pass holds at once: 64 MiB in float32."""


class TransformersTranslator:
    """MarianMT (or any seq2seq model) through transformers ``generate``.

    Args:
        cfg: the translator settings (beams, batch budget, limits, threshold).
        model_dir: a ``save_pretrained`` directory (see
            :func:`translate.mt.loading.resolve_model_dir`).
        device: ``auto``, ``cpu``, ``cuda`` or ``mps`` (``None``: ``cfg.device``).
        threads: CPU threads (``None``: ``cfg.threads`` or :func:`default_threads`).

    Attributes:
        model_calls: number of ``generate`` calls so far.
        oom_splits: batches split in halves after running out of memory
            (:func:`translate.mt.memory.halve_on_oom`).
        forced_new_tokens: benchmark hook, ``None`` in normal use (as in the
            CTranslate2 backend). When set to a function of a batch's longest
            source length (tokens), every hypothesis of that batch is decoded
            to exactly that many tokens (``min_new_tokens = max_new_tokens``),
            so engines can be timed on equal work with random-weight models
            that never stop by themselves.
        row_bound: benchmark hook, ``True`` in normal use; ``False`` gives
            every row its batch's bound (dewire 0.1's behaviour) instead of
            its own (:class:`RowBound`).
        device: the resolved device.
        compute_type: the resolved numeric format (``float32``, ``float16``, ``bfloat16``).
        dtype: the same, kept for callers of dewire 0.1.
        threads: CPU threads torch uses.

    Raises:
        ModelLoadError: the tokenizer (at construction) or the model (at first
            use) cannot be loaded, or the device is unavailable.
    """

    name = "transformers"

    def __init__(
        self,
        cfg: TranslatorConfig,
        model_dir: Path,
        *,
        device: str | None = None,
        threads: int | None = None,
    ) -> None:
        import torch

        self.cfg = cfg
        self.model_dir = Path(model_dir)
        self.device = resolve_device(device or cfg.device)
        self.compute_type = BACKENDS[self.name].compute_type(getattr(cfg, "compute_type", "auto"), self.device)
        if self.compute_type not in BACKENDS[self.name].compute_types:
            from translate.errors import ConfigError

            raise ConfigError(f"compute_type {self.compute_type!r} is not one the transformers backend takes")
        self.dtype = self.compute_type
        self.threads = threads or cfg.threads or default_threads()
        torch.set_num_threads(self.threads)
        self.revision = model_revision(self.model_dir)
        self._config = self._read_config()
        limit = int(self._config.get("max_position_embeddings") or cfg.max_input_tokens)
        self.max_input_tokens = min(cfg.max_input_tokens, limit)
        self.tokenizer = self._load_tokenizer()
        self._model: Any = None
        self._banned: tuple[int, ...] = ()
        self.forced_new_tokens: Callable[[int], int] | None = None
        self.row_bound = True
        self.model_calls = 0
        self.oom_splits = 0

    # -- loading ---------------------------------------------------------------
    def _read_config(self) -> dict[str, Any]:
        try:
            data = json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ModelLoadError(f"translation model '{self.model_dir}': cannot read config.json ({err.__class__.__name__})") from None
        if not data.get("is_encoder_decoder", True):
            raise ModelLoadError(f"translation model '{self.model_dir}' is not an encoder-decoder (seq2seq) model")
        return data

    def _load_tokenizer(self) -> Any:
        return load_tokenizer(self.model_dir, "translation model", model_type=str(self._config.get("model_type", "")) or None)

    @property
    def model(self) -> Any:
        """The seq2seq model, loaded (eval mode, on :attr:`device`) on first access."""
        if self._model is None:
            self._model = self._load_model()
        return self._model

    def _load_model(self) -> Any:
        import torch
        from transformers import AutoModelForSeq2SeqLM

        kwargs: dict[str, Any] = {"trust_remote_code": False}
        if (self.model_dir / "model.safetensors").is_file() or (self.model_dir / "model.safetensors.index.json").is_file():
            kwargs["use_safetensors"] = True
        if self.compute_type != "float32":
            kwargs["dtype"] = getattr(torch, self.compute_type)
        try:
            with quiet_loading():
                model = AutoModelForSeq2SeqLM.from_pretrained(str(self.model_dir), **kwargs)
        except Exception as err:  # OSError, PermissionError, ValueError, safetensors errors …
            raise ModelLoadError(f"translation model '{self.model_dir}' cannot be loaded ({first_line(err)})") from None
        model.to(self.device)
        model.eval()
        # max_new_tokens bounds every call; an inherited max_length (512 in opus-mt's
        # generation_config) would only trigger "both set" warnings.
        model.generation_config.max_length = None
        # Single-token bad words (opus-mt bans <pad>) are banned in place by
        # BanTokens instead of transformers' NoBadWordsLogitsProcessor, whose
        # torch.where over the whole (rows × 58,101) score matrix every step
        # measured ≈ 8 % of beam-4 decoding time on CPU. Same scores, same output.
        bad = getattr(model.generation_config, "bad_words_ids", None) or []
        if bad and all(len(seq) == 1 for seq in bad):
            self._banned = tuple(int(seq[0]) for seq in bad)
            model.generation_config.bad_words_ids = None
        return model

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
            torch.OutOfMemoryError: a single source does not fit (a batch that
                does not fit is split in halves first).
        """
        if not sources:
            return []
        ids = encode_sources(self.tokenizer, sources, self.max_input_tokens)
        lengths = [len(x) for x in ids]
        out: list[Hypothesis | None] = [None] * len(sources)
        for batch in plan_batches(lengths, self.cfg.batch_tokens, self.cfg.max_batch_sentences):
            hyps = halve_on_oom(batch, lambda b: self._generate([ids[i] for i in b], retry=retry), on_split=self._count_split)
            if len(hyps) != len(batch):
                raise RuntimeError(f"generate returned {len(hyps)} hypotheses for a batch of {len(batch)}")
            for i, h in zip(batch, hyps):
                out[i] = h
            if progress is not None:
                progress(len(batch))
        assert all(h is not None for h in out)
        return out  # type: ignore[return-value]

    def _count_split(self, size: int) -> None:
        self.oom_splits += 1

    def _generate(self, batch_ids: list[list[int]], *, retry: bool) -> list[Hypothesis]:
        import torch
        from transformers import LogitsProcessorList
        from transformers.modeling_outputs import BaseModelOutput

        model = self.model
        tok = self.tokenizer
        enc = tok.pad({"input_ids": batch_ids}, padding=True, return_tensors="pt")
        input_ids = enc["input_ids"].to(self.device)
        attention_mask = enc["attention_mask"].to(self.device)
        beams = self.cfg.beams
        longest = max(len(x) for x in batch_ids)
        bound = max_new_tokens(longest, self.max_input_tokens)
        forced = self.forced_new_tokens(longest) if self.forced_new_tokens is not None else None
        if forced is not None:
            bound = max(1, int(forced))
            row_bounds = [bound] * len(batch_ids)
        else:
            row_bounds = [max_new_tokens(len(x), self.max_input_tokens) for x in batch_ids]
        recorder = StepRecorder(
            top_k=2 * beams, normalize=beams == 1, rows=len(batch_ids) * beams, steps=bound, device=self.device
        )
        processors: list[Any] = [BanTokens(self._banned)] if self._banned else []
        if tok.eos_token_id is not None and self.row_bound:
            processors.append(RowBound(row_bounds, beams, int(tok.eos_token_id)))
        processors.append(recorder)  # last: it records the scores decoding chooses from
        kwargs: dict[str, Any] = {
            "num_beams": beams,
            "num_return_sequences": 1,
            "do_sample": False,
            "max_new_tokens": bound,
            "logits_processor": LogitsProcessorList(processors),
        }
        if forced is not None:
            kwargs["min_new_tokens"] = bound
        if beams > 1:
            kwargs["length_penalty"] = 1.0
        if retry:
            kwargs["no_repeat_ngram_size"] = RETRY_NO_REPEAT_NGRAM_SIZE
            kwargs["repetition_penalty"] = RETRY_REPETITION_PENALTY
        with torch.inference_mode():
            # Run the encoder once; generate() and a fallback scoring pass share
            # it. generate() expands the encoder output per beam in place, so it
            # gets its own wrapper object.
            encoder_states = model.get_encoder()(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            sequences = model.generate(
                encoder_outputs=BaseModelOutput(last_hidden_state=encoder_states),
                attention_mask=attention_mask,
                **kwargs,
            )
            self.model_calls += 1
            pad_id, eos_id = tok.pad_token_id, tok.eos_token_id
            gen = sequences[:, 1:]
            # <pad> is the decoder start and banned from generation, so in the
            # generated part it only fills rows that finished early.
            real = gen != pad_id
            sums, found = recorder.path_log_probs(sequences, beams)
            counts = real.sum(dim=1)
            complete = (found | ~real).all(dim=1)
            scores: list[float | None] = [
                finite_score(float(sm) / int(n)) if ok and n else None
                for sm, n, ok in zip(sums.tolist(), counts.tolist(), complete.tolist())
            ]
            missing = [r for r, ok in enumerate(complete.tolist()) if not ok]
            if missing:  # not expected; keeps every hypothesis scored if generate() changes
                rows = torch.tensor(missing, device=sequences.device)
                fallback = self._score(encoder_states[rows], attention_mask[rows], sequences[rows])
                for r, value in zip(missing, fallback):
                    scores[r] = value
            n_tokens = (real & (gen != eos_id)).sum(dim=1).tolist()
            texts = tok.batch_decode(sequences, skip_special_tokens=True)
            recorder.clear()
            del encoder_states, sequences, gen, real, input_ids, attention_mask
        return [Hypothesis(text=t.strip(), score=sc, n_tokens=int(n)) for t, sc, n in zip(texts, scores, n_tokens)]

    def _score(self, encoder_states: Any, attention_mask: Any, sequences: Any) -> list[float | None]:
        """Fallback score by teacher forcing: one decoder pass over the hypotheses.

        Mean ``log_softmax`` of the model's raw logits at the generated tokens
        (EOS included), in row chunks of at most :data:`SCORING_LOGITS_BUDGET`
        logits. Used only for rows :class:`StepRecorder` could not follow.
        """
        import torch

        model = self.model
        pad_id = self.tokenizer.pad_token_id
        decoder_in = sequences[:, :-1]
        targets = sequences[:, 1:]
        real = targets != pad_id
        rows, length = targets.shape
        vocab = int(getattr(model.config, "vocab_size", 0) or 1)
        chunk = max(1, SCORING_LOGITS_BUDGET // max(1, length * vocab))
        sums: list[float] = []
        for a in range(0, rows, chunk):
            b = min(rows, a + chunk)
            out = model(
                encoder_outputs=(encoder_states[a:b],),
                attention_mask=attention_mask[a:b],
                decoder_input_ids=decoder_in[a:b],
                use_cache=False,
            )
            logits = out.logits.float()
            picked = logits.gather(-1, targets[a:b, :, None])[..., 0] - torch.logsumexp(logits, dim=-1)
            sums.extend((picked * real[a:b]).sum(dim=1).tolist())
            del out, logits, picked
        counts = real.sum(dim=1).tolist()
        return [finite_score(sm / n) if n else None for sm, n in zip(sums, counts)]


class BanTokens:
    """A logits processor that sets the scores of ``token_ids`` to ``-inf``, in place.

    The same effect as transformers' ``NoBadWordsLogitsProcessor`` for
    single-token bad words (``bad_words_ids=[[pad]]`` in opus-mt's
    generation config), without building a full-size mask and a new score
    tensor at every step.
    """

    def __init__(self, token_ids: Sequence[int]) -> None:
        self.token_ids = list(token_ids)

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        scores[:, self.token_ids] = -math.inf
        return scores


class RowBound:
    """A logits processor that forces EOS in each row at that row's own output bound.

    ``generate`` takes one ``max_new_tokens`` per call: the bound of the
    batch's longest source. This processor gives every source its own bound
    (:func:`translate.mt.base.max_new_tokens` of its own length): when a row
    has generated ``bound − 1`` tokens, every token but EOS gets ``-inf`` and
    EOS ``0``, as transformers' ``ForcedEOSTokenLogitsProcessor`` does at the
    last step of ``max_new_tokens``. So a one-word line batched with a
    150-token sentence stops after at most 11 tokens instead of ~235.

    Rows to force are looked up per step in a table built once (step →
    row indices), so a step with nothing to force costs one dict lookup.

    Args:
        bounds: ``list[int]`` of length batch, each source's bound (tokens, EOS included).
        beams: beams per source (rows ``b × beams … b × beams + beams − 1`` belong to source ``b``).
        eos_token_id: the EOS token.
    """

    def __init__(self, bounds: Sequence[int], beams: int, eos_token_id: int) -> None:
        self.eos = eos_token_id
        self.beams = beams
        self.rows = len(bounds) * beams
        longest = max(bounds, default=0)
        table: dict[int, list[int]] = {}
        for b, bound in enumerate(bounds):
            if bound < longest:  # the longest rows are bounded by max_new_tokens already
                table.setdefault(max(0, bound - 1), []).extend(range(b * beams, (b + 1) * beams))
        self._table = table
        self._index: dict[int, Any] = {}

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        rows = self._table.get(input_ids.shape[1] - 1)
        if rows is None or input_ids.shape[0] != self.rows:
            return scores
        index = self._index.get(id(rows))
        if index is None:
            import torch

            index = self._index[id(rows)] = torch.tensor(rows, device=scores.device)
        scores[index] = -math.inf
        scores[index, self.eos] = 0.0
        return scores


class StepRecorder:
    """A logits processor that records, per decoding step, what scoring needs.

    Appended last to ``generate``'s processors, it sees the scores each step
    selects from, ``(batch × beams, vocabulary)``, after the other processors:
    log-probabilities in beam search (used as they are, as
    ``sequences_scores`` does), logits in greedy search (``normalize=True``
    applies ``log_softmax``, as ``compute_transition_scores(...,
    normalize_logits=True)`` does). It keeps, per running row, the ``top_k``
    best tokens with their values and a hash of the row's prefix, i.e.
    ``O(rows × top_k)`` numbers per step instead of
    ``generate(output_scores=True)``'s full ``(rows, vocabulary)`` tensor.
    Beam search only extends a row with one of its ``2 × beams`` best tokens,
    so every token of the final hypotheses is among the recorded ones, found
    through the row whose prefix it extends. The scores pass through unchanged.
    """

    _MULT = 0x9E3779B97F4A7C15  # odd 64-bit multiplier (golden ratio), for the prefix hash

    def __init__(self, top_k: int, *, normalize: bool, rows: int, steps: int, device: Any = "cpu") -> None:
        import torch

        self.top_k = max(2, top_k)
        self.normalize = normalize
        self.rows = rows
        self.steps = steps
        # Preallocated once: many small tensors kept alive across decoding steps
        # fragment the heap between the big per-step ones (measured: +0.6 GB
        # peak RSS for 8 sentences at beam 4 with the opus-mt vocabulary).
        self._hashes = torch.zeros((steps, rows), dtype=torch.int64, device=device)
        self._ids = torch.zeros((steps, rows, self.top_k), dtype=torch.int64, device=device)
        self._logp = torch.zeros((steps, rows, self.top_k), dtype=torch.float32, device=device)
        self._powers = self._power_table(steps + 2, device)
        self.recorded = 0
        self.failed = False

    @classmethod
    def _power_table(cls, n: int, device: Any) -> Any:
        import torch

        values, x = [], 1
        for _ in range(n):
            values.append(x - (1 << 64) if x >= (1 << 63) else x)
            x = (x * cls._MULT + 1) % (1 << 64)
        return torch.tensor(values, dtype=torch.int64, device=device)

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        t = input_ids.shape[1] - 1  # tokens generated so far
        if t >= self.steps or input_ids.shape[0] != self.rows or scores.shape[-1] < self.top_k:
            self.failed = True  # not the decoding loop this recorder was sized for
            return scores
        values = scores.float()
        torch.topk(values, k=self.top_k, dim=-1, out=(self._logp[t], self._ids[t]))
        if self.normalize:
            self._logp[t] -= torch.logsumexp(values, dim=-1, keepdim=True)
        torch.sum(input_ids * self._powers[: t + 1], dim=1, out=self._hashes[t])
        self.recorded = max(self.recorded, t + 1)
        return scores

    def path_log_probs(self, sequences: Any, beams: int) -> tuple[Any, Any]:
        """Sum of recorded log-probabilities along each final hypothesis.

        Args:
            sequences: ``(batch, 1 + generated)`` token ids, decoder start first,
                one hypothesis per input (``num_return_sequences=1``).
            beams: beams per input.

        Returns:
            ``(sums, found)``: ``(batch,)`` sums over the generated positions
            that were found, and a ``(batch, generated)`` bool mask of found
            positions (all ``False`` if the recorder could not follow decoding).
        """
        import torch

        batch, total = sequences.shape
        steps = min(total - 1, self.recorded)
        if steps <= 0 or self.failed or batch * beams != self.rows:
            return torch.zeros(batch), torch.zeros((batch, max(0, total - 1)), dtype=torch.bool)
        k = self.top_k
        hashes = self._hashes[:steps].view(steps, batch, beams)
        ids = self._ids[:steps].view(steps, batch, beams, k)
        logp = self._logp[:steps].view(steps, batch, beams, k)
        prefix = torch.cumsum(sequences[:, :steps] * self._powers[:steps], dim=1)  # hash of s[:t+1], (batch, T)
        match = hashes.permute(1, 0, 2) == prefix[:, :, None]  # (batch, T, beams)
        row = match.float().argmax(dim=-1)  # first matching beam
        has_row = match.any(dim=-1)
        ids_bt = ids.permute(1, 0, 2, 3).gather(2, row[:, :, None, None].expand(-1, -1, 1, k))[:, :, 0]  # (batch, T, K)
        lp_bt = logp.permute(1, 0, 2, 3).gather(2, row[:, :, None, None].expand(-1, -1, 1, k))[:, :, 0]
        nxt = sequences[:, 1 : steps + 1]
        hit = ids_bt == nxt[:, :, None]
        found_t = has_row & hit.any(dim=-1)
        zero = torch.zeros((), dtype=lp_bt.dtype, device=lp_bt.device)
        values = torch.where(hit, lp_bt, zero).sum(dim=-1)  # -inf entries never hit the token chosen
        values = torch.where(found_t, values, zero)
        found = torch.zeros((batch, total - 1), dtype=torch.bool, device=sequences.device)
        found[:, :steps] = found_t
        return values.sum(dim=1), found

    def clear(self) -> None:
        """Forget the recorded steps (the buffers stay allocated)."""
        self.recorded = 0
        self.failed = False
