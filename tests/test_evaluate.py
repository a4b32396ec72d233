"""dewire eval: line alignment kept, scores equal sacrebleu's on the hypotheses, clear errors.

Test set: tests/data/newstest2014-origde-head.{de,en} (80 lines of WMT14, see its .md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF

from tests.test_cli import _decode, assert_one_line_error, run_cli
from translate.config import TranslatorConfig, load_config
from translate.document import check_alignment
from translate.errors import InputError
from translate.evaluate import EvalSet, eval_document, evaluate, line_hypotheses, load_eval_set, read_lines, score
from translate.mt.echo import EchoTranslator
from translate.pipeline import Options, Pipeline

DATA = Path(__file__).resolve().parent / "data"
SRC = DATA / "newstest2014-origde-head.de"
REF = DATA / "newstest2014-origde-head.en"
CFG = TranslatorConfig(model="echo", split_tokens=30, max_input_tokens=64)


def pipeline(translator: EchoTranslator, cfg: TranslatorConfig = CFG) -> Pipeline:
    """The real pipeline around ``translator`` with the settings ``cfg``."""
    return Pipeline(load_config(), Options(use_cache=False), translator=translator, translator_config=cfg)


def oracle(eval_set: EvalSet) -> EchoTranslator:
    """A translator that answers every source line with its reference line."""
    answers = dict(zip(eval_set.source, eval_set.reference))
    return EchoTranslator(lambda s, retry: answers[s])


def test_reference_as_hypothesis_scores_100() -> None:
    eval_set = load_eval_set(SRC, REF)
    assert len(eval_set) == 80
    cfg = TranslatorConfig(model="echo")  # split_tokens 200: no WMT line is split
    result = evaluate(eval_set, pipeline(oracle(eval_set), cfg), segment=False)
    assert result.hypotheses == eval_set.reference
    assert result.scores.bleu == pytest.approx(100.0)
    assert result.scores.chrf == pytest.approx(100.0)
    assert result.scores.bleu_signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert "nc:6|nw:0" in result.scores.chrf_signature
    assert result.lines == result.sentences == 80


def test_scores_are_sacrebleus() -> None:
    eval_set = load_eval_set(SRC, REF, limit=20)
    result = evaluate(eval_set, pipeline(EchoTranslator(), CFG))
    refs = [list(eval_set.reference)]
    assert result.scores.bleu == pytest.approx(BLEU().corpus_score(list(result.hypotheses), refs).score)
    assert result.scores.chrf == pytest.approx(CHRF().corpus_score(list(result.hypotheses), refs).score)
    assert all(h.startswith("[en] ") for h in result.hypotheses)


def test_lines_are_cut_into_sentences_and_joined_in_order() -> None:
    lines = ["Das ist der erste Satz. Und das ist der zweite!", "", "***", "Nur ein Satz hier."]
    doc, where = eval_document(lines)
    check_alignment(doc, require_targets=False)
    assert where == [0, None, 1, 2]
    assert [len(p.sentences) for p in doc.paragraphs] == [2, 1, 1]
    assert doc.paragraphs[1].sentences[0].passthrough
    whole, _ = eval_document(lines, segment=False)
    assert [len(p.sentences) for p in whole.paragraphs] == [1, 1, 1]
    eval_set = EvalSet(tuple(lines), ("a", "", "***", "b"), "src", "ref")
    echo = EchoTranslator()
    result = evaluate(eval_set, pipeline(echo, CFG))
    assert result.hypotheses == (
        "[en] Das ist der erste Satz. [en] Und das ist der zweite!",
        "",
        "***",  # no letters: copied through, never sent to the model
        "[en] Nur ein Satz hier.",
    )
    assert result.flags["passthrough"] == 1  # (the echo also counts as "untranslated")
    assert ("***", False) not in echo.seen


def test_an_over_long_line_is_split_never_truncated() -> None:
    words = [f"Wort{i}" for i in range(90)]
    line = ", ".join(" ".join(words[i : i + 6]) for i in range(0, 90, 6)) + "."
    eval_set = EvalSet((line,), ("x",), "src", "ref")
    result = evaluate(eval_set, pipeline(EchoTranslator(max_input_tokens=64), CFG), segment=False)
    assert result.flags.get("split") == 1
    (hyp,) = result.hypotheses
    assert all(w in hyp for w in words)


def test_read_lines_keeps_alignment_and_cleans_characters(tmp_path: Path) -> None:
    path = tmp_path / "crlf.de"
    path.write_bytes("Erste Zeile\r\n\r\n  Zweite\u00a0Zeile  \r\nu\u0308ber\r\n".encode("utf-8"))
    lines, warnings = read_lines(path)
    assert lines == ["Erste Zeile", "", "Zweite Zeile", "über"]
    assert warnings == []
    legacy = tmp_path / "cp1252.de"
    legacy.write_bytes("Größe – 5 €\nzweite Zeile\n".encode("cp1252"))
    assert read_lines(legacy)[0] == ["Größe – 5 €", "zweite Zeile"]


def test_misaligned_and_unreadable_files(tmp_path: Path) -> None:
    short = tmp_path / "short.en"
    short.write_text("one\ntwo\n", encoding="utf-8")
    with pytest.raises(InputError, match="has 80 lines but .*short.en has 2"):
        load_eval_set(SRC, short)
    empty = tmp_path / "empty.de"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        load_eval_set(empty, REF)
    binary = tmp_path / "x.de"
    binary.write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    with pytest.raises(InputError, match="PDF"):
        load_eval_set(binary, REF)
    with pytest.raises(ValueError):
        score(["a"], ["a", "b"])


def test_line_hypotheses_of_an_untranslated_document_are_empty() -> None:
    doc, where = eval_document(["Ein Satz."])
    assert line_hypotheses(doc, where) == [""]


# -- the command -------------------------------------------------------------


def test_eval_command_on_the_tiny_model(tiny_marian_dir: Path, tmp_path: Path) -> None:
    hyp = tmp_path / "hyp.en"
    proc = run_cli(
        "eval", str(SRC), str(REF), "--model", str(tiny_marian_dir), "--threads", "1", "--limit", "12", "-o", str(hyp), "--json",
    )
    out, err = _decode(proc)
    assert proc.returncode == 0, err
    summary = json.loads(out)
    lines = hyp.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 13  # 12 lines, each ending in \n
    refs = REF.read_text(encoding="utf-8").splitlines()[:12]
    assert summary["bleu"] == pytest.approx(round(BLEU().corpus_score(lines[:12], [refs]).score, 2))
    assert summary["chrf"] == pytest.approx(round(CHRF().corpus_score(lines[:12], [refs]).score, 2))
    assert summary["lines"] == 12 and summary["segments"] >= 12
    import importlib.util

    resolved = "ctranslate2" if importlib.util.find_spec("ctranslate2") else "transformers"  # `backend: auto`
    assert summary["model"] == str(tiny_marian_dir) and summary["backend"] == resolved
    assert summary["bleu_signature"].startswith("nrefs:1|")

    text = run_cli("eval", str(SRC), str(REF), "--model", str(tiny_marian_dir), "--threads", "1", "--limit", "12", "-q")
    out, err = _decode(text)
    assert text.returncode == 0, err
    assert f"BLEU = {summary['bleu']:.2f}  nrefs:1|" in out and "chrF = " in out
    assert "12 lines" in out


@pytest.mark.parametrize(
    "args, needle, code",
    [
        (("missing.de", str(REF)), "missing.de: No such file", 66),
        ((str(SRC), str(DATA / "summarize" / "README.md")), "a test set must be line-aligned", 66),
        ((str(SRC), str(REF), "--limit", "0"), "--limit must be at least 1", 4),
        ((str(SRC), str(REF), "-o", "/nonexistent-folder/hyp.en"), "folder /nonexistent-folder does not exist", 3),
    ],
)
def test_eval_errors_are_one_line(args: tuple[str, ...], needle: str, code: int) -> None:
    proc = run_cli("eval", *args)
    assert_one_line_error(proc, needle)
    assert proc.returncode == code


def test_eval_without_the_model_fails_fast() -> None:
    proc = run_cli("eval", str(SRC), str(REF))
    assert_one_line_error(proc, "is not available offline", "--model PATH")
    assert proc.returncode == 5



def test_unicode_line_separators_do_not_break_lines(tmp_path: Path) -> None:
    """Only LF, CRLF and CR end a line (as sacrebleu and wc count them); U+2028 & co. are spaces."""
    src = tmp_path / "ls.de"
    src.write_text("Das ist gut.\u2028Wirklich.\u0085Ja.\nZweite\u2029Zeile.\n", encoding="utf-8")
    lines, _ = read_lines(src)
    assert lines == ["Das ist gut. Wirklich. Ja.", "Zweite Zeile."]


@pytest.mark.parametrize("which", ["source", "reference"])
def test_eval_refuses_to_overwrite_its_input(tmp_path: Path, which: str) -> None:
    src, ref = tmp_path / "s.de", tmp_path / "r.en"
    src.write_bytes(SRC.read_bytes())
    ref.write_bytes(REF.read_bytes())
    target = src if which == "source" else ref
    before = target.read_bytes()
    proc = run_cli("eval", str(src), str(ref), "-o", str(target), "--limit", "3")
    assert_one_line_error(proc, "it would be overwritten")
    assert proc.returncode == 3 and target.read_bytes() == before


def test_eval_output_must_be_a_file_name(tmp_path: Path) -> None:
    proc = run_cli("eval", str(SRC), str(REF), "-o", str(tmp_path / "newdir") + "/")
    assert_one_line_error(proc, "is a folder; -o takes a file name")
    assert proc.returncode == 3 and not (tmp_path / "newdir").exists()
    blocker = tmp_path / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    proc = run_cli("eval", str(SRC), str(REF), "-o", str(blocker / "hyp.en"))
    assert_one_line_error(proc, "is not a folder")


def test_eval_prints_translation_warnings(tiny_marian_dir: Path, tmp_path: Path) -> None:
    """A cache that cannot be used is said, as in `translate`."""
    proc = run_cli(
        "eval", str(SRC), str(REF), "--model", str(tiny_marian_dir), "--threads", "1", "--limit", "2", "-q",
        "--backend", "transformers",  # no conversion cache needed: the point is the translation cache
        env={"DEWIRE_HOME": "/dev/null/dewire"},
    )
    out, err = _decode(proc)
    assert proc.returncode == 0, err
    assert "dewire: warning:" in err and "translation cache" in err and "translating without it" in err
