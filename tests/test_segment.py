"""Paragraphs, kinds, pass-through segments and the lossless-span invariant of translate.segment."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.document import PARAGRAPH_KINDS, Document, check_alignment
from translate.reading import normalize, read_source
from translate.segment import SEGMENTER_NAME, dateline_length, segment, segment_blocks

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "putin-kim.de.txt"
CORPUS = REPO.parent / "shared" / "corpus"


def _check(text: str) -> Document:
    doc = Document(name="t", path=None, text=text, paragraphs=segment(text))
    check_alignment(doc, require_targets=False)
    for index, paragraph in enumerate(doc.paragraphs):
        assert paragraph.index == index
        assert paragraph.kind in PARAGRAPH_KINDS
        assert text[paragraph.span[0] : paragraph.span[1]].strip() == text[paragraph.span[0] : paragraph.span[1]]
        for s in paragraph.sentences:
            assert s.source == s.source.strip() and s.source
            if not any(ch.isalpha() for ch in s.source):
                assert s.passthrough
    return doc


def _kinds_and_sources(text: str) -> list[tuple[str, list[str]]]:
    return [(p.kind, [s.source for s in p.sentences]) for p in segment(text)]


def test_segmenter_name() -> None:
    assert SEGMENTER_NAME == "dewire-seg-1"


# -- blocks, lists, separators ---------------------------------------------------------


def test_blank_lines_and_list_items() -> None:
    # issue 3: "keeps three blocks, the list items as separate segments"
    text = "Erster Absatz.\n\n\nZweiter Absatz.\n\n- Punkt eins\n- Punkt zwei"
    doc = _check(text)
    assert _kinds_and_sources(text) == [
        ("body", ["Erster Absatz."]),
        ("body", ["Zweiter Absatz."]),
        ("list", ["- Punkt eins", "- Punkt zwei"]),
    ]
    items = doc.paragraphs[2]
    assert items.span == (text.index("- Punkt eins"), len(text))
    assert [s.span for s in items.sentences] == [(34, 46), (47, 59)]
    assert text[items.sentences[0].span[1] : items.sentences[1].span[0]] == "\n"  # the writers' line-break test


def test_list_items_of_one_block_form_one_paragraph() -> None:
    text = (
        "Geplant sind folgende Maßnahmen:\n- ein Radweg. Er wird 2 km lang\n- neue Bänke\n"
        "• mehr Licht\n\n- eine zweite Liste\n\n1. Erstens\n2. Zweitens. Mit Nachsatz."
    )
    assert _kinds_and_sources(text) == [
        ("body", ["Geplant sind folgende Maßnahmen:"]),
        ("list", ["- ein Radweg.", "Er wird 2 km lang", "- neue Bänke", "• mehr Licht"]),
        ("list", ["- eine zweite Liste"]),
        ("list", ["1. Erstens", "2. Zweitens.", "Mit Nachsatz."]),
    ]
    _check(text)
    # an item never merges with the next, even without final punctuation
    assert _kinds_and_sources("Vorspann.\n\n- eins und\n- zwei") == [("body", ["Vorspann."]), ("list", ["- eins und", "- zwei"])]
    # a separator or a body line between items ends the list paragraph
    assert [k for k, _ in _kinds_and_sources("Vorspann.\n\n- eins\n***\n- zwei\nText danach.\n- drei")] == [
        "body", "list", "separator", "list", "body", "list",
    ]


def test_numbered_list_needs_a_numbered_neighbour() -> None:
    assert _kinds_and_sources("Einleitung.\n\n1. Punkt eins\n2. Punkt zwei") == [
        ("body", ["Einleitung."]),
        ("list", ["1. Punkt eins", "2. Punkt zwei"]),
    ]
    dates = "Vorbericht.\n\n2. November 1945, das war so.\n2. Juni nicht mehr."
    assert [k for k, _ in _kinds_and_sources(dates)] == ["body", "body"]
    assert _kinds_and_sources("Vorbericht.\n\n1. FC Köln gewann am Samstag. Es war der 17. Sieg.") == [
        ("body", ["Vorbericht."]),
        ("body", ["1. FC Köln gewann am Samstag.", "Es war der 17. Sieg."]),
    ]


@pytest.mark.parametrize("line", ["-", "***", "* * *", "—", "1.", "2)", "(3)", "IV.", "a)", "+++", "###", "___", "§"])
def test_separator_and_numbering_lines_pass_through(line: str) -> None:
    text = f"Erster Satz.\n\n{line}\n\nZweiter Satz."
    doc = _check(text)
    assert [p.kind for p in doc.paragraphs] == ["body", "separator", "body"]
    sep = doc.paragraphs[1].sentences
    assert [s.source for s in sep] == [line]
    assert sep[0].passthrough
    assert not doc.paragraphs[0].sentences[0].passthrough


# a line with digits but no letters is no separator (a score, a year, a page number, a table cell):
# it keeps its block's kind and stays in its block; its sentence is still passed through
@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("3:1", "body"),  # a football score
        ("2021", "body"),  # a year
        ("2014.", "body"),  # a year with a period is no numbering marker
        ("12", "body"),  # a page number
        ("- 12 -", "body"),  # a page number between dashes
        ("10,50", "body"),  # an amount
        ("6:7, 7:5, 3:6", "body"),  # tennis sets
        ("+49 30 1234567", "body"),  # a phone number
        ("08.09.2023", "timestamp"),  # a date alone in its block: a web copy's timestamp
        ("12:30", "timestamp"),
        ("2023-09-08 14:32", "timestamp"),
    ],
)
def test_digit_lines_are_no_separators(line: str, kind: str) -> None:
    text = f"Erster Absatz hier.\n\n{line}\n\nZweiter Absatz."
    doc = _check(text)
    assert [(p.kind, [s.source for s in p.sentences]) for p in doc.paragraphs] == [
        ("body", ["Erster Absatz hier."]),
        (kind, [line]),
        ("body", ["Zweiter Absatz."]),
    ]
    assert doc.paragraphs[1].sentences[0].passthrough  # no letters: copied, never sent to the model
    assert not doc.paragraphs[0].sentences[0].passthrough


def test_newcomer_scores_and_years_are_body_paragraphs() -> None:
    """The newcomer's case: ``3:1`` and ``2021`` came out as ``separator`` paragraphs."""
    text = "Erster Absatz hier.\n\n3:1\n\nZweiter Absatz.\n\n2021\n\nDritter Absatz.\n"
    doc = _check(text)
    assert [p.kind for p in doc.paragraphs] == ["body"] * 5
    assert [s.passthrough for s in doc.sentences()] == [False, True, False, True, False]


@pytest.mark.parametrize(
    "row",
    [
        ["2021", "10 Euro"],
        ["Jahr", "2021", "10 Euro"],
        ["08.09.2023", "10 Euro"],
        ["Ergebnis", "3:1"],
        ["Seite", "12"],
        ["12:30", "Abfahrt in Berlin"],
        ["2021", "2022", "2023"],
    ],
)
def test_table_row_with_digit_cells_stays_one_paragraph(row: list[str]) -> None:
    """A table row (one cell a line, one ``body`` block, as the DOCX and HTML readers give it): a digit-only
    cell neither splits the row nor becomes a separator or title."""
    text = "Die Tabelle zeigt die Preise der letzten Jahre.\n\n" + "\n".join(row) + "\n\nDanach folgt Text."
    paragraphs = segment_blocks(text, ["body", "body", "body"])
    doc = Document(name="t", path=None, text=text, paragraphs=paragraphs)
    check_alignment(doc, require_targets=False)
    assert [(p.kind, [s.source for s in p.sentences]) for p in paragraphs] == [
        ("body", ["Die Tabelle zeigt die Preise der letzten Jahre."]),
        ("body", row),
        ("body", ["Danach folgt Text."]),
    ]
    assert [s.passthrough for s in paragraphs[1].sentences] == [not any(c.isalpha() for c in cell) for cell in row]
    if not row[0][0].isalpha():  # plain text: the same row without reader kinds (a word cell first would be a heading)
        assert [(p.kind, [s.source for s in p.sentences]) for p in _check(text).paragraphs][1] == ("body", row)


def test_digit_line_first_is_no_headline_and_does_not_hide_the_headline() -> None:
    text = "2021\n\nDie Bahn streikt am Montag\n\nReisende müssen sich auf Ausfälle einstellen."
    assert [k for k, _ in _kinds_and_sources(text)] == ["body", "headline", "body"]
    text = "Die Bahn streikt am Montag\n\n3:1\n\nReisende müssen sich auf Ausfälle einstellen."
    assert [k for k, _ in _kinds_and_sources(text)] == ["headline", "body", "body"]


@pytest.mark.parametrize(("line", "kind"), [("10 Euro", "body"), ("3,5 Mio. Euro", "body"), ("12 %", "body"),
                                           ("5 Fragen zur Wahl", "heading"), ("Die Preise", "heading")])
def test_price_line_is_body_not_heading(line: str, kind: str) -> None:
    text = f"Erster Absatz hier.\n\n{line}\n\nZweiter Absatz."
    assert _kinds_and_sources(text)[1] == (kind, [line])
    # with letters it is translated; ``12 %`` has none and is copied
    assert _check(text).paragraphs[1].sentences[0].passthrough == (line == "12 %")


def test_page_number_over_a_heading_keeps_the_heading() -> None:
    text = "Erster Absatz hier.\n\n1\nFeuilleton\n\nZweiter Absatz."
    assert _kinds_and_sources(text) == [
        ("body", ["Erster Absatz hier."]), ("body", ["1"]), ("heading", ["Feuilleton"]), ("body", ["Zweiter Absatz."]),
    ]


def test_page_number_inside_a_paragraph_stays_in_it() -> None:
    """A page number or year line inside a block no longer cuts the paragraph in two."""
    text = "Erster Satz des Absatzes.\n12\nZweiter Satz des Absatzes.\n2021\nDritter Satz."
    doc = _check(text)
    assert [(p.kind, [s.source for s in p.sentences]) for p in doc.paragraphs] == [
        ("body", ["Erster Satz des Absatzes.", "12", "Zweiter Satz des Absatzes.", "2021", "Dritter Satz."]),
    ]
    assert [s.passthrough for s in doc.sentences()] == [False, True, False, True, False]


def test_separator_between_list_lines_in_one_block() -> None:
    doc = _check("Einleitung.\n\n1.\nPunkt eins.\n***\nPunkt zwei.")
    assert [(p.kind, [s.source for s in p.sentences]) for p in doc.paragraphs] == [
        ("body", ["Einleitung."]),
        ("separator", ["1."]),
        ("body", ["Punkt eins."]),
        ("separator", ["***"]),
        ("body", ["Punkt zwei."]),
    ]


def test_lines_of_one_block_are_sentences_of_one_paragraph() -> None:
    text = "Titel ohne Punkt\n\nErster Satz.\nZweiter Satz ohne Punkt\nDritter Satz."
    assert _kinds_and_sources(text) == [
        ("headline", ["Titel ohne Punkt"]),
        ("body", ["Erster Satz."]),
        ("heading", ["Zweiter Satz ohne Punkt"]),
        ("body", ["Dritter Satz."]),
    ]
    text = "Erster Satz.\nZweiter Satz. Noch einer.\nDritter Satz."
    assert _kinds_and_sources(text) == [("body", ["Erster Satz.", "Zweiter Satz.", "Noch einer.", "Dritter Satz."])]


def test_sentence_ids_are_document_wide() -> None:
    doc = _check("Kopf\n\nA eins. A zwei.\n\nB eins.\n\n- C\n- D")
    assert [s.id for s in doc.sentences()] == list(range(doc.n_sentences))


def test_empty_and_blank_text() -> None:
    assert segment("") == ()
    assert segment(" \n\t\n\n  ") == ()


# -- paragraph kinds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Von Josh Smith", "byline"),
        ("Von Josh Smith und Hyonhee Shin", "byline"),
        ("Von unserem Korrespondenten Hans Meier", "byline"),
        ("Von Ursula von der Leyen, Brüssel", "byline"),
        ("Von den 100 Teilnehmern kamen 50 aus Bayern.", "body"),
        ("Von Trump enttäuscht", "heading"),
        ("© Reuters. Putin und Kim beim Treffen.", "caption"),
        ("Foto: dpa", "boilerplate"),  # a credit alone: copied unchanged (issue 17)
        ("Bild: Michael Kappeler/dpa", "boilerplate"),
        ("Der Kanzler am Montag in Berlin. Foto: Michael Kappeler/dpa", "caption"),
        ("UKRAINE-FAKTOR", "heading"),
        ("Die Reaktion aus Kiew", "heading"),
        ("SEOUL (Reuters) – Welche Zusammenarbeit auch immer sich ergibt, sie zielt auf eine Warnung.", "dateline"),
        ("BERLIN (dpa) - Die Regierung hat am Montag ein neues Gesetz beschlossen.", "dateline"),
        ("Washington (AP/dpa) – Der Präsident hat am Montag eine Rede gehalten.", "dateline"),
        ("Merkel (CDU) – die Kanzlerin – sprach am Montag lange mit Journalisten.", "body"),
        ("source site-20", "boilerplate"),
        ("Die Regierung hat am Montag ein neues Gesetz beschlossen.", "body"),
    ],
)
def test_kind_of_a_line_inside_an_article(line: str, kind: str) -> None:
    text = f"Eine Schlagzeile ohne Punkt\n\n{line}\n\nEin Satz im Text."
    paragraphs = segment(text)
    assert paragraphs[0].kind == "headline"
    assert paragraphs[1].kind == kind, line


def test_headline_is_the_first_short_line_without_period() -> None:
    assert segment("Gutach: Noch mehr Sicherheit für Fußgänger\n\nSie stehen keine 100 Meter entfernt.")[0].kind == "headline"
    assert segment("Absicht oder Schildbürgerstreich?\n\nDiese Frage wurde beantwortet.")[0].kind == "headline"
    assert segment("Das ist ein ganzer Satz.\n\nNoch einer.")[0].kind == "body"
    assert segment("Nur eine Zeile ohne Punkt")[0].kind == "body"
    assert segment("***\n\nTitel\n\nText.")[1].kind == "headline"


def test_dateline_is_never_cut() -> None:
    text = "WASHINGTON, D.C. (AP) – Der Präsident sprach am Montag. Er blieb lange."
    doc = _check(text)
    assert doc.paragraphs[0].kind == "dateline"
    assert [s.source for s in doc.sentences()] == [
        "WASHINGTON, D.C. (AP) – Der Präsident sprach am Montag.",
        "Er blieb lange.",
    ]


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("SEOUL (Reuters) – Welche Zusammenarbeit auch immer sich ergibt, sie zielt auf eine Warnung.", "SEOUL (Reuters) –"),
        ("SEOUL (Reuters) - Whatever practical cooperation emerges, it is aimed at a warning.", "SEOUL (Reuters) -"),
        ("Washington, 3. Mai (AP/dpa) – Der Präsident hat am Montag eine Rede gehalten.", "Washington, 3. Mai (AP/dpa) –"),
        ("BERLIN – Die Regierung hat am Montag ein neues Gesetz beschlossen.", "BERLIN –"),
        ("Wien – Die Regierung hat am Montag ein neues Gesetz beschlossen.", "Wien –"),
        ("Merkel (CDU) – die Kanzlerin – sprach am Montag lange mit Journalisten.", ""),
        ("Die Regierung hat am Montag ein neues Gesetz beschlossen.", ""),
        ("KÖLN (dpa) –", ""),
        ("", ""),
    ],
)
def test_dateline_length(text: str, prefix: str) -> None:
    assert text[: dateline_length(text)] == prefix
    if prefix:  # the same rule the segmenter uses for the kind
        assert segment(f"Eine Schlagzeile ohne Punkt\n\n{text}")[1].kind == "dateline"


def test_sample_article() -> None:
    source = read_source(SAMPLE)
    doc = _check(source.text)
    kinds = [p.kind for p in doc.paragraphs]
    assert kinds[:4] == ["headline", "caption", "byline", "dateline"]
    assert kinds.count("heading") == 1
    heading = next(p for p in doc.paragraphs if p.kind == "heading")
    assert heading.sentences[0].source == "UKRAINE-FAKTOR"
    last = doc.paragraphs[-1]
    assert [s.source for s in last.sentences] == ["source site-20"]
    assert last.kind == "boilerplate" and last.sentences[0].passthrough
    assert set(kinds[4:-1]) - {"heading"} == {"body"}
    assert doc.paragraphs[3].sentences[0].source.startswith("SEOUL (Reuters) – Welche praktische Zusammenarbeit")
    sources = [s.source for s in doc.sentences()]
    assert "Es war kein Traum." not in sources
    assert any(s.startswith("„Putin und Kim würden beide") and s.endswith("“, sagte Duyeon Kim vom Center for a New American Security.") for s in sources)
    assert "Von Josh Smith" in sources
    assert [s.source for s in doc.sentences() if s.passthrough] == ["source site-20"]


# -- size: linear-time behaviour (no timing asserted; a quadratic rule would not finish) -------


def test_paragraph_of_5000_sentences() -> None:
    text = " ".join(f"Das ist der {i}. Satz im Absatz Nr. {i}." for i in range(5000))
    doc = _check(text)
    assert doc.n_sentences == 5000


def test_sentence_of_3000_words_without_punctuation() -> None:
    text = " ".join(["wort"] * 1500 + ["Wort"] * 1500)
    doc = _check(text)
    assert doc.n_sentences == 1


@pytest.mark.parametrize(
    "text",
    [
        "." * 200_000,
        ". " * 100_000,
        "A. " * 50_000,
        "Nr. " * 50_000,
        "(" * 50_000 + ")" * 50_000,
        "„" * 100_000 + " Das. ",
        "x" * 500_000 + ". Das ist gut.",
        "\n".join(["Zeile ohne Ende"] * 50_000),
    ],
    ids=["dots", "spaced-dots", "initials", "abbreviations", "parens", "quotes", "long-token", "many-lines"],
)
def test_pathological_inputs(text: str) -> None:
    _check(text)


# -- property tests ------------------------------------------------------------------------------

ATOMS = [
    "Das", "ist", "gut", "Er", "sagte", "z.", "B.", "Nr.", "Dr.", "usw.", "17.", "1.000", "3,5", "Mio.",
    "September", "am", "der", "„", "“", "»", "«", '"', "'", "(", ")", "[", "]", ".", "!", "?", "…", "...",
    " ", " ", " ", "  ", "\n", "\n\n", "\r", "\r\n", "\t", "\xa0", "\u200b", "\u2028", "\u2029", "\x0b",
    "\x0c", "\x1c", "\x85", "\x00", "\x1b", "-", "–", "—", "***", "1.", "- ", "• ", "Von ", "SEOUL (Reuters) – ",
    "© ", "Foto: ", "ä", "ß", "e\u0301", "😀", "a", "A", "I.", "iPhone", "www.x.de", "¬", "Verteidigungs-",
    "\u202e", "\ufeff", "\ud800", "UKRAINE-FAKTOR", ":", ",", ";",
]
_settings = settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(st.lists(st.sampled_from(ATOMS), max_size=60).map("".join))
def test_lossless_on_generated_text(text: str) -> None:
    _check(text)
    _check(normalize(text))


@_settings
@given(st.text(max_size=300))
def test_lossless_on_arbitrary_unicode(text: str) -> None:
    _check(text)
    _check(normalize(text))


def _real_texts() -> list[str]:
    texts = [SAMPLE.read_text(encoding="utf-8")]
    if CORPUS.is_dir():
        for pattern in ("articles/newstest2014-origde/*.de.txt", "articles/10kgnad/*.txt", "messy/nzz_ocr_gt_1920-1946/*.txt"):
            texts.extend(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob(pattern))[:15])
        texts.append(read_source(CORPUS / "messy" / "gutenberg_22367-8_kafka_die_verwandlung_latin1_crlf.txt").text)
    return texts


REAL_TEXTS = _real_texts()


@_settings
@given(st.data())
def test_lossless_on_real_text(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(REAL_TEXTS))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 3000)))
    piece = text[start:end]
    cut = data.draw(st.integers(0, len(piece)))
    junk = data.draw(st.sampled_from(["", "\n", "\n\n", ". ", "„", "\r\n", "-\n", "\u00ad"]))
    piece = piece[:cut] + junk + piece[cut:]
    _check(piece)
    _check(normalize(piece))


def test_whole_real_texts() -> None:
    for text in REAL_TEXTS:
        _check(text)
        _check(normalize(text))
