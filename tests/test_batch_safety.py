"""Issue 12 in batch mode: foreign files, start-up cleanup, one run per output folder, outputs never inputs.

The translator is the echo translator (tests/test_batch_helpers.py): these
tests are about which files a batch run may touch, not about the model.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.test_batch_helpers import make_pipeline, write_articles
from tests.test_bad_input import EXIT, assert_one_error, dewire  # noqa: F401 - fixture
from translate import ownership
from translate.batch import MANIFEST_NAME, translate_folder
from translate.errors import ForeignFileError, InputError
from translate.events import Notice

REPO = Path(__file__).resolve().parent.parent
posix_only = pytest.mark.skipif(os.name != "posix", reason="flock and signals need POSIX")


def run(src: Path, out: Path, **kw):
    return translate_folder(src, out, pipeline=make_pipeline(), quiet=True, **kw)


def statuses(report) -> dict[str, tuple[str, str | None]]:
    return {item.relative: (item.status, item.reason) for item in report.items}


# -- 1. a human translation beside the source, in place ---------------------------------------------------
def test_in_place_batch_refuses_to_replace_a_human_translation(tmp_path: Path) -> None:
    par = tmp_path / "par"
    write_articles(par, ["stadtrat.de.txt", "wetter.de.txt"])
    human = par / "stadtrat.en.txt"
    human.write_text("The city council (human translation).\n", encoding="utf-8")
    report = run(par, par, patterns=("*.de.txt",))
    got = statuses(report)
    assert got["wetter.de.txt"][0] == "done"  # one refused file never stops the others
    status, reason = got["stadtrat.de.txt"]
    assert status == "failed" and reason is not None
    assert f"'{human}' exists and was not written by dewire" in reason and "--force" in reason
    assert human.read_text(encoding="utf-8") == "The city council (human translation).\n"
    assert not (par / "stadtrat.report.html").exists()  # refused before any work: no other output either
    assert not report.ok
    # --force replaces it (and redoes the others)
    report = run(par, par, patterns=("*.de.txt",), force=True)
    assert statuses(report)["stadtrat.de.txt"][0] == "done"
    assert human.read_text(encoding="utf-8") != "The city council (human translation).\n"


def test_batch_cli_exit_code_for_a_refused_file(tmp_path: Path, dewire) -> None:
    par = tmp_path / "par"
    write_articles(par, ["stadtrat.de.txt"])
    (par / "stadtrat.en.txt").write_text("human\n", encoding="utf-8")
    run_ = dewire("translate", par, "-o", par, "--glob", "*.de.txt", "-q")
    assert run_.code == EXIT["ok"] + 1
    assert (par / "stadtrat.en.txt").read_text(encoding="utf-8") == "human\n"


# -- 2. start-up cleanup: only dewire's own temporaries of dead writers -------------------------------------
KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from translate.writers.atomic import StagedFiles
    StagedFiles().add(sys.argv[1], "<html>half")
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


@posix_only
def test_batch_start_up_removes_only_provably_stale_dewire_temporaries(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "sub/b.txt"])
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(out / "sub" / "b.report.html")], cwd=REPO, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == -signal.SIGKILL
    (dead,) = [n for n in os.listdir(out / "sub") if ownership.is_temporary_name(n)]
    users = [out / ".kapitel3.20240101.tmp", out / "sub" / ".a.report.html.k3j4h5g6.tmp", out / "sub" / ".dewire-abcdefgh.tmp"]
    thesis = out / "projects" / "thesis"
    thesis.mkdir(parents=True)
    users.append(thesis / ".kapitel3.20240101.tmp")
    for path in users:
        path.write_text("the user's", encoding="utf-8")
    report = run(src, out)
    assert report.ok
    assert not (out / "sub" / dead).exists()
    assert all(p.read_text(encoding="utf-8") == "the user's" for p in users)


# -- 4. two runs into one output folder ----------------------------------------------------------------------
BATCH = textwrap.dedent(
    """
    import sys
    from tests.test_batch_helpers import make_pipeline
    from translate.batch import translate_folder
    from translate.events import Notice
    def events(event):
        if isinstance(event, Notice) and event.code == "output-busy":
            print("waiting", flush=True)
    report = translate_folder(sys.argv[1], sys.argv[2], pipeline=make_pipeline(), events=events)
    sys.exit(0 if report.ok else 1)
    """
)


@posix_only
def test_a_second_run_waits_and_both_runs_are_in_the_manifest(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    write_articles(one, ["a.txt", "b.txt"])
    write_articles(two, ["c.txt", "d.txt"])
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with ownership.run_lock(out):  # a first run holds OUT
        procs = [
            subprocess.Popen([sys.executable, "-c", BATCH, str(src), str(out)], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
            for src in (one, two)
        ]
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "waiting"  # told, and waiting
        time.sleep(0.5)
        assert not (out / MANIFEST_NAME).exists()  # nothing written while the folder is held
    for proc in procs:
        assert proc.wait(timeout=300) == 0
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(data["files"]) == ["a.txt", "b.txt", "c.txt", "d.txt"]  # neither run's entries were lost
    index = (out / "index.html").read_text(encoding="utf-8")
    assert not (out / ownership.RUN_LOCK_NAME).exists()
    assert "c.txt" in index or "a.txt" in index


def test_the_wait_is_an_event(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt"])
    out = tmp_path / "out"
    out.mkdir()
    seen: list[Notice] = []
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with ownership.run_lock(out):
            held.set()
            release.wait(60)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(60)

    def events(event: object) -> None:
        if isinstance(event, Notice):
            seen.append(event)
            release.set()  # the waiting run was told: let the first one finish

    report = translate_folder(src, out, pipeline=make_pipeline(), events=events)
    thread.join(60)
    assert report.ok
    (busy,) = [n for n in seen if n.code == "output-busy"]
    assert "another dewire run (pid " in busy.message and "waiting" in busy.message


def test_a_manifest_dewire_did_not_write_is_not_replaced(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt"])
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).write_text("my notes, not json", encoding="utf-8")
    with pytest.raises(ForeignFileError, match="exists and was not written by dewire.*not a dewire manifest"):
        run(src, out)
    assert (out / MANIFEST_NAME).read_text(encoding="utf-8") == "my notes, not json"
    assert not (out / "a.report.html").exists()
    assert run(src, out, force=True).ok  # --force replaces it


def test_a_foreign_index_html_is_kept_and_reported(tmp_path: Path) -> None:
    src = tmp_path / "site"
    write_articles(src, ["a.txt"])
    (src / "index.html").write_text("<h1>my site</h1>", encoding="utf-8")
    notices: list[Notice] = []
    report = translate_folder(src, src, pipeline=make_pipeline(), events=lambda e: notices.append(e) if isinstance(e, Notice) else None)
    assert report.ok and report.index is None
    assert (src / "index.html").read_text(encoding="utf-8") == "<h1>my site</h1>"
    assert [n.code for n in notices] == ["digest-not-written"]


# -- 5. outputs and the manifest are never inputs --------------------------------------------------------------
def test_in_place_batch_with_glob_star_never_reads_its_own_outputs(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write_articles(folder, ["a.txt", "b.txt"])
    first = run(folder, folder, patterns=("*",))
    assert sorted(statuses(first)) == ["a.txt", "b.txt"]
    assert (folder / "index.html").is_file() and (folder / "a.report.html").is_file()
    second = run(folder, folder, patterns=("*",))
    assert statuses(second) == {"a.txt": ("skipped", None), "b.txt": ("skipped", None)}
    third = run(folder, folder, patterns=("*",), force=True)
    assert sorted(statuses(third)) == ["a.txt", "b.txt"]  # not index.html, not a report, not the manifest


# -- a batch that matches nothing ------------------------------------------------------------------------------
def test_a_batch_matching_no_file_is_one_line_and_exit_66(tmp_path: Path, dewire) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.md"])
    out = tmp_path / "out"
    with pytest.raises(InputError, match=r"no file matches '\*\.txt'"):
        run(src, out, patterns=("*.txt",))
    assert not out.exists()  # no empty output folder left behind
    run_ = dewire("translate", src, "-o", out)
    assert_one_error(run_, EXIT["input"], "no file matches '*.txt'", "--glob")
    assert not out.exists()


# -- terminal hygiene in the batch display ----------------------------------------------------------------------
def test_batch_display_escapes_file_names(tmp_path: Path, dewire) -> None:
    src = tmp_path / "in"
    write_articles(src, ["gut.txt"])
    (src / "a\x1b[2J\u202eb\nc.txt").write_bytes(b"")  # fails: empty
    run_ = dewire("translate", src, "-o", tmp_path / "out")
    assert run_.code == 1
    assert "a\\x1b[2J\\u202eb\\nc.txt" in run_.err
    assert not any(ch in run_.err for ch in "\x1b\u202e")
