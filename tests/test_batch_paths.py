"""Batch discovery and output paths (issues 7 and 8): what is found, what is skipped, where outputs go.

Decisions tested here (documented in :func:`translate.batch.discover`):
hidden files/folders are skipped; OUT is skipped even inside DIR; symlinked
folders are never followed (so loops cannot hang); a symlinked file is taken
only when its target is inside DIR (a symlink to a file outside DIR is listed
as skipped with its reason); FIFOs are never opened; every output path lies
inside OUT, whatever the input names.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.test_batch_helpers import make_pipeline, write_articles
from translate.batch import discover, safe_component, translate_folder
from translate.errors import InputError

posix_only = pytest.mark.skipif(os.name != "posix", reason="symlinks/FIFOs/byte names need POSIX")


def rels(discovery) -> list[str]:
    return [f.relative for f in discovery.files]


def run(src: Path, out: Path, **kw):
    kw.setdefault("patterns", ("*.txt", "*.md"))
    return translate_folder(src, out, pipeline=make_pipeline(), quiet=True, **kw)


# -- names -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bericht", "bericht"),
        ("Bericht über Köln", "Bericht über Köln"),
        ("..", "_"),
        (".hidden", "hidden"),
        ("a/b", "a_b"),
        ("a\\b", "a_b"),
        ("con:nect?*", "con_nect__"),
        ("tab\there\x00", "tab_here_"),
        ("bad\udcff\udcfebytes", "bad__bytes"),
        ("Cafe\u0301", "Café"),
        ("", "_"),
        ("   ", "_"),
    ],
)
def test_safe_component(name: str, expected: str) -> None:
    assert safe_component(name) == expected


def test_safe_component_truncates_long_names() -> None:
    name = "ä" * 300
    safe = safe_component(name)
    assert len(safe.encode("utf-8")) <= 200 and safe == "ä" * 100


# -- discovery ---------------------------------------------------------------------
def test_recursive_patterns_hidden_and_case(tmp_path: Path) -> None:
    write_articles(tmp_path, ["a.txt", "B.TXT", "c.md", "d.rst", "sub/e.txt", ".hidden.txt", ".git/f.txt", "sub/.cache/g.txt"])
    assert rels(discover(tmp_path)) == ["B.TXT", "a.txt", "sub/e.txt"]  # default: *.txt only
    assert rels(discover(tmp_path, patterns=("*.txt", "*.md"))) == ["B.TXT", "a.txt", "c.md", "sub/e.txt"]
    assert rels(discover(tmp_path, patterns=("*.rst",))) == ["d.rst"]
    assert rels(discover(tmp_path, patterns=("sub/*.txt",))) == ["sub/e.txt"]


def test_out_inside_dir_is_skipped_and_not_retranslated(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "b.txt"])
    out = src / "english"
    first = run(src, out)
    assert first.ok and [i.relative for i in first.items] == ["a.txt", "b.txt"]
    assert (out / "a.en.txt").is_file()
    second = run(src, out, force=True)
    assert [i.relative for i in second.items] == ["a.txt", "b.txt"]
    assert not (out / "english").exists()
    # Also when OUT is given through another spelling of the same folder.
    assert rels(discover(src, tmp_path / "in" / "." / "english")) == ["a.txt", "b.txt"]


def test_out_equal_to_dir_does_not_translate_its_own_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "notes.md"])
    first = run(src, src)
    assert first.ok and (src / "a.en.txt").is_file() and (src / "notes.brief.md").is_file()
    second = run(src, src)
    assert [(i.relative, i.status) for i in second.items] == [("a.txt", "skipped"), ("notes.md", "skipped")]


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a folder"):
        translate_folder(tmp_path / "nope", tmp_path / "out", pipeline=make_pipeline(), quiet=True)


@posix_only
def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "sub/b.txt"])
    (src / "sub" / "loop").symlink_to(src, target_is_directory=True)
    (src / "self").symlink_to(src / "self")  # a symlink to itself
    (src / "again").symlink_to(src / "sub", target_is_directory=True)
    found = discover(src)
    assert rels(found) == ["a.txt", "sub/b.txt"]
    report = run(src, tmp_path / "out")
    assert report.ok and [i.relative for i in report.items] == ["a.txt", "sub/b.txt"]


@posix_only
def test_symlinked_files_inside_taken_outside_skipped(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt"])
    outside = tmp_path / "secret.txt"
    write_articles(tmp_path, ["secret.txt"])
    (src / "leak.txt").symlink_to(outside)
    (src / "alias.txt").symlink_to(src / "a.txt")
    (src / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    found = discover(src)
    assert rels(found) == ["a.txt", "alias.txt"]
    assert {i.relative: i.reason for i in found.ignored} == {
        "dangling.txt": "broken symlink (or a symlink loop): not followed",
        "leak.txt": "symlink to a file outside the input folder: not followed",
    }
    report = run(src, tmp_path / "out")
    statuses = {i.relative: (i.status, i.reason) for i in report.items}
    assert statuses["leak.txt"][0] == "skipped" and "outside" in statuses["leak.txt"][1]
    assert statuses["alias.txt"][0] == "done"
    assert report.ok  # a skipped symlink is not a failure
    assert "secret" not in " ".join(p.name for p in (tmp_path / "out").iterdir())


@posix_only
def test_fifo_is_never_opened(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt"])
    os.mkfifo(src / "pipe.txt")
    report = run(src, tmp_path / "out")
    statuses = {i.relative: (i.status, i.reason) for i in report.items}
    assert statuses["a.txt"][0] == "done"
    assert statuses["pipe.txt"][0] == "skipped" and "not a regular file" in statuses["pipe.txt"][1]


# -- output names -----------------------------------------------------------------------
def test_colliding_stems_get_distinct_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "a.md", "b.de.txt", "sub/x.txt"])
    files = {f.relative: (f.out_parent, f.stem) for f in discover(src, patterns=("*.txt", "*.md")).files}
    assert files == {"a.md": (".", "a.md"), "a.txt": (".", "a.txt"), "b.de.txt": (".", "b"), "sub/x.txt": ("sub", "x")}
    report = run(src, tmp_path / "out")
    assert report.ok
    assert (tmp_path / "out" / "a.md.en.txt").is_file() and (tmp_path / "out" / "a.txt.en.txt").is_file()


@posix_only
@pytest.mark.skipif(sys.platform == "darwin", reason="APFS refuses names that are not UTF-8")
def test_unicode_spaces_and_undecodable_names(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["Bericht über Köln.txt", "sub dir/ä b.txt"])
    raw = os.fsencode(src) + b"/caf\xe9-latin1.txt"
    with open(raw, "wb") as handle:
        handle.write("Titel\n\nEin kurzer Satz steht hier.\n".encode("utf-8"))
    out = tmp_path / "out"
    report = run(src, out)
    assert report.ok, [(i.relative, i.reason) for i in report.items]
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.en.txt"))
    assert names == ["Bericht über Köln.en.txt", "caf_-latin1.en.txt", "sub dir/ä b.en.txt"]
    assert (out / "index.html").read_text(encoding="utf-8").count("\ufffd") >= 1  # the undecodable byte, shown
    again = run(src, out)
    assert [i.status for i in again.items] == ["skipped"] * 3


@posix_only
def test_outputs_never_escape_out_through_a_symlink_in_out(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "sub/b.txt"])
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    report = run(src, out)
    statuses = {i.relative: (i.status, i.reason) for i in report.items}
    assert statuses["a.txt"][0] == "done"
    assert statuses["sub/b.txt"][0] == "failed" and "outside" in statuses["sub/b.txt"][1]
    assert list(elsewhere.iterdir()) == []
    assert report.ok is False


def test_every_output_lies_inside_out(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "x/y/z.txt", "x/we:ird/c.txt", "-rf.txt"])
    out = tmp_path / "out"
    report = run(src, out)
    assert report.ok
    root = out.resolve()
    for item in report.items:
        for path in item.outputs:
            assert path.resolve().is_relative_to(root), path
    assert (out / "x" / "we_ird" / "c.en.txt").is_file()
