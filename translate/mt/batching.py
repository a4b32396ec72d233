"""Token-budget batching: which sources go into which model call.

Backend-independent pure functions, used by the transformers and CTranslate2
backends alike. The idea (sort by length, fill each batch up to a token budget
that counts padding) is the one fairseq and Marian use (``--max-tokens`` /
``--mini-batch-words``); EasyNMT sorts and restores order the same way.
"""

from __future__ import annotations

from typing import Sequence

CHUNK_BATCHES = 8
"""Model batches' worth of segments per backend call when a long translation run is cut into calls."""

MIN_CHUNK = 64
"""Fewest segments per backend call when a run is cut into calls (see :func:`chunk_size`)."""


def padded_tokens(lengths: Sequence[int]) -> int:
    """Tokens a batch occupies once padded: ``len(lengths) × max(lengths)`` (0 if empty)."""
    return len(lengths) * max(lengths) if lengths else 0


def plan_batches(lengths: Sequence[int], batch_tokens: int, max_sentences: int) -> list[list[int]]:
    """Group source indices into batches by a padding-aware token budget.

    Sources are sorted by length, longest first (so the most memory-hungry
    batch runs first and an out-of-memory error shows at once), ties kept in
    input order; each batch is then filled while
    ``len(batch) × longest_in_batch <= batch_tokens`` and
    ``len(batch) <= max_sentences``. A single source longer than the budget
    gets a batch of its own (it is never dropped or cut).

    Args:
        lengths: source lengths in tokens, one per source (``list[int]`` of length n).
        batch_tokens: token budget per batch, padding included (> 0).
        max_sentences: most sources per batch (> 0).

    Returns:
        Batches of indices into ``lengths``; every index ``0..n-1`` occurs in
        exactly one batch. Callers restore the input order by index.

    Raises:
        ValueError: ``batch_tokens`` or ``max_sentences`` is not positive, or a
            length is negative.
    """
    if batch_tokens <= 0 or max_sentences <= 0:
        raise ValueError(f"batch_tokens ({batch_tokens}) and max_sentences ({max_sentences}) must be positive")
    if any(n < 0 for n in lengths):
        raise ValueError("token lengths must not be negative")
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        n = max(lengths[i], 1)
        if current and ((len(current) + 1) * max(longest, n) > batch_tokens or len(current) >= max_sentences):
            batches.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, n)
    if current:
        batches.append(current)
    return batches


def padding_ratio(lengths: Sequence[int], batches: Sequence[Sequence[int]]) -> float:
    """Share of padded tokens in a plan: ``1 − real tokens / padded tokens`` (0.0 for no work)."""
    real = sum(lengths[i] for b in batches for i in b)
    padded = sum(padded_tokens([lengths[i] for i in b]) for b in batches)
    return 1.0 - real / padded if padded else 0.0


def chunk_size(max_batch_sentences: int | None) -> int:
    """Most segments sent to the backend in one call: ``max(64, 8 × max_batch_sentences)`` (16 if unset).

    A long run of segments (a translation group, a retry pass) is sent in
    calls of this size, so that the translation cache stores each call's
    results before the next one starts (an interrupt loses at most one call's
    work) and memory stays bounded. Every engine cuts the same calls, with or
    without the cache, so the model sees the same batches either way.
    """
    per_batch = int(max_batch_sentences or 16)
    return max(MIN_CHUNK, CHUNK_BATCHES * per_batch)


def length_chunks(lengths: Sequence[int], size: int) -> list[list[int]]:
    """Indices ``0..n-1`` in calls of at most ``size``: one call in input order if all fit, else sorted.

    When more than one call is needed the indices are sorted by length
    (shortest first, ties in input order) before cutting, so that the
    backend's length-sorted batches inside each call are the same as in one
    big call except at the call edges.

    Args:
        lengths: source lengths in tokens (``list[int]`` of length n).
        size: most indices per call (> 0).

    Returns:
        Calls of indices; every index occurs in exactly one.

    Raises:
        ValueError: ``size`` is not positive.
    """
    if size <= 0:
        raise ValueError(f"chunk size must be positive (got {size})")
    if len(lengths) <= size:
        return [list(range(len(lengths)))] if lengths else []
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i : i + size] for i in range(0, len(order), size)]
