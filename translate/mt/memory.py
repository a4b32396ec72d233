"""Out-of-memory handling shared by the backends and batch mode.

A model batch that does not fit in accelerator memory is not a reason to lose
a document: :func:`halve_on_oom` runs the batch again in two halves (and
those in halves, down to a single source), after releasing the allocator's
cached blocks. Only a single source that still does not fit raises. Halving
is the smallest change that makes a batch fit again without giving up
batching for the rest of the run.

On a CPU the operating system usually kills an out-of-memory process instead
of raising, so this mostly matters on GPUs (``torch.OutOfMemoryError``,
CTranslate2's ``RuntimeError: CUDA failed with error out of memory``) and for
``MemoryError`` from a huge allocation.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Sequence, TypeVar

_T = TypeVar("_T")


def is_out_of_memory(err: BaseException) -> bool:
    """Whether ``err`` is an out-of-memory error.

    ``MemoryError``; ``torch.OutOfMemoryError`` / ``torch.cuda.OutOfMemoryError``
    (matched by class name, so torch need not be imported); or a
    ``RuntimeError`` whose message contains ``out of memory`` (CUDA/MPS
    allocator messages such as ``CUDA out of memory. Tried to allocate …``,
    and CTranslate2's ``CUDA failed with error out of memory``).
    """
    if isinstance(err, MemoryError):
        return True
    if type(err).__name__ == "OutOfMemoryError":
        return True
    return isinstance(err, RuntimeError) and "out of memory" in str(err).lower()


def free_accelerator_memory() -> None:
    """Release cached CUDA blocks after an OOM (only if torch is already imported; never raises)."""
    torch = sys.modules.get("torch")
    if torch is None:
        return
    with contextlib.suppress(Exception):
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def halve_on_oom(
    batch: Sequence[int],
    run: Callable[[list[int]], list[_T]],
    *,
    on_split: Callable[[int], None] | None = None,
) -> list[_T]:
    """``run(batch)``; on out-of-memory, run its two halves instead (recursively).

    Args:
        batch: source indices of one planned batch (length n ≥ 1).
        run: translates a list of indices, returning one result per index, in order.
        on_split: called with the size of each batch that was split (for counting).

    Returns:
        ``run``'s results for ``batch``, in order (length n).

    Raises:
        Exception: whatever ``run`` raises that is not out-of-memory, and an
            out-of-memory error of a single source (nothing smaller to try).
    """
    items = list(batch)
    try:
        return run(items)
    except Exception as err:  # noqa: BLE001 - re-raised unless it is an OOM of a splittable batch
        if len(items) < 2 or not is_out_of_memory(err):
            raise
    free_accelerator_memory()
    if on_split is not None:
        on_split(len(items))
    half = len(items) // 2
    return halve_on_oom(items[:half], run, on_split=on_split) + halve_on_oom(items[half:], run, on_split=on_split)
