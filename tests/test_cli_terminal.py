"""The terminal as a reader uses it (issue 17): data on stdout only when asked, status on stderr,
``--text`` for a quick look, progress that moves, and an interrupted batch that says how to resume.

Runs in-process through :func:`translate.cli.main` on the tiny random-weight Marian model
(``tiny_marian_dir``), so the English is gibberish: the tests check where text goes, not what it says.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from translate.cli import main

SENTENCE = "Die Männer nannten sich gegenseitig „Genossen“."


def _english_of(text: str, model: Path) -> str:
    """The English the pipeline gives for ``text`` (what the txt writer writes)."""
    from translate.config import load_config
    from translate.pipeline import Options, Pipeline

    pipeline = Pipeline(load_config(), Options(model=str(model), threads=1, formats=("txt",)))
    return pipeline.run("<text>", None, data=text.encode("utf-8")).english_text()


def test_text_prints_the_english_at_once_and_writes_nothing(
    tiny_marian_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["translate", "--text", SENTENCE, "--model", str(tiny_marian_dir), "--threads", "1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == _english_of(SENTENCE, tiny_marian_dir)  # stdout: the English, nothing else
    assert out.strip() and "Translating" not in err and "wrote" not in err
    assert list(tmp_path.iterdir()) == []  # no dewire-out, no file at all


@pytest.mark.parametrize(
    "args, needle",
    [
        (["translate"], "give INPUT"),
        (["translate", "x.txt", "--text", SENTENCE], "not both"),
        (["translate", "--text", SENTENCE, "-o", "out"], "-o DIR is for files"),
    ],
)
def test_text_usage_errors(args: list[str], needle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == "" and needle in err and err.count("\n") == 1
