"""The resume record ``OUT/.dewire-manifest.json``: a typed entry per input, and the settings key.

A file is skipped on a later run when its entry says ``done`` with the same
content hash, the same settings key (:func:`settings_key`: everything that
determines the outputs) and the same output names, and its outputs still
exist. The manifest is written by the batch driver alone, atomically, so a
kill leaves the previous or the new one; engines never touch it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from translate import __version__
from translate.batch.work import STATUS_DONE, STATUS_FAILED, Outcome, WorkItem

if TYPE_CHECKING:
    from translate.pipeline import Pipeline

MANIFEST_NAME = ".dewire-manifest.json"
"""File name of the resume manifest inside OUT."""

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
        title, bullets: the brief (for the digest).
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
    """The resume record ``OUT/.dewire-manifest.json``.

    Layout (JSON, ASCII-only so any file name round-trips)::

        {"format": "dewire-batch-manifest", "version": 1, "dewire": "0.1.0",
         "updated": "2024-…Z", "settings": {KEY: {…settings_detail…}},
         "files": {"sub/a.txt": {…ManifestEntry…}}}

    Entries of files not seen in a run are kept (a later run with another
    ``--glob`` still resumes). Saved with an atomic replace.

    Attributes:
        path: the manifest file.
        files: relative input path → :class:`ManifestEntry`.
        settings: settings key → :func:`settings_detail` of this run.
        warning: why an existing manifest was ignored, or ``None``.
    """

    def __init__(self, path: Path, files: dict[str, ManifestEntry] | None = None) -> None:
        self.path = path
        self.files: dict[str, ManifestEntry] = files or {}
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
        for key, value in data["files"].items():
            entry = ManifestEntry.from_json(value)
            if entry is not None:
                manifest.files[key] = entry
        return manifest

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
        """Store (and return) the entry for ``outcome``."""
        entry = ManifestEntry.of(item, outcome, settings)
        self.files[item.relative] = entry
        return entry

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
            "updated": now(),
            "settings": self.settings,
            "files": {key: entry.to_json() for key, entry in sorted(self.files.items())},
        }
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=True, indent=1) + "\n")
