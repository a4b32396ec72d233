"""Batch folder mode (issue 7): outputs, failures, resume, interrupt, OOM, digest, memory.

The translator is :class:`~translate.mt.echo.EchoTranslator` (through a
subclass that can fail on command and counts calls): these tests are about
the batch machinery, not the model. The tiny real Marian model is used in
tests/test_batch_cli.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_batch_helpers import (
    CountingTranslator,
    Unreadable,
    make_pipeline,
    manifest,
    tmp_files,
    write_articles,
)
from translate.batch import (
    INDEX_NAME,
    MANIFEST_NAME,
    BatchItem,
    translate_folder,
)

FORMATS = ("html", "jsonl", "txt", "brief")
SUFFIXES = (".report.html", ".aligned.jsonl", ".en.txt", ".brief.md", ".brief.json")


WITH_MD = ("*.txt", "*.md")
"""The article folders here hold a Markdown file too (the default --glob is *.txt)."""


def run(src: Path, out: Path, translator: CountingTranslator | None = None, **kw):
    pipeline = make_pipeline(translator)
    kw.setdefault("patterns", WITH_MD)
    report = translate_folder(src, out, pipeline=pipeline, quiet=True, **kw)
    return report, pipeline.translator


def by_rel(report) -> dict[str, BatchItem]:
    return {item.relative: item for item in report.items}


def outputs_of(out: Path, stem_path: str) -> list[Path]:
    return [out / f"{stem_path}{suffix}" for suffix in SUFFIXES]


def assert_complete(out: Path, stem_path: str) -> None:
    """All outputs of one document exist and are whole (JSONL parses line by line, HTML ends)."""
    for path in outputs_of(out, stem_path):
        assert path.is_file(), path
    for line in (out / f"{stem_path}.aligned.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)
    assert (out / f"{stem_path}.report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.fixture()
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    write_articles(folder, ["a.txt", "b.txt", "sub/c.de.txt", "sub/deeper/d.md"])
    return folder


# -- outputs and failures ----------------------------------------------------
def test_mixed_good_and_bad_files(src: Path, tmp_path: Path) -> None:
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text("   \n\t\n", encoding="utf-8")
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    out = tmp_path / "out"
    report, translator = run(src, out)
    items = by_rel(report)

    assert report.ok is False
    assert {r for r, i in items.items() if i.status == "done"} == {"a.txt", "b.txt", "sub/c.de.txt", "sub/deeper/d.md"}
    assert {r for r, i in items.items() if i.status == "failed"} == {"empty.txt", "blank.txt", "image.txt"}
    for rel in ("empty.txt", "blank.txt", "image.txt"):
        reason = items[rel].reason
        assert reason and "\n" not in reason and rel in reason, reason
        assert not list(out.glob(rel.rsplit(".", 1)[0] + ".*")), "a failed file wrote outputs"
    for stem in ("a", "b", "sub/c", "sub/deeper/d"):
        assert_complete(out, stem)
    assert items["a.txt"].sentences >= 6 and items["a.txt"].outputs
    # One batched translation: the four documents share model calls.
    assert translator.model_calls == 1
    data = manifest(out)
    assert data["files"]["image.txt"]["status"] == "failed"
    assert data["files"]["a.txt"]["status"] == "done"
    assert data["files"]["sub/c.de.txt"]["outputs"] == [f"sub/c{s}" for s in SUFFIXES]
    assert not tmp_files(out)


def test_unreadable_file_is_recorded_and_the_run_goes_on(src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 7: an unreadable (permission denied) file is failed with its one-line reason; the others are done."""
    locked = src / "sub" / "locked.txt"
    locked.write_text("Gesperrt\n\nDiese Datei darf niemand lesen.\n", encoding="utf-8")
    unreadable = Unreadable(monkeypatch)
    unreadable.add(locked)
    with pytest.raises(PermissionError):
        locked.read_bytes()  # the simulation works as chmod 000 would for a normal user
    out = tmp_path / "out"
    report, translator = run(src, out)
    items = by_rel(report)

    assert report.ok is False  # the CLI turns this into exit status 1
    assert items["sub/locked.txt"].status == "failed"
    reason = items["sub/locked.txt"].reason
    assert reason and "\n" not in reason and "sub/locked.txt" in reason, reason
    assert "permission denied" in reason.lower(), reason
    assert {r for r, i in items.items() if i.status == "done"} == {"a.txt", "b.txt", "sub/c.de.txt", "sub/deeper/d.md"}
    for stem in ("a", "b", "sub/c", "sub/deeper/d"):
        assert_complete(out, stem)
    assert not list(out.glob("sub/locked.*")), "a failed file wrote outputs"
    assert manifest(out)["files"]["sub/locked.txt"]["status"] == "failed"
    assert translator.model_calls == 1
    assert not tmp_files(out)

    # Readable again: the next run translates only that file.
    unreadable.discard(locked)
    again, translator = run(src, out)
    assert again.ok and by_rel(again)["sub/locked.txt"].status == "done"
    assert {i.relative for i in again.items if i.status == "skipped"} == {"a.txt", "b.txt", "sub/c.de.txt", "sub/deeper/d.md"}
    assert_complete(out, "sub/locked")


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    report, translator = run(tmp_path / "in", tmp_path / "out")
    assert report.ok and report.items == [] and translator.model_calls == 0
    assert (tmp_path / "out" / INDEX_NAME).is_file()


# -- resume ---------------------------------------------------------------------
def test_second_run_skips_everything_without_model_calls(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, t1 = run(src, out)
    assert first.ok and t1.model_calls > 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME and p.name != INDEX_NAME}

    second, t2 = run(src, out)
    assert second.ok
    assert [i.status for i in second.items] == ["skipped"] * 4
    assert t2.model_calls == 0 and t2.calls_attempted == 0
    assert {p: p.stat().st_mtime_ns for p in before} == before, "a skipped file's outputs were rewritten"
    assert by_rel(second)["a.txt"].sentences == by_rel(first)["a.txt"].sentences  # facts come from the manifest

    third, t3 = run(src, out, force=True)
    assert [i.status for i in third.items] == ["done"] * 4 and t3.model_calls > 0


def test_changed_content_or_settings_are_redone(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(src, out)
    (src / "b.txt").write_text("Neue Überschrift\n\nDer Text hat sich geändert.\n", encoding="utf-8")
    report, translator = run(src, out)
    statuses = {r: i.status for r, i in by_rel(report).items()}
    assert statuses == {"a.txt": "skipped", "b.txt": "done", "sub/c.de.txt": "skipped", "sub/deeper/d.md": "skipped"}
    assert [s for s, _ in translator.seen] == ["Neue Überschrift", "Der Text hat sich geändert."]
    assert "geändert" in (out / "b.en.txt").read_text(encoding="utf-8")

    # A deleted output makes its file due again.
    (out / "a.brief.md").unlink()
    report, _ = run(src, out)
    assert {r for r, i in by_rel(report).items() if i.status == "done"} == {"a.txt"}

    # Other settings (beam size, formats) redo everything.
    pipeline = make_pipeline(beams=2)
    report = translate_folder(src, out, pipeline=pipeline, quiet=True, patterns=WITH_MD)
    assert [i.status for i in report.items] == ["done"] * 4
    pipeline = make_pipeline(formats=("txt", "tsv"))
    report = translate_folder(src, out, pipeline=pipeline, quiet=True, patterns=WITH_MD)
    assert [i.status for i in report.items] == ["done"] * 4
    assert (out / "a.aligned.tsv").is_file()


def test_failed_files_are_retried(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (src / "late.txt").write_bytes(b"")
    report, _ = run(src, out)
    assert by_rel(report)["late.txt"].status == "failed"
    (src / "late.txt").write_text("Spät\n\nJetzt ist die Datei da.\n", encoding="utf-8")
    report, translator = run(src, out)
    assert by_rel(report)["late.txt"].status == "done" and report.ok
    assert translator.model_calls == 1


# -- interrupt --------------------------------------------------------------------
def test_interrupt_leaves_no_partial_files_and_resumes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    names = [f"doc{i:02d}.txt" for i in range(8)]
    write_articles(src, names)
    out = tmp_path / "out"
    # One document per group (6 sentences each, group of 6): the third group's model call is interrupted.
    translator = CountingTranslator(raise_on_call=(3, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        run(src, out, translator, group_sentences=6)
    assert not tmp_files(out)
    finished = {rel for rel, e in manifest(out)["files"].items() if e["status"] == "done"}
    assert finished == {"doc00.txt", "doc01.txt"}
    for name in names:
        stem = name[:-4]
        if name in finished:
            assert_complete(out, stem)
        else:
            assert not list(out.glob(f"{stem}.*")), f"partial outputs of {name}"
    assert (out / INDEX_NAME).is_file()  # the digest of what is finished

    report, t2 = run(src, out, group_sentences=6)
    statuses = by_rel(report)
    assert [statuses[n].status for n in names] == ["skipped"] * 2 + ["done"] * 6
    # The finished documents' sentences never reached the model again.
    assert len(t2.seen) == sum(statuses[n].sentences for n in names[2:])
    for name in names:
        assert_complete(out, name[:-4])


def test_interrupt_between_documents(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen: list[str] = []

    def stop_after_two(item: BatchItem) -> None:
        seen.append(item.relative)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(src, out, group_sentences=1, on_item=stop_after_two)
    assert not tmp_files(out)
    report, _ = run(src, out, group_sentences=1)
    assert [i.status for i in report.items][:2] == ["skipped", "skipped"]
    assert report.ok


def test_stale_temporary_files_are_removed(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".a.report.html.k3j4h5g6.tmp"
    stale.write_text("<html>half", encoding="utf-8")
    keep = out / "notes.tmp"
    keep.write_text("mine", encoding="utf-8")
    run(src, out)
    assert not stale.exists() and keep.exists()


# -- failures inside translation ------------------------------------------------------
def test_out_of_memory_halves_the_group(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "b.txt", "c.txt", "d.txt"], sentences=3)  # 4 sentences each
    (src / "long.txt").write_text("Lang\n\n" + "\n".join(f"Satz Nummer {i} ist hier." for i in range(12)) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    translator = CountingTranslator(oom_over=8)  # at most two 4-sentence documents fit
    report, _ = run(src, out, translator)
    items = by_rel(report)
    assert {r: i.status for r, i in items.items()} == {
        "a.txt": "done", "b.txt": "done", "c.txt": "done", "d.txt": "done", "long.txt": "failed"
    }
    assert "out of memory" in (items["long.txt"].reason or "")
    assert report.ok is False
    for stem in "abcd":
        assert_complete(out, stem)


def test_one_failing_document_does_not_fail_its_group(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "b.txt", "c.txt"])
    (src / "bad.txt").write_text("Böse\n\nDieser Satz enthält das GIFT.\n", encoding="utf-8")

    def poison(source: str, retry: bool) -> str:
        if "GIFT" in source:
            raise ValueError("the model cannot handle GIFT")
        return f"[en] {source}"

    report, _ = run(src, tmp_path / "out", CountingTranslator(fn=poison))
    items = by_rel(report)
    assert [items[n].status for n in ("a.txt", "b.txt", "c.txt")] == ["done"] * 3
    assert items["bad.txt"].status == "failed"
    assert "GIFT" in (items["bad.txt"].reason or "")


def test_index_lists_every_document_with_brief_and_link(src: Path, tmp_path: Path) -> None:
    from lxml import html as lxml_html

    (src / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "out"
    report, _ = run(src, out)
    assert report.index == out / INDEX_NAME
    page = (out / INDEX_NAME).read_text(encoding="utf-8")
    tree = lxml_html.fromstring(page)
    csp = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert not tree.xpath("//*[@src]") and not tree.xpath('//link[@rel="stylesheet"]')
    rows = tree.xpath("//table[@id='docs']/tbody/tr")
    assert [r.get("data-name") for r in rows] == ["a.txt", "b.txt", "broken.txt", "sub/c.de.txt", "sub/deeper/d.md"]
    data = manifest(out)["files"]
    titles = 0
    for row in rows:
        name = row.get("data-name")
        if name == "broken.txt":
            assert row.get("class") == "failed"
            assert by_rel(report)["broken.txt"].reason in row.text_content()
            continue
        links = row.xpath(".//a/@href")
        assert links and all(not h.startswith(("/", "http")) for h in links)
        assert (out / links[0]).is_file() and links[0].endswith(".report.html")
        text = " ".join(row.text_content().split())
        if data[name]["title"]:  # None when the first line is not a headline
            titles += 1
            assert " ".join(data[name]["title"].split()) in text
        assert data[name]["bullets"]
        for bullet in data[name]["bullets"]:
            assert " ".join(bullet.split()) in text
        assert row.get("data-sentences") == str(data[name]["sentences"])
        assert row.get("data-flags") == str(data[name]["flags"])
    assert titles >= 1
    # Sort controls for name, time and flags.
    keys = tree.xpath("//th/button/@data-key")
    assert {"name", "modified", "seconds", "flags"} <= set(keys)


def test_index_escapes_hostile_names_and_text(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    name = "<script>alert(1)<\u202e>.txt"
    (src / name).write_text("<b>Titel</b> & </script>\n\nDer Text <img src=x onerror=alert(1)> ist hier.\n", encoding="utf-8")
    out = tmp_path / "out"
    report, _ = run(src, out)
    assert report.ok
    page = (out / INDEX_NAME).read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img" not in page and "<b>" not in page
    assert page.count("<script>") == 1
    # The output name was made safe (no '<', '>' in file names).
    assert [p.name for p in out.glob("*.report.html")] == ["_script_alert(1)___.report.html"]


# -- memory ------------------------------------------------------------------------------
def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_memory_stays_flat_over_100_documents(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, [f"d{i:03d}.txt" for i in range(110)], sentences=12)
    rss: dict[int, int] = {}

    def sample(item: BatchItem) -> None:
        n = len(rss_done) + 1
        rss_done.append(item.relative)
        if n in (10, 110):
            rss[n] = _rss_kib()

    rss_done: list[str] = []
    report, _ = run(src, tmp_path / "out", group_sentences=64, on_item=sample)
    assert report.ok and len(rss_done) == 110
    grown_mib = (rss[110] - rss[10]) / 1024
    assert grown_mib < 24, f"RSS grew {grown_mib:.1f} MiB between document 10 and 110"


# -- jobs ----------------------------------------------------------------------------------
def test_jobs_two_gives_the_same_outputs(src: Path, tmp_path: Path) -> None:
    one, _ = run(src, tmp_path / "one")
    two = translate_folder(src, tmp_path / "two", pipeline=make_pipeline(), quiet=True, jobs=2, patterns=WITH_MD)
    assert two.ok and two.jobs == 2
    assert [(i.relative, i.status, i.sentences) for i in two.items] == [(i.relative, i.status, i.sentences) for i in one.items]
    for stem in ("a", "b", "sub/c", "sub/deeper/d"):
        assert_complete(tmp_path / "two", stem)
        assert (tmp_path / "two" / f"{stem}.en.txt").read_text(encoding="utf-8") == (tmp_path / "one" / f"{stem}.en.txt").read_text(encoding="utf-8")
    again = translate_folder(src, tmp_path / "two", pipeline=make_pipeline(), quiet=True, jobs=2, patterns=WITH_MD)
    assert [i.status for i in again.items] == ["skipped"] * 4


def test_interrupt_with_jobs_stops_the_workers(tmp_path: Path) -> None:
    import multiprocessing

    src = tmp_path / "in"
    write_articles(src, ["doc00.txt"])
    for i in range(1, 4):  # documents the slow model needs a minute for
        (src / f"doc{i:02d}.txt").write_text(f"Langsam {i}\n\nDieser Satz ist LANGSAM.\n", encoding="utf-8")
    out = tmp_path / "out"

    def stop(item: BatchItem) -> None:
        raise KeyboardInterrupt

    pipeline = make_pipeline(CountingTranslator(delay=60.0, slow_marker="LANGSAM"))
    before = set(multiprocessing.active_children())  # children of earlier tests are not this run's workers
    with pytest.raises(KeyboardInterrupt):
        translate_folder(src, out, pipeline=pipeline, quiet=True, jobs=2, group_sentences=1, on_item=stop)
    # The workers were terminated, not left to finish their minute-long documents.
    workers = [c for c in multiprocessing.active_children() if c not in before]
    for child in workers:
        child.join(timeout=20)
    assert not [c for c in workers if c.is_alive()]
    assert {rel for rel, e in manifest(out)["files"].items() if e["status"] == "done"} == {"doc00.txt"}
    assert not tmp_files(out)
    report, _ = run(src, out)
    assert report.ok and [i.status for i in report.items] == ["skipped", "done", "done", "done"]


def test_cli_display_shows_progress_and_table(src: Path, tmp_path: Path) -> None:
    from rich.console import Console

    (src / "bad.txt").write_bytes(b"")
    from translate.cli_display import BatchDisplay

    console = Console(record=True, width=200, force_terminal=False)
    with BatchDisplay(console) as display:
        report = translate_folder(src, tmp_path / "out", pipeline=make_pipeline(), events=display)
    display.summary(report)
    text = console.export_text()
    assert not report.ok
    for rel in ("a.txt", "sub/c.de.txt", "bad.txt"):
        assert rel in text
    assert "failed" in text and "sentences" in text
    assert "1 file(s) failed" in text


def test_the_library_prints_nothing(src: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A library-level run with warnings, a failure, an ignored manifest and a model load writes nothing to stdout/stderr."""
    (src / "bad.txt").write_bytes(b"")
    (src / "latin1.txt").write_bytes("Der Bürgermeister sagte, die Straße bleibe geschlossen.\n".encode("cp1252"))
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).write_text("not json", encoding="utf-8")
    events: list[object] = []
    report = translate_folder(src, out, pipeline=make_pipeline(), quiet=True, patterns=WITH_MD)
    again = translate_folder(src, out, pipeline=make_pipeline(), quiet=True, patterns=WITH_MD, force=True, events=events.append)
    assert not report.ok and not again.ok
    assert any(i.warnings for i in report.items)  # there was something to warn about
    assert events  # and the events carried it
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
