"""What a batch run returns: a :class:`BatchItem` per input file and the :class:`BatchReport`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from translate.batch.work import STATUS_DONE, STATUS_FAILED, STATUS_SKIPPED, Outcome

__all__ = ["BatchItem", "BatchReport", "STATUS_DONE", "STATUS_FAILED", "STATUS_SKIPPED"]


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
        warnings: reading/translation warnings, one line each.
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

    @classmethod
    def of(cls, path: Path, outcome: Outcome, out_dir: Path, status: str | None = None) -> "BatchItem":
        """The item for ``outcome`` of the input ``path`` (outputs made absolute under ``out_dir``)."""
        return cls(
            path=path,
            relative=outcome.relative,
            status=status or outcome.status,
            reason=outcome.reason,
            sentences=outcome.sentences,
            flags=outcome.flags,
            seconds=outcome.seconds,
            outputs=tuple(out_dir / rel for rel in outcome.outputs),
            warnings=outcome.warnings,
            title=outcome.title,
        )


@dataclass(slots=True)
class BatchReport:
    """Result of :func:`translate.batch.translate_folder`.

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
