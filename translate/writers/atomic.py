"""Atomic file writes that replace only what dewire wrote.

The classic recipe (as in ``python-atomicwrites`` and Git's lock files): write
to a temporary file in the *same directory* (so the final rename does not
cross a file system), flush and ``fsync`` it, then ``os.replace`` it over the
target, which POSIX ``rename(2)`` and Windows ``MoveFileEx`` perform
atomically. On any failure the temporary file is removed and the previous
file, if any, is left untouched.

Two rules on top (issue 12: "dewire only ever replaces or deletes files it can
prove it wrote"):

* an existing regular file is replaced only when the folder's ownership
  record (:mod:`translate.ownership`) proves dewire wrote exactly its
  current content, or with ``force``; otherwise :class:`ForeignFileError`
  names the file and how to proceed;
* anything that is not a regular file — a character device (``/dev/null``,
  ``/dev/full``, a terminal), a FIFO, ``/dev/stdout`` and other paths under
  ``/dev`` or ``/proc`` — is written directly (opened for appending, never
  created, truncated, renamed over or recorded), so a device node is never
  replaced by a regular file and no write access to its folder is needed.
  Folders, sockets and block devices (disks) are refused.

Temporary files are ``.dewire-XXXXXXXX.tmp``, recorded in the ownership
record before they are created and ``flock``-ed by their writer while they
exist, so a later run can remove exactly the ones a killed run left behind
(:func:`translate.ownership.remove_stale_temporaries`), never a user's file
and never a live process's.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from translate import ownership
from translate.errors import ForeignFileError, OutputError

_DEFAULT_MODE = 0o644
_CHUNK_CHARS = 1 << 20
"""Characters encoded and written at a time (bounds the extra memory of encoding a huge output)."""

_SPECIAL_ROOTS = ("/dev/", "/proc/")
"""Paths under these roots are written directly even when they resolve to a regular file
(``/dev/stdout`` → ``/proc/self/fd/1`` → the file a shell redirected stdout to)."""

NEW = "new"
REPLACE = "replace"
DIRECT = "direct"


def _reason(error: OSError) -> str:
    """A short human reason for ``error`` (``No space left on device``)."""
    if error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _shown(path: Path | str) -> str:
    """``path`` as one printable line (control characters and bidi overrides escaped)."""
    from translate.terminal import printable

    return printable(os.fspath(path))


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


def foreign_message(path: Path | str) -> str:
    """The one-line refusal for an existing file dewire did not write."""
    return (
        f"'{_shown(path)}' exists and was not written by dewire: not replaced "
        "(use --force to replace it, or choose another output with -o)"
    )


def record_error(error: OSError) -> OutputError | None:
    """The one-line error for a problem with the ownership record itself (``None`` for any other ``error``).

    It names ``.dewire-owned.jsonl``, not the output being written; a record
    with lines that are not dewire's is a :class:`ForeignFileError` (left untouched).
    """
    if not isinstance(error, ownership.RecordError):
        return None
    if error.foreign:
        return ForeignFileError(
            f"'{_shown(error.filename)}' exists and was not written by dewire: not changed "
            "(dewire keeps its record of the files it wrote under that name; move the file away, or choose another output with -o)"
        )
    return OutputError(f"cannot use '{_shown(error.filename)}' (dewire's record of the files it wrote): {_reason(error)}")


def _is_special_path(path: Path) -> bool:
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return False
    return real.startswith(_SPECIAL_ROOTS) or os.fspath(path).startswith(_SPECIAL_ROOTS)


def destination_kind(path: Path | str) -> tuple[str, os.stat_result | None]:
    """How ``path`` would be written, without touching it.

    Returns:
        ``("new", None)`` nothing there yet; ``("replace", lstat)`` a regular
        file (replaced atomically if dewire's, see :func:`check_destination`);
        ``("direct", None)`` a character device, FIFO or a path under
        ``/dev``/``/proc`` (written in place); a symlink to a regular file
        elsewhere counts as ``"replace"`` (and is never dewire's).

    Raises:
        OutputError: ``path`` is a folder, a socket or a block device, or
            cannot be looked at (name too long, permission denied …).
    """
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return NEW, None
    except OSError as error:
        raise OutputError(f"cannot write '{_shown(path)}': {_reason(error)}") from error
    target = st
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            return REPLACE, st  # a dangling or looping symlink: not dewire's
        if stat.S_ISREG(target.st_mode) and not _is_special_path(path):
            return REPLACE, st
    mode = target.st_mode
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write '{_shown(path)}': it is a folder")
    if stat.S_ISBLK(mode):
        raise OutputError(f"cannot write '{_shown(path)}': it is a block device (a disk); dewire does not write to disks")
    if stat.S_ISSOCK(mode):
        raise OutputError(f"cannot write '{_shown(path)}': it is a socket")
    if stat.S_ISREG(mode) and not _is_special_path(path):
        return REPLACE, st
    return DIRECT, None


def check_destination(path: Path | str, *, force: bool = False) -> str:
    """Check, before any work, that ``path`` may be written; return how (``new``/``replace``/``direct``).

    Raises:
        ForeignFileError: ``path`` exists, is not a device or FIFO, and dewire
            cannot prove it wrote it (and ``force`` is false).
        OutputError: as :func:`destination_kind`.
    """
    kind, _ = destination_kind(path)
    if kind == REPLACE and not force and not ownership.is_owned(path):
        raise ForeignFileError(foreign_message(path))
    return kind


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8", force: bool = False) -> None:
    """Write ``text`` to ``path`` atomically (or directly, for a device or FIFO).

    The text is written to a temporary file ``.dewire-XXXXXXXX.tmp`` beside
    ``path``, flushed, ``fsync``-ed and renamed over ``path`` with
    :func:`os.replace`; the folder's ownership record then lists ``path``
    with its size and SHA-256. Line endings are written exactly as given (no
    newline translation). The new file keeps the permission bits of the file
    it replaces, or gets ``0o666 & ~umask`` if there was none. Characters
    that ``encoding`` cannot represent (lone surrogates in UTF-8) are written
    as ``?`` rather than failing half-way.

    Args:
        path: the destination file; its folder must exist.
        text: the complete new content.
        encoding: the text encoding (default UTF-8, no BOM).
        force: replace an existing file even if dewire did not write it.

    Raises:
        ForeignFileError: ``path`` exists and dewire did not write it (not
            replaced; nothing written).
        OutputError: one line naming ``path`` and the problem (``cannot write
            'out/x.report.html': No space left on device``); ``path`` then
            still holds its previous content (or does not exist) and no
            temporary file is left behind.
    """
    with StagedFiles() as staged:
        staged.add(path, text, encoding=encoding, force=force)
        staged.commit()


@dataclass(slots=True)
class _Staged:
    path: Path
    tmp: Path | None = None  # None: written directly at commit
    lock_fd: int = -1
    size: int = 0
    sha256: str = ""
    seen: tuple[int, int, int, int] | None = None  # (dev, ino, size, mtime_ns) of the destination when checked
    force: bool = False
    data: bytes = b""


def _snapshot(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _create_temporary(folder: Path, record: ownership.Record) -> tuple[int, Path]:
    """Create, record and lock a new ``.dewire-XXXXXXXX.tmp`` in ``folder`` (under the record lock)."""
    while True:
        name = ownership.TMP_PREFIX + "".join(secrets.choice(ownership.TMP_ALPHABET) for _ in range(ownership.TMP_RANDOM_CHARS)) + ownership.TMP_SUFFIX
        path = folder / name
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            continue  # someone else's file of that name: never recorded, never touched
        try:
            ownership.lock_temporary(fd)
            st = os.fstat(fd)
            record.add_temporary(name, st.st_dev, st.st_ino)  # after the exclusive create: only our own file is recorded
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        return fd, path


class StagedFiles:
    """Several files written atomically as a group: all staged first, then all renamed.

    :meth:`add` checks each destination (an existing file must be dewire's,
    see :func:`check_destination`) and writes each new content to its own
    temporary file beside its destination (``.dewire-XXXXXXXX.tmp``, flushed
    and ``fsync``-ed, with the permission bits the destination has or would
    get); :meth:`commit` renames them all over their destinations and records
    them in the ownership record. A failure while staging (disk full, no
    permission, a foreign file) therefore replaces *no* destination: the old
    outputs stay intact as a set, and only the renames, which do not allocate
    space, are left to the end. Leaving the ``with`` block without committing
    (an error, ``KeyboardInterrupt``) removes every temporary file; a
    ``SIGKILL`` leaves them to the next run's cleanup. Staging one file at a
    time also lets a caller render and drop one large output before the next
    (bounded peak memory on huge documents).

    Example::

        with StagedFiles() as staged:
            for path, text in outputs:
                staged.add(path, text)
            staged.commit()
    """

    def __init__(self) -> None:
        self._pending: list[_Staged] = []
        self._cleaned: set[Path] = set()

    def __enter__(self) -> "StagedFiles":
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def add(self, path: Path | str, text: str, *, encoding: str = "utf-8", force: bool = False) -> None:
        """Write ``text`` to a temporary file beside ``path`` (not yet renamed).

        Args:
            path: the destination.
            text: its complete new content.
            encoding: the text encoding.
            force: replace ``path`` even if dewire did not write it.

        Raises:
            ForeignFileError: ``path`` exists and dewire did not write it.
            OutputError: the temporary file cannot be written (one line naming
                ``path``); it is removed, nothing is replaced.
        """
        path = Path(path)
        kind, _ = destination_kind(path)
        encoder = codecs.getincrementalencoder(encoding)(errors="replace")
        if kind == DIRECT:
            data = b"".join(encoder.encode(text[i : i + _CHUNK_CHARS]) for i in range(0, len(text), _CHUNK_CHARS)) + encoder.encode("", final=True)
            self._pending.append(_Staged(path, data=data))
            return
        folder = path.parent
        item = _Staged(path, force=force)
        try:
            with ownership.locked(folder) as record:
                if folder not in self._cleaned:
                    record.remove_stale_temporaries()
                    self._cleaned.add(folder)
                if kind == REPLACE and not force and not record.owns(path.name):
                    raise ForeignFileError(foreign_message(path))
                item.seen = _snapshot(path)
                fd, item.tmp = _create_temporary(folder, record)
            item.lock_fd = os.dup(fd)  # holds the flock after the writing handle is closed
            self._pending.append(item)
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as handle:
                for i in range(0, len(text), _CHUNK_CHARS):
                    chunk = encoder.encode(text[i : i + _CHUNK_CHARS])
                    digest.update(chunk)
                    item.size += len(chunk)
                    handle.write(chunk)
                tail = encoder.encode("", final=True)
                if tail:
                    digest.update(tail)
                    item.size += len(tail)
                    handle.write(tail)
                handle.flush()
                os.fsync(handle.fileno())
            item.sha256 = digest.hexdigest()
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode) if kind == REPLACE else _new_file_mode()
            except OSError:
                mode = _new_file_mode()
            os.chmod(item.tmp, mode)
        except OSError as error:
            self._drop(item)
            raise record_error(error) or OutputError(f"cannot write '{_shown(path)}': {_reason(error)}") from error
        except BaseException:
            self._drop(item)
            raise

    def _drop(self, item: _Staged) -> None:
        """Remove ``item``'s temporary file and release its lock (no error if already gone)."""
        with contextlib.suppress(ValueError):
            self._pending.remove(item)
        if item.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(item.tmp)
        if item.lock_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(item.lock_fd)
            item.lock_fd = -1

    def commit(self) -> None:
        """Rename every staged file over its destination (or write it, for a device), in the order added.

        Raises:
            ForeignFileError: a destination was replaced by a file dewire did
                not write since :meth:`add` checked it (it is left alone).
            OutputError: a rename or direct write failed (one line naming the
                destination); destinations renamed before it hold their new
                content, the others their old content; no temporary file is left.
        """
        directories: dict[Path, None] = {}
        while self._pending:
            item = self._pending[0]
            path = item.path
            if item.tmp is None:
                _write_direct(path, item.data)
                self._pending.pop(0)
                continue
            try:
                with ownership.locked(path.parent) as record:
                    if not item.force and _snapshot(path) != item.seen and os.path.lexists(path) and not record.owns(path.name):
                        raise ForeignFileError(foreign_message(path))
                    os.replace(item.tmp, path)
                    record.temporary_done(item.tmp.name)
                    item.tmp = None
                    record.add_file(path.name, item.size, item.sha256)
            except OSError as error:
                raise record_error(error) or OutputError(f"cannot write '{_shown(path)}': {_reason(error)}") from error
            self._pending.pop(0)
            self._drop(item)
            directories[path.parent] = None
        for directory in directories:
            fsync_directory(directory)

    def discard(self) -> None:
        """Remove every staged, uncommitted temporary file (no error if already gone)."""
        while self._pending:
            self._drop(self._pending[-1])


def _write_direct(path: Path, data: bytes) -> None:
    """Write ``data`` to a device, FIFO or ``/dev/stdout``-like path in place (append, no create, no truncate).

    Raises:
        OutputError: it cannot be opened or written (``/dev/full``: no space left).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise OutputError(f"cannot write '{_shown(path)}': {_reason(error)}") from error
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as error:
        raise OutputError(f"cannot write '{_shown(path)}': {_reason(error)}") from error
    finally:
        os.close(fd)


def fsync_directory(directory: Path) -> None:
    """Make a file's creation, rename or removal in ``directory`` durable by syncing the folder.

    POSIX only; best effort (some filesystems refuse to sync a folder): never raises.
    """
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
