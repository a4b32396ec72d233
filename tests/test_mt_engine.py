"""translate_documents with the echo translator: pass-through, dedup, split, retry, flags, progress."""

from __future__ import annotations

import re
from typing import Sequence

import pytest

from translate.config import TranslatorConfig
from translate.document import Document, Paragraph, Sentence, check_alignment
from translate.mt.echo import EchoTranslator
from translate.mt.engine import translate_documents
from translate.segment import is_passthrough

CFG = TranslatorConfig(model="echo", split_tokens=30, max_input_tokens=64)

# Real sentences from samples/putin-kim.de.txt.
S1 = "Von Josh Smith"
S2 = (
    "Die Männer nannten sich gegenseitig „Genossen“ und stießen am Mittwoch auf ihre Freundschaft an, "
    "nachdem Putin Kim durch Russlands modernste Weltraumstartanlage geführt hatte."
)
S3 = "„Kim würde Washington, Seoul und Tokio auch signalisieren, dass Russland Nordostasien den Rücken stärkt.“"
LONG = (
    "Trotz des Drucks aus Kiew und Washington hat Südkorea der Ukraine nur nichttödliche Hilfe geleistet, "
    "große Mengen Waffen an das benachbarte Polen verkauft und die Vereinigten Staaten mit Artilleriegranaten "
    "versorgt, um die schwindenden Reserven aufzufüllen, betont jedoch, dass es keine Pläne habe, tödliche "
    "Hilfe zu leisten."
)


def make_doc(paragraphs: Sequence[Sequence[str]], name: str = "doc") -> Document:
    """A segmented Document: sentences joined by a space, paragraphs by a blank line (pass-through as the segmenter decides)."""
    text = ""
    paras: list[Paragraph] = []
    sid = 0
    for pi, sentences in enumerate(paragraphs):
        if text:
            text += "\n\n"
        start = len(text)
        ss = []
        for j, s in enumerate(sentences):
            if j:
                text += " "
            ss.append(Sentence(id=sid, source=s, span=(len(text), len(text) + len(s)), passthrough=is_passthrough(s)))
            sid += 1
            text += s
        paras.append(Paragraph(index=pi, kind="body", span=(start, len(text)), sentences=tuple(ss)))
    doc = Document(name=name, path=None, text=text, paragraphs=tuple(paras))
    check_alignment(doc, require_targets=False)
    return doc


def test_passthrough_segments_never_reach_the_model() -> None:
    echo = EchoTranslator()
    doc = make_doc([["***"], [S1, "—", "1."], ["12:30", "2023", "…", S2]])
    [out] = translate_documents([doc], echo, CFG)
    check_alignment(out)
    sent = [s for s, _ in echo.seen]
    assert sent == [S1, S2]  # one call, no letterless segment
    assert echo.model_calls == 1
    by_source = {s.source: s for s in out.sentences()}
    for src in ("***", "—", "1.", "12:30", "2023", "…"):
        s = by_source[src]
        assert s.target == src and s.passthrough and s.flags == ("passthrough",) and s.score is None
    assert by_source[S1].target == f"[en] {S1}" and not by_source[S1].passthrough
    assert out.meta.translation.passthrough == 6


def test_order_kept_and_duplicates_translated_once_across_documents() -> None:
    echo = EchoTranslator()
    a = make_doc([[S1, S2], [S3]], name="a")
    b = make_doc([[S3, S1], ["***"]], name="b")
    out = translate_documents([a, b], echo, CFG)
    assert [d.name for d in out] == ["a", "b"]
    for doc_in, doc_out in zip((a, b), out):
        check_alignment(doc_out)
        assert [s.source for s in doc_out.sentences()] == [s.source for s in doc_in.sentences()]
        for s in doc_out.sentences():
            assert s.target == (s.source if s.passthrough else f"[en] {s.source}")
    assert sorted(s for s, _ in echo.seen) == sorted([S1, S2, S3])
    assert echo.model_calls == 1
    meta = out[1].meta.translation
    assert meta.segments == 3 and meta.documents == 2 and meta.sentences == 3
    assert meta.signature["backend"] == "echo"


def test_long_sentence_is_split_into_pieces() -> None:
    echo = EchoTranslator()
    doc = make_doc([[S1, LONG]])
    [out] = translate_documents([doc], echo, CFG)
    check_alignment(out)
    s = out.sentence(1)
    assert "split" in s.flags
    assert len(s.pieces) >= 2
    assert all(echo.count_tokens([p.source])[0] <= CFG.split_tokens for p in s.pieces)
    for p in s.pieces:
        assert out.text[p.span[0] : p.span[1]] == p.source
        assert p.target == f"[en] {p.source}" and p.score == -0.5
    assert re.sub(r"\s", "", "".join(p.source for p in s.pieces)) == re.sub(r"\s", "", LONG)
    assert s.target == " ".join(p.target for p in s.pieces)
    assert s.score == pytest.approx(-0.5)
    assert out.meta.translation.split == 1


def test_looping_hypothesis_is_retried_once_and_fixed() -> None:
    def fn(source: str, retry: bool) -> str:
        if source == S1 and not retry:
            return "By By By By By By By By Josh Smith"
        return "English text for " + str(len(source))

    echo = EchoTranslator(fn)
    [out] = translate_documents([make_doc([[S1, S2]])], echo, CFG)
    assert echo.seen == [(S1, False), (S2, False), (S1, True)]
    assert out.sentence(0).target == "English text for 14"
    assert "repetition" not in out.sentence(0).flags
    assert out.meta.translation.retried == 1


def test_loop_that_persists_is_flagged() -> None:
    echo = EchoTranslator(lambda s, retry: "No, no, no, no, no, no, no.")
    [out] = translate_documents([make_doc([[S2]])], echo, CFG)
    assert echo.model_calls == 2
    assert "repetition" in out.sentence(0).flags


def test_low_confidence_and_untranslated_flags() -> None:
    echo = EchoTranslator(lambda s, retry: s, score=-2.0)
    [out] = translate_documents([make_doc([[S2, S1]])], echo, CFG)
    assert out.sentence(0).flags == ("low-confidence", "untranslated")
    assert out.sentence(1).flags == ("low-confidence",)  # a byline may stay the same
    assert out.meta.translation.flagged == {"low-confidence": 2, "untranslated": 1}


def test_progress_sums_to_sentence_count() -> None:
    calls: list[int] = []
    doc = make_doc([["***", S1, S1, LONG], [S2, "1."]])
    translate_documents([doc], EchoTranslator(), CFG, progress=calls.append)
    assert sum(calls) == doc.n_sentences
    assert calls[0] == 2  # pass-through sentences first
    assert all(n > 0 for n in calls)


def test_empty_inputs() -> None:
    assert translate_documents([], EchoTranslator(), CFG) == []
    doc = make_doc([["***"]])
    echo = EchoTranslator()
    [out] = translate_documents([doc], echo, CFG)
    assert echo.model_calls == 0 and out.sentence(0).target == "***"


def test_input_documents_are_not_modified() -> None:
    doc = make_doc([[S1]])
    translate_documents([doc], EchoTranslator(), CFG)
    assert doc.sentence(0).target is None and doc.meta.translation is None


@pytest.mark.parametrize("line", ["IV.", "a)", "***", "1."])
def test_separator_lines_from_the_segmenter_never_reach_the_model(line: str) -> None:
    """segment → translate: what the segmenter marks pass-through is copied, never sent to the model, and stays marked."""
    from translate.segment import segment

    text = f"Erster Absatz mit einem Satz.\n\n{line}\n\nZweiter Absatz mit einem Satz."
    doc = Document(name="d", path=None, text=text, paragraphs=segment(text))
    (marked,) = [s for s in doc.sentences() if s.source == line]
    assert marked.passthrough  # the segmenter's decision …
    echo = EchoTranslator()
    [out] = translate_documents([doc], echo, CFG)
    check_alignment(out)
    assert line not in [source for source, _ in echo.seen]  # … honoured: never sent to the model
    (copied,) = [s for s in out.sentences() if s.source == line]
    assert copied.target == line and copied.passthrough and copied.flags == ("passthrough",) and copied.score is None
