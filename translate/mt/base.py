"""The Translator protocol and the Hypothesis record.

A backend translates a list of source segments (plain strings, each already
short enough for the model) into hypotheses, one per input, in input order.
Batching by token budget, device placement and decoding live in the backend;
splitting, pass-through, caching and flags live in :mod:`translate.mt.engine`.

Decoding rules every backend follows (so backends give comparable outputs and
the cache key means the same thing everywhere):

* ``max_new_tokens`` for a batch is :func:`max_new_tokens` of the longest
  source in the batch: ``min(max_input_tokens - 1, ceil(1.5 × source tokens) + 10)``.
  opus-mt's SentencePiece models give English/German token ratios around
  0.9–1.2 on news text, so 1.5× + 10 never cuts a real translation short but
  stops a degenerate loop long before 512 tokens.
* ``retry=True`` decodes with :data:`RETRY_NO_REPEAT_NGRAM_SIZE` and
  :data:`RETRY_REPETITION_PENALTY` (the engine's second try for a hypothesis
  caught in a repetition loop; Keskar et al. 2019, "CTRL", introduced the
  penalty; 1.2 is their recommended value).
* ``score`` is the mean natural-log probability per generated target token,
  EOS included (beam search with ``length_penalty=1.0``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Protocol, Sequence, runtime_checkable

from translate.events import ProgressFn  # re-exported: the backends import it from here

RETRY_NO_REPEAT_NGRAM_SIZE = 3
"""``no_repeat_ngram_size`` used when retrying a looping hypothesis."""

RETRY_REPETITION_PENALTY = 1.2
"""``repetition_penalty`` used when retrying a looping hypothesis (CTRL paper's value)."""



def max_new_tokens(source_tokens: int, max_input_tokens: int) -> int:
    """Upper bound on generated target tokens for a source of ``source_tokens`` tokens.

    Rule: ``min(max_input_tokens - 1, ceil(1.5 × source_tokens) + 10)`` (see
    the module docstring for why).

    Args:
        source_tokens: source length in tokens (with EOS).
        max_input_tokens: the model's position limit (512 for opus-mt).

    Returns:
        The bound, ≥ 1.
    """
    return max(1, min(max_input_tokens - 1, math.ceil(1.5 * source_tokens) + 10))


@dataclass(frozen=True, slots=True)
class Hypothesis:
    """One translation hypothesis.

    Attributes:
        text: the target text (detokenized).
        score: mean log-probability per target token (natural log, ≤ 0), as
            computed from the decoder's scores (length-normalized beam score);
            ``None`` if the backend cannot score.
        n_tokens: number of target tokens generated (without EOS/padding).
    """

    text: str
    score: float | None
    n_tokens: int = 0


@runtime_checkable
class Translator(Protocol):
    """What every translation backend provides.

    Attributes:
        name: short backend name (``transformers``, ``ctranslate2``, ``echo``).
        max_input_tokens: the model's input limit in source tokens.
        signature: settings that determine the output (model id, revision,
            beam, backend …); used for reproducibility and as the cache key.

    Backends may also expose ``model_calls: int`` (how many times the model was
    run, e.g. one per ``generate`` batch); the engine reports it when present.
    """

    @property
    def name(self) -> str: ...

    @property
    def max_input_tokens(self) -> int: ...

    @property
    def signature(self) -> Mapping[str, str]: ...

    def count_tokens(self, sources: Sequence[str]) -> list[int]:
        """Source token counts (with EOS), one per input."""
        ...

    def translate_batch(
        self,
        sources: Sequence[str],
        *,
        retry: bool = False,
        progress: ProgressFn | None = None,
    ) -> list["Hypothesis"]:
        """Translate ``sources``; returns exactly ``len(sources)`` hypotheses in order.

        Every input must be at most ``max_input_tokens`` tokens long; the
        backend never truncates (it raises ``ValueError`` instead).

        Args:
            sources: source segments (``list[str]`` of length n).
            retry: decode with the anti-repetition settings
                (:data:`RETRY_NO_REPEAT_NGRAM_SIZE`, :data:`RETRY_REPETITION_PENALTY`).
            progress: optional; called with the number of sources finished
                after each internal batch (the calls sum to n).

        Returns:
            ``list[Hypothesis]`` of length n, in input order.
        """
        ...


class ScaledProgress:
    """Re-express progress reported in one unit (e.g. unique segments) in another (e.g. sentences).

    Calling it with ``n`` finished inner units calls ``progress`` with the
    matching number of outer units (rounded down, cumulative, never past
    ``outer_total``); :meth:`finish` reports whatever is left, so the outer
    calls always sum to exactly ``outer_total``.

    Args:
        progress: the outer callback.
        inner_total: units the inner reports count up to (> 0).
        outer_total: units the outer callback expects in total.
    """

    def __init__(self, progress: ProgressFn, inner_total: int, outer_total: int) -> None:
        self._progress = progress
        self._inner_total = max(1, inner_total)
        self._outer_total = outer_total
        self._inner_done = 0
        self.outer_done = 0

    def __call__(self, n: int) -> None:
        self._inner_done = min(self._inner_total, self._inner_done + n)
        target = self._outer_total * self._inner_done // self._inner_total
        if target > self.outer_done:
            self._progress(target - self.outer_done)
            self.outer_done = target

    def finish(self) -> None:
        """Report the outer units not reported yet."""
        if self.outer_done < self._outer_total:
            self._progress(self._outer_total - self.outer_done)
            self.outer_done = self._outer_total


def encode_sources(tokenizer: object, sources: Sequence[str], max_input_tokens: int) -> list[list[int]]:
    """Token ids (with EOS) of each source, refusing any over the model's limit.

    Shared by every backend so that none can truncate silently.

    Args:
        tokenizer: a Hugging Face tokenizer (``MarianTokenizer`` for opus-mt).
        sources: ``list[str]`` of length n.
        max_input_tokens: the model's input limit in tokens.

    Returns:
        ``list[list[int]]`` of length n.

    Raises:
        ValueError: a source is longer than ``max_input_tokens`` (split it first).
    """
    ids = tokenizer(list(sources), add_special_tokens=True)["input_ids"]  # type: ignore[operator]
    for i, x in enumerate(ids):
        if len(x) > max_input_tokens:
            raise ValueError(f"source {i} has {len(x)} tokens, over the model's limit of {max_input_tokens}; split it first")
    return ids


def count_source_tokens(tokenizer: object, sources: Sequence[str]) -> list[int]:
    """Source token counts with EOS (the tokenizer's ``input_ids`` lengths); ``[]`` for no sources.

    Every Hugging Face-tokenized backend's ``count_tokens``; no length check
    (the engine counts *before* splitting over-long sentences).
    """
    if not sources:
        return []
    ids = tokenizer(list(sources), add_special_tokens=True)["input_ids"]  # type: ignore[operator]
    return [len(x) for x in ids]


def backend_signature(name: str, model: str, revision: str, beams: int, **precision: str) -> dict[str, str]:
    """The settings that determine a backend's output (report signature and cache key).

    Args:
        name: the backend (``transformers``, ``ctranslate2``).
        model: the model id or directory as configured.
        revision: :func:`translate.mt.loading.model_revision` of the files used.
        beams: beam size.
        precision: the numeric format, e.g. ``dtype="float32"`` or
            ``compute_type="int8"``.

    Returns:
        ``model``, ``revision``, ``backend``, ``beams``, the precision field,
        the ``max_new_tokens`` rule and the ``dewire`` version, as strings.
    """
    from translate import __version__

    return {
        "model": model,
        "revision": revision,
        "backend": name,
        "beams": str(beams),
        **precision,
        "max_new_tokens": "min(max_input-1,ceil(1.5n)+10)",
        "dewire": __version__,
    }
