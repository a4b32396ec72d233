"""``dewire translate DIR`` end to end on the tiny real Marian model (issue 7).

The model is the random-weight MarianMT of tests/tiny_marian.py, loaded by
the real code path; its English is gibberish, so these tests check files,
statuses and exit codes, not wording.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_batch_helpers import Unreadable
from translate.cli import main


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    # Short texts: the random-weight model decodes every hypothesis to its length cap.
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("Neue Ampel\n\nDie Ampel ist in Betrieb.\n", encoding="utf-8")
    (src / "sub" / "b.txt").write_text("Gutach\n\nDer Bürgermeister sprach gestern.\n", encoding="utf-8")
    return src


def test_cli_batch_mixed_files_exit_1_then_resume(
    folder: Path, tmp_path: Path, tiny_marian_dir: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    locked = folder / "sub" / "locked.txt"
    locked.write_text("Gesperrt\n\nNiemand darf das lesen.\n", encoding="utf-8")
    unreadable = Unreadable(monkeypatch)  # permission denied (tests run as root, so chmod would not do)
    unreadable.add(locked)
    out = tmp_path / "out"
    code = main(["translate", str(folder), "-o", str(out), "--model", str(tiny_marian_dir), "--no-cache", "--threads", "1", "-q"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    failed = [line for line in err.splitlines() if line.startswith("failed:")]
    assert len(failed) == 3 and any("empty.txt" in line for line in failed) and any("photo.txt" in line for line in failed)
    # The reason follows the name (rich may wrap it onto the next lines at 80 columns).
    locked_reason = " ".join(err.split()).split("failed: sub/locked.txt:")[1].split("failed:")[0]
    assert "permission denied" in locked_reason.lower(), err
    for stem in ("a", "sub/b"):
        for suffix in (".report.html", ".aligned.jsonl", ".en.txt", ".brief.md", ".brief.json"):
            assert (out / f"{stem}{suffix}").is_file()
        records = [json.loads(line) for line in (out / f"{stem}.aligned.jsonl").read_text(encoding="utf-8").splitlines()]
        assert records and all(r["target"] is not None for r in records)
    assert (out / "index.html").is_file()

    # Fix the bad files: only they are translated on the next run, and it exits 0.
    (folder / "empty.txt").unlink()
    (folder / "photo.txt").unlink()
    unreadable.discard(locked)
    stamp = (out / "a.en.txt").stat().st_mtime_ns
    code = main(["translate", str(folder), "-o", str(out), "--model", str(tiny_marian_dir), "--no-cache", "--threads", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert (out / "a.en.txt").stat().st_mtime_ns == stamp
    assert "skipped" in captured.err and "0 failed" in captured.err


def test_cli_batch_missing_model_fails_once(folder: Path, tmp_path: Path, capsys) -> None:
    code = main(["translate", str(folder), "-o", str(tmp_path / "out"), "--model", str(tmp_path / "no-model"), "-q"])
    err = capsys.readouterr().err
    assert code == 5, err
    assert len([line for line in err.splitlines() if line.startswith("dewire: error:")]) == 1


def test_cli_batch_missing_model_is_one_line_even_with_the_progress_bar(folder: Path, tmp_path: Path) -> None:
    """Without -q the bar is drawn only once work starts: a missing model leaves stderr one line."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-m", "translate", "translate", str(folder), "-o", str(tmp_path / "out"), "--model", str(tmp_path / "no-model")],
        capture_output=True, cwd=repo, timeout=120,
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 5, err
    assert err.count("\n") == 1 and err.startswith("dewire: error:"), err
    assert not (tmp_path / "out").exists()
