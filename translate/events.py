"""Events: how the library tells its caller what is happening, instead of printing.

The library never writes to stdout or stderr. Progress, warnings and
per-document results are small frozen records handed to an ``events``
callback (:data:`EventFn`) that the caller supplies; the CLI turns them into a
progress bar, warning lines and tables. A caller that passes no callback
sees nothing, and loses nothing it needs: every result is also returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

ProgressFn = Callable[[int], None]
"""Called with the number of items (sentences, sources) just finished — not a running total."""


@dataclass(frozen=True, slots=True)
class DocumentRead:
    """One input was read and segmented; ``document`` has its sentences (no targets yet)."""

    document: Any


@dataclass(frozen=True, slots=True)
class DocumentDone:
    """One document went through every stage (not yet written); ``document`` is final."""

    document: Any


@dataclass(frozen=True, slots=True)
class ModelsReady:
    """The models are loaded; translation starts now (a progress display may start its clock)."""


@dataclass(frozen=True, slots=True)
class SentencesTranslated:
    """``count`` more source sentences were translated."""

    count: int


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning for the reader, structured so that the printer adds the location once.

    Attributes:
        code: a short stable identifier: ``input`` (reading, encoding,
            language), ``translation``, ``brief``, ``manifest-ignored``,
            ``input-ignored``.
        message: one line, without the location.
        location: the file or input it concerns, if any (the printer adds it once).
    """

    code: str
    message: str
    location: str | None = None


@dataclass(frozen=True, slots=True)
class BatchStarted:
    """Batch mode: ``total`` input files were found (skipped ones included); work starts."""

    total: int


@dataclass(frozen=True, slots=True)
class ItemSettled:
    """Batch mode: one input file is settled (done, skipped or failed); ``item`` is its ``BatchItem``."""

    item: Any


@dataclass(frozen=True, slots=True)
class GroupCommitted:
    """Batch mode: an engine finished a group of documents; the driver commits the manifest now."""


Event = DocumentRead | DocumentDone | ModelsReady | SentencesTranslated | Notice | BatchStarted | ItemSettled | GroupCommitted
"""Every event the library emits."""

EventFn = Callable[[Event], None]
"""An event callback."""


def emit(events: EventFn | None, event: Event) -> None:
    """Call ``events`` with ``event`` when a callback is given."""
    if events is not None:
        events(event)
