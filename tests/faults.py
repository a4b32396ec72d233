"""Fault injection for the atomic writer (translate/writers/atomic.py), shared by the tests.

:class:`WriteFault` counts the writer's low-level steps — each ``write`` on a
temporary file (which first puts half the text on disk, so a failure leaves a
really half-written temporary file), each ``fsync`` of a file (not of a
folder: that one is best effort and its errors are ignored) and, with
``renames=True``, each ``os.replace`` — and raises ``error`` at step
``fail_at``. Used to show that a full disk or an interrupt at any step leaves
the old outputs intact and no half-written file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from typing import Any, Iterator

import pytest

from translate.writers import atomic as atomic_module


def disk_full() -> OSError:
    """The error a full disk raises: ``OSError(ENOSPC)``."""
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class WriteFault:
    """Raise ``error`` (default: disk full) at the ``fail_at``-th step (1-based) of the atomic writer.

    Attributes:
        steps: steps counted so far.
        fired: whether the error was raised.
    """

    def __init__(self, fail_at: int, error: BaseException | None = None, *, renames: bool = False) -> None:
        self.fail_at = fail_at
        self.error = error if error is not None else disk_full()
        self.renames = renames
        self.steps = 0
        self.fired = False

    def step(self) -> None:
        self.steps += 1
        if self.steps == self.fail_at:
            self.fired = True
            raise self.error

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Patch ``os.fdopen``/``os.fsync`` (and ``os.replace``) as the atomic writer sees them."""
        real_fdopen, real_fsync, real_replace = os.fdopen, os.fsync, os.replace
        fault = self

        class HalfWritten:
            def __init__(self, handle: Any) -> None:
                self.handle = handle

            def __enter__(self) -> "HalfWritten":
                return self

            def __exit__(self, *exc: Any) -> None:
                self.handle.close()

            def write(self, text: str) -> int:
                self.handle.write(text[: len(text) // 2])
                self.handle.flush()  # half of it really is on disk when the step fails
                fault.step()
                return self.handle.write(text[len(text) // 2 :])

            def flush(self) -> None:
                self.handle.flush()

            def fileno(self) -> int:
                return self.handle.fileno()

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            return HalfWritten(real_fdopen(fd, *args, **kwargs))

        def fsync(fd: int) -> None:
            if not stat.S_ISDIR(os.fstat(fd).st_mode):  # the folder sync is best effort: errors are ignored by design
                fault.step()
            real_fsync(fd)

        def replace(src: Any, dst: Any) -> None:
            fault.step()
            real_replace(src, dst)

        monkeypatch.setattr(atomic_module.os, "fdopen", fdopen)
        monkeypatch.setattr(atomic_module.os, "fsync", fsync)
        if self.renames:
            monkeypatch.setattr(atomic_module.os, "replace", replace)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """:meth:`install` for the duration of a ``with`` block."""
        with pytest.MonkeyPatch.context() as patch:
            self.install(patch)
            yield


def listing(folder: Any) -> list[str]:
    """Sorted names in ``folder``, less dewire's ownership record (``.dewire-owned.jsonl``, see translate/ownership.py)."""
    from translate.ownership import RECORD_NAME

    return sorted(name for name in os.listdir(folder) if name != RECORD_NAME)
