"""What the CLI shows while it works: progress bars, warning lines, tables (rich, on stderr).

The library never prints; it emits events (:mod:`translate.events`) and
returns results. The classes here turn those into a terminal display, for
``dewire`` only. Imported lazily by :mod:`translate.cli` (rich is light, but
``dewire --help`` needs none of it).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from translate.document import FLAG_UNSUPPORTED
from translate.events import (
    BatchStarted,
    DocumentDone,
    DocumentRead,
    Event,
    ItemSettled,
    ModelsReady,
    Notice,
    RetryStarted,
    SegmentsRetried,
    SentencesTranslated,
)

if TYPE_CHECKING:  # the batch package (its executors, manifest, queue, …) is imported only by a batch run
    from translate.batch.report import BatchItem, BatchReport


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _shown(text: object) -> str:
    """``text`` for the console: control characters, bidi overrides and newlines escaped (file names are
    data: issue 12), then rich markup escaped."""
    from rich.markup import escape

    from translate.terminal import printable

    return escape(printable(str(text)))


class BatchDisplay:
    """Batch mode's progress bar, per-document lines, warnings and failures, and the final table (rich, stderr).

    Use it as the ``events`` callback of :func:`translate.batch.translate_folder`
    inside a ``with`` block, then call :meth:`summary` with the report (or
    :meth:`interrupted` after Ctrl-C). With ``quiet`` only warnings and
    failures are printed.

    The bar counts **sentences** against the total of the run, so it moves
    (and its ETA means something) while a group of documents is translated,
    not only when documents finish. The total is the sentences of every
    document read so far plus, for the documents not read yet, their number
    times the mean sentences per document read (documents are read shortly
    before their group is translated, so the estimate firms up as the run
    goes; it is exact once every document is read). Beside the bar:
    documents done and failed out of those to do; a line per document as it
    finishes (``done`` or ``failed``, never a failure counted as done).
    """

    def __init__(self, console: Any = None, quiet: bool = False) -> None:
        self.quiet = quiet
        self.total = 0  # input files found (skipped ones included)
        self.sentences = 0  # sentences translated so far in this run
        self.started = time.perf_counter()
        self.done = 0  # documents finished and written in this run
        self.failed = 0
        self.skipped = 0  # finished in an earlier run (or not taken)
        self._read: dict[str, int] = {}  # input path → sentences, documents read and not settled yet
        self._read_settled = 0  # sentences of settled documents that were read (or reported done)
        self._docs_read = 0
        self._progress: Any = None
        self._task: Any = None
        self._retry_task: Any = None
        if console is None:
            from rich.console import Console

            console = Console(stderr=True)
        self.console = console

    def __enter__(self) -> "BatchDisplay":
        return self

    def begin(self, total: int) -> None:
        """Prepare the bar for ``total`` input files (drawn at the first sign of progress)."""
        self.total = total
        if not self.quiet and self.total and self._progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(  # fits 80 columns (a pipe's width)
                TextColumn("[bold]{task.description}[/]"),
                BarColumn(bar_width=12),
                MofNCompleteColumn(),
                TextColumn("sentences · {task.fields[documents]} ·"),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )
            self._task = self._progress.add_task("", total=None, documents="")

    @property
    def to_do(self) -> int:
        """Documents this run translates (found minus skipped)."""
        return max(0, self.total - self.skipped)

    def _show(self) -> None:
        """Start drawing the bar at the first sign of progress (not before the models load:
        a missing model then gives its one-line error with no empty bar above it)."""
        if self._progress is not None and not self._progress.live.is_started:
            self._progress.start()

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None and self._progress.live.is_started:
            self._progress.stop()

    def __call__(self, event: Event) -> None:
        """Show ``event`` (the events callback of a batch run)."""
        if isinstance(event, BatchStarted):
            self.begin(event.total)
        elif isinstance(event, DocumentRead):
            self._read[str(event.document.path)] = event.document.n_sentences
            self._docs_read += 1
            self._refresh()
        elif isinstance(event, SentencesTranslated):
            self.add_sentences(event.count)
        elif isinstance(event, RetryStarted):
            self._retry(event.segments)
        elif isinstance(event, SegmentsRetried):
            self._retried(event.count)
        elif isinstance(event, ItemSettled):
            self.item(event.item)
        elif isinstance(event, ModelsReady):
            self.start_clock()
        elif isinstance(event, Notice):
            self.note(notice_line(event))

    def start_clock(self) -> None:
        """Start timing sentences/s now (after the models are loaded), and show the bar."""
        self.started = time.perf_counter()
        self._show()
        self._refresh()

    def add_sentences(self, n: int) -> None:
        self.sentences += n
        self._show()
        self._refresh()

    def _retry(self, segments: int) -> None:
        self._retry_total, self._retry_done = segments, 0
        if self._progress is not None:
            self._progress.update(self._task, description=f"retrying {segments}")

    def _retried(self, count: int) -> None:
        """The retry pass moves: ``retrying done/total``, cleared when it is over."""
        self._retry_done = getattr(self, "_retry_done", 0) + count
        total = getattr(self, "_retry_total", 0)
        if self._progress is not None:
            self._progress.update(self._task, description="" if self._retry_done >= total else f"retrying {self._retry_done}/{total}")
        self._refresh()

    def estimated_total(self) -> int | None:
        """Sentences this run translates: known for documents read, estimated for the rest (``None``: no document read yet)."""
        known = self._read_settled + sum(self._read.values())
        docs_known = self._docs_read
        if docs_known == 0:
            return None
        unread = max(0, self.to_do - self.done - self.failed - len(self._read))
        return known + round(unread * known / docs_known)

    def item(self, item: BatchItem) -> None:
        """One file settled: a line for it (done or failed) above the bar, and the counts."""
        from translate.batch.report import STATUS_DONE, STATUS_FAILED
        read = self._read.pop(str(item.path), None)
        if item.status == STATUS_DONE:
            self.done += 1
            if read is None:  # an engine that reports documents only when done (e.g. the process pool)
                self._docs_read += 1
            self._read_settled += item.sentences if read is None else read
        elif item.status == STATUS_FAILED:
            self.failed += 1
            if read is not None:  # its sentences will not be translated: out of the total
                self._docs_read -= 1
        else:
            self.skipped += 1
        for warning in item.warnings if item.status == STATUS_DONE else ():
            self.console.print(f"[yellow]warning:[/] {_shown(item.relative)}: {_shown(_one_line(warning))}", highlight=False, soft_wrap=True)
        if item.status == STATUS_FAILED:
            self.console.print(f"[red]failed:[/] {_shown(item.relative)}: {_shown(item.reason or '')}", highlight=False, soft_wrap=True)
        elif item.status == STATUS_DONE and not self.quiet:
            flagged = f", {item.flags} flagged" if item.flags else ""
            self.console.print(f"[green]done:[/] {_shown(item.relative)} ({item.sentences} sentences{flagged})", highlight=False, soft_wrap=True)
        if self._progress is not None:
            self._progress.update(self._task, description="")
        self._refresh()

    def note(self, text: str) -> None:
        self.console.print(f"[yellow]warning:[/] {_shown(text)}", highlight=False, soft_wrap=True)

    def documents_line(self) -> str:
        """``3/16 docs`` (with ``, 1 failed`` when any failed), for the bar."""
        line = f"{self.done}/{self.to_do} docs"
        return line + (f", {self.failed} failed" if self.failed else "")

    def _refresh(self) -> None:
        if self._progress is None:
            return
        total = self.estimated_total()
        if total is not None:
            total = max(total, self.sentences)
        if self.to_do and self.done + self.failed >= self.to_do:
            total = self.sentences  # every document settled: the run's work is complete
        self._progress.update(self._task, completed=self.sentences, total=total, documents=self.documents_line())

    def interrupted(self, out_dir: object, command: str) -> str:
        """The message after an interrupt: what is finished and written, and how to resume (one line, returned)."""
        if not self.total:
            return f"interrupted before any document was translated; to start again, run the same command: {command}"
        earlier = f" ({self.skipped} from an earlier run)" if self.skipped else ""
        failed = f"; {self.failed} failed" if self.failed else ""
        return (
            f"interrupted: {self.done + self.skipped} of {self.total} documents finished and written to "
            f"{out_dir}{earlier}{failed}; to resume, run the same command again: {command}"
        )

    def summary(self, report: BatchReport) -> None:
        if self.quiet:
            return
        from rich.table import Table

        from translate.batch.report import STATUS_DONE, STATUS_FAILED, STATUS_SKIPPED

        table = Table(title=f"dewire batch: {_shown(report.out_dir)}", show_lines=False)
        table.add_column("file", overflow="fold")
        table.add_column("sentences", justify="right")
        table.add_column("flags", justify="right")
        table.add_column("seconds", justify="right")
        table.add_column("status")
        style = {STATUS_DONE: "green", STATUS_SKIPPED: "dim", STATUS_FAILED: "red"}
        for item in report.items:
            table.add_row(
                _shown(item.relative),
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
                self.console.print(f"  {_shown(item.relative)}: {_shown(item.reason or '')}", highlight=False, soft_wrap=True)
        rate = report.sentences / report.seconds if report.seconds else 0.0
        line = (
            f"{report.count(STATUS_DONE)} translated, {report.count(STATUS_SKIPPED)} skipped, "
            f"{len(failed)} failed; {report.sentences} sentences in {report.seconds:.1f} s ({rate:.1f}/s)"
        )
        self.console.print(line, highlight=False)
        if report.index is not None:
            self.console.print(f"digest: {_shown(str(report.index))}", highlight=False)



def warn(message: str) -> None:
    """Print ``dewire: warning: MESSAGE`` (one line, control characters and bidi overrides escaped) on stderr."""
    from translate.terminal import printable

    sys.stderr.write(f"dewire: warning: {printable(_one_line(message))}\n")
    sys.stderr.flush()


def notice_line(event: Notice) -> str:
    """A notice as printed: its location (once) and message."""
    from translate.reading import display_name

    return f"{display_name(event.location)}: {event.message}" if event.location else event.message


class SentenceProgress:
    """A progress bar over the sentences of one document or test set, with warnings printed around it.

    Use it as the ``events`` callback of :meth:`translate.pipeline.Pipeline.run`
    or :func:`translate.evaluate.evaluate`. Warnings that arrive before the
    bar are printed at once; those that arrive while it runs are printed after
    it stops, so the bar is never interleaved with text. Nothing is drawn
    until the models are loaded (a missing model gives its one-line error
    alone) and nothing at all with ``quiet`` (warnings still are).

    Args:
        label: what is translated, shown next to the bar (replaced by the document's name when it is read).
        total: sentences to translate, if known before :class:`DocumentRead`.
        quiet: no bar.
        show_warnings: print warnings (``False`` when the caller prints them).
    """

    def __init__(self, label: str, *, total: int = 0, quiet: bool = False, show_warnings: bool = True) -> None:
        self.label = label
        self.total = total
        self.quiet = quiet
        self.show_warnings = show_warnings
        self._progress: Any = None
        self._task: Any = None
        self._retry_task: Any = None
        self._held: list[str] = []

    def __enter__(self) -> "SentenceProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def __call__(self, event: Event) -> None:
        """Show ``event``."""
        if isinstance(event, DocumentRead):
            self.label = event.document.name
            self.total = event.document.n_sentences
        elif isinstance(event, ModelsReady):
            self._start()
        elif isinstance(event, SentencesTranslated):
            if self._progress is None and not self.quiet:
                self._start()
            if self._progress is not None:
                self._progress.advance(self._task, event.count)
        elif isinstance(event, RetryStarted):
            if self._progress is not None:
                self._retry_task = self._progress.add_task(
                    "[bold]Retrying[/] repetitions", total=event.segments, unit="segments"
                )
        elif isinstance(event, SegmentsRetried):
            if self._progress is not None and self._retry_task is not None:
                self._progress.advance(self._retry_task, event.count)
        elif isinstance(event, Notice) and self.show_warnings:
            if self._progress is not None:
                self._held.append(notice_line(event))
            else:
                warn(notice_line(event))
        elif isinstance(event, DocumentDone):
            self._stop()

    def _start(self) -> None:
        if self.quiet or self.total == 0 or self._progress is not None:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._progress.add_task(f"[bold]Translating[/] {_shown(self.label)}", total=self.total, unit="sentences")
        self._progress.start()

    def _stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._retry_task = None
        held, self._held = self._held, []
        for line in held:
            warn(line)


def print_result(doc: Any, paths: Sequence[Path]) -> None:
    """The single-file summary on stderr: the brief, sentence and flag counts, the files written.

    stdout carries data only when it is asked for (``-o -``, ``--text``), so a
    pipe never receives status lines; this summary is status, for the person
    at the terminal.
    """
    from rich.console import Console
    from rich.markup import escape

    from translate.reading import display_name

    console = Console(stderr=True)
    brief = doc.brief
    if brief is not None:
        if brief.title:
            console.print(f"[bold]{escape(brief.title)}[/]")
        for bullet in brief.bullets:
            mark = " [yellow](unsupported)[/]" if FLAG_UNSUPPORTED in bullet.flags else ""
            console.print(f" • {escape(bullet.text)}{mark}")
        console.print()
    console.print(f"{doc.n_sentences} sentences, {doc.flagged} flagged for review, encoding {doc.encoding}.")
    for path in paths:
        console.print(f"  wrote {escape(display_name(path))}", soft_wrap=True)
