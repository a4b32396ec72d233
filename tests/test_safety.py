"""Issue 12, data safety: dewire only ever replaces or deletes files it can prove it wrote.

Also the errors that used to surface as "internal error", the exit-code split
(2 usage / 66 unreadable input), terminal hygiene of printed names and the
size messages. Each test failed on 0.1.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.faults import listing
from tests.test_bad_input import EXIT, GERMAN, assert_one_error, dewire, run_process  # noqa: F401 - fixture
from translate import ownership
from translate.errors import ForeignFileError, InputError, OutputError
from translate.pipeline import document_name
from translate.reading import read_source, too_big_message
from translate.terminal import printable
from translate.writers import check_output_folder, write_outputs
from translate.writers.atomic import atomic_write_text

REPO = Path(__file__).resolve().parent.parent
posix_only = pytest.mark.skipif(os.name != "posix", reason="flock, FIFOs and device nodes need POSIX")
FOUR = (".report.html", ".aligned.jsonl", ".en.txt", ".brief.md", ".brief.json")


def _corpus_pair(tmp_path: Path) -> tuple[Path, Path]:
    """The common corpus layout: ``par/NAME.de.txt`` beside a human translation ``par/NAME.en.txt``."""
    par = tmp_path / "par"
    par.mkdir()
    source = par / "stadtrat.de.txt"
    source.write_text(GERMAN, encoding="utf-8")
    human = par / "stadtrat.en.txt"
    human.write_text("The city council adopted new rules. (human translation)\n", encoding="utf-8")
    return source, human


def _no_model(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the model was loaded before the output folder was checked")


# ---------------------------------------------------------------------------
# 1. foreign files are never overwritten; 6. the output folder is checked first


def test_human_translation_beside_the_source_is_not_replaced(tmp_path: Path, dewire, monkeypatch: pytest.MonkeyPatch) -> None:
    source, human = _corpus_pair(tmp_path)
    before = human.read_bytes()
    import translate.mt

    with monkeypatch.context() as patch:
        patch.setattr(translate.mt, "load_translator", _no_model)  # refused before any model or translation
        run = dewire("translate", source, "-o", source.parent, "-q")
    line = assert_one_error(run, EXIT["output"], f"'{human}' exists and was not written by dewire", "--force", "-o")
    assert line.count("\n") == 0
    assert human.read_bytes() == before
    assert listing(source.parent) == ["stadtrat.de.txt", "stadtrat.en.txt"]  # nothing else written either

    # --force replaces it; dewire's own output is then replaced on the next run without --force
    assert dewire("translate", source, "-o", source.parent, "-q", "--force").code == 0
    assert human.read_bytes() != before
    assert dewire("translate", source, "-o", source.parent, "-q").code == 0
    # a person edits dewire's output: it is theirs now
    human.write_text(human.read_text(encoding="utf-8") + "Edited by hand.\n", encoding="utf-8")
    edited = human.read_bytes()
    run = dewire("translate", source, "-o", source.parent, "-q")
    assert_one_error(run, EXIT["output"], "stadtrat.en.txt' exists and was not written by dewire")
    assert human.read_bytes() == edited


def test_write_outputs_refuses_a_foreign_file_and_replaces_nothing(tmp_path: Path) -> None:
    doc = read_document_translated(tmp_path)
    out = tmp_path / "out"
    first = write_outputs(doc, out, ["txt", "html", "jsonl"])
    (out / "x.aligned.jsonl").unlink()
    (out / "x.aligned.jsonl").write_text("mine\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in first}
    with pytest.raises(ForeignFileError) as info:
        write_outputs(doc, out, ["txt", "html", "jsonl"])
    assert str(info.value).startswith(f"'{out / 'x.aligned.jsonl'}' exists and was not written by dewire")
    assert {p.name: p.read_bytes() for p in first} == before  # not even the dewire-owned ones were replaced
    assert listing(out) == sorted(before)  # no temporary left
    assert write_outputs(doc, out, ["jsonl"], force=True)
    assert (out / "x.aligned.jsonl").read_text(encoding="utf-8") != "mine\n"


def read_document_translated(tmp_path: Path):
    from translate.mt.echo import EchoTranslator
    from translate.pipeline import Options, Pipeline

    source = tmp_path / "x.txt"
    source.write_text(GERMAN, encoding="utf-8")
    pipeline = Pipeline(options=Options(use_cache=False), translator=EchoTranslator())
    return pipeline.run(source, None).document


def test_a_symlink_at_an_output_name_is_not_dewires(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "x.en.txt"
    link.symlink_to(target)
    with pytest.raises(ForeignFileError):
        atomic_write_text(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep"


def test_output_folder_is_checked_before_translating(tmp_path: Path, dewire, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "artikel.txt"
    source.write_text(GERMAN, encoding="utf-8")
    blocker = tmp_path / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    import translate.mt

    monkeypatch.setattr(translate.mt, "load_translator", _no_model)
    run = dewire("translate", source, "-o", blocker, "-q")
    assert_one_error(run, EXIT["output"], f"cannot create output folder '{blocker}'")
    run = dewire("translate", source, "-o", blocker / "sub" / "deeper", "-q")
    assert_one_error(run, EXIT["output"], "is not a folder")
    with pytest.raises(OutputError, match="permission denied"):
        monkeypatch.setattr(os, "access", lambda *a, **k: False)
        check_output_folder(tmp_path / "new", "artikel", ["txt"])
    assert not (tmp_path / "new").exists()  # nothing is created by the check


# ---------------------------------------------------------------------------
# 2. temporaries: only dewire's own, of dead writers, are removed

STAGE_AND_DIE = textwrap.dedent(
    """
    import os, signal, sys
    from translate.writers.atomic import StagedFiles
    staged = StagedFiles()
    staged.add(sys.argv[1], "x" * 100_000)
    if sys.argv[2] == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    print("staged", flush=True)
    sys.stdin.read()  # alive, holding its temporary, until told to go
    """
)


def _stage(target: Path, how: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", STAGE_AND_DIE, str(target), how],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _temporaries(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if ownership.is_temporary_name(n))


@posix_only
def test_a_killed_single_file_run_leaves_a_temporary_the_next_run_removes(tmp_path: Path, dewire) -> None:
    out = tmp_path / "out"
    out.mkdir()
    killed = _stage(out / "artikel.report.html", "die")
    killed.wait(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert len(_temporaries(out)) == 1  # what SIGKILL leaves behind
    # a user's files that look like temporaries, and one with dewire's shape that dewire never recorded
    user = out / ".kapitel3.20240101.tmp"
    user.write_text("thesis", encoding="utf-8")
    old_style = out / ".artikel.report.html.k3j4h5g6.tmp"
    old_style.write_text("?", encoding="utf-8")
    unrecorded = out / ".dewire-abcdefgh.tmp"
    unrecorded.write_text("not recorded", encoding="utf-8")
    source = tmp_path / "artikel.txt"
    source.write_text(GERMAN, encoding="utf-8")
    assert dewire("translate", source, "-o", out, "-q").code == 0
    assert _temporaries(out) == [unrecorded.name]
    assert user.read_text(encoding="utf-8") == "thesis" and old_style.exists()


@posix_only
def test_a_live_writers_temporary_is_never_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    alive = _stage(out / "a.report.html", "live")
    try:
        assert alive.stdout is not None and alive.stdout.readline().strip() == "staged"
        (mine,) = _temporaries(out)
        assert ownership.remove_stale_temporaries(out) == []
        atomic_write_text(out / "b.en.txt", "another process writes here meanwhile")
        assert _temporaries(out) == [mine]
    finally:
        alive.kill()
        alive.wait(timeout=60)
    assert ownership.remove_stale_temporaries(out) == [mine]  # its writer is gone now


def test_no_record_means_nothing_is_removed(tmp_path: Path) -> None:
    (tmp_path / ".dewire-abcdefgh.tmp").write_text("x", encoding="utf-8")
    assert ownership.remove_stale_temporaries(tmp_path) == []
    assert listing(tmp_path) == [".dewire-abcdefgh.tmp"] and not (tmp_path / ownership.RECORD_NAME).exists()


def test_a_user_file_with_the_drawn_temporary_name_is_never_recorded_or_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hostile test: the random name dewire draws already exists (a user's file): it is skipped, not recorded, never deleted."""
    import secrets

    from translate.writers.atomic import atomic_write_text

    user = tmp_path / ".dewire-aaaaaaaa.tmp"
    user.write_text("the user's own", encoding="utf-8")
    draws = iter("a" * 8 + "b" * 8)
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(draws))
    atomic_write_text(tmp_path / "x.en.txt", "English")
    assert "aaaaaaaa" not in (tmp_path / ownership.RECORD_NAME).read_text(encoding="ascii")
    ownership._CACHE.clear()
    assert ownership.remove_stale_temporaries(tmp_path) == []
    assert user.read_text(encoding="utf-8") == "the user's own"


def test_a_forged_or_identity_less_temporary_record_removes_nothing(tmp_path: Path) -> None:
    """A record line without the file's device/inode, or with another file's, proves nothing."""
    from translate.writers.atomic import atomic_write_text

    atomic_write_text(tmp_path / "a.txt", "eins")  # a real record
    user = tmp_path / ".dewire-abcdefgh.tmp"
    user.write_text("mine", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("x", encoding="utf-8")
    st = os.stat(other)
    with open(tmp_path / ownership.RECORD_NAME, "ab") as record:
        record.write(b'{"tmp": ".dewire-abcdefgh.tmp"}\n')
        record.write(f'{{"tmp": ".dewire-abcdefgh.tmp", "dev": {st.st_dev}, "ino": {st.st_ino}}}\n'.encode("ascii"))
    ownership._CACHE.clear()
    assert ownership.remove_stale_temporaries(tmp_path) == []
    assert user.read_text(encoding="utf-8") == "mine"


def test_record_survives_a_torn_line_and_is_compacted(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "a.txt", "eins")
    with open(tmp_path / ownership.RECORD_NAME, "ab") as record:
        record.write(b'{"file": "b.txt", "si')  # a writer killed mid-append
    ownership._CACHE.clear()
    atomic_write_text(tmp_path / "b.txt", "zwei")
    assert ownership.is_owned(tmp_path / "a.txt") and ownership.is_owned(tmp_path / "b.txt")
    for i in range(300):
        atomic_write_text(tmp_path / "a.txt", f"eins {i}")
    lines = (tmp_path / ownership.RECORD_NAME).read_text(encoding="ascii").splitlines()
    assert len(lines) < 300  # superseded lines were dropped
    ownership._CACHE.clear()
    assert ownership.is_owned(tmp_path / "a.txt") and ownership.is_owned(tmp_path / "b.txt")


# ---------------------------------------------------------------------------
# 3. device nodes, FIFOs and /dev/stdout are written in place, never replaced


@posix_only
@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_device_node_is_written_directly_not_replaced(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    before = os.stat(device)
    if device == "/dev/full":
        with pytest.raises(OutputError, match="^cannot write '/dev/full': No space left on device$"):
            atomic_write_text(device, "hypotheses\n")
    else:
        atomic_write_text(device, "hypotheses\n")
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert not [n for n in os.listdir("/dev") if n.startswith(".dewire-")]


@posix_only
def test_a_fifo_is_written_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "hyp.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    atomic_write_text(fifo, "eins\nzwei\n")
    reader.join(timeout=30)
    assert received == [b"eins\nzwei\n"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


@posix_only
def test_dev_stdout_redirected_to_a_file_is_appended_to_not_renamed_over(tmp_path: Path) -> None:
    target = tmp_path / "captured.txt"
    code = "from translate.writers.atomic import atomic_write_text\natomic_write_text('/dev/stdout', 'hyp\\n')\n"
    with open(target, "wb") as handle:
        handle.write(b"kept\n")
        handle.flush()
        proc = subprocess.run([sys.executable, "-c", code], stdout=handle, cwd=REPO, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0
    assert os.path.islink("/dev/stdout")  # still the link it was, not a regular file renamed over it
    assert target.read_bytes() == b"kept\nhyp\n"


@posix_only
def test_eval_output_to_dev_null_works(tiny_marian_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "t.de"
    ref = tmp_path / "t.en"
    src.write_text("Der Hund bellt.\nDie Katze schläft.\n", encoding="utf-8")
    ref.write_text("The dog barks.\nThe cat sleeps.\n", encoding="utf-8")
    run = run_process("eval", src, ref, "-o", "/dev/null", "--model", tiny_marian_dir, "--threads", "1", "-q")
    assert run.code == 0, run.err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    run = run_process("eval", src, ref, "-o", "/dev/full", "--model", tiny_marian_dir, "--threads", "1", "-q")
    assert_one_error(run, EXIT["output"], "cannot write '/dev/full': No space left on device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_eval_refuses_to_replace_a_foreign_output_file(tmp_path: Path, dewire) -> None:
    src = tmp_path / "t.de"
    ref = tmp_path / "t.en"
    src.write_text("Der Hund bellt.\n", encoding="utf-8")
    ref.write_text("The dog barks.\n", encoding="utf-8")
    mine = tmp_path / "hyp.en"
    mine.write_text("my own hypotheses\n", encoding="utf-8")
    run = dewire("eval", src, ref, "-o", mine, "-q")
    assert_one_error(run, EXIT["output"], f"'{mine}' exists and was not written by dewire", "--force")
    assert mine.read_text(encoding="utf-8") == "my own hypotheses\n"


def test_block_devices_and_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder"):
        atomic_write_text(tmp_path, "x")
    disks = [p for p in ("/dev/loop0", "/dev/sda", "/dev/vda", "/dev/nvme0n1") if Path(p).exists() and stat.S_ISBLK(os.stat(p).st_mode)]
    for disk in disks[:1]:
        with pytest.raises(OutputError, match="block device"):
            atomic_write_text(disk, "x")


# ---------------------------------------------------------------------------
# errors that used to be "internal error", and the exit-code split


def test_file_name_too_long_is_an_input_error(tmp_path: Path, dewire) -> None:
    name = tmp_path / ("a" * 300 + ".txt")
    for command in ("segment", "translate"):
        run = dewire(command, name, *(("-o", tmp_path / "out") if command == "translate" else ()))
        assert_one_error(run, EXIT["input"], "file name too long")


def test_input_in_an_unreadable_folder(tmp_path: Path, dewire, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, which ignores permission bits: simulate what an ordinary user gets from stat/open.
    locked = tmp_path / "locked"
    locked.mkdir()
    real_stat = os.stat

    def denied_stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path).startswith(str(locked) + os.sep):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", denied_stat)
    for command in ("segment", "translate"):
        run = dewire(command, locked / "a.txt")
        assert_one_error(run, EXIT["input"], f"{locked / 'a.txt'}: permission denied")


@posix_only
def test_closed_stdin_is_an_input_error(tmp_path: Path) -> None:
    for args in (("segment", "-"), ("translate", "-", "-o", "-")):
        proc = subprocess.run(
            [sys.executable, "-m", "translate", *args], stdin=subprocess.DEVNULL, capture_output=True, cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120, preexec_fn=lambda: os.close(0),
        )
        err = proc.stderr.decode()
        assert proc.returncode == EXIT["input"], err
        assert err == "dewire: error: standard input is closed (nothing to read from '-')\n"


@posix_only
def test_dev_zero_without_a_limit_is_refused_after_one_chunk(tmp_path: Path) -> None:
    for limit in ("0", "50000000"):
        run = run_process("segment", "/dev/zero", "--max-bytes", limit)
        assert_one_error(run, EXIT["input"], "/dev/zero looks like a binary file (it contains NUL bytes), not text")


def test_text_stream_without_a_limit_is_read_in_chunks(dewire) -> None:
    text = ("Der Hund bellt. " * 20_000).encode("utf-8")  # 320 kB: several 64 KiB chunks
    run = dewire("segment", "-", "--text", "--max-bytes", "0", stdin=text)
    assert run.code == 0 and run.out.count("Der Hund bellt.") == 20_000


@pytest.mark.parametrize(
    "args, needle",
    [
        (("segment", "SAMPLE", "--max-bytes", "99999999999999999999"), "--max-bytes must be at most"),
        (("translate", "SAMPLE", "--max-bytes", "99999999999999999999"), "--max-bytes must be at most"),
        (("translate", "FOLDER", "--jobs", "99999999999999999999"), "--jobs must be at most 1024"),
    ],
)
def test_huge_numbers_are_configuration_errors(tmp_path: Path, dewire, args: tuple[str, ...], needle: str) -> None:
    sample = REPO / "samples" / "putin-kim.de.txt"
    argv = [str(sample) if a == "SAMPLE" else str(REPO / "samples") if a == "FOLDER" else a for a in args]
    run = dewire(*argv, *(("-o", tmp_path / "out") if args[0] == "translate" else ()))
    assert_one_error(run, EXIT["config"], needle)


def test_usage_and_unreadable_input_have_distinct_exit_codes(tmp_path: Path, dewire) -> None:
    assert dewire("segment", tmp_path / "missing.txt").code == 66
    assert dewire("translate", tmp_path / "missing.txt", "-o", tmp_path / "o").code == 66
    assert dewire("translate", REPO / "samples", "-o", "-").code == 2  # -o - with a folder: usage
    assert dewire("segment").code == 2  # argparse: missing argument
    from translate import errors

    assert (errors.EXIT_USAGE, errors.EXIT_NOINPUT, errors.InputError.exit_code) == (2, 66, 66)


# ---------------------------------------------------------------------------
# terminal and text hygiene


@pytest.mark.parametrize("raw", ["\x1b[2J", "\x1b]0;owned\x07", "\u202eexe.txt", "zwei\nZeilen", "\x9b31m"])
def test_names_with_escape_sequences_are_escaped(tmp_path: Path, dewire, raw: str) -> None:
    missing = tmp_path / f"a{raw}b.txt"
    run = dewire("segment", missing)
    line = assert_one_error(run, EXIT["input"], "no such file")
    assert printable(raw) in line
    assert not any(ch in run.err for ch in "\x1b\x07\u202e\x9b") and run.err.count("\n") == 1
    present = tmp_path / f"c{raw}d.txt"
    present.write_text(GERMAN.replace(".", ".\x01", 1), encoding="utf-8")  # a warning ("dropped 1 control character") names the file
    run = dewire("segment", present)
    assert run.code == 0 and run.err
    assert not any(ch in run.err for ch in "\x1b\x07\u202e\x9b")


def test_printable_escapes_controls_and_keeps_letters() -> None:
    assert printable("Straße – „ok“.txt") == "Straße – „ok“.txt"
    assert printable("a\x1b[2Jb\u202e\u2028\udcff") == "a\\x1b[2Jb\\u202e\\u2028\\udcff"


@pytest.mark.parametrize(
    "size, limit, expected",
    [
        (3000, 1000, "x is 3.0 kB, over the 1 kB limit (--max-bytes)"),
        (None, 1000, "x is larger than the 1 kB limit (--max-bytes)"),
        (None, 50_000_000, "x is larger than the 50 MB limit (--max-bytes)"),
        (2, 1, "x is 2 bytes, over the 1 byte limit (--max-bytes)"),
        (1_000_400, 1_000_000, "x is 1,000,400 bytes, over the 1,000,000-byte limit (--max-bytes)"),
    ],
)
def test_size_messages(size: int | None, limit: int, expected: str) -> None:
    assert too_big_message("x", limit, size) == expected


def test_stdin_over_the_limit_is_not_reported_as_the_limit(dewire) -> None:
    run = dewire("segment", "-", "--max-bytes", "1000", stdin=b"Der Hund bellt. " * 200)
    assert_one_error(run, EXIT["input"], "<stdin> is larger than the 1 kB limit (--max-bytes)")
    with pytest.raises(InputError, match=r"^a.txt is larger than the 1 byte limit \(--max-bytes\)$"):
        read_source("a.txt", data=b"xy", max_bytes=1)


@pytest.mark.parametrize("name", [".txt", "..txt", "...txt", ".de.txt", "..de.txt"])
def test_dot_names_give_a_visible_plain_output_name(tmp_path: Path, dewire, name: str) -> None:
    assert document_name(name) == "document"
    source = tmp_path / name
    source.write_text(GERMAN, encoding="utf-8")
    out = tmp_path / "out"
    run = dewire("translate", source, "-o", out, "-q")
    assert run.code == 0, run.err
    assert listing(out) == sorted(f"document{suffix}" for suffix in FOUR)


def test_hidden_input_name_gives_a_visible_output() -> None:
    assert document_name(".notiz.txt") == "notiz" and document_name("a.de.txt") == "a"


def test_translate_to_a_device_says_o_takes_a_folder(tmp_path: Path) -> None:
    """`translate FILE -o /dev/null`: one line saying -o names a folder here (exit 3), nothing replaced."""
    from translate.errors import OutputError

    with pytest.raises(OutputError, match="is not a folder: translate writes several files"):
        check_output_folder(Path("/dev/null"), "a", ("txt",))
    assert Path("/dev/null").is_char_device()


def test_an_empty_glob_is_a_usage_error(tmp_path: Path) -> None:
    from translate.cli import main

    (tmp_path / "in").mkdir()
    assert main(["translate", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--glob", " , "]) == 2
    assert not (tmp_path / "out").exists()
