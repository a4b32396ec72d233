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
    path = Path(path)
    directory = path.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding=encoding, errors="replace", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            mode = _new_file_mode()
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as error:
        raise OutputError(f"cannot write '{path}': {_reason(error)}") from error
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    _fsync_directory(directory)


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
