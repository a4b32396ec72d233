"""The digest page ``OUT/index.html``: one row per input of this run (see :mod:`translate.writers.index`)."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from translate.batch.discovery import Discovery
from translate.batch.manifest import Manifest
from translate.batch.work import STATUS_DONE, STATUS_FAILED, STATUS_SKIPPED, Outcome, mtime
from translate.errors import OutputError

INDEX_NAME = "index.html"
"""File name of the digest page inside OUT."""


def write_digest(
    out_dir: Path, discovery: Discovery, manifest: Manifest, outcomes: Mapping[str, Outcome], *, force: bool = False
) -> Path | None:
    """Write ``OUT/index.html`` for the files of this run.

    A file failed in this run shows its reason; a file done now or earlier
    shows its manifest entry; a file not reached (interrupted run) is left
    out; ignored entries are listed as skipped with their reason.

    Returns:
        The page written, or ``None`` if it cannot be written (the run's
        outputs stand without it).
    """
    from translate.writers.index import IndexEntry, write_index

    entries: list[IndexEntry] = []
    for file in discovery.files:
        entry = manifest.files.get(file.relative)
        outcome = outcomes.get(file.relative)
        if outcome is not None and outcome.status == STATUS_FAILED:
            entries.append(IndexEntry(name=file.relative, status=STATUS_FAILED, reason=outcome.reason, modified=mtime(file.path)))
            continue
        if entry is None:
            continue  # not reached (interrupted run)
        entries.append(
            IndexEntry(
                name=file.relative,
                status=STATUS_DONE if entry.status == STATUS_DONE else STATUS_FAILED,
                reason=entry.reason,
                href=entry.report_href,
                title=entry.title,
                title_de=entry.title_de,
                bullets=entry.bullets,
                sentences=entry.sentences,
                flags=entry.flags,
                seconds=entry.seconds,
                modified=entry.modified,
                warnings=len(entry.warnings),
                warning_texts=tuple(entry.warnings),
            )
        )
    for ignored in discovery.ignored:
        entries.append(IndexEntry(name=ignored.relative, status=STATUS_SKIPPED, reason=ignored.reason))
    try:
        return write_index(out_dir / INDEX_NAME, entries, force=force)
    except OutputError:
        return None
