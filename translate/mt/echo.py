"""A deterministic stand-in translator for tests where the model is beside the point.

:class:`EchoTranslator` follows the :class:`~translate.mt.base.Translator`
protocol exactly (token limit, ``ValueError`` over it, one hypothesis per
input, progress calls) and counts its calls, so tests of the engine, the cache
and the writers can check what reached "the model" without loading one.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from translate.mt.base import Hypothesis, ProgressFn

EchoFn = Callable[[str, bool], str]
"""``fn(source, retry) -> target`` used instead of the default echo."""


class EchoTranslator:
    """Translate ``s`` to ``f"[en] {s}"`` with a fixed score.

    Tokens are whitespace-separated words plus one EOS, so
    ``count_tokens(["a b"]) == [3]``.

    Args:
        fn: optional ``fn(source, retry) -> target`` to script outputs (e.g. a
            loop on the first try and a clean text on retry).
        score: the score every hypothesis gets (default −0.5).
        max_input_tokens: the token limit (default 512, as opus-mt).

    Attributes:
        model_calls: number of non-empty ``translate_batch`` calls.
        seen: every source received, in order, with ``retry`` (``list[tuple[str, bool]]``).
    """

    name = "echo"

    def __init__(self, fn: EchoFn | None = None, *, score: float | None = -0.5, max_input_tokens: int = 512) -> None:
        self._fn = fn
        self._score = score
        self.max_input_tokens = max_input_tokens
        self.model_calls = 0
        self.seen: list[tuple[str, bool]] = []

    @property
    def signature(self) -> Mapping[str, str]:
        """``{"backend": "echo", "model": "echo", "revision": "0", "beams": "1"}``."""
        return {"backend": "echo", "model": "echo", "revision": "0", "beams": "1"}

    def count_tokens(self, sources: Sequence[str]) -> list[int]:
        """Whitespace words + 1 (EOS) per source."""
        return [len(s.split()) + 1 for s in sources]

    def translate_batch(
        self,
        sources: Sequence[str],
        *,
        retry: bool = False,
        progress: ProgressFn | None = None,
    ) -> list[Hypothesis]:
        """Echo each source (see the class docstring).

        Raises:
            ValueError: a source is over ``max_input_tokens`` tokens.
        """
        if not sources:
            return []
        for i, n in enumerate(self.count_tokens(sources)):
            if n > self.max_input_tokens:
                raise ValueError(f"source {i} has {n} tokens, over the model's limit of {self.max_input_tokens}")
        self.model_calls += 1
        out = []
        for s in sources:
            self.seen.append((s, retry))
            text = self._fn(s, retry) if self._fn is not None else f"[en] {s}"
            out.append(Hypothesis(text=text, score=self._score, n_tokens=len(text.split())))
        if progress is not None:
            progress(len(sources))
        return out
