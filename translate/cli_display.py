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
from typing import Any, Sequence

from translate.batch.report import STATUS_DONE, STATUS_FAILED, STATUS_SKIPPED, BatchItem, BatchReport
from translate.document import FLAG_UNSUPPORTED
from translate.events import BatchStarted, DocumentDone, DocumentRead, Event, ItemSettled, ModelsReady, Notice, SentencesTranslated


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class BatchDisplay:
    """Batch mode's progress bar, per-file warnings and failures, and the final table on a rich console (stderr).

    Use it as the ``events`` callback of :func:`translate.batch.translate_folder`
    inside a ``with`` block, then call :meth:`summary` with the report. With
    ``quiet`` only warnings and failures are printed.
    """

    def __init__(self, console: Any = None, quiet: bool = False) -> None:
        self.quiet = quiet
        self.total = 0
        self.sentences = 0
        self.started = time.perf_counter()
        self._progress: Any = None
        self._task: Any = None
        if console is None:
            from rich.console import Console

            console = Console(stderr=True)
        self.console = console

    def __enter__(self) -> "BatchDisplay":
        return self

    def begin(self, total: int) -> None:
        """Prepare the bar for ``total`` documents (drawn at the first sign of progress)."""
        self.total = total
        if not self.quiet and self.total and self._progress is None:
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

    def _show(self) -> None:
        """Start drawing the bar at the first sign of progress (not before the models load:
        a missing model then gives its one-line error with no empty "0/N" bar above it)."""
        if self._progress is not None and not self._progress.live.is_started:
            self._progress.start()

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None and self._progress.live.is_started:
            self._progress.stop()

    def __call__(self, event: Event) -> None:
        """Show ``event`` (the events callback of a batch run)."""
        if isinstance(event, BatchStarted):
            self.begin(event.total)
        elif isinstance(event, SentencesTranslated):
            self.add_sentences(event.count)
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



def warn(message: str) -> None:
    """Print ``dewire: warning: MESSAGE`` (one line) on stderr."""
    sys.stderr.write(f"dewire: warning: {_one_line(message)}\n")
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
        from rich.markup import escape
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("[bold]Translating[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("sentences"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._progress.add_task(escape(self.label), total=self.total)
        self._progress.start()

    def _stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        held, self._held = self._held, []
        for line in held:
            warn(line)


def print_result(doc: Any, paths: Sequence[Path]) -> None:
    """The single-file summary on stdout: the brief, sentence and flag counts, the files written."""
    from rich.console import Console
    from rich.markup import escape

    from translate.reading import display_name

    console = Console()
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
