"""The resume record: ``OUT/.dewire-manifest.json`` and its journal; a typed entry per input; the settings key.

A file is skipped on a later run when its entry says ``done`` with the same
content hash, the same settings key (:func:`settings_key`: everything that
determines the outputs) and the same output names, and its outputs still
exist. The manifest is written by the batch driver alone; engines never
touch it.

**Snapshot + append-only journal.** Rewriting the whole JSON manifest after
every translation group costs O(entries) per commit, minutes at a million
documents. The record is therefore two files:

* the **snapshot** ``.dewire-manifest.json`` — the layout of dewire 0.1/0.2,
  unchanged (so an older dewire, the digest and any tool still read it),
  written atomically (temporary file + rename) only when the journal is
  **compacted**: at the end of every run, and during a run whenever the
  journal holds as many entries as the snapshot (at least
  :data:`COMPACT_MIN_ENTRIES`), so compaction costs O(1) per entry amortized;
* the **journal** ``.dewire-manifest.journal`` — JSON lines appended after
  each committed group: a header line ``{"format": "dewire-batch-journal",
  "version": 1, …}``, then one ``{"file": REL, "entry": {…}}`` per outcome,
  flushed and ``fsync``'d before the commit returns (O(new entries)).

Loading reads the snapshot, then replays the journal over it in order (a
later line for the same file wins). A torn last line (a kill in the middle
of an append) is ignored and cut off before the next append; a line that
does not parse elsewhere is skipped with a warning (that file is redone).
Compaction first appends everything pending to the journal, then replaces
the snapshot, then deletes the journal: a kill at any point leaves a
snapshot and a journal whose replay gives the full record.

Why JSON lines and not SQLite: on a cluster OUT is shared storage (NFS and
the like), where SQLite's locking is unreliable and its WAL mode does not
work at all (https://www.sqlite.org/wal.html, "WAL does not work over a
network filesystem"; https://www.sqlite.org/faq.html#q5); appending whole
lines to a file that only the driver writes (one run per OUT,
:func:`translate.ownership.run_lock`) needs no locking of its own. It also
keeps the snapshot in the format every earlier dewire reads.

Ownership (dewire only replaces or deletes files it can prove it wrote):
the snapshot is dewire's when it carries the manifest signature or is in the
folder's ownership record; the journal when its first line is the journal
header (an appended file changes its hash with every line, so it is not
kept in the ownership record). A journal without the header is refused like
an unsigned manifest (``signed`` is ``False``) and never appended to or
deleted unless ``--force``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from translate import __version__
from translate.batch.work import STATUS_DONE, STATUS_FAILED, Outcome, WorkItem
from translate.writers.atomic import fsync_directory

if TYPE_CHECKING:
    from translate.pipeline import Pipeline

MANIFEST_NAME = ".dewire-manifest.json"
"""File name of the resume manifest inside OUT."""

JOURNAL_NAME = ".dewire-manifest.journal"
"""File name of the manifest's append-only journal inside OUT."""

JOURNAL_FORMAT = "dewire-batch-journal"
JOURNAL_VERSION = 1

COMPACT_MIN_ENTRIES = 10_000
"""Fewest journal entries before a compaction during a run (it then waits for as many entries as the snapshot holds)."""

MANIFEST_FORMAT = "dewire-batch-manifest"
MANIFEST_VERSION = 1
"""Bump when the manifest layout changes; an older manifest is then ignored (all files redone)."""

_SETTINGS_TRANSLATOR_EXCLUDE = frozenset({"device", "threads", "batch_tokens", "max_batch_sentences"})
"""Translator settings that change speed but not the output, so are left out of the settings key."""


def now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- settings ---------------------------------------------------------------------
def _model_fingerprint(model: str | None) -> str | None:
    """For a local model directory: :func:`translate.mt.loading.model_revision`, the content hash the
    signature and the translation cache use too (a rebuilt model → new key); ``None`` otherwise."""
    if not model:
        return None
    path = Path(model).expanduser()
    if not path.is_dir():
        return None
    from translate.mt.loading import model_revision

    try:
        return model_revision(path)
    except OSError:
        return None


def settings_detail(pipeline: "Pipeline") -> dict[str, Any]:
    """Everything that determines a file's outputs, as a JSON-able mapping.

    Translator: model, revision, backend, beams, splitting limits, confidence
    threshold, compute type (device, threads and batch sizes only change speed
    and are left out) and, for a local model folder, a fingerprint of its
    files; summarizer: name and settings; output formats; dewire version.
    Read from the configuration only: no model is loaded.
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


def settings_key(pipeline: "Pipeline") -> str:
    """A short stable hash of :func:`settings_detail` (16 hex digits); equal keys mean equal outputs."""
    text = json.dumps(settings_detail(pipeline), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


# -- entries ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """What the manifest records for one input (JSON keys are the field names).

    Attributes:
        sha256: hex SHA-256 of the bytes translated (``None`` if unread).
        settings: the settings key of the run that produced it.
        status: ``done`` or ``failed``.
        reason: one line saying why it failed.
        out_parent: output folder relative to OUT; stem: output stem.
        outputs: files written, ``/``-separated, relative to OUT.
        sentences, flags: counts; seconds: time spent on it.
        title, bullets: the brief (for the digest); title_de: the German headline.
        warnings: reading/translation warnings.
        modified: the input's mtime when read; finished: UTC time of the entry.
    """

    status: str
    out_parent: str
    stem: str
    sha256: str | None = None
    settings: str | None = None
    reason: str | None = None
    outputs: tuple[str, ...] = ()
    sentences: int = 0
    flags: int = 0
    seconds: float = 0.0
    title: str | None = None
    title_de: str | None = None
    bullets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    modified: float | None = None
    finished: str | None = None

    @classmethod
    def of(cls, item: WorkItem, outcome: Outcome, settings: str) -> "ManifestEntry":
        """The entry for ``outcome`` of ``item`` under settings key ``settings``."""
        return cls(
            status=outcome.status,
            out_parent=item.out_parent,
            stem=item.stem,
            sha256=outcome.sha256,
            settings=settings,
            reason=outcome.reason,
            outputs=outcome.outputs,
            sentences=outcome.sentences,
            flags=outcome.flags,
            seconds=outcome.seconds,
            title=outcome.title,
            title_de=outcome.title_de,
            bullets=outcome.bullets,
            warnings=outcome.warnings,
            modified=outcome.modified,
            finished=now(),
        )

    @classmethod
    def from_json(cls, data: object) -> "ManifestEntry | None":
        """Parse one entry as written by :meth:`to_json`; ``None`` if it is not one (hand-edited, foreign)."""
        if not isinstance(data, Mapping):
            return None
        status, out_parent, stem = data.get("status"), data.get("out_parent"), data.get("stem")
        if status not in (STATUS_DONE, STATUS_FAILED) or not isinstance(out_parent, str) or not isinstance(stem, str):
            return None

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        def texts(key: str) -> tuple[str, ...]:
            value = data.get(key)
            return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

        def number(key: str, kind: type) -> Any:
            value = data.get(key)
            return kind(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

        return cls(
            status=status,
            out_parent=out_parent,
            stem=stem,
            sha256=text("sha256"),
            settings=text("settings"),
            reason=text("reason"),
            outputs=texts("outputs"),
            sentences=number("sentences", int) or 0,
            flags=number("flags", int) or 0,
            seconds=number("seconds", float) or 0.0,
            title=text("title"),
            title_de=text("title_de"),
            bullets=texts("bullets"),
            warnings=texts("warnings"),
            modified=number("modified", float),
            finished=text("finished"),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON object stored in the manifest."""
        data = asdict(self)
        for key in ("outputs", "bullets", "warnings"):
            data[key] = list(data[key])
        return data

    @property
    def report_href(self) -> str | None:
        """The report page among the outputs (else the first output), relative to OUT."""
        return next((o for o in self.outputs if o.endswith(".report.html")), None) or (self.outputs[0] if self.outputs else None)


class Manifest:
    """The resume record: the snapshot ``OUT/.dewire-manifest.json`` and its journal (see the module docstring).

    Snapshot layout (JSON, ASCII-only so any file name round-trips; the
    layout of dewire 0.1 and 0.2)::

        {"format": "dewire-batch-manifest", "version": 1, "dewire": "0.1.0",
         "updated": "2024-…Z", "settings": {KEY: {…settings_detail…}},
         "files": {"sub/a.txt": {…ManifestEntry…}}}

    Entries of files not seen in a run are kept (a later run with another
    ``--glob`` still resumes).

    Attributes:
        path: the snapshot file.
        journal_path: the journal file beside it (:data:`JOURNAL_NAME`).
        files: relative input path → :class:`ManifestEntry`.
        settings: settings key → :func:`settings_detail` of this run.
        warning: why an existing manifest (or some journal lines) was ignored, or ``None``.
        signed: ``False`` when a file exists at :attr:`path` without dewire's
            signature (unreadable, not JSON, no ``"format":
            "dewire-batch-manifest"``): dewire cannot prove it wrote it
            (issue 12), so the driver refuses to replace it without ``force``.
        journal_signed: ``False`` when a file exists at :attr:`journal_path`
            that is not a dewire journal (no header line, unreadable): refused
            in the same way (never appended to or deleted without ``force``).
        journal_entries: entries in the journal file now (replayed or appended).
    """

    def __init__(self, path: Path, files: dict[str, ManifestEntry] | None = None) -> None:
        self.path = path
        self.journal_path = path.parent / JOURNAL_NAME
        self.files: dict[str, ManifestEntry] = files or {}
        self.settings: dict[str, Any] = {}
        self.warning: str | None = None
        self.signed = True
        self.journal_signed = True
        self.journal_entries = 0
        self._pending: list[str] = []  # relative paths recorded since the last append, in order
        self._journal_valid: int | None = None  # bytes of whole lines to append after (None: create or replace the file)
        self._journal_ours = False  # a journal file is there and dewire may append to it and delete it

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        """Read the snapshot, then replay the journal; a missing, unreadable or foreign snapshot gives an
        empty manifest (with :attr:`warning` set; its journal is then not read)."""
        manifest = cls(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            manifest._replay()
            return manifest
        except (OSError, UnicodeDecodeError) as err:
            manifest.warning = f"cannot read {path} ({getattr(err, 'strerror', None) or err}): every file is redone"
            manifest.signed = False
            return manifest
        try:
            data = json.loads(raw)
        except ValueError:
            manifest.warning = f"{path} is not valid JSON: every file is redone"
            manifest.signed = False
            return manifest
        if (
            not isinstance(data, dict)
            or data.get("format") != MANIFEST_FORMAT
            or data.get("version") != MANIFEST_VERSION
            or not isinstance(data.get("files"), dict)
        ):
            manifest.warning = f"{path} is not a dewire manifest of version {MANIFEST_VERSION}: every file is redone"
            manifest.signed = isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT
            return manifest
        for key, value in data["files"].items():
            entry = ManifestEntry.from_json(value)
            if entry is not None:
                manifest.files[key] = entry
        manifest._replay()
        return manifest

    def _replay(self) -> None:
        """Apply the journal's entries over :attr:`files`, in order (see the module docstring)."""
        try:
            data = self.journal_path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as err:
            self.warning = f"cannot read {self.journal_path} ({err.strerror or err}): its entries are redone"
            self.journal_signed = False
            return
        valid = data.rfind(b"\n") + 1  # a last line without its newline is torn: ignored, cut before the next append
        lines = data[:valid].split(b"\n")[:-1]
        header = _json_line(lines[0]) if lines else None
        if not isinstance(header, dict) or header.get("format") != JOURNAL_FORMAT:
            if not data:  # empty: a run killed right after creating it (nothing to prove, nothing to lose)
                self._journal_ours = True
                return
            self.warning = f"{self.journal_path} is not a dewire manifest journal: not read"
            self.journal_signed = False
            return
        self._journal_ours = True
        if header.get("version") != JOURNAL_VERSION:
            self.warning = f"{self.journal_path} is a manifest journal of another version: its entries are redone"
            return  # replaced by this run's first commit
        skipped = 0
        for line in lines[1:]:
            record = _json_line(line)
            entry = ManifestEntry.from_json(record.get("entry")) if isinstance(record, dict) else None
            if entry is None or not isinstance(record.get("file"), str):
                skipped += 1
                continue
            self.files[record["file"]] = entry
            self.journal_entries += 1
        if skipped:
            self.warning = f"{self.journal_path}: {skipped} line(s) could not be read: those files are redone"
        self._journal_valid = valid

    def done_entry(self, item: WorkItem, key: str, out_dir: Path) -> ManifestEntry | None:
        """The entry showing ``item`` (with its ``sha256``) finished with settings ``key`` and its outputs present, else ``None``."""
        entry = self.files.get(item.relative)
        if entry is None or entry.status != STATUS_DONE or item.sha256 is None:
            return None
        if entry.sha256 != item.sha256 or entry.settings != key:
            return None
        if entry.out_parent != item.out_parent or entry.stem != item.stem:
            return None
        if not entry.outputs or not all((out_dir / rel).is_file() for rel in entry.outputs):
            return None
        return entry

    def record(self, item: WorkItem, outcome: Outcome, settings: str) -> ManifestEntry:
        """Store (and return) the entry for ``outcome``; it reaches the disk with the next :meth:`save`."""
        entry = ManifestEntry.of(item, outcome, settings)
        self.files[item.relative] = entry
        self._pending.append(item.relative)
        return entry

    def save(self) -> None:
        """Commit what was recorded since the last commit: append it to the journal and ``fsync`` it
        (O(new entries)); compact (:meth:`compact`) when the journal has grown as large as the snapshot.

        Raises:
            OutputError: the journal (or the snapshot, when compacting) cannot be written.
        """
        self._append()
        if self.journal_entries >= max(COMPACT_MIN_ENTRIES, len(self.files)):
            self.compact()

    def compact(self) -> None:
        """Write the snapshot atomically with every entry, then delete the journal (end of a run).

        Pending entries are appended to the journal first, so that a kill
        between the snapshot's replace and the journal's removal leaves a
        journal whose replay gives the same record. The snapshot replaces
        the file at :attr:`path` (the driver has checked, before the run,
        that it is dewire's — signed or recorded — or that ``force`` was
        given); the journal is deleted only when it carries the journal
        header (or ``force`` was given, :attr:`signed`).

        Raises:
            OutputError: a file cannot be written.
        """
        from translate.writers.atomic import atomic_write_text

        if self._journal_ours:
            self._append()  # (without a journal, pending entries go straight into the snapshot)
        self._pending.clear()
        data = {
            "format": MANIFEST_FORMAT,
            "version": MANIFEST_VERSION,
            "dewire": __version__,
            "updated": now(),
            "settings": self.settings,
            "files": {key: entry.to_json() for key, entry in sorted(self.files.items())},
        }
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=True, indent=1) + "\n", force=True)
        if self._journal_ours:
            try:
                self.journal_path.unlink()
            except FileNotFoundError:
                pass
            except OSError as err:
                from translate.errors import OutputError

                raise OutputError(f"cannot remove {self.journal_path}: {err.strerror or err}") from err
            fsync_directory(self.path.parent)
        self._journal_valid = None
        self._journal_ours = False
        self.journal_entries = 0

    def _append(self) -> None:
        """Append the pending entries (one JSON line each) to the journal, creating it with its header if needed."""
        if not self._pending:
            return
        from translate.errors import OutputError

        lines = []
        if not self._journal_valid:  # a new (or empty, or replaced) journal starts with its header
            header = {"format": JOURNAL_FORMAT, "version": JOURNAL_VERSION, "dewire": __version__, "started": now(), "snapshot": self.path.name}
            lines.append(json.dumps(header, ensure_ascii=True))
        lines.extend(json.dumps({"file": rel, "entry": self.files[rel].to_json()}, ensure_ascii=True) for rel in dict.fromkeys(self._pending))
        payload = ("\n".join(lines) + "\n").encode("ascii")
        try:
            if self._journal_valid is None:
                # A new journal, or one this run may replace: ours (another version's, empty) or, with
                # --force, a foreign file the driver was told to replace.
                flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
                fd = os.open(self.journal_path, flags, 0o644)
                valid = 0
            else:
                fd = os.open(self.journal_path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
                valid = self._journal_valid
                os.ftruncate(fd, valid)  # cut a torn last line left by a killed run
            try:
                os.lseek(fd, valid, os.SEEK_SET)
                view = memoryview(payload)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as err:
            raise OutputError(f"cannot write {self.journal_path}: {err.strerror or err}") from err
        if self._journal_valid is None:
            fsync_directory(self.path.parent)
            self.journal_entries = 0
        self._journal_valid = valid + len(payload)
        self._journal_ours = True
        self.journal_entries += len(lines) - (1 if valid == 0 else 0)
        self._pending.clear()


def _json_line(line: bytes) -> Any:
    """One JSON line parsed, or ``None`` if it does not parse."""
    try:
        return json.loads(line)
    except ValueError:
        return None
