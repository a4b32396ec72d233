"""Proof that dewire wrote a file: the ownership record of an output folder.

dewire only ever replaces or deletes files it can prove it wrote (issue 12).
The proof is a record kept in every folder dewire writes into,
``FOLDER/.dewire-owned.jsonl``: an append-only log of JSON lines,

* ``{"file": NAME, "size": BYTES, "sha256": HEX}`` — dewire renamed a file
  of that content to ``NAME`` (a later line for the same name supersedes an
  earlier one);
* ``{"tmp": NAME, "dev": DEVICE, "ino": INODE}`` — dewire created the
  temporary file ``NAME`` (always ``.dewire-XXXXXXXX.tmp``,
  :data:`TMP_PREFIX` … :data:`TMP_SUFFIX`) and it is the file with that
  device and inode number. The line is written right after the exclusive
  create succeeded, so a name that was already taken (a user's file that
  happens to have the same name) is never recorded, and a file that later
  appears under a recorded name is not the recorded one (another inode).

A file is **dewire's** when its name is recorded with exactly its current
size and SHA-256 (:func:`is_owned`); a file a person edited afterwards is
therefore no longer dewire's and is never replaced without ``--force``.
A temporary file is **stale** (:func:`remove_stale_temporaries`) when it has
the distinctive name, is recorded as a temporary with its own device and
inode number, *and* nobody holds its lock: the process that creates one holds an exclusive ``flock`` on it until
it is renamed or removed, and the kernel drops that lock when the process
dies (killed, crashed), so a live writer's temporary is never touched.

Every read-modify step runs under an exclusive ``flock`` on the record file
itself, so concurrent dewire processes writing into one folder (two batch
runs, a batch run and a single file) never lose each other's entries.
Appending is O(1); a process re-reads only the lines appended since it last
looked; the log is compacted (rewritten atomically) when most of its lines
are superseded.

Locks are POSIX ``flock`` (Linux, macOS, BSD; NFS through the kernel's
emulation). Where :mod:`fcntl` is missing (Windows) the record is still
kept, without locking, and stale temporaries are left alone (liveness
cannot be proven).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

RECORD_NAME = ".dewire-owned.jsonl"
"""File name of the ownership record inside each folder dewire writes into."""

TMP_PREFIX = ".dewire-"
TMP_SUFFIX = ".tmp"
TMP_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
TMP_RANDOM_CHARS = 8
"""Every temporary file dewire creates is ``.dewire-XXXXXXXX.tmp`` (8 random characters of :data:`TMP_ALPHABET`)."""

_COMPACT_MIN_LINES = 256
"""The log is compacted only past this many lines, and when at least half of them are superseded."""

_HASH_CHUNK = 1 << 20


class RecordError(OSError):
    """The ownership record itself cannot be used: not a regular file, unreadable, or not written by dewire.

    ``filename`` is the record's path, so that the one-line error names it
    rather than the output being written. ``foreign`` is true when the file
    holds lines that are not dewire's (a user's own ``.dewire-owned.jsonl``):
    dewire then neither appends to it nor rewrites it.
    """

    def __init__(self, errno_: int, strerror: str, filename: str, *, foreign: bool = False) -> None:
        super().__init__(errno_, strerror, filename)
        self.foreign = foreign


_RECORD_KEYS = frozenset({"file", "size", "sha256", "tmp", "dev", "ino", "forget"})


@dataclass(frozen=True, slots=True)
class Entry:
    """What the record says dewire wrote under one name.

    Attributes:
        size: the file's size in bytes.
        sha256: the SHA-256 of its bytes (64 lowercase hex digits).
    """

    size: int
    sha256: str


@dataclass(slots=True)
class _State:
    """The parsed log of one folder, cached per process (re-read from ``offset`` on the next look)."""

    device: int = -1
    inode: int = -1
    offset: int = 0
    lines: int = 0
    files: dict[str, Entry] = field(default_factory=dict)
    temporaries: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Recorded temporary name → (device, inode) of the file dewire created under it."""
    foreign: bool = False
    """A complete line is neither a record line nor a torn one (``{"`` and cut short): not dewire's file."""


_CACHE: dict[str, _State] = {}
_CACHE_LOCK = threading.Lock()


def is_temporary_name(name: str) -> bool:
    """Whether ``name`` has the shape of a dewire temporary file (``.dewire-XXXXXXXX.tmp``)."""
    core = name[len(TMP_PREFIX) : -len(TMP_SUFFIX)] if name.startswith(TMP_PREFIX) and name.endswith(TMP_SUFFIX) else ""
    return len(core) == TMP_RANDOM_CHARS and all(ch in TMP_ALPHABET for ch in core)


def sha256_file(path: Path | str) -> tuple[int, str]:
    """``(size in bytes, SHA-256 hex)`` of a file, read in 1 MiB chunks.

    Raises:
        OSError: it cannot be read.
    """
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class Record:
    """The ownership record of one folder, opened and locked (use :func:`locked`).

    Attributes:
        folder: the folder the record describes.
    """

    def __init__(self, folder: Path, fd: int, state: _State) -> None:
        self.folder = folder
        self._fd = fd
        self._state = state

    # -- queries ----------------------------------------------------------
    def entry(self, name: str) -> Entry | None:
        """The recorded content of ``name`` (a plain file name in :attr:`folder`), or ``None``."""
        return self._state.files.get(name)

    def owns(self, name: str) -> bool:
        """Whether the regular file ``folder/name`` is recorded with exactly its current size and SHA-256.

        A symlink, a device, a missing file, an unreadable file or a file whose
        content changed since dewire wrote it is not dewire's.
        """
        entry = self.entry(name)
        if entry is None:
            return False
        path = self.folder / name
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size != entry.size:
                return False
            return sha256_file(path) == (entry.size, entry.sha256)
        except OSError:
            return False

    # -- updates ------------------------------------------------------------
    def add_temporary(self, name: str, device: int, inode: int) -> None:
        """Record that this process created the temporary file ``name``, which has ``device`` and ``inode``.

        Call it right after an exclusive create succeeded (and before writing
        to the file): a kill before this line leaves an unrecorded file that
        no later run removes, never a recorded name standing for someone else's file.
        """
        self._append({"tmp": name, "dev": device, "ino": inode})
        self._state.temporaries[name] = (device, inode)

    def temporary_done(self, name: str) -> None:
        """Note that the temporary ``name`` was renamed or removed (its log line goes at the next compaction)."""
        self._state.temporaries.pop(name, None)

    def add_file(self, name: str, size: int, sha256: str) -> None:
        """Record that dewire wrote ``name`` with ``size`` bytes of SHA-256 ``sha256``."""
        self._append({"file": name, "size": size, "sha256": sha256})
        self._state.files[name] = Entry(size, sha256)

    def forget(self, name: str) -> None:
        """Record that ``name`` is no longer dewire's (it was replaced by a foreign file under ``--force``)."""
        if name in self._state.files:
            self._append({"forget": name})
            self._state.files.pop(name, None)

    def _append(self, item: dict[str, object]) -> None:
        line = (json.dumps(item, ensure_ascii=True, sort_keys=True) + "\n").encode("ascii")
        end = os.lseek(self._fd, 0, os.SEEK_END)
        if end and end != self._state.offset:
            line = b"\n" + line  # a torn last line (a writer killed mid-append) stays alone, ignored
        view = memoryview(line)
        while view:
            view = view[os.write(self._fd, view) :]
        self._state.offset = os.lseek(self._fd, 0, os.SEEK_CUR)
        self._state.lines += 1

    def remove_stale_temporaries(self) -> list[str]:
        """Delete recorded ``.dewire-XXXXXXXX.tmp`` files in :attr:`folder` whose writer is gone.

        Returns:
            The names removed.
        """
        if fcntl is None:  # pragma: no cover - liveness cannot be proven without flock
            return []
        removed: list[str] = []
        for name in sorted(self._state.temporaries):
            if not is_temporary_name(name):
                continue
            path = self.folder / name
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
            except OSError:
                continue  # gone (renamed or removed by its writer), or not a plain file: left alone
            try:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != self._state.temporaries[name]:
                    continue  # not the file dewire created under that name: left alone
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # its writer is alive and holds it
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    removed.append(name)
            finally:
                os.close(fd)
        return removed

    def compact_if_needed(self) -> None:
        """Rewrite the log without superseded lines when most of it is superseded (atomic rename)."""
        state = self._state
        if state.lines < _COMPACT_MIN_LINES:
            return
        state.temporaries = {name: ident for name, ident in state.temporaries.items() if os.path.lexists(self.folder / name)}
        if state.lines < 2 * (len(state.files) + len(state.temporaries)):
            return
        files = {}
        for name, entry in state.files.items():
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(self.folder / name).st_mode):
                    files[name] = entry
        temporaries = {name: ident for name, ident in state.temporaries.items() if os.path.lexists(self.folder / name)}
        text = "".join(
            [json.dumps({"file": n, "size": e.size, "sha256": e.sha256}, ensure_ascii=True, sort_keys=True) + "\n" for n, e in sorted(files.items())]
            + [json.dumps({"tmp": n, "dev": d, "ino": i}, ensure_ascii=True) + "\n" for n, (d, i) in sorted(temporaries.items())]
        ).encode("ascii")
        path = self.folder / RECORD_NAME
        new = self.folder / f"{RECORD_NAME}.new"
        try:
            fd = os.open(new, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644)
            try:
                view = memoryview(text)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(new, path)  # lockers of the old inode notice the change and reopen (see locked())
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(new)
            return
        st = os.stat(path)
        state.files, state.temporaries = files, temporaries
        state.device, state.inode, state.offset, state.lines = st.st_dev, st.st_ino, len(text), len(files) + len(temporaries)


def _parse(fd: int, state: _State) -> None:
    """Apply the lines appended since ``state.offset``.

    A torn line (a writer killed mid-append: starts with ``{"``, is not valid
    JSON) is ignored; any other line that is not a record line marks the file
    as foreign (``state.foreign``).
    """
    os.lseek(fd, state.offset, os.SEEK_SET)
    parts = []
    while chunk := os.read(fd, _HASH_CHUNK):
        parts.append(chunk)
    data = b"".join(parts)
    if not data:
        return
    complete = data.rfind(b"\n") + 1
    for raw in data[:complete].splitlines():
        state.lines += 1
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except ValueError:
            if not raw.startswith(b'{"'):
                state.foreign = True
            continue
        if not isinstance(item, dict) or not item or not set(item) <= _RECORD_KEYS or not set(item) & {"file", "tmp", "forget"}:
            state.foreign = True
            continue
        name = item.get("file")
        if isinstance(name, str) and isinstance(item.get("size"), int) and isinstance(item.get("sha256"), str):
            state.files[name] = Entry(item["size"], item["sha256"])
            continue
        tmp = item.get("tmp")
        if isinstance(tmp, str):
            dev, ino = item.get("dev"), item.get("ino")
            if isinstance(dev, int) and isinstance(ino, int) and not isinstance(dev, bool) and not isinstance(ino, bool):
                state.temporaries[tmp] = (dev, ino)
            # a line without the file's identity proves nothing: ignored
            continue
        gone = item.get("forget")
        if isinstance(gone, str):
            state.files.pop(gone, None)
    state.offset += complete


@contextlib.contextmanager
def locked(folder: Path | str) -> Iterator[Record]:
    """Open ``folder``'s ownership record (created if missing) under an exclusive lock.

    The lock is held for the ``with`` block: keep it short (no translation
    inside). Threads of one process are serialized too.

    Args:
        folder: an existing folder.

    Yields:
        :class:`Record`, up to date with every other process's appends.

    Raises:
        RecordError: the record cannot be opened, is not a regular file, or
            holds lines that are not dewire's (then it is left untouched).
        OSError: the record cannot be read (the caller turns either into an
            :class:`~translate.errors.OutputError` naming the record).
    """
    folder = Path(folder)
    path = folder / RECORD_NAME
    key = os.path.realpath(folder)
    with _CACHE_LOCK:
        while True:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0), 0o644)
            except OSError as err:  # a symlink (ELOOP), a folder, no permission: name the record, not the output
                raise RecordError(err.errno or errno.EIO, err.strerror or str(err), str(path)) from err
            try:
                if fcntl is not None:
                    _flock(fd)
                st_fd, st_path = os.fstat(fd), None
                with contextlib.suppress(OSError):
                    st_path = os.stat(path)
                if st_path is None or (st_path.st_dev, st_path.st_ino) != (st_fd.st_dev, st_fd.st_ino):
                    os.close(fd)  # compacted (replaced) between our open and our lock: open the new one
                    continue
            except BaseException:
                os.close(fd)
                raise
            break
        try:
            if not stat.S_ISREG(st_fd.st_mode):
                raise RecordError(errno.EINVAL, "not a regular file", str(path))
            state = _CACHE.get(key)
            if state is None or (state.device, state.inode) != (st_fd.st_dev, st_fd.st_ino) or st_fd.st_size < state.offset:
                state = _State(device=st_fd.st_dev, inode=st_fd.st_ino)
            _parse(fd, state)
            if state.foreign:
                _CACHE.pop(key, None)
                raise RecordError(errno.EEXIST, "exists and was not written by dewire", str(path), foreign=True)
            _CACHE[key] = state
            record = Record(folder, fd, state)
            yield record
            record.compact_if_needed()
        finally:
            os.close(fd)  # drops the lock


def _flock(fd: int) -> None:
    """Exclusive ``flock`` on ``fd``, waiting for it; retried on ``EINTR``."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return
        except InterruptedError:  # pragma: no cover - PEP 475 retries already
            continue


def lock_temporary(fd: int) -> None:
    """Hold an exclusive ``flock`` on a freshly created temporary file (released when ``fd`` is closed)."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def is_owned(path: Path | str) -> bool:
    """Whether dewire provably wrote the regular file ``path`` (recorded, same size and SHA-256).

    Never raises: an unreadable record or file means "not proven".
    """
    path = Path(path)
    folder = path.parent
    if not (folder / RECORD_NAME).is_file():
        return False
    try:
        with locked(folder) as record:
            return record.owns(path.name)
    except OSError:
        return False


def recorded_names(folder: Path | str) -> frozenset[str]:
    """The names the ownership record of ``folder`` lists as written by dewire (empty without a record).

    Cheaper than :func:`is_owned` (no hashing): enough to keep dewire's own
    outputs from being taken as inputs, never enough to replace a file.
    """
    folder = Path(folder)
    try:
        if not (folder / RECORD_NAME).is_file():
            return frozenset()
        with locked(folder) as record:
            return frozenset(record._state.files)
    except OSError:
        return frozenset()


RUN_LOCK_NAME = ".dewire-run.lock"
"""Lock file a batch run holds in its output folder for the whole run (removed when it ends)."""


@contextlib.contextmanager
def run_lock(folder: Path | str, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``folder/.dewire-run.lock`` exclusively for a ``with`` block: one dewire run per output folder.

    A second run into the same folder waits until the first has finished
    (after calling ``on_wait`` with a description of the holder, e.g.
    ``"pid 4242"``), then goes on with the manifest the first one left. An
    interrupt (Ctrl-C, SIGTERM) while waiting raises ``KeyboardInterrupt``.
    The lock file is removed on release; a waiter that wakes on a removed or
    replaced lock file retries on the new one, so exactly one run holds it.

    Raises:
        OSError: the lock file cannot be created (the caller reports it).
    """
    path = Path(folder) / RUN_LOCK_NAME
    if fcntl is None:  # pragma: no cover - no flock: no exclusion
        yield
        return
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not told and on_wait is not None:
                    holder = os.pread(fd, 200, 0).decode("ascii", "replace").strip()
                    on_wait(holder or "another process")
                    told = True
                _flock(fd)
            st_fd = os.fstat(fd)
            try:
                st_path = os.stat(path)
            except FileNotFoundError:
                st_path = None
            if st_path is None or (st_path.st_dev, st_path.st_ino) != (st_fd.st_dev, st_fd.st_ino):
                os.close(fd)  # its holder removed it on release: lock the current one
                continue
        except BaseException:
            os.close(fd)
            raise
        break
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode("ascii"), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def remove_stale_temporaries(folder: Path | str) -> list[str]:
    """Delete the temporaries a killed dewire run left in ``folder`` (never anything else).

    Only files that have dewire's temporary name, are recorded as
    temporaries in ``folder``'s ownership record, and are locked by no live
    process are removed; without a record nothing is touched.

    Returns:
        The names removed (empty when there is no record or nothing stale).
    """
    folder = Path(folder)
    try:
        if not (folder / RECORD_NAME).is_file():
            return []
        with locked(folder) as record:
            return record.remove_stale_temporaries()
    except OSError:
        return []


__all__ = [
    "Entry",
    "RECORD_NAME",
    "RecordError",
    "Record",
    "TMP_PREFIX",
    "TMP_SUFFIX",
    "is_owned",
    "is_temporary_name",
    "RUN_LOCK_NAME",
    "lock_temporary",
    "locked",
    "recorded_names",
    "remove_stale_temporaries",
    "run_lock",
    "sha256_file",
]
