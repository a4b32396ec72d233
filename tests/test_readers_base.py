"""The reader seam: format choice, the txt reader's parity with read_source, Markdown, segment_blocks, batch globs, and the whole HTML corpus end to end."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from translate.document import check_alignment
from translate.errors import InputError
from translate.pipeline import document_name, read_document
from translate.readers import format_of, read_input
from translate.readers.base import READERS, build_text, sniff_format
from translate.reading import read_source
from translate.segment import segment, segment_blocks

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "putin-kim.de.txt"
CORPUS = ROOT / ".." / "shared" / "corpus" / "html"


@pytest.mark.parametrize(
    ("name", "data", "content_type", "fmt"),
    [
        ("a.txt", b"Hallo Welt.", None, "txt"),
        ("a.md", b"# Titel", None, "md"),
        ("a.HTML", b"<p>x</p>", None, "html"),
        ("a.htm", b"x", None, "html"),
        ("a.docx", b"PK\x03\x04", None, "docx"),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None, "doc"),
        ("-", b"<!DOCTYPE html><html><body>x</body></html>", None, "html"),
        ("-", b"  <!-- c --><html lang=de>", None, "html"),
        ("-", b"Der Text <b>fett</b>.", None, "txt"),
        ("/artikel", b"whatever", "text/html; charset=utf-8", "html"),
        ("/a.txt", b"whatever", "text/html", "html"),
        ("datei", b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", None, "docx"),
    ],
)
def test_format_of(name: str, data: bytes, content_type: str | None, fmt: str) -> None:
    assert format_of(name, data, content_type) == fmt


def test_registry_names_every_reader() -> None:
    assert set(READERS) == {"txt", "md", "html", "docx"}
    assert sniff_format(b"Nur Text.") == "txt"


def test_txt_reader_is_read_source(tmp_path: Path) -> None:
    via_seam = read_input(SAMPLE)
    direct = read_source(SAMPLE)
    assert (via_seam.text, via_seam.encoding, via_seam.warnings) == (direct.text, direct.encoding, direct.warnings)
    assert via_seam.blocks == () and via_seam.info is not None and via_seam.info.format == "txt"
    doc = read_document(SAMPLE)
    assert doc.paragraphs == segment(doc.text)  # plain text: the segmenter alone decides, as before


def test_txt_errors_unchanged(tmp_path: Path) -> None:
    empty = tmp_path / "leer.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"leer\.txt is empty"):
        read_input(empty)
    zipped = tmp_path / "z.txt"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(InputError, match="looks like a ZIP archive"):
        read_input(zipped)


def test_build_text_drops_empty_lines_and_blocks() -> None:
    text, kinds = build_text([("headline", ["  Titel \n"]), ("body", ["", "  "]), ("list", ["a", "", "b\u00a0 c"]), (None, ["Ende"])])
    assert text == "Titel\n\na\nb c\n\nEnde" and kinds == ("headline", "list", None)


def test_segment_blocks_honours_and_merges_kinds() -> None:
    text = "Schlagzeile hier\n\nBERLIN (dpa) - Ein Satz steht hier. Noch einer folgt.\n\nKURZ\nZweite Zeile.\n\nZitat hier.\n\n***\n\nLetzter Absatz."
    kinds = ("headline", "body", "list", "quote", "heading", None)
    paragraphs = segment_blocks(text, kinds)
    assert [p.kind for p in paragraphs] == ["headline", "dateline", "list", "quote", "separator", "body"]
    assert [s.source for s in paragraphs[2].sentences] == ["KURZ", "Zweite Zeile."]  # one list, one item per line
    assert [p.index for p in paragraphs] == list(range(len(paragraphs)))
    ids = [s.id for p in paragraphs for s in p.sentences]
    assert ids == list(range(len(ids)))
    with pytest.raises(ValueError, match="block kinds"):
        segment_blocks(text, ("body",))


MARKDOWN = """# Gesetz beschlossen

Der **Bundestag** hat das [Gesetz](https://example.org/gesetz) am *Freitag* beschlossen. Es gilt ab `Mai`.

## Reaktionen

- Die SPD begrüßt es.
- Die Union
  ist dagegen.

1. Erstens
2. Zweitens

> Ein Zitat steht hier.

![Bild](https://example.org/bild.png)

```
code_wird_nicht_uebersetzt()
```
"""


def test_markdown_read_as_markdown(tmp_path: Path) -> None:
    path = tmp_path / "notiz.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    source = read_input(path)
    assert source.text == (
        "Gesetz beschlossen\n\nDer Bundestag hat das Gesetz am Freitag beschlossen. Es gilt ab Mai.\n\nReaktionen\n\n"
        "Die SPD begrüßt es.\nDie Union ist dagegen.\n\nErstens\nZweitens\n\nEin Zitat steht hier.\n\n"
        "code_wird_nicht_uebersetzt()"  # kept, as pass-through boilerplate (tests/test_readers_base.py: code blocks)
    )
    assert source.blocks == ("headline", "body", "heading", "list", "list", "quote", "boilerplate")
    for syntax in ("#", "**", "](", "https://", "`"):
        assert syntax not in source.text
    doc = read_document(path)
    check_alignment(doc, require_targets=False)
    assert [p.kind for p in doc.paragraphs] == ["headline", "body", "heading", "list", "list", "quote", "boilerplate"]
    assert [s.passthrough for p in doc.paragraphs for s in p.sentences] == [False] * 9 + [True]
    assert doc.name == "notiz" and doc.source is not None and doc.source.title == "Gesetz beschlossen"


CODE_MARKDOWN = """# Neue Version

Die neue Version liest [Markdown](https://example.org/markdown) besser. So startet man sie:

```sh
dewire translate artikel.md --format html
dewire check artikel.md
```

Ein Beispiel mit Einrückung:

    zeilen = lies_datei(pfad)
    gib_aus(zeilen)

https://example.org/dewire

<https://example.org/handbuch>

- Erstens wird gelesen.

  ```
  lies_weiter(datei)
  ```
- Zweitens wird übersetzt.

Mehr steht im Handbuch.
"""

CODE_LINES = ("dewire translate artikel.md --format html", "dewire check artikel.md", "zeilen = lies_datei(pfad)",
              "gib_aus(zeilen)", "https://example.org/dewire", "https://example.org/handbuch", "lies_weiter(datei)")


def test_markdown_code_blocks_and_bare_addresses_are_pass_through(tmp_path: Path) -> None:
    """Fenced and indented code blocks and a paragraph that is only an address are kept as pass-through boilerplate
    (copied, never translated); link text stays, the link's target does not."""
    path = tmp_path / "version.md"
    path.write_text(CODE_MARKDOWN, encoding="utf-8")
    source = read_input(path)
    for line in CODE_LINES:
        assert source.text.count(line) == 1, line
    assert "https://example.org/markdown" not in source.text and "liest Markdown besser" in source.text
    doc = read_document(path)
    check_alignment(doc, require_targets=False)
    kinds = [p.kind for p in doc.paragraphs]
    assert kinds == ["headline", "body", "boilerplate", "body", "boilerplate", "boilerplate", "boilerplate",
                     "list", "boilerplate", "list", "body"]
    for paragraph in doc.paragraphs:
        for sentence in paragraph.sentences:
            assert sentence.passthrough == (paragraph.kind == "boilerplate"), sentence.source
    code = [s.source for p in doc.paragraphs if p.kind == "boilerplate" for s in p.sentences]
    assert code == list(CODE_LINES)


def test_markdown_code_appears_once_in_every_aligned_output(tmp_path: Path, tiny_marian_dir: Path) -> None:
    """The rule of every aligned output, for code: each code line once, copied unchanged (tiny random Marian)."""
    import html
    import json
    import re

    from translate.config import load_config
    from translate.pipeline import Options, Pipeline
    from translate.writers import FORMATS

    path = tmp_path / "version.md"
    path.write_text(CODE_MARKDOWN, encoding="utf-8")
    cfg = tmp_path / "models.yaml"
    cfg.write_text(f"defaults: {{translator: tiny}}\ntranslators:\n  tiny: {{model: '{tiny_marian_dir}', device: cpu}}\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    result = Pipeline(load_config(cfg), Options(threads=1, formats=tuple(FORMATS), use_cache=False)).run(path, out)
    for paragraph in result.document.paragraphs:
        for sentence in paragraph.sentences:
            if paragraph.kind == "boilerplate":
                assert sentence.target == sentence.source
    records = [json.loads(line) for line in (out / "version.aligned.jsonl").read_text(encoding="utf-8").splitlines()]
    for line in CODE_LINES:
        assert [(r["source"], r["target"]) for r in records if r["source"] == line] == [(line, line)]
    for written in result.outputs:
        if written.name.endswith((".brief.md", ".brief.txt")) or "brief" in written.name:
            continue  # the brief summarizes; it is no aligned output
        text = html.unescape(written.read_text(encoding="utf-8"))  # report.html and .tmx escape XML characters
        if written.name.endswith(".md"):
            text = re.sub(r"\\(.)", r"\1", text)  # the Markdown writer escapes `_`, `(` …: undone as a renderer does
        for line in CODE_LINES:
            assert line in text, (written.name, line)


def test_document_names() -> None:
    assert document_name("seite.html") == "seite" and document_name("a/b.docx") == "b" and document_name("x.htm") == "x"
    assert document_name("https://www.rnz.de/nachrichten/witzel-buchpreis.html") == "witzel-buchpreis"


def test_batch_default_glob_takes_article_formats_not_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from translate.batch.discovery import discover
    from translate.cli import build_parser
    from translate.readers.base import DEFAULT_BATCH_PATTERNS

    args = build_parser().parse_args(["translate", "folder"])
    assert set(args.glob.split(",")) == {"*.txt", "*.html", "*.htm", "*.docx"} == set(DEFAULT_BATCH_PATTERNS)
    assert args.all_text is False
    # an article folder with a README.md: the README is not an article (Markdown only with --glob '*.txt,*.md')
    for name in ("artikel.txt", "seite.html", "README.md"):
        (tmp_path / name).write_text("Der Bundestag hat ein Gesetz beschlossen.\n", encoding="utf-8")
    found = sorted(f.relative for f in discover(tmp_path, patterns=tuple(args.glob.split(","))).files)
    assert found == ["artikel.txt", "seite.html"]
    opted = build_parser().parse_args(["translate", "folder", "--glob", "*.txt,*.md"])
    assert sorted(f.relative for f in discover(tmp_path, patterns=tuple(opted.glob.split(","))).files) == ["README.md", "artikel.txt"]
    with pytest.raises(SystemExit):
        build_parser().parse_args(["translate", "--help"])
    assert "--glob '*.txt,*.md'" in " ".join(capsys.readouterr().out.split())


def test_help_imports_no_reader_library() -> None:
    code = "import sys; from translate.cli import build_parser; build_parser().format_help(); " \
           "print(sorted(m for m in ('trafilatura', 'docx', 'httpx', 'markdown_it', 'torch') if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "[]", run.stderr


@pytest.mark.slow
@pytest.mark.skipif(not (CORPUS / "expected.json").exists(), reason="../shared/corpus/html is not beside this checkout")
def test_every_corpus_page_translates_end_to_end() -> None:
    """All 105 pages: read → segment → translate (echo) → summarize → every writer, every sentence aligned."""
    from translate.mt.echo import EchoTranslator
    from translate.pipeline import Pipeline
    from translate.writers import FORMATS, render

    logging.disable(logging.WARNING)
    pipeline = Pipeline(translator=EchoTranslator())
    names = sorted(json.loads((CORPUS / "expected.json").read_text(encoding="utf-8")))
    assert len(names) == 105
    for name in names:
        doc = pipeline.read(CORPUS / "pages" / name)
        assert doc.n_sentences > 0 and doc.source is not None and doc.source.format == "html"
        (doc,) = pipeline.translate([doc])
        doc = pipeline.finish(pipeline.summarize(doc))
        check_alignment(doc)
        for fmt in FORMATS:
            assert render(doc, fmt)
