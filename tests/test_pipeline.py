"""One path through the stages: Pipeline.process serves the single-file run, batch mode and eval alike.

The translator is the echo translator: these tests are about the orchestration, not the model.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

from tests.test_batch_helpers import make_pipeline, write_articles
from translate.batch import translate_folder
from translate.document import Document
from translate.evaluate import EvalSet, evaluate
from translate.events import DocumentDone, DocumentRead, ModelsReady, Notice, SentencesTranslated

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A stand-in ``translate.checks`` package whose ``run_checks`` records each document it sees."""
    seen: list[str] = []
    module = types.ModuleType("translate.checks")

    def run_checks(doc: Document) -> Document:
        seen.append(doc.name)
        return doc

    module.run_checks = run_checks  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "translate.checks", module)
    monkeypatch.setattr("translate.pipeline._checks_available", lambda: True)
    return seen


def test_single_file_run_emits_events_in_order_and_prints_nothing(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    (path,) = write_articles(tmp_path / "in", ["a.txt"])
    path.write_text(path.read_text(encoding="utf-8").replace(" ", " \x07", 1), encoding="utf-8")  # a reading warning
    events: list[object] = []
    result = make_pipeline().run(path, tmp_path / "out", events=events.append)
    kinds = [type(e) for e in events]
    assert kinds[0] is DocumentRead and kinds[-1] is DocumentDone
    assert kinds.index(ModelsReady) < kinds.index(SentencesTranslated)
    assert sum(e.count for e in events if isinstance(e, SentencesTranslated)) == result.document.n_sentences
    notices = [e for e in events if isinstance(e, Notice)]
    assert any(n.code == "input" and "control character" in n.message for n in notices)
    assert all(n.location == str(path) and n.code in ("input", "translation", "brief") for n in notices)
    assert not any(str(path) in n.message for n in notices)  # the location is not repeated in the message
    assert result.outputs and all(p.is_file() for p in result.outputs)
    assert capfd.readouterr() == ("", "")


def test_check_stage_runs_on_every_path(tmp_path: Path, checks: list[str]) -> None:
    (path,) = write_articles(tmp_path / "in", ["one.txt"])
    make_pipeline().run(path, None)
    assert checks == ["one"]
    write_articles(tmp_path / "folder", ["x.txt", "y.txt"])
    checks.clear()
    assert translate_folder(tmp_path / "folder", tmp_path / "out", pipeline=make_pipeline()).ok
    assert sorted(checks) == ["x", "y"]
    checks.clear()
    evaluate(EvalSet(("Ein Satz.",), ("A sentence.",), "src", "ref"), make_pipeline())
    assert checks == ["src"]


def test_cli_holds_no_stage_logic() -> None:
    """cli.py parses, calls the library, prints: no stage is called from it directly."""
    source = (REPO / "translate" / "cli.py").read_text(encoding="utf-8")
    stage_calls = re.findall(
        r"(?<!sys\.stdout)(?<!sys\.stderr)\.(?:translate|check|summarize|finish|write|process)\(|translate_documents|summarize_document|write_outputs|render\(|atomic_write",
        source,
    )
    assert stage_calls == []
