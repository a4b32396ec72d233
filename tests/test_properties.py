"""The invariants of issue 8 as property tests over generated and real text.

Every example goes through the real pipeline (reading, normalization,
segmentation, language check, the translate engine with the deterministic
echo translator, the extractive brief, every writer):

* every non-whitespace character of the normalized source lies in exactly one
  segment's ``source``, in order, and no letter or digit of the *input* is
  lost, added or reordered;
* every segment has a target in every output format;
* the outputs are valid: JSONL parses line by line, TMX is well-formed XML,
  the HTML parses with one sentence element per side and segment, TSV has two
  columns on every non-empty line;
* writing is atomic: whatever write step fails (disk full, interrupt), every
  output file holds either its complete old or its complete new content and
  no temporary file is left.

Hypothesis runs derandomized (a fixed seed), a few hundred examples each, no
example database. Real text: the articles in samples/ (in the repository) and,
when ../shared/corpus is present, the newstest2014 and 10kGNAD articles
(cited in ../shared/corpus/SOURCES.md).
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from translate.config import load_config
from translate.document import Document, check_alignment
from translate.errors import InputError, OutputError
from translate.mt.echo import EchoTranslator
from translate.pipeline import Options, Pipeline, read_document
from translate.reading import normalize
from translate.summarize.extractive import ExtractiveSummarizer
from translate.writers import FORMATS, render, write_outputs
from translate.writers.controls import drop_controls
from tests.faults import WriteFault, listing
from tests.test_writers import _span_text as span_text
from translate.writers.tmx import strip_xml_illegal
from translate.writers.tsv import unescape

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
CONFIG = load_config(REPO / "translate" / "models.yaml")

PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# -- generated text --------------------------------------------------------------------

GERMAN_WORDS = (
    "der die das und oder aber nicht Regierung Bundestag Kanzlerin Bürger Straße München Köln Zürich Österreich "
    "Grüße größer Maßnahmen Verteidigungsministerium Nord-Korea-Politik sagte erklärte heute gestern Prozent Euro "
    "am 13. September 2023 im 19. Jahrhundert der 2. Weltkrieg z. B. u. a. d. h. Dr. Prof. Nr. bzw. ca. usw. etc. "
    "v. Chr. Mio. Mrd. 3,5 1.000 10.30 Uhr 1. FC Köln „Das ist“ »so« \"nein\" (dpa) SEOUL (Reuters) – "
    "https://example.org/a.b?c=1 info@example.de J. R. R. Tolkien Sie sagte: „Nein.“ Er lachte. "
    "UKRAINE-FAKTOR Von Anna Beispiel © Foto: dpa"
).split()
PUNCTUATION = [".", ". ", "! ", "? ", ", ", ": ", "; ", "… ", ".“ ", "?« ", " – ", "-", "—", "***", "1. ", "- ", "• "]
LAYOUT = [" ", " ", " ", "\n", "\n\n", "\n\n\n", "\r\n", "\r", "\t", "  ", "-\n", "\u00a0", "\u2028", "\u2029", "\x85"]
JUNK = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",  # zero-width, soft hyphen
    "\u202e", "\u202a", "\u2066", "\u2069", "\u200f",  # bidi controls
    "\x07", "\x1b", "\x7f", "\x9b", "\x0b", "\x0c",  # controls
    "😀", "👩🏽\u200d💼", "🇩🇪", "北京", "Москва", "القاهرة", "ירושלים", "a\u0308", "\ufffd",  # emoji, scripts, NFD
    "<script>alert(1)</script>", "]]>", "<![CDATA[", "&amp;", "&", "<b>", "\"'", "\\", "\\t", "{{ x }}", "{% if %}",
]

_word = st.sampled_from(GERMAN_WORDS).map(lambda w: w + " ")
_token = st.one_of(
    _word, _word, _word, _word,
    st.sampled_from(PUNCTUATION),
    st.sampled_from(LAYOUT),
    st.sampled_from(JUNK),
    st.text(max_size=3),  # any code point but surrogates
)
# a drawn length, so that long texts (a few hundred tokens) are as common as short ones
generated_text = st.integers(0, 300).flatmap(lambda n: st.lists(_token, min_size=n, max_size=n)).map("".join)


# -- real text -------------------------------------------------------------------------


def _real_texts() -> list[str]:
    paths = sorted((REPO / "samples").glob("*.txt"))
    if CORPUS.is_dir():
        paths += sorted((CORPUS / "articles" / "newstest2014-origde").glob("*.de.txt"))[:20]
        paths += sorted((CORPUS / "articles" / "10kgnad").glob("*.txt"))[:20]
    return [p.read_text(encoding="utf-8") for p in paths]


REAL_TEXTS = _real_texts()


@st.composite
def real_text(draw: st.DrawFn) -> str:
    """A slice of a real article, sometimes with junk and layout changes thrown in."""
    text = draw(st.sampled_from(REAL_TEXTS))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    length = draw(st.integers(1, 4000))
    piece = text[start : start + length]
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(piece)))
        piece = piece[:at] + draw(st.sampled_from(JUNK + LAYOUT)) + piece[at:]
    variant = draw(st.sampled_from(["as-is", "crlf", "nfd"]))
    if variant == "crlf":
        piece = piece.replace("\n", "\r\n")
    elif variant == "nfd":
        piece = unicodedata.normalize("NFD", piece)
    return piece


any_text = st.one_of(generated_text, real_text())


# -- the pipeline ------------------------------------------------------------------------


def _read(text: str) -> Document | None:
    """Read ``text`` (as UTF-8 bytes); ``None`` when it is refused, after checking that the refusal is sound."""
    data = text.encode("utf-8")
    try:
        return read_document("gen.txt", data=data, max_bytes=None)
    except InputError as err:
        message = str(err)
        assert "\n" not in message and message.startswith("gen.txt ")
        if "is empty" in message:
            assert not normalize(text).strip()
            event("refused: empty")
        else:
            assert "binary" in message
            event("refused: binary")
        return None


def _translate(doc: Document, fn: Any = None) -> Document:
    pipeline = Pipeline(
        CONFIG,
        Options(formats=tuple(FORMATS), use_cache=False),
        translator=EchoTranslator(fn),
        summarizer=ExtractiveSummarizer(CONFIG.summarizers["extractive"]),
    )
    (doc,) = pipeline.translate([doc])
    return pipeline.finish(pipeline.summarize(doc))


def _sources(doc: Document) -> list[str]:
    return [s.source for s in doc.sentences()]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _letters_and_digits(text: str) -> list[str]:
    return [ch for ch in unicodedata.normalize("NFD", text) if ch.isalnum()]


# -- invariant 1: nothing lost, nothing duplicated, in order --------------------------------


def _check_segments(text: str) -> None:
    doc = _read(text)
    if doc is None:
        return
    check_alignment(doc, require_targets=False)
    joined = "".join(_sources(doc))
    assert _squeeze(joined) == _squeeze(doc.text)  # each non-white-space character once, in order
    assert _letters_and_digits(joined) == _letters_and_digits(text)  # and none of the input's letters/digits lost
    for paragraph in doc.paragraphs:
        assert paragraph.sentences
        for s in paragraph.sentences:
            assert s.source.strip() and doc.text[s.span[0] : s.span[1]] == s.source


@PROPERTY
@given(generated_text)
def test_every_character_in_exactly_one_segment_generated(text: str) -> None:
    _check_segments(text)


@pytest.mark.skipif(not REAL_TEXTS, reason="no real text")
@PROPERTY
@given(real_text())
def test_every_character_in_exactly_one_segment_real(text: str) -> None:
    _check_segments(text)


# -- invariants 2 and 3: a target for every segment, in every format; valid outputs ----------


def _check_outputs(doc: Document) -> None:
    sentences = list(doc.sentences())
    n = len(sentences)
    assert all(isinstance(s.target, str) for s in sentences)
    files: dict[str, str] = {}
    for fmt in FORMATS:
        files.update(render(doc, fmt))

    # JSONL: one object per line, one line per segment
    lines = files[".aligned.jsonl"].split("\n")
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    assert [(r["sentence"], r["source"], r["target"]) for r in records] == [(s.id, s.source, s.target) for s in sentences]
    assert all(isinstance(r["target"], str) for r in records)

    # TSV: two columns on every non-empty line, one line per segment
    rows = [line.split("\t") for line in files[".aligned.tsv"].split("\n") if line]
    assert all(len(row) == 2 for row in rows)
    assert [(unescape(a), unescape(b)) for a, b in rows] == [(s.source, s.target) for s in sentences]

    # TMX: well-formed XML, one <tu> with two segments per sentence
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tmx = etree.fromstring(files[".tmx"].encode("utf-8"), parser)
    tus = tmx.findall("body/tu")
    assert len(tus) == n
    for tu, s in zip(tus, sentences):
        de, en = (seg.text or "" for seg in tu.findall("tuv/seg"))
        assert (de, en) == (strip_xml_illegal(s.source), strip_xml_illegal(s.target or ""))

    # HTML: parses; each segment has its German and English element holding exactly its text
    tree = lxml_html.document_fromstring(files[".report.html"])
    assert len(tree.xpath("//script")) == 1
    spans = tree.xpath("//span[@data-sid]")
    assert len(spans) == 2 * n
    by_id = {span.get("id"): span for span in spans}
    for s in sentences:
        assert span_text(by_id[f"de{s.id}"]) == strip_xml_illegal(s.source)
        assert span_text(by_id[f"en{s.id}"]) == strip_xml_illegal((s.target or "").strip())

    # English text: every target (control characters dropped), in order
    english = files[".en.txt"]
    position = 0
    for s in sentences:
        target = drop_controls(s.target or "").strip()
        if target:
            found = english.find(target, position)
            assert found >= 0, target
            position = found + len(target)

    # the brief: valid JSON whose support ids are sentences
    brief = json.loads(files[".brief.json"])
    ids = {s.id for s in sentences}
    assert all(set(b["support"]) <= ids for b in brief["bullets"])
    assert files[".brief.md"] and files[".en.md"]


@PROPERTY
@given(any_text)
def test_every_segment_has_a_target_in_every_valid_output(text: str) -> None:
    doc = _read(text)
    assume(doc is not None)
    assert doc is not None
    _check_outputs(_translate(doc))


@settings(PROPERTY, max_examples=200)
@given(any_text, st.sampled_from(["", "\u202e", "]]>", "<i>", "&lt;", "\x00", "\ufffe", "\r"]))
def test_hostile_translations_stay_inert(text: str, inject: str) -> None:
    """Whatever the translator returns (markup, bidi overrides, characters XML cannot hold), outputs stay valid."""
    doc = _read(text)
    assume(doc is not None)
    assert doc is not None
    _check_outputs(_translate(doc, lambda s, retry: f"{inject}{s}{inject}"))


# -- invariant 4: writing is atomic ------------------------------------------------------------


@settings(PROPERTY, max_examples=150)
@given(
    any_text,
    st.lists(st.sampled_from(FORMATS), min_size=1, unique=True),
    st.integers(1, 40),
    st.sampled_from(["disk-full", "interrupt"]),
    st.booleans(),
)
def test_writing_is_atomic(text: str, formats: list[str], fail_at: int, kind: str, existing: bool) -> None:
    doc = _read(text)
    assume(doc is not None)
    assert doc is not None
    old_doc = _translate(doc)
    new_doc = _translate(doc, lambda s, retry: f"[neu] {s}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        old: dict[str, bytes] = {}
        if existing:
            for path in write_outputs(old_doc, out, formats):
                old[path.name] = path.read_bytes()
        new = {
            f"{doc.name}{suffix}": content.encode("utf-8", "replace")
            for fmt in formats
            for suffix, content in render(new_doc, fmt).items()
        }
        error: BaseException = (
            OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) if kind == "disk-full" else KeyboardInterrupt()
        )
        failure = WriteFault(fail_at, error, renames=True)
        raised: BaseException | None = None
        with failure.installed():
            try:
                write_outputs(new_doc, out, formats)
            except (OutputError, KeyboardInterrupt) as err:
                raised = err
        assert (raised is not None) == failure.fired
        if isinstance(raised, OutputError):
            assert "No space left on device" in str(raised) and "\n" not in str(raised)
        names = listing(out) if out.exists() else []
        assert not [n for n in names if n.endswith(".tmp")], names  # no temporary file left behind
        for name in names:
            content = (out / name).read_bytes()
            assert content in (old.get(name), new[name]), name  # complete old or complete new, never half
        if not failure.fired:
            assert {name: (out / name).read_bytes() for name in names} == new
        event(f"failed: {failure.fired}")
