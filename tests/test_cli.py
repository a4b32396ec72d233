"""End-to-end tests of the ``dewire`` command line on the tiny real model.

The translation model is a random-weight MarianMT built by tests/tiny_marian.py
(real save_pretrained layout, real SentencePiece vocabulary), loaded through
the same code path as Helsinki-NLP/opus-mt-de-en. Its English is gibberish;
these tests check structure: every source sentence aligned exactly once, in
order, in every output, and the user-facing errors.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from translate.cli import main

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "putin-kim.de.txt"


def run_cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m translate ARGS`` in a subprocess (real exit codes, real stderr)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "translate", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=REPO,
        timeout=300,
    )  # type: ignore[call-overload]


def _decode(proc) -> tuple[str, str]:
    return proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def assert_one_line_error(proc, *needles: str) -> str:
    out, err = _decode(proc)
    assert proc.returncode != 0, (out, err)
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("dewire: error:")]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _strip_ws(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _SidCollector(HTMLParser):
    """Collects the text of sentence elements (``data-sid``) per column (``lang=de`` / ``lang=en``).

    Flag marks and their tooltips (``class="mark"`` / ``class="why"``) are not sentence text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, str | None]] = []
        self.sources: dict[int, list[str]] = {}
        self.targets: dict[int, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = a.get("lang") or (self.stack[-1][1] if self.stack else None)
        sid = a.get("data-sid")
        classes = (a.get("class") or "").split()
        if "mark" in classes or "why" in classes:
            sid = "skip"
        self.stack.append((tag, lang, sid))
        if sid == "skip":
            return
        if sid is not None:
            bucket = self.sources if lang == "de" else self.targets if lang == "en" else None
            if bucket is not None:
                bucket.setdefault(int(sid), []).append("")

    def handle_endtag(self, tag):
        while self.stack:
            t, _, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, lang, sid in reversed(self.stack):
            if sid == "skip":
                return
            if sid is not None:
                bucket = self.sources if lang == "de" else self.targets if lang == "en" else None
                if bucket is not None:
                    bucket[int(sid)][-1] += data
                break


@pytest.fixture(scope="module")
def sample_run(tiny_marian_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("out")
    home = tmp_path_factory.mktemp("home")
    proc = run_cli(
        "translate", str(SAMPLE), "--model", str(tiny_marian_dir), "--summarizer", "extractive", "--threads", "1", "-o", str(out),
        env={"DEWIRE_HOME": str(home), "HF_HOME": str(home / "hf"), "HF_HUB_OFFLINE": "1"},
    )
    return proc, out


def test_translate_sample_writes_the_four_outputs(sample_run) -> None:
    proc, out = sample_run
    stdout, stderr = _decode(proc)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr
    names = sorted(p.name for p in out.iterdir())
    for expected in ("putin-kim.report.html", "putin-kim.aligned.jsonl", "putin-kim.en.txt", "putin-kim.brief.md"):
        assert expected in names
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")], names  # atomic writes leave no temp files
    assert "putin-kim.report.html" in stdout  # the paths written are reported


def test_every_source_sentence_is_aligned_once_in_order(sample_run) -> None:
    _, out = sample_run
    records = [json.loads(line) for line in (out / "putin-kim.aligned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["sentence"] for r in records] == list(range(len(records)))
    assert len(records) >= 25
    paragraphs = [r["paragraph"] for r in records]
    assert paragraphs == sorted(paragraphs) and paragraphs[0] == 0
    text = SAMPLE.read_text(encoding="utf-8")
    # Nothing lost, nothing duplicated: the sources are the input, whitespace aside.
    assert _strip_ws("".join(r["source"] for r in records)) == _strip_ws(text)
    for r in records:
        start, end = r["source_span"]
        assert 0 <= start < end
        assert isinstance(r["target"], str)
        assert r["score"] is None or r["score"] <= 0.0
        assert isinstance(r["flags"], list)
    # Known boundaries: the date must not split, the heading is its own segment.
    sources = [r["source"] for r in records]
    assert any("am 13. September 2023 an einem Treffen" in s for s in sources)
    assert "UKRAINE-FAKTOR" in sources

    # HTML: every sentence exactly once in the German column, and its partner in the English column.
    parser = _SidCollector()
    parser.feed((out / "putin-kim.report.html").read_text(encoding="utf-8"))
    assert sorted(parser.sources) == list(range(len(records)))
    assert sorted(parser.targets) == list(range(len(records)))
    for r in records:
        assert len(parser.sources[r["sentence"]]) == 1
        assert _strip_ws(parser.sources[r["sentence"]][0]) == _strip_ws(r["source"])
        assert _strip_ws(parser.targets[r["sentence"]][0]) == _strip_ws(r["target"])

    # English text: every target, in order, paragraph structure kept.
    english = (out / "putin-kim.en.txt").read_text(encoding="utf-8")
    pos = 0
    for r in records:
        found = english.find(r["target"], pos)
        assert found >= 0, r
        pos = found + len(r["target"])
    n_paragraphs = len(set(paragraphs))
    assert len([b for b in english.split("\n\n") if b.strip()]) == n_paragraphs

    # Brief: bullets are English sentences of the translation, traceable by sentence id.
    brief = json.loads((out / "putin-kim.brief.json").read_text(encoding="utf-8"))
    assert 1 <= len(brief["bullets"]) <= 5
    by_id = {r["sentence"]: r for r in records}
    for bullet in brief["bullets"]:
        assert bullet["support"] and all(i in by_id for i in bullet["support"])
        assert bullet["text"].strip() == by_id[bullet["support"][0]]["target"].strip()
    markdown = (out / "putin-kim.brief.md").read_text(encoding="utf-8")
    assert len([line for line in markdown.splitlines() if line.startswith("- ")]) == len(brief["bullets"])


def test_help_and_version_do_not_import_torch() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from translate.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'sentencepiece') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
    version = run_cli("--version")
    assert version.returncode == 0
    assert re.match(r"dewire \d+\.\d+\.\d+", version.stdout.decode())


def test_missing_default_model_fails_fast_with_one_line(tmp_path: Path) -> None:
    proc = run_cli("translate", str(SAMPLE), "-o", str(tmp_path / "out"), env={"HF_HOME": str(tmp_path / "hf"), "DEWIRE_HOME": str(tmp_path / "d")})
    line = assert_one_line_error(proc, "Helsinki-NLP/opus-mt-de-en", "dewire models download", "--model PATH")
    assert proc.returncode == 5, line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_model_directory(tmp_path: Path) -> None:
    proc = run_cli("translate", str(SAMPLE), "--model", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert_one_line_error(proc, "nope")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"   \n\n  \t\n", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00\x00", "PDF"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_unreadable_input_is_one_line(tmp_path: Path, content: bytes, needle: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    proc = run_cli("translate", str(bad), "-o", str(tmp_path / "out"))
    line = assert_one_line_error(proc, "bad.txt")
    assert needle.lower() in line.lower(), line
    assert proc.returncode == 2


def test_missing_input_file(tmp_path: Path) -> None:
    proc = run_cli("translate", str(tmp_path / "gibt-es-nicht.txt"))
    assert_one_line_error(proc, "gibt-es-nicht.txt")
    assert proc.returncode == 2


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "models.yaml"
    cfg.write_text("defaults: {translator: t}\ntranslators:\n  t: {model: x, beems: 4}\n", encoding="utf-8")
    proc = run_cli("translate", str(SAMPLE), "--config", str(cfg))
    assert_one_line_error(proc, "unknown key 'translators.t.beems'")
    assert proc.returncode == 4


def test_segment_prints_jsonl_records() -> None:
    proc = run_cli("segment", str(SAMPLE))
    out, err = _decode(proc)
    assert proc.returncode == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["sentence"] for r in records] == list(range(len(records)))
    assert all("target" not in r and "score" not in r for r in records)
    assert _strip_ws("".join(r["source"] for r in records)) == _strip_ws(SAMPLE.read_text(encoding="utf-8"))
    assert {"paragraph", "source", "source_span"} <= set(records[0])


def test_stdin_to_stdout(tiny_marian_dir: Path) -> None:
    text = "Die Männer nannten sich gegenseitig „Genossen“. Beide Länder haben ein Interesse daran.\n"
    proc = run_cli("translate", "-", "-o", "-", "--model", str(tiny_marian_dir), "--threads", "1", "-q", stdin=text.encode("utf-8"))
    out, err = _decode(proc)
    assert proc.returncode == 0, err
    assert out.strip() and "Traceback" not in err


def test_main_returns_exit_code_in_process(tmp_path: Path) -> None:
    assert main(["segment", str(tmp_path / "missing.txt")]) == 2


def test_brief_word_budget(tiny_marian_dir: Path, tmp_path: Path) -> None:
    proc = run_cli(
        "translate", str(SAMPLE), "--model", str(tiny_marian_dir), "--threads", "1", "-q",
        "--format", "brief", "--brief-words", "30", "-o", str(tmp_path),
    )
    assert proc.returncode == 0, _decode(proc)[1]
    from translate.summarize.words import count_words

    brief = json.loads((tmp_path / "putin-kim.brief.json").read_text(encoding="utf-8"))
    words = [count_words(b["text"]) for b in brief["bullets"]]
    assert brief["bullets"] and (sum(words) <= 30 or len(words) == 1), words


@pytest.mark.parametrize(
    "option, value, needle",
    [
        ("--beams", "99", "--beams: Input should be less than or equal to 16 (got 99"),
        ("--beams", "0", "--beams: Input should be greater than or equal to 1 (got 0"),
        ("--threads", "0", "--threads: Input should be greater than 0 (got 0"),
        ("--brief-sentences", "0", "--brief-sentences: Input should be greater than or equal to 1 (got 0"),
        ("--brief-words", "2", "--brief-words: Input should be greater than or equal to 5 (got 2"),
    ],
)
def test_out_of_range_options_are_one_line_errors(tmp_path: Path, option: str, value: str, needle: str) -> None:
    proc = run_cli("translate", str(SAMPLE), option, value, "-o", str(tmp_path / "out"))
    assert_one_line_error(proc, needle)
    assert proc.returncode == 4
    assert not (tmp_path / "out").exists()
