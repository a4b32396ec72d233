"""The manifest's append-only journal: commits append, a torn last line is tolerated, compaction, old manifests.

See :mod:`translate.batch.manifest`: ``.dewire-manifest.json`` (the snapshot,
the layout of dewire 0.1/0.2) is rewritten only when the journal
``.dewire-manifest.journal`` is compacted; each commit appends and fsyncs
JSON lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_batch_helpers import make_pipeline, write_articles
from translate.batch import MANIFEST_NAME, BatchItem, WorkItem, translate_folder
from translate.batch import manifest as manifest_module
from translate.batch.manifest import JOURNAL_NAME, Manifest
from translate.batch.work import Outcome
from translate.errors import ForeignFileError


def _record(manifest: Manifest, names: list[str], status: str = "done") -> None:
    for name in names:
        item = WorkItem(path=Path(name), relative=name, out_parent=".", stem=Path(name).stem, sha256="0" * 64)
        manifest.record(item, Outcome(relative=name, status=status, outputs=(f"{Path(name).stem}.en.txt",), sentences=3, sha256="0" * 64), "key")


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="ascii").splitlines()]


def test_a_commit_appends_to_the_journal_and_leaves_the_snapshot_alone(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / MANIFEST_NAME)
    _record(manifest, ["a.txt", "b.txt"])
    manifest.save()
    journal = tmp_path / JOURNAL_NAME
    assert not (tmp_path / MANIFEST_NAME).exists()
    header, *entries = _lines(journal)
    assert header["format"] == "dewire-batch-journal" and header["version"] == 1
    assert [e["file"] for e in entries] == ["a.txt", "b.txt"]
    before = journal.read_bytes()
    _record(manifest, ["c.txt", "a.txt"])
    manifest.save()
    assert journal.read_bytes().startswith(before)  # appended, nothing rewritten
    assert [e["file"] for e in _lines(journal)[1:]] == ["a.txt", "b.txt", "c.txt", "a.txt"]
    loaded = Manifest.load(tmp_path / MANIFEST_NAME)
    assert sorted(loaded.files) == ["a.txt", "b.txt", "c.txt"] and loaded.journal_entries == 4 and loaded.warning is None


def test_a_torn_last_line_is_ignored_and_cut_before_the_next_append(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / MANIFEST_NAME)
    _record(manifest, ["a.txt", "b.txt"])
    manifest.save()
    journal = tmp_path / JOURNAL_NAME
    whole = journal.read_bytes()
    journal.write_bytes(whole + b'{"file": "c.txt", "entry": {"status": "do')  # killed in the middle of an append
    loaded = Manifest.load(tmp_path / MANIFEST_NAME)
    assert sorted(loaded.files) == ["a.txt", "b.txt"] and loaded.warning is None
    _record(loaded, ["d.txt"])
    loaded.save()
    assert journal.read_bytes().startswith(whole)
    assert [e["file"] for e in _lines(journal)[1:]] == ["a.txt", "b.txt", "d.txt"]  # every line parses again


def test_a_bad_line_inside_the_journal_costs_only_its_file(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / MANIFEST_NAME)
    _record(manifest, ["a.txt", "b.txt"])
    manifest.save()
    journal = tmp_path / JOURNAL_NAME
    lines = journal.read_bytes().split(b"\n")
    lines[1] = b"not json"
    journal.write_bytes(b"\n".join(lines))
    loaded = Manifest.load(tmp_path / MANIFEST_NAME)
    assert sorted(loaded.files) == ["b.txt"] and "1 line(s) could not be read" in (loaded.warning or "")


def test_compaction_writes_the_snapshot_and_removes_the_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest_module, "COMPACT_MIN_ENTRIES", 3)
    manifest = Manifest(tmp_path / MANIFEST_NAME)
    _record(manifest, ["a.txt", "b.txt"])
    manifest.save()
    assert (tmp_path / JOURNAL_NAME).exists() and not (tmp_path / MANIFEST_NAME).exists()
    _record(manifest, ["c.txt"])
    manifest.save()  # 3 journal entries ≥ max(3, 3 files): compacted during the run
    assert not (tmp_path / JOURNAL_NAME).exists()
    snapshot = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert snapshot["format"] == "dewire-batch-manifest" and sorted(snapshot["files"]) == ["a.txt", "b.txt", "c.txt"]
    _record(manifest, ["d.txt"])
    manifest.save()  # 1 entry < 4 files: appended
    assert [e["file"] for e in _lines(tmp_path / JOURNAL_NAME)[1:]] == ["d.txt"]
    manifest.compact()  # the end of a run
    assert not (tmp_path / JOURNAL_NAME).exists()
    assert sorted(Manifest.load(tmp_path / MANIFEST_NAME).files) == ["a.txt", "b.txt", "c.txt", "d.txt"]


def test_a_kill_between_snapshot_and_journal_removal_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = Manifest(tmp_path / MANIFEST_NAME)
    _record(manifest, ["a.txt"])
    manifest.save()
    _record(manifest, ["a.txt"], status="failed")  # pending, newer than the journal's line
    journal = tmp_path / JOURNAL_NAME
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self == journal:
            raise KeyboardInterrupt  # killed after the snapshot's replace, before the journal's removal
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(KeyboardInterrupt):
        manifest.compact()
    monkeypatch.undo()
    assert journal.exists() and (tmp_path / MANIFEST_NAME).exists()
    assert Manifest.load(tmp_path / MANIFEST_NAME).files["a.txt"].status == "failed"  # the pending entry was journaled first


# The layout dewire 0.2 (main before the journal) wrote: one JSON file, rewritten whole on each save.
OLD_MANIFEST = {
    "format": "dewire-batch-manifest",
    "version": 1,
    "dewire": "0.1.0",
    "updated": "2026-12-01T10:00:00Z",
    "settings": {"abc": {"dewire": "0.1.0"}},
    "files": {},
}


def test_a_manifest_from_0_2_is_read_and_resumed(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, ["a.txt", "b.txt", "c.txt"])
    first = translate_folder(src, out, pipeline=make_pipeline())
    assert first.ok and not (out / JOURNAL_NAME).exists()
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert set(data) == set(OLD_MANIFEST)  # the snapshot keeps 0.2's layout
    # Write it back as 0.2 did (indent 1, ASCII), minus c.txt: a 0.2 run that stopped after two files.
    del data["files"]["c.txt"]
    (out / MANIFEST_NAME).write_text(json.dumps(data, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")  # signed: accepted
    pipeline = make_pipeline()
    again = translate_folder(src, out, pipeline=pipeline)
    assert again.ok
    assert {i.relative: i.status for i in again.items} == {"a.txt": "skipped", "b.txt": "skipped", "c.txt": "done"}
    assert sorted(json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]) == ["a.txt", "b.txt", "c.txt"]


def test_resume_after_a_kill_mid_run_with_a_torn_journal_line(tmp_path: Path) -> None:
    """A run stopped after three files, its journal's last line torn: that file is redone, the others skipped."""
    src, out = tmp_path / "in", tmp_path / "out"
    names = [f"{i:02d}.txt" for i in range(6)]
    write_articles(src, names)
    seen: list[str] = []

    def stop_after_three(item: BatchItem) -> None:
        seen.append(item.relative)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        translate_folder(src, out, pipeline=make_pipeline(), group_sentences=1, group_docs=1, on_item=stop_after_three)
    # A kill (SIGKILL) runs no finally: recreate what it leaves, a journal and no snapshot, with a torn last line.
    snapshot = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    (out / MANIFEST_NAME).unlink()
    journal = out / JOURNAL_NAME
    header = {"format": "dewire-batch-journal", "version": 1, "dewire": "0.1.0", "started": "2026-12-06T00:00:00Z", "snapshot": MANIFEST_NAME}
    lines = [json.dumps(header)] + [json.dumps({"file": rel, "entry": snapshot["files"][rel]}) for rel in sorted(snapshot["files"])]
    assert len(lines) == 4  # three files finished
    journal.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][: len(lines[-1]) // 2], encoding="ascii")
    torn = sorted(snapshot["files"])[-1]

    pipeline = make_pipeline()
    report = translate_folder(src, out, pipeline=pipeline)
    assert report.ok
    statuses = {i.relative: i.status for i in report.items}
    assert {n for n, s in statuses.items() if s == "skipped"} == set(sorted(snapshot["files"])[:-1])
    assert statuses[torn] == "done" and sum(s == "done" for s in statuses.values()) == 4
    assert not journal.exists()  # compacted at the end of the run
    assert sorted(json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]) == names


def test_a_foreign_file_at_the_journal_name_is_refused_and_kept(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, ["a.txt"])
    out.mkdir()
    foreign = out / JOURNAL_NAME
    foreign.write_text("my notes\n", encoding="utf-8")
    with pytest.raises(ForeignFileError, match="not a dewire manifest journal"):
        translate_folder(src, out, pipeline=make_pipeline())
    assert foreign.read_text(encoding="utf-8") == "my notes\n"
    report = translate_folder(src, out, pipeline=make_pipeline(), force=True)  # --force replaces it
    assert report.ok and not foreign.exists()
