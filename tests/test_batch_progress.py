"""Batch progress and interrupts as the terminal shows them (issue 17, "Terminal").

- The bar counts sentences against the run's total, so it moves while a group is translated (not
  ``0/16 documents`` until the group ends); failed files are shown as failed, never as done.
- An interrupted run has written every finished group (outputs and manifest entries), and the CLI says
  how many documents are finished and written and how to resume.
- The repetition-retry pass is reported (events, and a second bar in the single-file display).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.test_batch_helpers import CountingTranslator, make_pipeline, manifest, write_articles
from translate.batch import MANIFEST_NAME, translate_folder
from translate.batch.work import STATUS_DONE, STATUS_FAILED
from translate.cli_display import BatchDisplay, SentenceProgress
from translate.events import DocumentRead, ItemSettled, RetryStarted, SegmentsRetried, SentencesTranslated


class StepTranslator(CountingTranslator):
    """Reports progress one source at a time (as a real backend reports batch by batch)."""

    def translate_batch(self, sources, *, retry=False, progress=None):  # type: ignore[override]
        out = []
        for source in sources:
            out.extend(super().translate_batch([source], retry=retry, progress=progress))
        return out


def _display() -> tuple[BatchDisplay, io.StringIO]:
    from rich.console import Console

    buffer = io.StringIO()
    return BatchDisplay(console=Console(file=buffer, width=200, force_terminal=False)), buffer


def test_bar_counts_sentences_against_the_run_total_and_failures_as_failed(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, ["a.txt", "b.txt", "c.txt"])
    (src / "bad.txt").write_bytes(b"\x00\x01\x02 binary \xff\xfe" * 50)
    display, buffer = _display()
    seen: list[tuple[int, int | None, int]] = []  # (completed, total, documents done) at each sentence event

    def events(event: object) -> None:
        display(event)  # type: ignore[arg-type]
        if isinstance(event, SentencesTranslated):
            task = display._progress.tasks[0]
            seen.append((int(task.completed), None if task.total is None else int(task.total), display.done))

    with display:
        report = translate_folder(src, out, pipeline=make_pipeline(StepTranslator()), events=events)
    assert [i.status for i in report.items] == [STATUS_DONE, STATUS_DONE, STATUS_FAILED, STATUS_DONE]  # a, b, bad, c
    total = sum(i.sentences for i in report.items)
    # One group holds the three articles: the bar moves sentence by sentence, with the run's total known,
    # before any document is finished (dewire 0.1 sat at 0/N documents until the group ended).
    moving = [(c, t) for c, t, done in seen if done == 0 and t is not None]
    assert len(moving) >= 3 and moving[0][0] < moving[-2][0] < moving[-1][0] <= total
    assert all(t == total for _, t in moving)
    task = display._progress.tasks[0]
    assert task.completed == task.total == total
    assert display.documents_line() == "3/4 docs, 1 failed"  # the failed file is not counted as done
    text = buffer.getvalue()
    for name in ("a.txt", "b.txt", "c.txt"):
        assert f"done: {name} (" in text  # each document's completion is shown as it finishes
    assert "failed: bad.txt" in text and "done: bad.txt" not in text


def test_total_is_estimated_for_documents_not_read_yet() -> None:
    display, _ = _display()
    display.begin(10)

    class Doc:
        def __init__(self, path: str, n: int) -> None:
            self.path, self.n_sentences = path, n

    assert display.estimated_total() is None  # nothing read: no total yet (no invented ETA)
    display(DocumentRead(Doc("a", 10)))
    display(DocumentRead(Doc("b", 30)))
    assert display.estimated_total() == 40 + 8 * 20  # two read (40 sentences), eight more at the mean of 20


def test_interrupt_after_the_first_group_leaves_its_outputs_and_manifest_entries(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, ["a.txt", "b.txt", "c.txt"])
    # One document per group; the translator is interrupted (Ctrl-C) in the second group.
    translator = CountingTranslator(raise_on_call=(2, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        translate_folder(src, out, pipeline=make_pipeline(translator), group_sentences=1)
    files = manifest(out)["files"]
    assert {rel for rel, entry in files.items() if entry["status"] == "done"} == {"a.txt"}
    assert (out / "a.en.txt").is_file() and (out / "a.report.html").is_file()
    assert not list(out.glob("b.*")) and not list(out.glob("c.*"))
    # the same command again resumes: a is skipped, b and c are done
    report = translate_folder(src, out, pipeline=make_pipeline(), group_sentences=1)
    assert [(i.relative, i.status) for i in report.items] == [("a.txt", "skipped"), ("b.txt", "done"), ("c.txt", "done")]


def test_cli_interrupt_says_what_is_written_and_how_to_resume(
    tmp_path: Path, tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from translate.batch import work
    from translate.cli import main

    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, ["a.txt", "b.txt", "c.txt"])
    real_fill, real_finish = work.fill_groups, work.finish_group
    calls = []

    def one_per_group(prepared, group_sentences, group_of=None):
        return real_fill(prepared, 1, group_of)

    def finish(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second group is translated
        yield from real_finish(*args, **kwargs)

    monkeypatch.setattr(work, "fill_groups", one_per_group)
    monkeypatch.setattr(work, "finish_group", finish)
    argv = ["translate", str(src), "-o", str(out), "--model", str(tiny_marian_dir), "--threads", "1", "--force"]
    assert main(argv) == 130
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = [line for line in captured.err.splitlines() if line.startswith("dewire: interrupted:")]
    assert len(lines) == 1, captured.err
    assert f"1 of 3 documents finished and written to {out}" in lines[0]
    assert "to resume, run the same command again: dewire translate" in lines[0]
    assert "(without --force" in lines[0] and " --force " not in lines[0].split("again:")[1].split("(")[0]
    assert (out / MANIFEST_NAME).is_file() and (out / "a.en.txt").is_file()


def test_retry_pass_is_reported_as_events_and_shown() -> None:
    looping = "the the the the the the the the"
    translator = CountingTranslator(fn=lambda s, retry: s if retry else looping)
    pipeline = make_pipeline(translator)
    doc = pipeline.read("x.txt", data="Der erste Satz ist hier. Der zweite Satz ist dort.\n".encode())
    events: list[object] = []
    (done,) = pipeline.process([doc], events.append)
    starts = [e for e in events if isinstance(e, RetryStarted)]
    assert [e.segments for e in starts] == [2]
    assert sum(e.count for e in events if isinstance(e, SegmentsRetried)) == 2
    assert events.index(starts[0]) > max(i for i, e in enumerate(events) if isinstance(e, SentencesTranslated))
    # the single-file display shows the pass as its own bar (the first stays at 100 %)
    display = SentenceProgress("x.txt", total=doc.n_sentences)
    display._start()
    try:
        for event in events:
            if isinstance(event, (RetryStarted, SegmentsRetried, SentencesTranslated)):
                display(event)  # type: ignore[arg-type]
        tasks = display._progress.tasks
        assert len(tasks) == 2 and "Retrying" in tasks[1].description
        assert tasks[1].total == tasks[1].completed == 2
    finally:
        display._stop()


def test_batch_retry_pass_reaches_the_events_and_moves_the_bar(tmp_path: Path) -> None:
    """Issue 17's leftover: in batch mode the retry pass's events are threaded through ``process_stream``."""
    from rich.console import Console

    from translate.batch import translate_folder
    from translate.cli_display import BatchDisplay

    src = tmp_path / "in"
    write_articles(src, ["a.txt", "b.txt"], sentences=2)
    looping = "the the the the the the the the"
    translator = CountingTranslator(fn=lambda s, retry: s if retry else looping)
    events: list[object] = []
    report = translate_folder(src, tmp_path / "out", pipeline=make_pipeline(translator, formats=("txt",)), events=events.append)
    assert report.ok
    starts = [i for i, e in enumerate(events) if isinstance(e, RetryStarted)]
    assert len(starts) == 1 and events[starts[0]].segments == report.sentences  # type: ignore[attr-defined]
    retried = [i for i, e in enumerate(events) if isinstance(e, SegmentsRetried)]
    assert sum(events[i].count for i in retried) == report.sentences  # type: ignore[attr-defined]
    settled = [i for i, e in enumerate(events) if isinstance(e, ItemSettled)]
    assert starts[0] < min(retried) and max(retried) < min(settled)  # during the group, before its documents settle
    # the batch bar says how far the pass is, then clears the note
    display = BatchDisplay(quiet=False, console=Console(file=io.StringIO(), force_terminal=False))
    shown = []
    with display:
        for event in events:
            display(event)  # type: ignore[arg-type]
            if isinstance(event, (RetryStarted, SegmentsRetried)):
                shown.append(display._progress.tasks[0].description)
    assert shown[0] == f"retrying {report.sentences}" and shown[-1] == ""  # the pass is shown, then the note cleared
