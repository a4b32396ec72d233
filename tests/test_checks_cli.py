"""``dewire check``: every input kind, exit codes, misaligned, binary and empty input; details in the writers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from translate.cli import main
from translate.document import Document, Paragraph, Sentence
from translate.writers import jsonl as jsonl_writer
from translate.writers import tmx as tmx_writer

REPO = Path(__file__).resolve().parent.parent

DE = [
    "Die Firma hat 1.000 Mitarbeiter in München.",
    "Der Landeshauptmann kam am 3. Oktober.",
    "Der Bundesrat stimmte mit 14 Stimmen zu.",
]
EN_GOOD = [
    "The company has 1,000 employees in Munich.",
    "The state governor came on October 3.",
    "The Bundesrat approved with 14 votes.",
]
EN_BAD = [
    "The company has 1,000 employees in Munich.",
    "The governor came on October 3.",
    "The Bundesrat approved with 41 votes.",
]
GLOSSARY = "Landeshauptmann\tstate governor\nBundesrat\t=\n"


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path


def test_text_pair_clean_exits_0(tmp_path, capsys) -> None:
    rc = main(["check", str(_write(tmp_path, "de.txt", DE)), str(_write(tmp_path, "en.txt", EN_GOOD))])
    out = capsys.readouterr().out
    assert rc == 0
    assert out == "3 lines checked, 0 flagged\n"


def test_text_pair_flagged_exits_1_with_table(tmp_path, capsys) -> None:
    rc = main(["check", str(_write(tmp_path, "de.txt", DE)), str(_write(tmp_path, "en.txt", EN_BAD))])
    out = capsys.readouterr().out
    assert rc == 1
    assert "line 3:\n  number-mismatch: 14 → 41\n" in out
    assert "    DE  Der Bundesrat stimmte mit 14 Stimmen zu." in out
    assert "    EN  The Bundesrat approved with 41 votes." in out
    assert "line 2" not in out  # no glossary: the governor line is fine
    assert out.endswith("3 lines checked, 1 flagged: number-mismatch 1\n")


def test_glossary_option(tmp_path, capsys) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text(GLOSSARY, "utf-8")
    rc = main(["check", str(_write(tmp_path, "de.txt", DE)), str(_write(tmp_path, "en.txt", EN_BAD)), "--glossary", str(glossary), "--jsonl"])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rc == 1
    assert [r["line"] for r in records] == [1, 2, 3]
    assert records[0] == {"line": 1, "flags": [], "details": {}}
    assert records[1]["flags"] == ["term-mismatch"]
    assert records[1]["details"] == {"term-mismatch": "'Landeshauptmann' should be 'state governor'"}
    assert records[2]["flags"] == ["number-mismatch"]


def test_jsonl_prints_every_line(tmp_path, capsys) -> None:
    rc = main(["check", str(_write(tmp_path, "de.txt", DE)), str(_write(tmp_path, "en.txt", EN_GOOD)), "--jsonl"])
    lines = capsys.readouterr().out.splitlines()
    assert rc == 0
    assert [json.loads(x) for x in lines] == [{"line": n, "flags": [], "details": {}} for n in (1, 2, 3)]


def _doc(targets: list[str]) -> Document:
    text = " ".join(DE)
    sentences, pos = [], 0
    for i, (de, en) in enumerate(zip(DE, targets)):
        start = text.index(de, pos)
        sentences.append(Sentence(id=i, source=de, span=(start, start + len(de)), target=en))
        pos = start + len(de)
    return Document(name="t", path="t.txt", text=text, paragraphs=(Paragraph(0, "body", (0, len(text)), tuple(sentences)),))


def test_aligned_jsonl_input(tmp_path, capsys) -> None:
    path = tmp_path / "t.aligned.jsonl"
    path.write_text(jsonl_writer.render(_doc(EN_BAD))[".aligned.jsonl"], "utf-8")
    rc = main(["check", str(path), "--jsonl"])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rc == 1
    assert [r["flags"] for r in records] == [[], [], ["number-mismatch"]]


def test_tmx_input(tmp_path, capsys) -> None:
    path = tmp_path / "t.tmx"
    path.write_text(tmx_writer.render(_doc(EN_GOOD))[".tmx"], "utf-8")
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == "3 lines checked, 0 flagged\n"
    path.write_text(tmx_writer.render(_doc(EN_BAD))[".tmx"], "utf-8")
    assert main(["check", str(path), "--jsonl"]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[2] == {"line": 3, "flags": ["number-mismatch"], "details": {"number-mismatch": "14 → 41"}}


def test_misaligned_files_are_one_line_exit_66_as_in_eval(tmp_path, capsys) -> None:
    rc = main(["check", str(_write(tmp_path, "de.txt", DE)), str(_write(tmp_path, "en.txt", EN_GOOD[:2]))])
    err = capsys.readouterr().err
    assert rc == 66
    assert err.count("\n") == 1
    assert err.startswith("dewire: error: ") and "has 3 lines but" in err and "has 2" in err


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"\x00\x01\x02binary\x00", "is a binary file"),
        (b"Gr\xfc\xdfe aus K\xf6ln\n", "is not UTF-8 text"),
    ],
)
def test_binary_and_empty_input_exit_66(tmp_path, capsys, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    rc = main(["check", str(bad), str(_write(tmp_path, "en.txt", EN_GOOD))])
    err = capsys.readouterr().err
    assert rc == 66
    assert err.count("\n") == 1 and message in err and "bad.txt" in err


def test_missing_file_and_directory_exit_66(tmp_path, capsys) -> None:
    assert main(["check", str(tmp_path / "nope.txt"), str(tmp_path / "nope.en")]) == 66
    assert "cannot read" in capsys.readouterr().err
    assert main(["check", str(tmp_path), str(tmp_path)]) == 66
    assert "is a directory" in capsys.readouterr().err


def test_lone_text_file_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["check", str(_write(tmp_path, "de.txt", DE))]) == 2
    assert "neither TMX nor an aligned.jsonl" in capsys.readouterr().err


def test_malformed_jsonl_and_tmx_exit_66(tmp_path, capsys) -> None:
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"source": "a", "target": "b"}\n{oops\n', "utf-8")
    assert main(["check", str(bad)]) == 66
    assert "x.jsonl:2 is not JSON" in capsys.readouterr().err
    tmx = tmp_path / "x.tmx"
    tmx.write_text("<tmx><body><tu></tmx>", "utf-8")
    assert main(["check", str(tmx)]) == 66
    assert "is not valid TMX" in capsys.readouterr().err


def test_bad_glossary_exit_66(tmp_path, capsys) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("no tab\n", "utf-8")
    rc = main(["check", str(_write(tmp_path, "de.txt", DE)), str(_write(tmp_path, "en.txt", EN_GOOD)), "--glossary", str(glossary)])
    assert rc == 66
    assert "g.tsv:1" in capsys.readouterr().err


def test_real_process_exit_codes(tmp_path) -> None:
    de, good, bad = _write(tmp_path, "de.txt", DE), _write(tmp_path, "en.txt", EN_GOOD), _write(tmp_path, "bad.txt", EN_BAD)
    run = lambda *a: subprocess.run([sys.executable, "-m", "translate", "check", *a], capture_output=True, text=True, cwd=REPO, timeout=120)  # noqa: E731
    assert run(str(de), str(good)).returncode == 0
    flagged = run(str(de), str(bad))
    assert flagged.returncode == 1 and flagged.stderr == ""
    assert run(str(de)).returncode == 2


def test_details_reach_jsonl_and_tmx_writers() -> None:
    doc = _doc(EN_BAD)
    s = doc.sentence(2)
    import dataclasses

    doc = doc.with_targets({2: dataclasses.replace(s, flags=("number-mismatch",), details=(("number-mismatch", "14 → 41"),))})
    lines = jsonl_writer.render(doc)[".aligned.jsonl"].splitlines()
    assert "details" not in json.loads(lines[0])
    assert json.loads(lines[2])["details"] == {"number-mismatch": "14 → 41"}
    tmx = tmx_writer.render(doc)[".tmx"]
    assert "<note>number-mismatch: 14 → 41</note>" in tmx


# --- hostile inputs found by a hostile test: one line, exit 66 (never an internal error) ---
@pytest.mark.parametrize(
    "name,content",
    [
        ("enc.tmx", '<?xml version="1.0" encoding="rot13"?><tmx version="1.4"><body/></tmx>'),
        ("enc2.tmx", '<?xml version="1.0" encoding="foo"?><tmx version="1.4"><body/></tmx>'),
        ("big.jsonl", '{"source": "Ein Satz.", "target": "A sentence.", "n": ' + "9" * 5000 + "}\n"),
        ("deep.jsonl", '{"source": "a", "target": "b", "x": ' + "[" * 100000 + "]" * 100000 + "}\n"),
        ("surrogate.jsonl", '{"source": "\\ud800 Satz", "target": "sentence"}\n'),
    ],
)
def test_hostile_check_inputs_are_one_line_exit_66(tmp_path, capsys, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["check", str(path)]) == 66
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("dewire: error: ") and "internal error" not in err


def test_tmx_inline_codes_are_not_text(tmp_path) -> None:
    from translate.checks.inputs import read_tmx

    tmx = (
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="de"/><body><tu>'
        '<tuv xml:lang="de"><seg>Es kostet <ph>&lt;x id="640"/&gt;</ph>14 <bpt i="1">&lt;b&gt;</bpt>Euro<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>'
        '<tuv xml:lang="en"><seg>It costs 14 <hi>euros</hi>.</seg></tuv></tu></body></tmx>'
    )
    path = tmp_path / "ph.tmx"
    path.write_text(tmx, encoding="utf-8")
    (pair,) = read_tmx(path)
    assert pair.source == "Es kostet 14 Euro." and pair.target == "It costs 14 euros."


def test_a_lone_file_starting_with_a_tag_that_is_not_xml_is_a_usage_error(tmp_path, capsys) -> None:
    path = tmp_path / "x.aligned.tsv"
    path.write_text("<b>Quelle</b>\tsource\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert "neither TMX nor an aligned.jsonl" in capsys.readouterr().err


def test_glossary_line_without_a_rendering_is_refused(tmp_path) -> None:
    from translate.checks.terms import GlossaryError, load_glossary

    path = tmp_path / "g.tsv"
    path.write_text("Zug\t|\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="g.tsv:1"):
        load_glossary(path)


def test_tmx_unit_without_english_is_reported_as_omission(tmp_path, capsys) -> None:
    """A <tu> with German and no English <tuv> is a line with an empty English, not dropped (hostile-input finding)."""
    path = tmp_path / "t.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="de" datatype="plaintext"/><body>'
        '<tu><tuv xml:lang="de"><seg>Nur Deutsch hier, ohne Übersetzung.</seg></tuv></tu>'
        '<tu><tuv xml:lang="de"><seg>Der Preis stieg um 14 Prozent.</seg></tuv>'
        '<tuv xml:lang="en"><seg>The price rose by 14 percent.</seg></tuv></tu>'
        "</body></tmx>\n",
        "utf-8",
    )
    assert main(["check", str(path), "--jsonl"]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records == [
        {"line": 1, "flags": ["omission"], "details": {"omission": "the English is empty"}},
        {"line": 2, "flags": [], "details": {}},
    ]
