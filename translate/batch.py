"""Folder mode: translate every German text file under a folder, resumably.

``dewire translate DIR -o OUT`` (issue 7) calls :func:`translate_folder`,
which

1. **discovers** the input files (:func:`discover`): a recursive walk of DIR
   matching ``patterns`` against file names, skipping hidden files and folders,
   OUT itself (also when OUT lies inside DIR), symlinked folders (so a symlink
   loop can never be followed), symlinks to files outside DIR, and anything
   that is not a regular file (a FIFO would block a reader for ever);
2. maps every input to an output folder and stem **inside OUT** that mirrors
   the input's relative path, with each name made safe
   (:func:`safe_component`) and collisions resolved deterministically, so no
   input name can make dewire write outside OUT;
3. decides per file whether it is already **done**: the manifest
   ``OUT/.dewire-manifest.json`` records, per relative input path, the
   SHA-256 of its bytes, the settings key (:func:`settings_key`), the output
   files, status and reason. An unchanged file finished with the same settings
   whose outputs still exist is skipped without touching a model;
4. **reads and segments** the remaining files in a background thread (pure
   Python, no model) while the main thread **translates** them in groups of
   whole documents of about ``group_sentences`` sentences with one
   :meth:`Pipeline.translate` call per group, so sentences of many documents
   share batches while each group's results are committed (outputs written
   atomically, manifest rewritten atomically) before the next group starts.
   An interrupt therefore loses at most the group in flight, and no partial
   output file ever exists (:mod:`translate.writers.atomic`);
5. records a **failure per file** (unreadable, binary, empty, too big, an
   error while translating or writing) with its one-line reason and goes on.
   A group that fails (out of memory, or any other error) is split in halves
   and each half retried alone, down to single documents; a document that
   still fails is recorded as failed, never the whole run;
6. writes the digest ``OUT/index.html`` (:mod:`translate.writers.index`).

With ``jobs > 1`` the files to do are shared out, a few at a time, among
``jobs`` worker processes (``spawn`` context), each holding its own
:class:`~translate.pipeline.Pipeline` (so its own model replica, with
``cores // jobs`` threads unless ``--threads`` is given) and writing its own
outputs; the parent keeps the manifest, the progress and the digest, and on
an interrupt terminates the workers. ``benchmarks/batch_speed.py`` measures
whether that helps. On the 2-core development machine (shared, load average
3–6, ``--threads 1``): the tiny model gained 1.20× with ``--jobs 2`` (100
articles), the opus-mt-sized model lost (0.65×, 6 articles), and every
worker holds another copy of the models (about 0.9 GiB RSS per process with
the language detector). So the default is 1; ``--jobs`` is worth trying only
with spare cores and memory and a small model.

Progress (documents done/total, sentences per second, ETA) and the final
table go to a rich console on stderr unless ``quiet``; per-file warnings and
failures are shown even when ``quiet``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import hashlib
import json
import os
import queue
import re
import signal
import stat
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from translate import __version__
from translate.config import Config
from translate.document import Document
from translate.errors import DewireError, InputError, ModelLoadError, ModelNotFoundError, OutputError
from translate.mt.memory import free_accelerator_memory, is_out_of_memory
from translate.pipeline import Options, Pipeline, document_name

MANIFEST_NAME = ".dewire-manifest.json"
"""File name of the resume manifest inside OUT."""

INDEX_NAME = "index.html"
"""File name of the digest page inside OUT."""

MANIFEST_FORMAT = "dewire-batch-manifest"
MANIFEST_VERSION = 1
"""Bump when the manifest layout changes; an older manifest is then ignored (all files redone)."""

DEFAULT_OUT = "dewire-out"
"""Output folder used when ``out_dir`` is ``None`` (relative to the current directory, as in the CLI)."""

DEFAULT_PATTERNS: tuple[str, ...] = ("*.txt",)
"""What ``--glob`` matches by default (issue 7: "default ``*.txt``; also ``*.md``" with ``--glob '*.txt,*.md'``).
Markdown is opt-in because news folders often hold a README.md or notes next to the articles."""

DEFAULT_GROUP_SENTENCES = 512
"""Sentences per translation group (whole documents; a longer document is a group of its own).

Large enough that the engine's length-sorted, token-budgeted batches
(``batch_tokens`` 1024, ``max_batch_sentences`` 16 in models.yaml; 128 on a
GPU) are full and well sorted, small enough that an interrupt loses little
work (about 20 newstest articles of median 13 sentences … 40 sentences
each; the translation cache also stores results every
``8 × max_batch_sentences`` sentences).
"""

TERMINATE_GRACE_S = 5.0
"""Seconds interrupted workers get to exit after SIGTERM before SIGKILL."""

READ_AHEAD = 64
"""Documents read and segmented ahead of translation (bounds memory)."""

STATUS_DONE = "done"
STATUS_SKIPPED = "skipped"
STATUS_FAILED = "failed"

_MAX_NAME_BYTES = 200
"""Longest output stem or folder name, in UTF-8 bytes: 255 (ext4, APFS, NTFS) less room for ``.aligned.jsonl``."""

_UNSAFE_CHARS = frozenset('<>:"/\\|?*') | frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Characters replaced in output names: path separators, the ones Windows forbids, and the
Unicode bidi controls (which can make ``txt.exe`` display as ``exe.txt``; Unicode TR #36 §2.1)."""

_STALE_TMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
"""Temporary files of :func:`translate.writers.atomic.atomic_write_text` (``.NAME.XXXXXXXX.tmp``, from ``mkstemp``)."""

_SETTINGS_TRANSLATOR_EXCLUDE = frozenset({"device", "threads", "batch_tokens", "max_batch_sentences"})
"""Translator settings that change speed but not the output, so are left out of the settings key."""


# -- records ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input found by :func:`discover`.

    Attributes:
        path: the file as found under DIR.
        relative: its path relative to DIR, ``/``-separated (the manifest key).
        out_parent: the output folder relative to OUT (sanitized mirror of
            the input's folder; ``.`` for the top level).
        stem: the output stem, unique (case-insensitively) within ``out_parent``.
    """

    path: Path
    relative: str
    out_parent: str
    stem: str


@dataclass(frozen=True, slots=True)
class Ignored:
    """A matching path that discovery did not take, with the reason (one line)."""

    path: Path
    relative: str
    reason: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """What :func:`discover` found.

    Attributes:
        files: inputs to translate, sorted by relative path.
        ignored: matching entries left out (symlinks to outside DIR, broken
            symlinks, FIFOs/devices), sorted by relative path.
    """

    files: tuple[SourceFile, ...]
    ignored: tuple[Ignored, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchItem:
    """The outcome for one input file.

    Attributes:
        path: the input file.
        relative: its path relative to DIR (``/``-separated).
        status: ``done`` (translated now), ``skipped`` (unchanged since a
            finished run, or not taken: see ``reason``) or ``failed``.
        reason: one line saying why it failed or was not taken; ``None`` otherwise.
        sentences: number of source sentences (0 if unknown).
        flags: sentences flagged for review (any flag but ``passthrough``).
        seconds: wall-clock seconds spent on the file in this run (for a
            skipped file: the seconds recorded when it was done).
        outputs: files written (or, when skipped, already there), absolute.
        warnings: reading/translation warnings (``doc.meta["warnings"]``).
        title: the brief's title, if any.
    """

    path: Path
    relative: str
    status: str
    reason: str | None = None
    sentences: int = 0
    flags: int = 0
    seconds: float = 0.0
    outputs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    title: str | None = None


@dataclass(slots=True)
class BatchReport:
    """Result of :func:`translate_folder`.

    Attributes:
        ok: ``True`` when no file failed (the CLI exits 0, else 1).
        items: one :class:`BatchItem` per file found, sorted by relative
            path (ignored entries included, as ``skipped`` with a reason;
            after an interrupt, only the files settled so far).
        index: the digest page written, or ``None`` if none could be written.
        out_dir: the output folder.
        seconds: wall-clock seconds of the whole run.
        sentences: sentences translated in this run.
        jobs: worker processes used.
    """

    ok: bool
    items: list[BatchItem] = field(default_factory=list)
    index: Path | None = None
    out_dir: Path | None = None
    seconds: float = 0.0
    sentences: int = 0
    jobs: int = 1

    def count(self, status: str) -> int:
        """Number of items with ``status``."""
        return sum(1 for item in self.items if item.status == status)


# -- discovery --------------------------------------------------------------
def safe_component(name: str) -> str:
    """Make one file or folder name safe to create inside OUT.

    Replaces path separators, the characters Windows forbids (``<>:"|?*``),
    bidi controls (U+200E/F, U+202A–E, U+2066–9), C0/C1 control characters and lone surrogates (the undecodable bytes of a
    non-UTF-8 name, see PEP 383) with ``_``; normalizes to NFC; strips leading
    dots and surrounding spaces (so the result is neither hidden, ``.`` nor
    ``..``); truncates to 200 UTF-8 bytes. Spaces, umlauts and other letters
    are kept.

    Args:
        name: one path component (no ``/``).

    Returns:
        A non-empty plain file name (``_`` if nothing usable is left).
    """
    chars = []
    for ch in name:
        code = ord(ch)
        if ch in _UNSAFE_CHARS or code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code <= 0xDFFF:
            chars.append("_")
        else:
            chars.append(ch)
    cleaned = unicodedata.normalize("NFC", "".join(chars)).strip().lstrip(".").strip()
    encoded = cleaned.encode("utf-8")
    if len(encoded) > _MAX_NAME_BYTES:
        cleaned = encoded[:_MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip()
    return cleaned or "_"


def _matches(name: str, relative: str, patterns: Sequence[str]) -> bool:
    """Whether a file matches: patterns without ``/`` match the name, others the relative path (case-insensitive)."""
    lname, lrel = name.lower(), relative.lower()
    for pattern in patterns:
        lp = pattern.lower()
        if fnmatch.fnmatchcase(lrel if "/" in lp else lname, lp):
            return True
    return False


def _is_within(path: Path, root: Path) -> bool:
    """Whether the (resolved) ``path`` is ``root`` or lies under it."""
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def discover(
    source: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = None,
    patterns: Sequence[str] = DEFAULT_PATTERNS,
) -> Discovery:
    """Find the input files under ``source``.

    Rules: names are matched case-insensitively against ``patterns`` (a
    pattern containing ``/`` is matched against the relative path); hidden
    files and folders (name starting with ``.``) are skipped; the folder
    ``out_dir`` is skipped wherever it lies; symlinked folders are not
    followed (no loops, no escaping DIR); a symlinked file is taken when its
    target is a regular file inside DIR and ignored otherwise (target outside
    DIR, or dangling); a matching name that is not a regular file (FIFO,
    socket, device) is ignored, since reading it could block for ever.
    Unreadable folders are ignored with their reason. When OUT is DIR itself
    (or DIR lies inside OUT), files in OUT whose names end in a dewire output
    suffix (``.en.txt``, ``.brief.md`` …, :data:`translate.writers.SUFFIXES`)
    are dewire's own outputs and are not taken as inputs.

    Output names mirror the relative path, each component passed through
    :func:`safe_component`; the stem is :func:`translate.pipeline.document_name`
    of the file name. When two inputs would share an output folder and stem
    (``a.txt`` and ``a.md``; names equal after sanitizing or up to case), each
    of them uses its full sanitized file name as stem (``a.txt``, ``a.md``),
    and any remaining clash gets ``-2``, ``-3`` … in sorted order.

    Args:
        source: the folder DIR.
        out_dir: the output folder OUT (skipped if inside DIR), or ``None``.
        patterns: ``fnmatch`` patterns such as ``("*.txt", "*.md")``.

    Returns:
        :class:`Discovery`, files sorted by relative path.

    Raises:
        InputError: ``source`` is not a readable folder.
    """
    root = Path(source)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder")
    root_real = root.resolve()
    out_real = Path(out_dir).resolve() if out_dir is not None else None
    patterns = tuple(p for p in patterns if p) or DEFAULT_PATTERNS
    from translate.writers import SUFFIXES

    output_suffixes = tuple(sorted({suffix for group in SUFFIXES.values() for suffix in group}))

    found: list[tuple[Path, str, tuple[str, ...]]] = []  # path, relative, relative parts
    ignored: list[Ignored] = []
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, parts = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as err:
            rel = "/".join(parts) or "."
            ignored.append(Ignored(folder, rel, f"cannot list folder: {err.strerror or err}"))
            continue
        subfolders: list[tuple[Path, tuple[str, ...]]] = []
        in_out = out_real is not None and _is_within(folder.resolve(), out_real)
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            entry_parts = (*parts, name)
            relative = "/".join(entry_parts)
            path = Path(entry.path)
            try:
                is_link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=False):
                    if out_real is not None and path.resolve() == out_real:
                        continue
                    subfolders.append((path, entry_parts))
                    continue
            except OSError:
                continue
            if not _matches(name, relative, patterns):
                continue
            if in_out and name.lower().endswith(output_suffixes):
                continue  # dewire's own output (OUT is DIR, or DIR lies inside OUT)
            if is_link:
                try:
                    target = path.resolve(strict=True)
                    target_stat = target.stat()
                except (OSError, RuntimeError):
                    ignored.append(Ignored(path, relative, "broken symlink (or a symlink loop): not followed"))
                    continue
                if stat.S_ISDIR(target_stat.st_mode):
                    continue  # a symlinked folder whose name matches: folders are never followed
                if not _is_within(target, root_real) or (out_real is not None and _is_within(target, out_real)):
                    ignored.append(Ignored(path, relative, "symlink to a file outside the input folder: not followed"))
                    continue
                mode = target_stat.st_mode
            else:
                try:
                    mode = entry.stat(follow_symlinks=False).st_mode
                except OSError as err:
                    ignored.append(Ignored(path, relative, f"cannot stat: {err.strerror or err}"))
                    continue
            if not stat.S_ISREG(mode):
                ignored.append(Ignored(path, relative, "not a regular file (FIFO, socket or device): not read"))
                continue
            found.append((path, relative, entry_parts))
        stack.extend(reversed(subfolders))

    found.sort(key=lambda f: f[1])
    ignored.sort(key=lambda i: i.relative)
    return Discovery(files=_assign_outputs(found), ignored=tuple(ignored))


def _assign_outputs(found: Sequence[tuple[Path, str, tuple[str, ...]]]) -> tuple[SourceFile, ...]:
    """Give every input a unique (output folder, stem) pair; see :func:`discover`."""
    planned: list[tuple[Path, str, str, str, str]] = []  # path, relative, out_parent, stem, full-name stem
    for path, relative, parts in found:
        out_parent = "/".join(safe_component(p) for p in parts[:-1]) or "."
        stem = safe_component(document_name(parts[-1]))
        planned.append((path, relative, out_parent, stem, safe_component(parts[-1])))

    def key(parent: str, stem: str) -> tuple[str, str]:
        return (parent.casefold(), stem.casefold())

    counts: dict[tuple[str, str], int] = {}
    for _, _, parent, stem, _ in planned:
        counts[key(parent, stem)] = counts.get(key(parent, stem), 0) + 1
    taken: set[tuple[str, str]] = set()
    out: list[SourceFile] = []
    for path, relative, parent, stem, full in planned:
        if counts[key(parent, stem)] > 1:
            stem = full
        candidate, n = stem, 1
        while key(parent, candidate) in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(key(parent, candidate))
        out.append(SourceFile(path=path, relative=relative, out_parent=parent, stem=candidate))
    return tuple(out)


# -- settings and manifest --------------------------------------------------
def _model_fingerprint(model: str | None) -> str | None:
    """For a local model directory: a hash of its files' names, sizes and mtimes (a rebuilt model → new key)."""
    if not model:
        return None
    path = Path(model).expanduser()
    if not path.is_dir():
        return None
    digest = hashlib.sha256()
    try:
        for child in sorted(path.iterdir()):
            if child.is_file():
                st = child.stat()
                digest.update(f"{child.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    except OSError:
        return None
    return digest.hexdigest()[:16]


def settings_detail(pipeline: Pipeline) -> dict[str, Any]:
    """Everything that determines a file's outputs, as a JSON-able mapping.

    Translator: model, revision, backend, beams, splitting limits, confidence
    threshold, compute type (device, threads and batch sizes only change speed
    and are left out) and, for a local model folder, a fingerprint of its
    files; summarizer: name and settings; output formats; brief length;
    dewire version. Read from the configuration only: no model is loaded.
    """
    tcfg = pipeline.translator_config.model_dump(mode="json", exclude=set(_SETTINGS_TRANSLATOR_EXCLUDE))
    scfg = pipeline.summarizer_config.model_dump(mode="json", exclude={"device"})
    return {
        "dewire": __version__,
        "translator": tcfg,
        "translator_files": _model_fingerprint(tcfg.get("model")),
        "summarizer": pipeline.summarizer_name,
        "summarizer_settings": scfg,
        "summarizer_files": _model_fingerprint(scfg.get("model")),
        "formats": sorted(pipeline.options.formats),
    }


def settings_key(pipeline: Pipeline) -> str:
    """A short stable hash of :func:`settings_detail` (16 hex digits); equal keys mean equal outputs."""
    text = json.dumps(settings_detail(pipeline), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


class Manifest:
    """The resume record ``OUT/.dewire-manifest.json``.

    Layout (JSON, ASCII-only so any file name round-trips)::

        {"format": "dewire-batch-manifest", "version": 1, "dewire": "0.1.0",
         "updated": "2024-…Z", "settings": {KEY: {…settings_detail…}},
         "files": {"sub/a.txt": {"sha256": "…", "settings": KEY,
                   "status": "done"|"failed", "reason": null|"…",
                   "out_parent": "sub", "stem": "a", "outputs": ["sub/a.report.html", …],
                   "sentences": 12, "flags": 1, "seconds": 0.8, "title": "…",
                   "bullets": ["…"], "warnings": [], "modified": 1700000000.0,
                   "finished": "2024-…Z"}}}

    Output paths are relative to OUT. Entries of files not seen in a run are
    kept (a later run with another ``--glob`` still resumes). Saved with an
    atomic replace, so a kill leaves the previous or the new manifest.
    """

    def __init__(self, path: Path, files: dict[str, dict[str, Any]] | None = None) -> None:
        self.path = path
        self.files: dict[str, dict[str, Any]] = files or {}
        self.settings: dict[str, Any] = {}
        self.warning: str | None = None

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        """Read the manifest; a missing, unreadable or foreign one gives an empty manifest (with :attr:`warning` set)."""
        manifest = cls(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return manifest
        except OSError as err:
            manifest.warning = f"cannot read {path} ({err.strerror or err}): every file is redone"
            return manifest
        try:
            data = json.loads(raw)
        except ValueError:
            manifest.warning = f"{path} is not valid JSON: every file is redone"
            return manifest
        if (
            not isinstance(data, dict)
            or data.get("format") != MANIFEST_FORMAT
            or data.get("version") != MANIFEST_VERSION
            or not isinstance(data.get("files"), dict)
        ):
            manifest.warning = f"{path} is not a dewire manifest of version {MANIFEST_VERSION}: every file is redone"
            return manifest
        manifest.files = {k: v for k, v in data["files"].items() if isinstance(v, dict)}
        return manifest

    def is_done(self, file: SourceFile, sha256: str, key: str, out_dir: Path) -> bool:
        """Whether ``file`` with content hash ``sha256`` was finished with settings ``key`` and its outputs exist."""
        entry = self.files.get(file.relative)
        if not entry or entry.get("status") != STATUS_DONE:
            return False
        if entry.get("sha256") != sha256 or entry.get("settings") != key:
            return False
        if entry.get("out_parent") != file.out_parent or entry.get("stem") != file.stem:
            return False
        outputs = entry.get("outputs") or []
        return bool(outputs) and all((out_dir / rel).is_file() for rel in outputs)

    def save(self) -> None:
        """Write the manifest atomically.

        Raises:
            OutputError: it cannot be written.
        """
        from translate.writers.atomic import atomic_write_text

        data = {
            "format": MANIFEST_FORMAT,
            "version": MANIFEST_VERSION,
            "dewire": __version__,
            "updated": _now(),
            "settings": self.settings,
            "files": dict(sorted(self.files.items())),
        }
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=True, indent=1) + "\n")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                break
            digest.update(block)
    return digest.hexdigest()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _reason(err: BaseException) -> str:
    """One line for a per-file failure: a DewireError's message as-is, else the error type and message."""
    if isinstance(err, DewireError):
        return _one_line(str(err))
    if is_out_of_memory(err):
        return f"out of memory ({type(err).__name__}: {_one_line(str(err))[:200]})"
    return f"internal error: {type(err).__name__}: {_one_line(str(err))[:300]}"


def count_flags(doc: Document) -> int:
    """Sentences flagged for review: those with any flag other than ``passthrough`` (as the CLI's summary counts)."""
    return sum(1 for s in doc.sentences() if s.flags and tuple(f for f in s.flags if f != "passthrough"))


# -- the work of one group (shared by the in-process run and the workers) ----
@dataclass(slots=True)
class _Read:
    """A file read and segmented, waiting for translation."""

    file: SourceFile
    sha256: str
    doc: Document
    seconds: float
    modified: float


@dataclass(slots=True)
class _Outcome:
    """What happened to one file: an item for the report plus its manifest entry (``None`` = unchanged)."""

    item: BatchItem
    entry: dict[str, Any] | None


def _prepare(
    pipeline: Pipeline,
    file: SourceFile,
    *,
    manifest: Manifest | None,
    key: str,
    out_dir: Path,
    force: bool,
) -> _Read | _Outcome:
    """Hash one file, decide whether it is done, else read and segment it.

    Returns an :class:`_Outcome` for a skipped or failed file, else a :class:`_Read`.
    Never raises for a per-file problem.
    """
    start = time.perf_counter()
    try:
        st = file.path.stat()
        limit = pipeline.options.max_bytes
        data: bytes | None = None
        if limit is None or st.st_size <= limit:
            data = file.path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
        else:
            sha = _sha256_file(file.path)  # too big: read_document raises its own one-line error
        if manifest is not None and not force and manifest.is_done(file, sha, key, out_dir):
            entry = manifest.files[file.relative]
            return _Outcome(_item_from_entry(file, entry, out_dir, STATUS_SKIPPED), None)
        doc = pipeline.read(file.path, data=data, name=file.stem)
    except Exception as err:  # noqa: BLE001 - one bad file never stops the others
        if isinstance(err, OSError):
            reason = f"{file.path}: cannot read: {err.strerror or err}"
        else:
            reason = _reason(err)
        return _failed(file, reason, time.perf_counter() - start)
    return _Read(file, sha, doc, time.perf_counter() - start, st.st_mtime)


def _failed(file: SourceFile, reason: str, seconds: float, sha: str | None = None, key: str | None = None) -> _Outcome:
    item = BatchItem(path=file.path, relative=file.relative, status=STATUS_FAILED, reason=_one_line(reason), seconds=round(seconds, 3))
    entry: dict[str, Any] = {
        "sha256": sha,
        "settings": key,
        "status": STATUS_FAILED,
        "reason": item.reason,
        "out_parent": file.out_parent,
        "stem": file.stem,
        "outputs": [],
        "sentences": 0,
        "flags": 0,
        "seconds": item.seconds,
        "title": None,
        "bullets": [],
        "warnings": [],
        "modified": _mtime(file.path),
        "finished": _now(),
    }
    return _Outcome(item, entry)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _item_from_entry(file: SourceFile, entry: Mapping[str, Any], out_dir: Path, status: str) -> BatchItem:
    return BatchItem(
        path=file.path,
        relative=file.relative,
        status=status,
        reason=entry.get("reason"),
        sentences=int(entry.get("sentences") or 0),
        flags=int(entry.get("flags") or 0),
        seconds=float(entry.get("seconds") or 0.0),
        outputs=tuple(out_dir / rel for rel in entry.get("outputs") or ()),
        warnings=tuple(entry.get("warnings") or ()),
        title=entry.get("title"),
    )


def _output_folder(out_dir: Path, out_real: Path, file: SourceFile) -> Path:
    """The folder for ``file``'s outputs, checked to resolve inside OUT.

    Raises:
        OutputError: the folder (through a symlink placed inside OUT) would lie outside OUT.
    """
    folder = out_dir if file.out_parent == "." else out_dir.joinpath(*file.out_parent.split("/"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output folder '{folder}': {err.strerror or err}") from err
    if not _is_within(folder.resolve(), out_real):
        raise OutputError(f"output folder '{folder}' resolves outside '{out_dir}': not written")
    return folder


def _translate_resilient(
    pipeline: Pipeline,
    group: Sequence[_Read],
    progress: Callable[[int], None] | None,
) -> list[tuple[_Read, Document | None, str | None, float]]:
    """Translate a group in one call; on any error split it in halves and retry each alone.

    Returns ``(read, translated document or None, failure reason or None,
    seconds)`` per document, in group order. ``KeyboardInterrupt`` and
    ``SystemExit`` propagate. Source of the halving rule: issue 7 ("on OOM,
    halve that batch and retry it alone"); other errors are bisected the same
    way, which isolates the one document that causes them.
    """
    docs = [r.doc for r in group]
    start = time.perf_counter()
    try:
        out = pipeline.translate(docs, progress=progress)
    except Exception as err:  # noqa: BLE001 - bisect to isolate the failing document
        if is_out_of_memory(err):
            free_accelerator_memory()
        if len(group) == 1:
            return [(group[0], None, _reason(err), time.perf_counter() - start)]
        half = len(group) // 2
        return _translate_resilient(pipeline, group[:half], progress) + _translate_resilient(pipeline, group[half:], progress)
    if len(out) != len(group):  # pragma: no cover - the engine keeps one document per input
        raise RuntimeError(f"translate returned {len(out)} documents for {len(group)}")
    seconds = time.perf_counter() - start
    total = sum(d.n_sentences for d in docs) or 1
    return [(r, d, None, seconds * (r.doc.n_sentences or 1) / total if total else 0.0) for r, d in zip(group, out)]


def _finish_group(
    pipeline: Pipeline,
    group: Sequence[_Read],
    *,
    key: str,
    out_dir: Path,
    out_real: Path,
    progress: Callable[[int], None] | None,
) -> list[_Outcome]:
    """Translate, summarize, sign and write one group; one :class:`_Outcome` per document."""
    outcomes: list[_Outcome] = []
    for read, doc, reason, t_translate in _translate_resilient(pipeline, group, progress):
        file = read.file
        if doc is None:
            outcomes.append(_failed(file, reason or "translation failed", read.seconds + t_translate, read.sha256, key))
            continue
        start = time.perf_counter()
        try:
            doc = pipeline.finish(pipeline.summarize(doc))
            folder = _output_folder(out_dir, out_real, file)
            paths = pipeline.write(doc, folder, stem=file.stem)
        except Exception as err:  # noqa: BLE001 - one bad file never stops the others
            if is_out_of_memory(err):
                free_accelerator_memory()
            outcomes.append(_failed(file, _reason(err), read.seconds + t_translate + time.perf_counter() - start, read.sha256, key))
            continue
        seconds = round(read.seconds + t_translate + time.perf_counter() - start, 3)
        brief = doc.brief
        bullets = tuple(b.text for b in brief.bullets) if brief is not None else ()
        title = brief.title if brief is not None else None
        warnings = tuple(str(w) for w in doc.meta.get("warnings", ()) or ())
        flags = count_flags(doc)
        outputs = tuple(paths)
        rel_outputs = [p.relative_to(out_dir).as_posix() if _is_within(p, out_dir) else os.path.relpath(p, out_dir) for p in outputs]
        item = BatchItem(
            path=file.path,
            relative=file.relative,
            status=STATUS_DONE,
            sentences=doc.n_sentences,
            flags=flags,
            seconds=seconds,
            outputs=outputs,
            warnings=warnings,
            title=title,
        )
        entry = {
            "sha256": read.sha256,
            "settings": key,
            "status": STATUS_DONE,
            "reason": None,
            "out_parent": file.out_parent,
            "stem": file.stem,
            "outputs": rel_outputs,
            "sentences": doc.n_sentences,
            "flags": flags,
            "seconds": seconds,
            "title": title,
            "bullets": list(bullets),
            "warnings": list(warnings),
            "modified": read.modified,
            "finished": _now(),
        }
        outcomes.append(_Outcome(item, entry))
    return outcomes


# -- progress display ---------------------------------------------------------
class _Display:
    """Progress bar, warnings and the final table on a rich console (stderr).

    With ``quiet`` only warnings and failures are printed.
    """

    def __init__(self, console: Any, quiet: bool, total: int) -> None:
        self.quiet = quiet
        self.total = total
        self.sentences = 0
        self.started = time.perf_counter()
        self._progress: Any = None
        self._task: Any = None
        if console is None:
            from rich.console import Console

            console = Console(stderr=True)
        self.console = console

    def __enter__(self) -> "_Display":
        if not self.quiet and self.total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("[bold]Translating[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("documents"),
                TextColumn("{task.fields[rate]} sentences/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )
            self._task = self._progress.add_task("batch", total=self.total, rate="–")
        return self

    def _show(self) -> None:
        """Start drawing the bar at the first sign of progress (not before the models load:
        a missing model then gives its one-line error with no empty "0/N" bar above it)."""
        if self._progress is not None and not self._progress.live.is_started:
            self._progress.start()

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None and self._progress.live.is_started:
            self._progress.stop()

    def start_clock(self) -> None:
        """Start timing sentences/s now (after the models are loaded), and show the bar."""
        self.started = time.perf_counter()
        self._show()

    def add_sentences(self, n: int) -> None:
        self.sentences += n
        self._refresh(0)

    def item(self, item: BatchItem) -> None:
        from rich.markup import escape

        for warning in item.warnings if item.status == STATUS_DONE else ():
            self.console.print(f"[yellow]warning:[/] {escape(item.relative)}: {escape(_one_line(warning))}", highlight=False, soft_wrap=True)
        if item.status == STATUS_FAILED:
            self.console.print(f"[red]failed:[/] {escape(item.relative)}: {escape(item.reason or '')}", highlight=False, soft_wrap=True)
        self._refresh(1)

    def note(self, text: str) -> None:
        from rich.markup import escape

        self.console.print(f"[yellow]warning:[/] {escape(text)}", highlight=False, soft_wrap=True)

    def _refresh(self, advance: int) -> None:
        if self._progress is None:
            return
        self._show()
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = f"{self.sentences / elapsed:.1f}" if self.sentences else "–"
        self._progress.update(self._task, advance=advance, rate=rate)

    def summary(self, report: BatchReport) -> None:
        if self.quiet:
            return
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=f"dewire batch: {report.out_dir}", show_lines=False)
        table.add_column("file", overflow="fold")
        table.add_column("sentences", justify="right")
        table.add_column("flags", justify="right")
        table.add_column("seconds", justify="right")
        table.add_column("status")
        style = {STATUS_DONE: "green", STATUS_SKIPPED: "dim", STATUS_FAILED: "red"}
        for item in report.items:
            table.add_row(
                escape(item.relative),
                str(item.sentences) if item.sentences else "–",
                str(item.flags) if item.status != STATUS_FAILED else "–",
                f"{item.seconds:.2f}" if item.status != STATUS_SKIPPED else "–",  # (its time is the earlier run's)
                f"[{style.get(item.status, '')}]{item.status}[/]",
            )
        self.console.print(table)
        failed = [i for i in report.items if i.status == STATUS_FAILED]
        if failed:
            self.console.print(f"[red bold]{len(failed)} file(s) failed:[/]")
            for item in failed:
                self.console.print(f"  {escape(item.relative)}: {escape(item.reason or '')}", highlight=False, soft_wrap=True)
        rate = report.sentences / report.seconds if report.seconds else 0.0
        line = (
            f"{report.count(STATUS_DONE)} translated, {report.count(STATUS_SKIPPED)} skipped, "
            f"{len(failed)} failed; {report.sentences} sentences in {report.seconds:.1f} s ({rate:.1f}/s)"
        )
        self.console.print(line, highlight=False)
        if report.index is not None:
            self.console.print(f"digest: {escape(str(report.index))}", highlight=False)


# -- the reader thread ---------------------------------------------------------
_END = object()


class _Reader:
    """Reads and segments files ahead of translation in a background thread.

    The queue holds at most :data:`READ_AHEAD` prepared files, so memory stays
    bounded however many files there are. :meth:`stop` makes the thread
    finish promptly (used on interrupt).
    """

    def __init__(self, prepare: Callable[[SourceFile], _Read | _Outcome], files: Sequence[SourceFile]) -> None:
        self._prepare = prepare
        self._files = files
        self._queue: queue.Queue[object] = queue.Queue(maxsize=READ_AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dewire-reader", daemon=True)

    def __enter__(self) -> "_Reader":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()
        self._thread.join(timeout=5)

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for file in self._files:
                if self._stop.is_set() or not self._put(self._prepare(file)):
                    return
        except BaseException as err:  # noqa: BLE001 - handed to the consumer, which re-raises
            self._put(err)
        finally:
            self._put(_END)

    def __iter__(self) -> Iterator[_Read | _Outcome]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]


# -- the public entry point ------------------------------------------------------
@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM (``kill``) into ``KeyboardInterrupt`` while a batch runs (main thread only),
    so a killed run stops between writes exactly as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):  # pragma: no cover - no signals here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Delete ``.NAME.XXXXXXXX.tmp`` files a killed run's atomic writes left in OUT (never anything else)."""
    for folder, dirnames, filenames in os.walk(out_dir):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if _STALE_TMP.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))


def translate_folder(
    source: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None,
    *,
    config: Config | None = None,
    options: Options | None = None,
    patterns: tuple[str, ...] = DEFAULT_PATTERNS,
    force: bool = False,
    jobs: int = 1,
    quiet: bool = False,
    pipeline: Pipeline | None = None,
    console: Any = None,
    group_sentences: int = DEFAULT_GROUP_SENTENCES,
    on_item: Callable[[BatchItem], None] | None = None,
) -> BatchReport:
    """Translate every matching file under ``source`` into ``out_dir``, resumably.

    See the module docstring for discovery, resume, grouping and failure rules.

    Example::

        from translate.batch import translate_folder
        report = translate_folder("today/", "today-en/")
        print(report.ok, report.index)

    Args:
        source: the input folder DIR.
        out_dir: the output folder OUT (created if missing); ``None`` =
            ``dewire-out`` in the current directory.
        config: models.yaml config (default: :func:`translate.config.load_config`).
        options: run options (model, formats, max_bytes …).
        patterns: file-name patterns (``fnmatch``, case-insensitive).
        force: redo every file, even unchanged finished ones.
        jobs: worker processes, each with its own model replica (``1`` = in
            this process; see ``benchmarks/batch_speed.py``).
        quiet: no progress bar and no final table (warnings and failures are
            still printed).
        pipeline: an already-built :class:`Pipeline` (tests, embedding); with
            ``jobs > 1`` it is pickled to each worker.
        console: a ``rich.console.Console`` for progress and the table
            (default: a new one on stderr).
        group_sentences: sentences per translation group (see
            :data:`DEFAULT_GROUP_SENTENCES`).
        on_item: called with each file's :class:`BatchItem` as soon as it is
            settled (done, skipped or failed), in the main process.

    Returns:
        :class:`BatchReport`; ``ok`` is ``False`` when any file failed.

    Raises:
        InputError: ``source`` is not a folder.
        OutputError: OUT or its manifest cannot be written.
        ModelNotFoundError, ModelLoadError, ConfigError: a model cannot be
            loaded (checked once, before the first file is translated).
        KeyboardInterrupt: on Ctrl-C or SIGTERM, after the finished groups
            are committed; the next run resumes from there.
    """
    started = time.perf_counter()
    source_path = Path(source)
    if not source_path.is_dir():
        raise InputError(f"{source_path}: not a folder")
    out_path = Path(out_dir) if out_dir is not None else Path(DEFAULT_OUT)
    created_out = not out_path.exists()
    try:
        out_path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output folder '{out_path}': {err.strerror or err}") from err
    if not out_path.is_dir():
        raise OutputError(f"cannot create output folder '{out_path}': not a folder")
    if not os.access(out_path, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to output folder '{out_path}': permission denied")
    out_real = out_path.resolve()
    if pipeline is None:
        pipeline = Pipeline(config, options)
    # A translator given by the caller (not loaded from the config) is sent to the workers with the pipeline.
    injected = pipeline.translator_loaded
    jobs = max(1, int(jobs))

    discovery = discover(source_path, out_path, patterns)
    manifest = Manifest.load(out_path / MANIFEST_NAME)
    key = settings_key(pipeline)
    manifest.settings = {key: settings_detail(pipeline)}
    _remove_stale_temporaries(out_path)

    report = BatchReport(ok=True, out_dir=out_path, jobs=jobs)
    outcomes: dict[str, _Outcome] = {}
    total = len(discovery.files)

    with _Display(console, quiet, total) as display, _sigterm_as_interrupt():
        if manifest.warning:
            display.note(manifest.warning)
        for ignored in discovery.ignored:
            display.note(f"{ignored.relative}: {ignored.reason}")

        def settle(outcome: _Outcome) -> None:
            outcomes[outcome.item.relative] = outcome
            if outcome.entry is not None:
                manifest.files[outcome.item.relative] = outcome.entry
            if outcome.item.status == STATUS_DONE:
                report.sentences += outcome.item.sentences
            display.item(outcome.item)
            if on_item is not None:
                on_item(outcome.item)

        model_missing = False
        try:
            if jobs == 1:
                _run_in_process(
                    pipeline, discovery.files, manifest, key, out_path, out_real, force, group_sentences, settle, display
                )
            else:
                _run_in_workers(
                    pipeline,
                    discovery.files,
                    manifest,
                    key,
                    out_path,
                    out_real,
                    force,
                    group_sentences,
                    jobs,
                    settle,
                    display,
                    injected,
                )
        except (ModelNotFoundError, ModelLoadError):
            model_missing = not any(o.item.status == STATUS_DONE for o in outcomes.values())
            raise
        finally:
            if model_missing:
                # Nothing was translated: leave no manifest or digest behind (and no new empty folder).
                if created_out:
                    with contextlib.suppress(OSError):
                        out_path.rmdir()
            else:
                # Commit what is finished (also on interrupt), then the digest.
                with contextlib.suppress(OutputError):
                    manifest.save()
                items = [outcomes[f.relative].item for f in discovery.files if f.relative in outcomes]
                items.extend(
                    BatchItem(path=i.path, relative=i.relative, status=STATUS_SKIPPED, reason=i.reason)
                    for i in discovery.ignored
                )
                report.items = sorted(items, key=lambda item: item.relative)
                report.index = _write_digest(out_path, discovery, manifest, outcomes)
        report.ok = report.count(STATUS_FAILED) == 0
        report.seconds = time.perf_counter() - started
    display.summary(report)
    return report


def _run_in_process(
    pipeline: Pipeline,
    files: Sequence[SourceFile],
    manifest: Manifest,
    key: str,
    out_dir: Path,
    out_real: Path,
    force: bool,
    group_sentences: int,
    settle: Callable[[_Outcome], None],
    display: _Display,
) -> None:
    """jobs = 1: a reader thread prepares files while this thread translates groups."""

    def prepare(file: SourceFile) -> _Read | _Outcome:
        return _prepare(pipeline, file, manifest=manifest, key=key, out_dir=out_dir, force=force)

    checked = False
    group: list[_Read] = []
    size = 0

    def flush() -> None:
        nonlocal group, size, checked
        if not group:
            return
        if not checked:
            pipeline.check_models()  # a missing model fails the run once, before any output
            display.start_clock()
            checked = True
        for outcome in _finish_group(
            pipeline, group, key=key, out_dir=out_dir, out_real=out_real, progress=display.add_sentences
        ):
            settle(outcome)
        group, size = [], 0
        manifest.save()

    with _Reader(prepare, files) as reader:
        for prepared in reader:
            if isinstance(prepared, _Outcome):
                settle(prepared)
                continue
            group.append(prepared)
            size += prepared.doc.n_sentences
            if size >= group_sentences:
                flush()
        flush()


# -- jobs > 1 ------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _worker_init(pipeline_or_args: Any) -> None:
    """Process-pool initializer: build (or unpickle) this worker's Pipeline; ignore Ctrl-C (the parent handles it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if isinstance(pipeline_or_args, Pipeline):
        _WORKER["pipeline"] = pipeline_or_args
    else:
        config, options = pipeline_or_args
        _WORKER["pipeline"] = Pipeline(config, options)


def _worker_run(files: Sequence[SourceFile], key: str, out_dir: str, group_sentences: int) -> list[_Outcome]:
    """Worker: read, translate (in groups), summarize and write ``files``; return their outcomes.

    The content hash recorded is that of the bytes the worker translated.

    Raises:
        ModelNotFoundError, ModelLoadError, ConfigError: the models cannot be loaded.
    """
    pipeline: Pipeline = _WORKER["pipeline"]
    pipeline.check_models()
    out_path = Path(out_dir)
    out_real = out_path.resolve()
    outcomes: list[_Outcome] = []
    group: list[_Read] = []
    size = 0
    for file in files:
        prepared = _prepare(pipeline, file, manifest=None, key=key, out_dir=out_path, force=True)
        if isinstance(prepared, _Outcome):
            outcomes.append(prepared)
            continue
        group.append(prepared)
        size += prepared.doc.n_sentences
        if size >= group_sentences:
            outcomes.extend(_finish_group(pipeline, group, key=key, out_dir=out_path, out_real=out_real, progress=None))
            group, size = [], 0
    if group:
        outcomes.extend(_finish_group(pipeline, group, key=key, out_dir=out_path, out_real=out_real, progress=None))
    return outcomes


def _chunks(items: Sequence[Any], n: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _run_in_workers(
    pipeline: Pipeline,
    files: Sequence[SourceFile],
    manifest: Manifest,
    key: str,
    out_dir: Path,
    out_real: Path,
    force: bool,
    group_sentences: int,
    jobs: int,
    settle: Callable[[_Outcome], None],
    display: _Display,
    injected: bool,
) -> None:
    """jobs > 1: skip decisions here, the rest in ``jobs`` spawned worker processes, a few files per task.

    The parent loads no model. A model that cannot be loaded fails the run
    once (the first worker's :class:`DewireError` is re-raised); any other
    crash of a task fails that task's files with the reason.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from translate.errors import ConfigError, ModelLoadError, ModelNotFoundError

    todo: list[tuple[SourceFile, str | None]] = []
    for file in files:
        try:
            sha: str | None = _sha256_file(file.path)
        except OSError:
            sha = None  # the worker reports the read error
        if sha is not None and not force and manifest.is_done(file, sha, key, out_dir):
            settle(_Outcome(_item_from_entry(file, manifest.files[file.relative], out_dir, STATUS_SKIPPED), None))
            continue
        todo.append((file, sha))
    if not todo:
        return
    options = pipeline.options
    if options.threads is None:
        options = dataclasses.replace(options, threads=max(1, (os.cpu_count() or 1) // jobs))
    init_arg: Any = pipeline if injected else (pipeline.config, options)
    # Tasks of a few files each: small enough to balance the workers, big enough to batch across documents.
    per_task = max(1, min(16, len(todo) // (jobs * 4)))
    ctx = multiprocessing.get_context("spawn")
    earlier_children = set(multiprocessing.active_children())
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init, initargs=(init_arg,))
    try:
        chunk_of = {
            executor.submit(_worker_run, [f for f, _ in chunk], key, str(out_dir), group_sentences): chunk
            for chunk in _chunks(todo, per_task)
        }
        pending = set(chunk_of)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    results = future.result()
                except (ModelNotFoundError, ModelLoadError, ConfigError):
                    raise
                except Exception as err:  # noqa: BLE001 - a crashed task fails its files, not the run
                    results = [_failed(f, _reason(err), 0.0, sha, key) for f, sha in chunk_of[future]]
                for outcome in results:
                    settle(outcome)
                    if outcome.item.status == STATUS_DONE:
                        display.add_sentences(outcome.item.sentences)
                manifest.save()
    except BaseException:
        # Interrupted (or a model error): stop now rather than after the tasks in flight. Workers write
        # atomically, so a killed worker leaves at most a temporary file, removed by the next run.
        processes = set((getattr(executor, "_processes", None) or {}).values())  # shutdown() forgets them
        executor.shutdown(wait=False, cancel_futures=True)
        # Any child born since the pool was made is one of its workers, also one the pool
        # was still starting (measured: one of two workers survived the pool's own list).
        processes.update(c for c in multiprocessing.active_children() if c not in earlier_children)
        _terminate_workers(executor, list(processes))
        raise
    executor.shutdown(wait=True)


def _terminate_workers(executor: Any, processes: Sequence[Any]) -> None:
    """Terminate a process pool's workers: ``terminate_workers()`` on Python 3.14+, else each process.

    ``processes`` is the pool's process list taken before ``shutdown()``
    (which drops it; there is no public way to get it before Python 3.14),
    plus the children started since the pool was made. Each gets SIGTERM,
    then SIGKILL if still alive after :data:`TERMINATE_GRACE_S` seconds, and
    is reaped, so no worker outlives an interrupted run.
    """
    terminate = getattr(executor, "terminate_workers", None)
    if callable(terminate):
        with contextlib.suppress(Exception):
            terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            if process.is_alive():
                process.terminate()
    deadline = time.monotonic() + TERMINATE_GRACE_S
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=max(0.0, deadline - time.monotonic()))
            if process.is_alive():  # SIGTERM not acted on in time (e.g. still starting up): SIGKILL
                process.kill()
                process.join(timeout=5)


# -- digest ---------------------------------------------------------------------
def _write_digest(
    out_dir: Path, discovery: Discovery, manifest: Manifest, outcomes: Mapping[str, _Outcome]
) -> Path | None:
    """Write ``OUT/index.html`` for the files of this run; ``None`` if it cannot be written."""
    from translate.writers.index import IndexEntry, write_index

    entries: list[IndexEntry] = []
    for file in discovery.files:
        entry = manifest.files.get(file.relative)
        outcome = outcomes.get(file.relative)
        if entry is None and outcome is None:
            continue  # not reached (interrupted run)
        if outcome is not None and outcome.item.status == STATUS_FAILED:
            entries.append(IndexEntry(name=file.relative, status=STATUS_FAILED, reason=outcome.item.reason, modified=_mtime(file.path)))
            continue
        if entry is None:
            continue
        outputs = list(entry.get("outputs") or [])
        report = next((o for o in outputs if o.endswith(".report.html")), None) or (outputs[0] if outputs else None)
        entries.append(
            IndexEntry(
                name=file.relative,
                status=STATUS_DONE if entry.get("status") == STATUS_DONE else STATUS_FAILED,
                reason=entry.get("reason"),
                href=report,
                title=entry.get("title"),
                bullets=tuple(entry.get("bullets") or ()),
                sentences=int(entry.get("sentences") or 0),
                flags=int(entry.get("flags") or 0),
                seconds=float(entry.get("seconds") or 0.0),
                modified=entry.get("modified"),
                warnings=len(entry.get("warnings") or ()),
            )
        )
    for ignored in discovery.ignored:
        entries.append(IndexEntry(name=ignored.relative, status=STATUS_SKIPPED, reason=ignored.reason))
    try:
        return write_index(out_dir / INDEX_NAME, entries)
    except OutputError:
        return None


__all__ = [
    "BatchItem",
    "BatchReport",
    "Discovery",
    "Ignored",
    "INDEX_NAME",
    "MANIFEST_NAME",
    "Manifest",
    "SourceFile",
    "discover",
    "is_out_of_memory",
    "safe_component",
    "settings_key",
    "translate_folder",
]
