"""The summarize stage: a translated Document → the same Document with its brief.

Two summarizers, chosen by ``SummarizerConfig.kind`` (models.yaml or
``--summarizer``):

* ``extractive`` — :class:`~translate.summarize.extractive.ExtractiveSummarizer`:
  built in, no weights, offline; lead-biased LexRank over the English
  sentences; every bullet is a sentence of the translation.
* ``abstractive`` — :class:`~translate.summarize.abstractive.AbstractiveSummarizer`:
  a BART-style model (e.g. ``sshleifer/distilbart-cnn-12-6``), imported lazily
  (torch only loads when it is built); map-reduce over long articles.

There is no silent fallback between them: a missing abstractive model is a
:class:`~translate.errors.ModelNotFoundError` that names
``--summarizer extractive`` as the offline choice.

Usage::

    from translate.summarize import load_summarizer, summarize_document
    summarizer = load_summarizer("extractive", config.summarizers["extractive"])
    doc = summarize_document(doc, summarizer)          # doc.brief is set
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING, Any, Callable

from translate.config import SummarizerConfig
from translate.document import Document
from translate.errors import ConfigError, ModelNotFoundError
from translate.summarize.base import Summarizer
from translate.summarize.extractive import ExtractiveSummarizer
from translate.summarize.support import find_support, unsupported_terms

if TYPE_CHECKING:
    from translate.summarize.abstractive import AbstractiveSummarizer

__all__ = [
    "AbstractiveSummarizer",
    "ExtractiveSummarizer",
    "OFFLINE_HINT",
    "SUMMARIZERS",
    "Summarizer",
    "find_support",
    "load_summarizer",
    "summarize_document",
    "unsupported_terms",
]

OFFLINE_HINT = "--summarizer extractive"
"""The offline choice named in every missing-model error."""


def _extractive(name: str, cfg: SummarizerConfig, device: str | None) -> Summarizer:
    return ExtractiveSummarizer(cfg, name=name)


def _abstractive(name: str, cfg: SummarizerConfig, device: str | None) -> Summarizer:
    from translate.mt.loading import resolve_model_dir

    assert cfg.model is not None  # SummarizerConfig requires it for kind=abstractive
    try:
        model_dir = resolve_model_dir(cfg.model, cfg.revision, what="summarization model")
    except ModelNotFoundError as err:
        message = str(err).strip().rstrip(".")
        if OFFLINE_HINT not in message:
            message = f"{message}; to summarize without it (offline, no download), use {OFFLINE_HINT}"
        raise ModelNotFoundError(message) from None
    from translate.summarize.abstractive import AbstractiveSummarizer

    return AbstractiveSummarizer(cfg, model_dir, device, name=cfg.model)


SUMMARIZERS: dict[str, Callable[[str, SummarizerConfig, str | None], Summarizer]] = {
    "extractive": _extractive,
    "abstractive": _abstractive,
}
"""Summarizer kind → factory (a registry in code; models.yaml only names a kind)."""


def load_summarizer(name: str, cfg: SummarizerConfig, *, device: str | None = None) -> Summarizer:
    """Build the summarizer that ``cfg`` describes.

    Args:
        name: the summarizer's name (the models.yaml key, e.g. ``extractive``,
            or the model id/path given to ``--summarizer``). An extractive
            brief records it; an abstractive one records ``cfg.model``.
        cfg: its settings; ``cfg.kind`` selects the class from
            :data:`SUMMARIZERS`.
        device: overrides ``cfg.device`` (abstractive only).

    Returns:
        A :class:`Summarizer`.

    Raises:
        ModelNotFoundError: an abstractive model is neither a local directory
            nor in the local Hugging Face cache and cannot be downloaded; the
            message names ``--summarizer extractive`` as the offline choice.
        ModelLoadError: the model directory exists but cannot be loaded.
        ConfigError: unknown ``cfg.kind``.
    """
    factory = SUMMARIZERS.get(cfg.kind)
    if factory is None:  # pragma: no cover - SummarizerConfig validates kind
        raise ConfigError(f"summarizer {name!r}: unknown kind {cfg.kind!r} (expected one of {', '.join(SUMMARIZERS)})")
    return factory(name, cfg, device)


def summarize_document(doc: Document, summarizer: Summarizer, n_bullets: int | None = None) -> Document:
    """Return ``doc`` with its brief set (``dataclasses.replace``; ``doc`` is unchanged).

    Args:
        doc: a translated document.
        summarizer: from :func:`load_summarizer`.
        n_bullets: bullets wanted (``--brief-sentences``); ``None`` uses the
            summarizer's configured ``sentences``.

    Returns:
        The document with ``brief`` set and, in ``meta``: ``timings.summarize``
        (seconds, set — not added to), ``warnings`` extended by the
        summarizer's warnings (an empty brief is always a warning), and for an
        abstractive summarizer ``brief_calls`` (its ``generate`` calls: level,
        paragraphs, token counts and bounds).

    Raises:
        ConfigError: ``n_bullets`` is below 1.
    """
    start = time.perf_counter()
    brief = summarizer.summarize(doc, n_bullets)
    seconds = time.perf_counter() - start
    warnings = list(getattr(summarizer, "last_warnings", ()))
    if not brief.bullets:
        warnings.append(f"brief: {summarizer.name} produced no bullet for {doc.name}")
    timings = {**doc.meta.timings, "summarize": round(seconds, 3)}
    meta = dataclasses.replace(doc.meta.add_warnings(*warnings), timings=timings)
    calls = getattr(summarizer, "last_calls", None)
    if calls:
        from translate.summarize.abstractive import describe_calls

        meta = dataclasses.replace(meta, brief_calls=tuple(describe_calls(calls)))
    return dataclasses.replace(doc, brief=brief, meta=meta)


def __getattr__(attr: str) -> Any:
    if attr == "AbstractiveSummarizer":
        from translate.summarize.abstractive import AbstractiveSummarizer

        return AbstractiveSummarizer
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
