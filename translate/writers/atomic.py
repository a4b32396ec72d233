"""Atomic file writes: a reader sees the old file or the new one, never half of one.

The classic recipe (as in ``python-atomicwrites`` and Git's lock files): write
to a temporary file in the *same directory* (so the final rename does not
cross a file system), flush and ``fsync`` it, then ``os.replace`` it over the
target, which POSIX ``rename(2)`` and Windows ``MoveFileEx`` perform
atomically. On any failure the temporary file is removed and the previous
file, if any, is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from translate.errors import OutputError

_DEFAULT_MODE = 0o644


def _reason(error: OSError) -> str:
    """A short human reason for ``error`` (``No space left on device``)."""
    if error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _new_file_mode() -> int:
    """Permission bits a plain ``open(path, "w")`` would give a new file (0o666 & ~umask)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return _DEFAULT_MODE


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically.

    The text is written to a temporary file ``.NAME.XXXXXXXX.tmp`` (from
    :func:`tempfile.mkstemp`; :mod:`translate.batch` relies on this shape) beside
    ``path``, flushed, ``fsync``-ed and renamed over ``path`` with
    :func:`os.replace`. Line endings are written exactly as given (no
    newline translation). The new file keeps the permission bits of the file
    it replaces, or gets ``0o666 & ~umask`` if there was none. Characters
    that ``encoding`` cannot represent (lone surrogates in UTF-8) are written
    as ``?`` rather than failing half-way.

    Args:
        path: the destination file; its folder must exist.
        text: the complete new content.
        encoding: the text encoding (default UTF-8, no BOM).

    Raises:
        OutputError: one line naming ``path`` and the problem (``cannot write
            'out/x.report.html': No space left on device``); ``path`` then
            still holds its previous content (or does not exist) and no
            temporary file is left behind.
    """
    with StagedFiles() as staged:
        staged.add(path, text, encoding=encoding)
        staged.commit()


class StagedFiles:
    """Several files written atomically as a group: all staged first, then all renamed.

    :meth:`add` writes each new content to its own temporary file beside its
    destination (``.NAME.XXXXXXXX.tmp``, flushed and ``fsync``-ed, with the
    permission bits the destination has or would get); :meth:`commit` renames
    them all over their destinations. A failure while staging (disk full, no
    permission) therefore replaces *no* destination: the old outputs stay
    intact as a set, and only the renames, which do not allocate space, are
    left to the end. Leaving the ``with`` block without committing (an error,
    ``KeyboardInterrupt``) removes every temporary file. Staging one file at
    a time also lets a caller render and drop one large output before the
    next (bounded peak memory on huge documents).

    Example::

        with StagedFiles() as staged:
            for path, text in outputs:
                staged.add(path, text)
            staged.commit()
    """

    def __init__(self) -> None:
        self._pending: list[tuple[str, Path]] = []

    def __enter__(self) -> "StagedFiles":
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def add(self, path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
        """Write ``text`` to a temporary file beside ``path`` (not yet renamed).

        Raises:
            OutputError: the temporary file cannot be written (one line naming
                ``path``); it is removed, nothing is replaced.
        """
        path = Path(path)
        tmp_name: str | None = None
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding=encoding, errors="replace", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode)
            except OSError:
                mode = _new_file_mode()
            os.chmod(tmp_name, mode)
            self._pending.append((tmp_name, path))
            tmp_name = None
        except OSError as error:
            raise OutputError(f"cannot write '{path}': {_reason(error)}") from error
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)

    def commit(self) -> None:
        """Rename every staged file over its destination, in the order added.

        Raises:
            OutputError: a rename failed (one line naming the destination);
                destinations renamed before it hold their new content, the
                others their old content; no temporary file is left.
        """
        directories: dict[Path, None] = {}
        while self._pending:
            tmp_name, path = self._pending[0]
            try:
                os.replace(tmp_name, path)
            except OSError as error:
                raise OutputError(f"cannot write '{path}': {_reason(error)}") from error
            self._pending.pop(0)
            directories[path.parent] = None
        for directory in directories:
            _fsync_directory(directory)

    def discard(self) -> None:
        """Remove every staged, uncommitted temporary file (no error if already gone)."""
        while self._pending:
            tmp_name, _ = self._pending.pop()
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable by syncing the folder (POSIX only; best effort)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
