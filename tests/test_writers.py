"""Tests of the output writers (translate.writers) and the signature.

The documents are built by hand (:func:`make_doc`), so these tests need no
segmenter or model: every kind of paragraph, a sentence translated in pieces,
flags, a brief with an ``unsupported`` bullet, and a hostile document (HTML,
JS, ``]]>``, a literal ``&amp;``, control, bidi and zero-width characters).

Golden files live in tests/golden/; regenerate them after an intended change
with ``DEWIRE_UPDATE_GOLDEN=1 python -m pytest tests/test_writers.py`` and
review the diff like code.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Sequence

import pytest

from translate.document import (
    Brief,
    BriefBullet,
    Document,
    Paragraph,
    Piece,
    Sentence,
    check_alignment,
)
from translate.errors import AlignmentError, ConfigError, OutputError
from translate.segment import segment
from translate.signature import SIGNATURE_FIELDS, parse_signature, signature
from translate.writers import (
    DEFAULT_FORMATS,
    FORMATS,
    SUFFIXES,
    parse_formats,
    render,
    write_outputs,
)
from translate.writers import atomic as atomic_module
from translate.writers.atomic import atomic_write_text
from translate.writers.controls import drop_controls
from translate.writers.md import escape_markdown
from translate.writers.tmx import XML_LANG, strip_xml_illegal
from translate.writers.tsv import escape as tsv_escape
from translate.writers.tsv import unescape as tsv_unescape
from tests.faults import WriteFault, listing

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("DEWIRE_UPDATE_GOLDEN") == "1"

# ---------------------------------------------------------------------------
# document builders


SentenceSpec = tuple  # (source, target[, flags[, score[, pieces]]]); pieces: [(piece_source, piece_target)]


def make_doc(
    paragraphs: Sequence[tuple[str, Sequence[SentenceSpec | str]]],
    *,
    name: str = "sample",
    brief: Brief | None = None,
    meta: dict[str, Any] | None = None,
    path: str | None = "sample.de.txt",
) -> Document:
    """Build a consistent Document from ``(kind, sentences)`` paragraphs.

    Sentences inside a paragraph are joined by a space, or by a line break
    when the sentence spec is preceded by the string ``"\\n"``; paragraphs by
    a blank line. Spans and ids are computed, so ``check_alignment`` holds.
    """
    text = ""
    built: list[Paragraph] = []
    sid = 0
    for index, (kind, specs) in enumerate(paragraphs):
        if built:
            text += "\n\n"
        start = len(text)
        sentences: list[Sentence] = []
        joiner = " "
        for spec in specs:
            if isinstance(spec, str):
                joiner = spec
                continue
            source, target, *rest = spec
            flags = tuple(rest[0]) if len(rest) > 0 else ()
            score = rest[1] if len(rest) > 1 else -0.3
            piece_specs = rest[2] if len(rest) > 2 else ()
            if sentences:
                text += joiner
            joiner = " "
            s_start = len(text)
            text += source
            pieces = []
            cursor = s_start
            for piece_source, piece_target in piece_specs:
                p_start = text.index(piece_source, cursor)
                pieces.append(Piece(piece_source, (p_start, p_start + len(piece_source)), piece_target, -0.5))
                cursor = p_start + len(piece_source)
            sentences.append(
                Sentence(
                    id=sid,
                    source=source,
                    span=(s_start, len(text)),
                    target=target,
                    score=score,
                    flags=flags,
                    pieces=tuple(pieces),
                    passthrough="passthrough" in flags,
                )
            )
            sid += 1
        built.append(Paragraph(index=index, kind=kind, span=(start, len(text)), sentences=tuple(sentences)))
    text += "\n"
    doc = Document(
        name=name,
        path=path,
        text=text,
        encoding="utf-8",
        paragraphs=tuple(built),
        brief=brief,
        meta=FIXED_META if meta is None else meta,
    )
    check_alignment(doc)
    return doc


FIXED_META: dict[str, Any] = {
    "version": "0.1.0",
    "models": {
        "translator": "Helsinki-NLP/opus-mt-de-en",
        "translator_revision": "main",
        "summarizer": "extractive",
    },
    "settings": {"beams": 4, "backend": "transformers", "device": "cpu"},
    "timings": {"read": 0.01, "segment": 0.12, "translate": 12.5, "summarize": 0.4, "total": 13.03},
    "warnings": ["invalid UTF-8 byte at offset 1234 replaced with U+FFFD"],
    "segmenter": "dewire-seg-1",
    "language": "de",
}

LONG_SOURCE = (
    "Der Vorstand, der am Montag in Köln tagte, beschloss nach langer Debatte, "
    "die Produktion in drei Werken auszubauen und bis 2026 rund 400 neue Stellen zu schaffen."
)
LONG_TARGET = (
    "The board, which met in Cologne on Monday, decided after a long debate "
    "to expand production at three plants and to create around 400 new jobs by 2026."
)


def build_sample_doc() -> Document:
    """A small article with every paragraph kind, flags, pieces and a brief."""
    paragraphs = [
        ("headline", [("Kölner Firmen melden Rekordumsatz", "Cologne companies report record sales", (), -0.21)]),
        ("byline", [("Von Anna Beispiel", "By Anna Beispiel", (), -0.05)]),
        ("dateline", [("KÖLN (dpa) – Die Kölner Wirtschaft wächst.", "COLOGNE (dpa) – Cologne's economy is growing.", (), -0.4)]),
        (
            "body",
            [
                ("Die Firma „Müller & Söhne“ erklärte: „Wir machen weiter.“",
                 "The company \"Müller & Söhne\" said: \"We will carry on.\"", (), -0.31),
                ("Der Umsatz stieg am 13. September um 12 Prozent.",
                 "Sales rose by 12 percent on 13 September.", ("low-confidence",), -1.84),
            ],
        ),
        ("heading", [("AUSBLICK", "OUTLOOK", (), -0.6)]),
        (
            "body",
            [
                (LONG_SOURCE, LONG_TARGET, ("split",), -0.44,
                 [(LONG_SOURCE[:73], LONG_TARGET[:71]), (LONG_SOURCE[74:], LONG_TARGET[72:])]),
                ("Das sei gut, gut, gut.", "That is good, good, good, good, good, good.", ("repetition", "length-ratio"), -0.9),
            ],
        ),
        ("caption", [("© dpa.", "© dpa.", ("untranslated",), -0.2), ("Das Werk in Köln-Porz.", "The plant in Cologne-Porz.", (), -0.3)]),
        ("list", [("- erstens mehr Lohn", "- firstly, higher wages", (), -0.5), "\n", ("- zweitens mehr Urlaub", "- secondly, more holidays", (), -0.5)]),
        ("separator", [("***", "***", ("passthrough",), None)]),
    ]
    brief = Brief(
        title="Cologne companies report record sales",
        bullets=(
            BriefBullet("The company \"Müller & Söhne\" said: \"We will carry on.\"", (3,)),
            BriefBullet("Sales rose by 12 percent on 13 September.", (4,)),
            BriefBullet("Sales rose by 15 percent in the third quarter.", (4,), ("unsupported",)),
        ),
        summarizer="extractive",
    )
    return make_doc(paragraphs, brief=brief)


HOSTILE_PARTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "]]>",
    "&amp;",
    "\x00\x07\x1b\x7f",
    "\u202eesrever\u202c \u202eunterminated override",
    "Null\u200bbreite\u200d\ufeff",
    "\u2028\u0085",
    "Müller & Söhne",
    "\\t-Backslash\t",
]
HOSTILE = " ".join(HOSTILE_PARTS)


def build_hostile_doc() -> Document:
    """A document whose German text (and echoed English) is hostile."""
    paragraphs = [
        ("headline", [("<b>Titel</b> & <i>mehr</i>", "<b>Title</b> & <i>more</i>")]),
        ("body", [(f"Text {HOSTILE} Ende.", f"Text {HOSTILE} end.", ("untranslated",))]),
        ("body", [("Zweiter Satz.", "Second sentence."), ("Dritter ]]> Satz.", "Third ]]> sentence.")]),
    ]
    brief = Brief(
        title="<script>alert('title')</script>",
        bullets=(BriefBullet(f"Bullet {HOSTILE}", (1,)), BriefBullet("Plain & simple.", (2, 3))),
        summarizer="<img src=x onerror=alert(2)>",
    )
    meta = dict(FIXED_META)
    meta["warnings"] = ["<script>alert('warning')</script>"]
    meta["models"] = {"translator": "evil|model <script>", "translator_revision": "rev 1"}
    return make_doc(paragraphs, name="hostile", brief=brief, meta=meta, path="<evil>.txt")


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    return build_sample_doc()


@pytest.fixture(scope="module")
def hostile_doc() -> Document:
    return build_hostile_doc()


# ---------------------------------------------------------------------------
# format registry


def test_formats_and_defaults() -> None:
    assert FORMATS == ("html", "jsonl", "txt", "brief", "tsv", "tmx", "md")
    assert DEFAULT_FORMATS == ("html", "jsonl", "txt", "brief")
    assert set(SUFFIXES) == set(FORMATS)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("html", ("html",)),
        ("html,jsonl,txt,brief", DEFAULT_FORMATS),
        (" TSV , tmx,md ", ("tsv", "tmx", "md")),
        ("txt,txt,html", ("txt", "html")),
    ],
)
def test_parse_formats(spec: str, expected: tuple[str, ...]) -> None:
    assert parse_formats(spec) == expected


@pytest.mark.parametrize("spec", ["pdf", "html,docx", "html,,txt", ""])
def test_parse_formats_rejects_unknown(spec: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_formats(spec)
    message = str(info.value)
    assert "\n" not in message
    assert "valid formats: html, jsonl, txt, brief, tsv, tmx, md" in message
    bad = [p.strip() for p in spec.split(",") if p.strip().lower() not in FORMATS]
    assert (repr(bad[0]) if bad[0] else "an empty name") in message


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_returns_documented_suffixes(sample_doc: Document, fmt: str) -> None:
    out = render(sample_doc, fmt)
    assert tuple(out) == SUFFIXES[fmt]
    assert all(isinstance(v, str) and v.endswith("\n") for v in out.values())


def test_render_unknown_format(sample_doc: Document) -> None:
    with pytest.raises(ConfigError, match="unknown output format 'pdf'"):
        render(sample_doc, "pdf")


def test_render_checks_alignment(sample_doc: Document) -> None:
    broken = sample_doc.with_targets({0: Sentence(0, "Falsch", (0, 6), "Wrong")})
    with pytest.raises(AlignmentError):
        render(broken, "txt")


# ---------------------------------------------------------------------------
# signature


def test_signature_from_meta(sample_doc: Document) -> None:
    assert signature(sample_doc) == (
        "dewire:0.1.0|model:Helsinki-NLP/opus-mt-de-en@main|backend:transformers|beam:4|seg:dewire-seg-1|brief:extractive"
    )


def test_signature_without_meta_has_every_field() -> None:
    doc = make_doc([("body", [("Hallo.", "Hello.")])], meta={})
    fields = parse_signature(signature(doc))
    assert tuple(fields) == SIGNATURE_FIELDS
    from translate import __version__

    assert fields["dewire"] == __version__
    assert fields["model"] == fields["backend"] == fields["beam"] == fields["seg"] == fields["brief"] == "?"


def test_signature_quotes_separators(hostile_doc: Document) -> None:
    sig = signature(hostile_doc)
    assert sig.count("|") == len(SIGNATURE_FIELDS) - 1
    assert not any(ch.isspace() for ch in sig)
    assert parse_signature(sig)["model"] == "evil|model <script>@rev 1"


# ---------------------------------------------------------------------------
# JSONL


def _jsonl_records(text: str) -> list[dict[str, Any]]:
    lines = text.splitlines()  # splits on every Unicode line boundary: records must survive it
    assert text.endswith("\n") and len(lines) == text.count("\n")
    return [json.loads(line) for line in lines]


def test_jsonl_records(sample_doc: Document) -> None:
    records = _jsonl_records(render(sample_doc, "jsonl")[".aligned.jsonl"])
    sentences = list(sample_doc.sentences())
    assert len(records) == len(sentences)
    kinds = {s.id: p.kind for p in sample_doc.paragraphs for s in p.sentences}
    paragraphs = {s.id: p.index for p in sample_doc.paragraphs for s in p.sentences}
    for record, sentence in zip(records, sentences):
        expected_keys = ["paragraph", "sentence", "source", "target", "source_span", "score", "flags", "kind"]
        if sentence.pieces:
            expected_keys.append("pieces")
        assert list(record) == expected_keys
        assert record["sentence"] == sentence.id
        assert record["paragraph"] == paragraphs[sentence.id]
        assert record["kind"] == kinds[sentence.id]
        assert record["source"] == sentence.source
        assert record["target"] == sentence.target
        start, end = record["source_span"]
        assert sample_doc.text[start:end] == record["source"]
        assert record["score"] == sentence.score
        assert record["flags"] == list(sentence.flags)
    split = records[6]
    assert split["flags"] == ["split"]
    assert [p["source"] for p in split["pieces"]] == [p.source for p in sentences[6].pieces]
    for piece in split["pieces"]:
        assert sample_doc.text[piece["source_span"][0] : piece["source_span"][1]] == piece["source"]
    assert records[-1]["score"] is None
    assert '"Müller & Söhne"' in records[3]["target"]


def test_jsonl_non_finite_score_is_null() -> None:
    doc = make_doc([("body", [("Hallo.", "Hello.", (), float("nan")), ("Tschüss.", "Bye.", (), float("-inf"))])])
    records = _jsonl_records(render(doc, "jsonl")[".aligned.jsonl"])
    assert [r["score"] for r in records] == [None, None]


def test_jsonl_hostile_round_trips(hostile_doc: Document) -> None:
    text = render(hostile_doc, "jsonl")[".aligned.jsonl"]
    records = _jsonl_records(text)
    assert [r["source"] for r in records] == [s.source for s in hostile_doc.sentences()]
    assert [r["target"] for r in records] == [s.target for s in hostile_doc.sentences()]
    assert "<script>alert(1)</script>" in text and "&amp;amp;" not in text and "&lt;" not in text
    assert "\u2028" not in text and "\u0085" not in text  # written as \u escapes


# ---------------------------------------------------------------------------
# TXT


def test_txt_keeps_paragraphs(sample_doc: Document) -> None:
    text = render(sample_doc, "txt")[".en.txt"]
    blocks = text.rstrip("\n").split("\n\n")
    assert len(blocks) == len(sample_doc.paragraphs)
    assert blocks[0] == "Cologne companies report record sales"
    assert blocks[3] == 'The company "Müller & Söhne" said: "We will carry on." Sales rose by 12 percent on 13 September.'
    assert blocks[7] == "- firstly, higher wages\n- secondly, more holidays"  # source line break kept
    for sentence in sample_doc.sentences():
        assert text.count(sentence.target) >= 1


CONTROLS = "\x00\x07\x1b\x7f\x85"
"""The C0/C1 control characters of :data:`HOSTILE`: dropped by the plain-text writers."""


def _without_controls(text: str) -> str:
    return "".join(ch for ch in text if ch not in CONTROLS)


def test_txt_hostile_is_literal(hostile_doc: Document) -> None:
    text = render(hostile_doc, "txt")[".en.txt"]
    assert f"Text {_without_controls(HOSTILE)} end." in text  # everything else kept, unescaped
    assert not any(ch in text for ch in CONTROLS)
    assert "<script>alert(1)</script>" in text and "]]>" in text and " &amp; " in text and "Müller & Söhne" in text
    assert "\u202eesrever\u202c" in text and "\u200b" in text and "\u2028" in text and "\\t-Backslash\t" in text
    assert "&amp;amp;" not in text and "&lt;" not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x00b\x07c\x1bd\x7fe\x85f\x9fg", "abcdefg"),
        ("Zeile\neins\tzwei\r\n", "Zeile\neins\tzwei\n"),
        ("\u2028\u200b\u202e ü & <x>", "\u2028\u200b\u202e ü & <x>"),
        ("".join(map(chr, range(0x20))), "\t\n"),
    ],
)
def test_drop_controls(text: str, expected: str) -> None:
    assert drop_controls(text) == expected
    assert drop_controls(expected) == expected


ISSUE_3_TEXT = "Erster Absatz.\n\n\nZweiter Absatz.\n\n- Punkt eins\n- Punkt zwei"
ISSUE_3_EN = {
    "Erster Absatz.": "First paragraph.",
    "Zweiter Absatz.": "Second paragraph.",
    "- Punkt eins": "- Point one",
    "- Punkt zwei": "- Point two",
}


def _segmented_doc(text: str, targets: dict[str, str]) -> Document:
    """``text`` cut by the real segmenter, each sentence translated by ``targets``."""
    doc = Document(name="issue3", path=None, text=text, paragraphs=segment(text), meta=FIXED_META)
    return doc.with_targets({s.id: dataclasses.replace(s, target=targets[s.source]) for s in doc.sentences()})


def test_issue_3_list_keeps_one_line_per_item() -> None:
    doc = _segmented_doc(ISSUE_3_TEXT, ISSUE_3_EN)
    assert [(p.kind, len(p.sentences)) for p in doc.paragraphs] == [("body", 1), ("body", 1), ("list", 2)]
    assert render(doc, "txt")[".en.txt"] == "First paragraph.\n\nSecond paragraph.\n\n- Point one\n- Point two\n"
    md = render(doc, "md")[".en.md"]
    assert "\n\nFirst paragraph.\n\nSecond paragraph.\n\n- Point one\n- Point two\n\n---\n\n" in md
    assert render(doc, "tsv")[".aligned.tsv"] == (
        "Erster Absatz.\tFirst paragraph.\n\nZweiter Absatz.\tSecond paragraph.\n\n"
        "- Punkt eins\t- Point one\n- Punkt zwei\t- Point two\n"
    )
    tree = _parse_html(render(doc, "html")[".report.html"])
    for side in ("de", "en"):
        p2 = tree.xpath(f'//section[@id="p2"]/div[@class="{side}"]/p')[0]
        assert [(child.tag, child.get("id")) for child in p2] == [("span", f"{side}2"), ("br", None), ("span", f"{side}3")]


def test_md_list_renders_one_item_per_line() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    md = render(_segmented_doc(ISSUE_3_TEXT, ISSUE_3_EN), "md")[".en.md"]
    rendered = markdown_it.MarkdownIt("commonmark").render(md)
    assert "<ul>\n<li>Point one</li>\n<li>Point two</li>\n</ul>" in rendered


def test_md_list_and_quote_markers() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    doc = make_doc([
        ("list", [("Windkraft wird gefördert.", "Wind power is *promoted*.", (), -0.5), "\n",
                  ("- Solar auch", "- Solar too", (), -0.5), "\n", ("3. Dritter Punkt", "3. Third point", (), -0.5)]),
        ("quote", [("Das ist ein guter Tag.", "This is a good day.", (), -0.5), "\n",
                   ("# Kein Titel", "# Not a title", (), -0.5)]),
    ])
    md = render(doc, "md")[".en.md"]
    assert "- Wind power is \\*promoted\\*.\n- Solar too\n3. Third point" in md
    assert "> This is a good day.  \n> \\# Not a title" in md
    rendered = markdown_it.MarkdownIt("commonmark").render(md)
    assert "<li>Wind power is *promoted*.</li>" in rendered and "<li>Solar too</li>" in rendered
    assert '<ol start="3">\n<li>Third point</li>' in rendered
    assert "<blockquote>\n<p>This is a good day.<br />\n# Not a title</p>\n</blockquote>" in rendered


def test_txt_empty_document() -> None:
    doc = Document(name="empty", path=None, text="")
    assert render(doc, "txt") == {".en.txt": ""}


# ---------------------------------------------------------------------------
# TSV


@pytest.mark.parametrize(
    "field",
    ["", "plain", "a\tb", "a\nb\r", "back\\slash", "\\t literal", "\\\\n", "\x00\x1b\x7f\x85\u2028\u2029", "ü & <x>"],
)
def test_tsv_escape_round_trip(field: str) -> None:
    escaped = tsv_escape(field)
    assert "\t" not in escaped and "\n" not in escaped and "\r" not in escaped
    assert len(escaped.splitlines() or [""]) == 1
    assert tsv_unescape(escaped) == field


def _parse_tsv(text: str) -> list[list[tuple[str, str]]]:
    paragraphs: list[list[tuple[str, str]]] = [[]]
    assert text.endswith("\n")
    for line in text[:-1].split("\n"):
        if line == "":
            paragraphs.append([])
            continue
        columns = line.split("\t")
        assert len(columns) == 2, line
        paragraphs[-1].append((tsv_unescape(columns[0]), tsv_unescape(columns[1])))
    return paragraphs


@pytest.mark.parametrize("builder", [build_sample_doc, build_hostile_doc])
def test_tsv_round_trips(builder: Any) -> None:
    doc = builder()
    text = render(doc, "tsv")[".aligned.tsv"]
    assert len(text.splitlines()) == text.count("\n")  # no stray line boundaries
    parsed = _parse_tsv(text)
    assert parsed == [[(s.source, s.target) for s in p.sentences] for p in doc.paragraphs]


def test_tsv_literal_text(sample_doc: Document, hostile_doc: Document) -> None:
    assert "„Müller & Söhne“" in render(sample_doc, "tsv")[".aligned.tsv"]
    hostile = render(hostile_doc, "tsv")[".aligned.tsv"]
    assert "<script>alert(1)</script>" in hostile and "]]>" in hostile and " &amp; " in hostile
    assert "\\\\t-Backslash\\t" in hostile  # backslash doubled, tab escaped


# ---------------------------------------------------------------------------
# TMX


def _parse_tmx(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
    return ET.fromstring(text.encode("utf-8"))


def _check_tmx(doc: Document, text: str) -> None:
    root = _parse_tmx(text)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert [child.tag for child in root] == ["header", "body"]
    header = root.find("header")
    assert header is not None
    for attr, value in {
        "creationtool": "dewire",
        "creationtoolversion": "0.1.0",
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "de",
        "o-tmf": "dewire",
    }.items():
        assert header.get(attr) == value, attr
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props["x-dewire-signature"] == strip_xml_illegal(signature(doc))
    units = root.findall("body/tu")
    sentences = list(doc.sentences())
    assert len(units) == len(sentences)
    for tu, sentence in zip(units, sentences):
        assert tu.get("tuid") == str(sentence.id)
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["de", "en"]
        assert [c.tag for c in tu] == ["prop"] * (len(tu) - 2) + ["tuv", "tuv"]  # TMX DTD: (note|prop)*, tuv+
        segs = [t.find("seg") for t in tuvs]
        assert all(seg is not None and len(seg) == 0 for seg in segs)
        assert (segs[0].text or "") == strip_xml_illegal(sentence.source)
        assert (segs[1].text or "") == strip_xml_illegal(sentence.target or "")
        tu_props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert tu_props.get("x-flags", "") == " ".join(sentence.flags)


@pytest.mark.parametrize("builder", [build_sample_doc, build_hostile_doc])
def test_tmx_structure_and_texts(builder: Any) -> None:
    doc = builder()
    _check_tmx(doc, render(doc, "tmx")[".tmx"])


def test_tmx_escapes_exactly_once(sample_doc: Document, hostile_doc: Document) -> None:
    sample = render(sample_doc, "tmx")[".tmx"]
    assert "„Müller &amp; Söhne“" in sample and "&amp;amp;" not in sample
    hostile = render(hostile_doc, "tmx")[".tmx"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "]]&gt;" in hostile and "]]>" not in hostile.split("<body>")[1]
    assert " &amp;amp; " in hostile  # the literal text "&amp;", escaped once
    assert "\x00" not in hostile and "\x07" not in hostile and "\x1b" not in hostile
    assert "\u202e" in hostile and "\u200b" in hostile  # legal XML characters are kept


def test_tmx_parses_with_lxml(hostile_doc: Document) -> None:
    lxml_etree = pytest.importorskip("lxml.etree")
    root = lxml_etree.fromstring(render(hostile_doc, "tmx")[".tmx"].encode("utf-8"))
    assert root.getroottree().docinfo.doctype == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    assert len(root.findall("body/tu")) == hostile_doc.n_sentences


# ---------------------------------------------------------------------------
# Markdown and brief


def _md_plain(text: str) -> str:
    """Undo Markdown backslash escapes (CommonMark: backslash before ASCII punctuation)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


@pytest.mark.parametrize(
    "text",
    [
        "Müller & Söhne",
        "&amp; &#38; &copy;",
        "<script>alert(1)</script>",
        "*not bold* _nor this_ `code` [link](x) | ~ \\",
        "# not a heading\n- not a list\n1. September\n+ plus\n= equals",
        "13) Punkte",
    ],
)
def test_escape_markdown_renders_literally(text: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")  # installed with rich
    escaped = escape_markdown(text)
    assert _md_plain(escaped) == text
    rendered = markdown_it.MarkdownIt("commonmark").render(escaped)
    import html as html_module

    inner = re.sub(r"</?p>|<br />", "", rendered).strip()
    assert "<" not in inner.replace("&lt;", "")  # no markup produced
    assert html_module.unescape(inner).split() == text.split()


def test_md_layout(sample_doc: Document) -> None:
    md = render(sample_doc, "md")[".en.md"]
    blocks = md.rstrip("\n").split("\n\n")
    assert blocks[0] == "# Cologne companies report record sales"
    assert blocks[1].splitlines()[0].startswith("- The company")
    assert blocks[1].splitlines()[2].endswith("*(unsupported)*")
    assert blocks[2] == "---"
    assert "## Cologne companies report record sales" in blocks
    assert "### OUTLOOK" in blocks
    assert "*By Anna Beispiel*" in blocks
    # the dateline lead is a plain paragraph (not italic); list items: one line each, hard line breaks
    assert "COLOGNE (dpa) – Cologne's economy is growing." in blocks
    assert "- firstly, higher wages\n- secondly, more holidays" in blocks
    assert '"Müller & Söhne"' in md  # literal ampersand, no entity
    assert signature(sample_doc) in md
    plain = _md_plain(md)
    for sentence in sample_doc.sentences():
        assert sentence.target in plain


def test_md_hostile_is_text(hostile_doc: Document) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    md = render(hostile_doc, "md")[".en.md"]
    outside_code = re.sub(r"`[^`]*`", "", md)
    assert not re.search(r"(?<!\\)<", outside_code)  # every "<" outside code spans is backslash-escaped
    assert f"Text {_without_controls(HOSTILE)} end." in _md_plain(md)
    assert not any(ch in md for ch in CONTROLS)
    rendered = markdown_it.MarkdownIt("commonmark").render(md)
    assert "<script>" not in rendered and "<img" not in rendered and "<b>" not in rendered


def test_brief_outputs(sample_doc: Document) -> None:
    out = render(sample_doc, "brief")
    data = json.loads(out[".brief.json"])
    assert list(data) == ["title", "summarizer", "bullets", "source", "encoding", "words", "models", "signature"]
    assert data["title"] == "Cologne companies report record sales"
    assert data["bullets"][2] == {
        "text": "Sales rose by 15 percent in the third quarter.",
        "support": [4],
        "flags": ["unsupported"],
    }
    assert data["signature"] == signature(sample_doc)
    assert data["words"]["source"] == 74  # "–", "&", "-" and "***" are not words (count_words)
    md = out[".brief.md"]
    assert md.startswith("# Cologne companies report record sales\n\n- The company \"Müller & Söhne\" said")
    assert "sample.de.txt · " in md and "translation: Helsinki-NLP/opus-mt-de-en" in md
    assert signature(sample_doc) in md


def test_brief_md_hostile_has_no_controls(hostile_doc: Document) -> None:
    md = render(hostile_doc, "brief")[".brief.md"]
    assert not any(ch in md for ch in CONTROLS)
    assert " ".join(f"Bullet {_without_controls(HOSTILE)}".split()) in _md_plain(md)  # the rest kept, on one line
    assert "<evil>.txt" in _md_plain(md)
    data = json.loads(render(hostile_doc, "brief")[".brief.json"])
    assert data["bullets"][0]["text"] == f"Bullet {HOSTILE}"  # the JSON keeps every character


def test_brief_without_brief() -> None:
    doc = make_doc([("body", [("Hallo.", "Hello.")])])
    out = render(doc, "brief")
    assert json.loads(out[".brief.json"])["bullets"] == []
    assert "*(no brief)*" in out[".brief.md"]
    assert out[".brief.md"].startswith("# sample\n")


# ---------------------------------------------------------------------------
# HTML (static checks; behaviour is tested in a real browser in test_report_browser.py)


def _parse_html(text: str) -> Any:
    lxml_html = pytest.importorskip("lxml.html")
    return lxml_html.document_fromstring(text)


def _span_text(span: Any) -> str:
    """The sentence text of a report ``.s`` span: its text and dateline prefix, without flag marks and reasons."""
    parts = [span.text or ""]
    for child in span:
        if child.get("class") == "dateline":
            parts.append(child.text or "")
        parts.append(child.tail or "")
    return "".join(parts)


def test_html_structure(sample_doc: Document) -> None:
    html = render(sample_doc, "html")[".report.html"]
    tree = _parse_html(html)
    csp = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    assert csp.startswith("default-src 'none'; ")
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert tree.xpath("//title")[0].text == "Cologne companies report record sales · dewire"
    # no external resources of any kind
    assert not tree.xpath("//link | //img | //iframe | //object | //embed | //script[@src] | //*[@src]")
    assert "http://" not in html and "https://" not in html
    assert len(tree.xpath("//script")) == 1 and len(tree.xpath("//style")) == 1
    rows = tree.xpath('//main/section[contains(@class, "row")]')
    assert len(rows) == len(sample_doc.paragraphs)
    for row, paragraph in zip(rows, sample_doc.paragraphs):
        assert row.get("data-kind") == paragraph.kind
        de, en = row.xpath("./div")
        assert de.get("lang") == "de" and en.get("lang") == "en"
        de_spans = de.xpath('.//span[contains(concat(" ", @class, " "), " s ")]')
        en_spans = en.xpath('.//span[contains(concat(" ", @class, " "), " s ")]')
        assert [s.get("data-sid") for s in de_spans] == [str(s.id) for s in paragraph.sentences]
        assert [s.get("data-sid") for s in en_spans] == [str(s.id) for s in paragraph.sentences]
        for span, sentence in zip(de_spans, paragraph.sentences):
            assert span.get("tabindex") == "0"
            assert _span_text(span) == sentence.source
        for span, sentence in zip(en_spans, paragraph.sentences):
            assert _span_text(span) == sentence.target
    # flagged sentence: visible mark + reason as tooltip
    flagged = tree.get_element_by_id("en4")
    assert "flagged" in flagged.get("class")
    assert "low-confidence" in flagged.get("title")
    assert flagged.xpath('./sup[@class="mark"]')[0].text == "?"
    assert "unsure" in flagged.xpath('./span[@class="why"]')[0].text_content()
    assert "passthrough" not in "".join(tree.xpath('//sup[@class="mark"]/@data-flag'))
    # the brief: bullets pointing at their support, unsupported marked
    bullets = tree.xpath('//li[contains(@class, "bullet")]')
    assert [b.get("data-support") for b in bullets] == ["3", "4", "4"]
    assert "unsupported" in bullets[2].get("class")
    assert bullets[0].xpath('.//a/@href') == ["#en3"]
    assert bullets[0].xpath('.//a')[0].text == "¶4"  # the paragraph it comes from
    # facts line
    facts = tree.xpath('//div[@class="facts"]')[0].text_content()
    for expected in ("Helsinki-NLP/opus-mt-de-en", "read as utf-8", "13 sentences in 9 paragraphs", "took 13 s",
                     "4 sentences flagged", "invalid UTF-8 byte", signature(sample_doc)):
        assert expected in " ".join(facts.split()), expected
    # a line break in the source (list items) is kept: one line per item, on both sides
    for side in ("de", "en"):
        p7 = tree.xpath(f'//section[@id="p7"]/div[@class="{side}"]/p')[0]
        assert [child.tag for child in p7] == ["span", "br", "span"]
        assert [child.get("id") for child in p7 if child.tag == "span"] == [f"{side}10", f"{side}11"]
    # the dateline lead is a body-like row; only the dateline itself is marked
    for side, prefix, rest in (("de", "KÖLN (dpa) –", " Die Kölner Wirtschaft wächst."),
                               ("en", "COLOGNE (dpa) –", " Cologne's economy is growing.")):
        (mark,) = tree.get_element_by_id(f"{side}2").xpath('./span[@class="dateline"]')
        assert (mark.text, mark.tail) == (prefix, rest)
    assert len(tree.xpath('//span[@class="dateline"]')) == 2


def test_html_escapes_exactly_once(sample_doc: Document) -> None:
    html = render(sample_doc, "html")[".report.html"]
    assert "„Müller &amp; Söhne“" in html and "&amp;amp;" not in html


def test_html_hostile_is_inert(hostile_doc: Document) -> None:
    html = render(hostile_doc, "html")[".report.html"]
    tree = _parse_html(html)
    # only our own script, no injected elements or event handlers
    assert len(tree.xpath("//script")) == 1
    assert not tree.xpath("//img | //iframe | //main//b | //main//i | //h1/* | //section[@class='brief']//b")
    assert not [a for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert " &amp;amp; " in html  # the literal text "&amp;", escaped once
    for ch in "\x00\x07\x1b":
        assert ch not in html
    for sentence in hostile_doc.sentences():
        for side, text in (("de", sentence.source), ("en", sentence.target)):
            span = tree.get_element_by_id(f"{side}{sentence.id}")
            assert span.text == strip_xml_illegal(text)
    assert tree.xpath("//title")[0].text == "<script>alert('title')</script> · dewire"
    assert tree.xpath('//ul[@class="warnings"]/li')[0].text == "<script>alert('warning')</script>"


def test_html_dateline_prefix_is_escaped_once() -> None:
    doc = make_doc(
        [
            ("headline", [("Titel", "Title")]),
            ("dateline", [("L'AQUILA (ANSA) – <b>Die</b> Erde bebte & mehr.", "L'AQUILA (ANSA) - <b>The</b> earth shook & more."),
                          ("Zweiter Satz.", "Second sentence.")]),
            ("dateline", [("BERLIN (dpa) – Der Bundestag tagte lange.", "The Bundestag met for a long time.")]),
        ]
    )
    html = render(doc, "html")[".report.html"]
    assert ('<span class="dateline">L&#39;AQUILA (ANSA) –</span> &lt;b&gt;Die&lt;/b&gt; Erde bebte &amp; mehr.' in html)
    assert ('<span class="dateline">L&#39;AQUILA (ANSA) -</span> &lt;b&gt;The&lt;/b&gt; earth shook &amp; more.' in html)
    assert "&amp;amp;" not in html and "&amp;#39;" not in html
    tree = _parse_html(html)
    marks = [(m.getparent().get("id"), m.text) for m in tree.xpath('//span[@class="dateline"]')]
    # only a first sentence is marked, and the English only when the translation keeps the dateline
    assert marks == [("de1", "L'AQUILA (ANSA) –"), ("en1", "L'AQUILA (ANSA) -"), ("de3", "BERLIN (dpa) –")]
    for sentence in doc.sentences():
        assert _span_text(tree.get_element_by_id(f"de{sentence.id}")) == sentence.source
        assert _span_text(tree.get_element_by_id(f"en{sentence.id}")) == sentence.target
    assert not tree.xpath("//main//b")


def test_html_without_brief_or_meta() -> None:
    doc = make_doc([("body", [("Hallo Welt.", "Hello world.")])], meta={}, path=None)
    html = render(doc, "html")[".report.html"]
    tree = _parse_html(html)
    assert "No brief was made" in tree.xpath('//section[@class="brief"]')[0].text_content()
    assert "No sentence flagged" in html
    assert tree.xpath("//h1")[0].text == "sample"


def test_html_template_ships_with_package() -> None:
    from importlib import resources

    templates = resources.files("translate.writers").joinpath("templates")
    names = {entry.name for entry in templates.iterdir()}
    assert {"report.html.j2", "report.css", "report.js"} <= names


# ---------------------------------------------------------------------------
# golden files


@pytest.mark.parametrize("fmt", ["html", "jsonl", "tsv", "tmx", "txt", "md", "brief"])
def test_golden(sample_doc: Document, fmt: str) -> None:
    for suffix, content in render(sample_doc, fmt).items():
        path = GOLDEN / f"sample{suffix}"
        if UPDATE_GOLDEN:
            GOLDEN.mkdir(exist_ok=True)
            path.write_text(content, encoding="utf-8", newline="")
            continue
        assert path.exists(), f"{path} missing: run DEWIRE_UPDATE_GOLDEN=1 python -m pytest {__file__}"
        expected = path.read_bytes().decode("utf-8")
        if content != expected:
            import difflib

            diff = difflib.unified_diff(
                expected.splitlines(keepends=True), content.splitlines(keepends=True), str(path), "rendered", n=1
            )
            shown = "".join(list(diff)[:80])
            pytest.fail(f"{path.name} differs from the golden file (if intended: DEWIRE_UPDATE_GOLDEN=1):\n{shown}")


# ---------------------------------------------------------------------------
# writing files, atomically


def test_write_outputs_writes_every_format(tmp_path: Path, sample_doc: Document) -> None:
    out = tmp_path / "deep" / "out"
    written = write_outputs(sample_doc, out, FORMATS)
    names = [p.name for p in written]
    assert names == [
        "sample.report.html",
        "sample.aligned.jsonl",
        "sample.en.txt",
        "sample.brief.md",
        "sample.brief.json",
        "sample.aligned.tsv",
        "sample.tmx",
        "sample.en.md",
    ]
    for path in written:
        suffix = path.name[len("sample") :]
        fmt = next(f for f, suffixes in SUFFIXES.items() if suffix in suffixes)
        assert path.read_text(encoding="utf-8") == render(sample_doc, fmt)[suffix]
    assert listing(out) == sorted(names)  # no temp files left


def test_write_outputs_stem_and_defaults(tmp_path: Path, sample_doc: Document) -> None:
    written = write_outputs(sample_doc, tmp_path, DEFAULT_FORMATS, stem="other name ü")
    assert [p.name for p in written] == [
        "other name ü.report.html",
        "other name ü.aligned.jsonl",
        "other name ü.en.txt",
        "other name ü.brief.md",
        "other name ü.brief.json",
    ]


@pytest.mark.parametrize("stem", ["../escape", "a/b", "..", "", "/abs"])
def test_write_outputs_rejects_path_stems(tmp_path: Path, sample_doc: Document, stem: str) -> None:
    with pytest.raises(OutputError, match="not a plain file name"):
        write_outputs(sample_doc, tmp_path / "out", ["txt"], stem=stem)
    assert not (tmp_path / "out").exists()


def test_write_outputs_checks_alignment_before_writing(tmp_path: Path, sample_doc: Document) -> None:
    broken = sample_doc.with_targets({2: Sentence(2, "KÖLN (dpa) –", sample_doc.sentence(2).span, None)})
    with pytest.raises(AlignmentError):
        write_outputs(broken, tmp_path, ["txt"])
    assert list(tmp_path.iterdir()) == []


def test_write_outputs_unknown_format_writes_nothing(tmp_path: Path, sample_doc: Document) -> None:
    with pytest.raises(ConfigError):
        write_outputs(sample_doc, tmp_path, ["txt", "pdf"])
    assert list(tmp_path.iterdir()) == []


def test_write_outputs_out_dir_is_a_file(tmp_path: Path, sample_doc: Document) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("x")
    with pytest.raises(OutputError, match=r"^cannot create output folder '.*out': "):
        write_outputs(sample_doc, blocker, ["txt"])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_write_outputs_unwritable_dir(tmp_path: Path, sample_doc: Document) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(OutputError, match="Permission denied"):
            write_outputs(sample_doc, locked, ["txt"])
    finally:
        locked.chmod(0o700)


def test_write_outputs_permission_errors_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_doc: Document
) -> None:
    """The same errors as above, simulated, so they are checked even when tests run as root."""

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    with monkeypatch.context() as patch:
        patch.setattr(Path, "mkdir", denied)
        with pytest.raises(OutputError) as info:
            write_outputs(sample_doc, tmp_path / "new", ["txt"])
    assert str(info.value) == f"cannot create output folder '{tmp_path / 'new'}': Permission denied"
    with monkeypatch.context() as patch:
        patch.setattr(atomic_module, "_create_temporary", denied)
        with pytest.raises(OutputError) as info:
            write_outputs(sample_doc, tmp_path, ["txt"])
    assert str(info.value) == f"cannot write '{tmp_path / 'sample.en.txt'}': Permission denied"
    assert listing(tmp_path) == []


def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    atomic_write_text(target, "eins\r\nzwei\n")
    assert target.read_bytes() == b"eins\r\nzwei\n"  # no newline translation
    target.chmod(0o640)
    atomic_write_text(target, "drei ü\n")
    assert target.read_text(encoding="utf-8") == "drei ü\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert listing(tmp_path) == ["x.txt"]


def test_atomic_write_new_file_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640


def test_atomic_write_lone_surrogate_does_not_crash(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "s.txt", "a\ud800b")
    assert (tmp_path / "s.txt").read_text(encoding="utf-8") == "a?b"


def _fail_with_enospc(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["replace", "fsync", "write"])
def test_disk_full_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_doc: Document, where: str) -> None:
    out = tmp_path / "out"
    first = write_outputs(sample_doc, out, ["txt", "html"])
    before = {p: p.read_bytes() for p in first}
    changed = sample_doc.with_targets({0: Sentence(0, "Kölner Firmen melden Rekordumsatz", (0, 33), "CHANGED")})

    if where == "replace":
        monkeypatch.setattr(atomic_module.os, "replace", _fail_with_enospc)
    elif where == "fsync":
        monkeypatch.setattr(atomic_module.os, "fsync", _fail_with_enospc)
    else:
        WriteFault(1).install(monkeypatch)  # the first write puts half its text on disk, then the disk is full

    with pytest.raises(OutputError) as info:
        write_outputs(changed, out, ["txt", "html"])
    assert str(info.value) == f"cannot write '{out / 'sample.en.txt'}': No space left on device"
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in first} == before
    assert listing(out) == sorted(p.name for p in first)  # no temp file left


def test_interrupt_mid_write_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.txt"
    atomic_write_text(target, "old")

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert listing(tmp_path) == ["x.txt"]


# ---------------------------------------------------------------------------
# property: any text survives every format (issue 8 invariants)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_any_text = st.text(min_size=1, max_size=40).filter(lambda t: t.strip() != "")


@settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.tuples(_any_text, st.text(max_size=40)), min_size=1, max_size=3),
        min_size=1,
        max_size=3,
    )
)
def test_every_format_round_trips_any_text(paragraphs: list[list[tuple[str, str]]]) -> None:
    doc = make_doc([("body", [(source, target) for source, target in sentences]) for sentences in paragraphs])
    sentences = list(doc.sentences())
    pairs = [(s.source, s.target) for s in sentences]

    records = _jsonl_records(render(doc, "jsonl")[".aligned.jsonl"])
    assert [(r["source"], r["target"]) for r in records] == pairs

    tsv = render(doc, "tsv")[".aligned.tsv"]
    assert [pair for paragraph in _parse_tsv(tsv) for pair in paragraph] == pairs

    root = _parse_tmx(render(doc, "tmx")[".tmx"])
    segs = [[tuv.findtext("seg") or "" for tuv in tu.findall("tuv")] for tu in root.findall("body/tu")]
    assert segs == [[strip_xml_illegal(a), strip_xml_illegal(b or "")] for a, b in pairs]

    tree = _parse_html(render(doc, "html")[".report.html"])
    assert len(tree.xpath("//script")) == 1 and not tree.xpath("//main//*[not(self::section or self::div or self::p or self::span or self::br or self::sup)]")
    for sentence in sentences:
        de = tree.get_element_by_id(f"de{sentence.id}")
        assert (de.text or "") == strip_xml_illegal(sentence.source).replace("\r\n", "\n").replace("\r", "\n")

    txt = render(doc, "txt")[".en.txt"]
    for sentence in sentences:
        assert drop_controls(sentence.target or "").strip() in txt
    md = render(doc, "md")[".en.md"]
    assert md.startswith("# sample\n")
    for sentence in sentences:
        target = sentence.target or ""
        assert _md_plain(escape_markdown(target)) == drop_controls(target)
    brief_md = render(doc, "brief")[".brief.md"]
    for text in (txt, md, brief_md):
        assert drop_controls(text) == text  # no control character other than LF and tab
