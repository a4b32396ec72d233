"""The Translator protocol and the Hypothesis record.

A backend translates a list of source segments (plain strings, each already
short enough for the model) into hypotheses, one per input, in input order.
Batching by token budget, device placement and decoding live in the backend;
splitting, pass-through, caching and flags live in :mod:`translate.mt.engine`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Protocol, Sequence, runtime_checkable


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
    """

    name: str
    max_input_tokens: int

    @property
    def signature(self) -> Mapping[str, str]: ...

    def count_tokens(self, sources: Sequence[str]) -> list[int]:
        """Source token counts (with EOS), one per input."""
        ...

    def translate_batch(self, sources: Sequence[str]) -> list["Hypothesis"]:
        """Translate ``sources``; returns exactly ``len(sources)`` hypotheses in order.

        Every input must be at most ``max_input_tokens`` tokens long; the
        backend never truncates (it raises ``ValueError`` instead).
        """
        ...
