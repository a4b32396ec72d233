"""News layouts (issue 17): kicker, title, timestamp and boilerplate lines get their own kinds.

Boilerplate rules live in ``translate/data/boilerplate_de.txt``; this file
tests them as a table, end to end through :func:`normalize` and
:func:`segment`, and over the corpus articles (no article sentence may be
boilerplate).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from translate import segment_rules as R
from translate.document import PARAGRAPH_KINDS, Document, check_alignment
from translate.reading import normalize
from translate.segment import segment
from translate.summarize.extractive import candidate_sentences, headline_title

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "articles"


def _kinds(text: str) -> list[tuple[str, str]]:
    normalized = normalize(text)
    paragraphs = segment(normalized)
    check_alignment(Document(name="t", path=None, text=normalized, paragraphs=paragraphs), require_targets=False)
    return [(p.kind, " ".join(s.source for s in p.sentences)) for p in paragraphs]


def test_new_kinds_are_registered() -> None:
    assert {"kicker", "timestamp", "boilerplate"} <= set(PARAGRAPH_KINDS)


WEB_COPY = """Tourismusattraktion in England
Stonehenge-Tunnel darf gebaut werden
Stand: 08.09.2023 14:32 Uhr

Das umstrittene Projekt am Weltkulturerbe Stonehenge darf gebaut werden. Das hat ein Gericht in London entschieden.

Anzeige

Der Tunnel soll den Verkehr unter die Erde bringen. Kritiker fürchten Schäden an archäologischen Funden.

Foto: dpa

Teilen
Lesen Sie auch: Die Bahn streikt wieder
Mehr zum Thema
Zur Startseite"""


def test_web_copy_kicker_title_timestamp_lead_and_boilerplate() -> None:
    assert _kinds(WEB_COPY) == [
        ("kicker", "Tourismusattraktion in England"),
        ("headline", "Stonehenge-Tunnel darf gebaut werden"),
        ("timestamp", "Stand: 08.09.2023 14:32 Uhr"),
        ("body", "Das umstrittene Projekt am Weltkulturerbe Stonehenge darf gebaut werden. Das hat ein Gericht in London entschieden."),
        ("boilerplate", "Anzeige"),
        ("body", "Der Tunnel soll den Verkehr unter die Erde bringen. Kritiker fürchten Schäden an archäologischen Funden."),
        ("boilerplate", "Foto: dpa"),
        ("boilerplate", "Teilen"),
        ("boilerplate", "Lesen Sie auch: Die Bahn streikt wieder"),
        ("boilerplate", "Mehr zum Thema"),
        ("boilerplate", "Zur Startseite"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a one-word kicker above the title, timestamp after it
        (
            "Politik\n\nMerz kündigt Reform der Schuldenbremse an\n\nStand: 08.09.2023 14:32 Uhr\n\nDer CDU-Chef will die Regeln ändern.",
            ["kicker", "headline", "timestamp", "body"],
        ),
        # the same in one block: never glued into one heading
        (
            "Politik\nMerz kündigt Reform der Schuldenbremse an\nStand: 08.09.2023 14:32 Uhr\n\nDer CDU-Chef will die Regeln ändern.",
            ["kicker", "headline", "timestamp", "body"],
        ),
        # timestamp above the title, then the body
        (
            "Aktualisiert am 8. September 2023, 10:15 Uhr\n\nDie Bahn streikt am Montag\n\nReisende müssen sich auf Ausfälle einstellen.",
            ["timestamp", "headline", "body"],
        ),
        # a plain headline stays the headline (no kicker without a title under it)
        ("Die Bahn streikt am Montag\n\nReisende müssen sich auf Ausfälle einstellen. Das sagte ein Sprecher.", ["headline", "body"]),
        # a headline followed by a sentence is no kicker
        ("Streik\n\nReisende müssen sich auf Ausfälle einstellen.\n\nDas sagte ein Sprecher.", ["headline", "body", "body"]),
        # a list intro with a colon is no kicker
        ("Geplant sind:\n- ein Radweg mit neuen Bänken\n- mehr Licht", ["body", "list"]),
        # boilerplate first: the kicker and title still found
        (
            "Anzeige\n\nKrieg in der Ukraine\n\nSelenskyj bittet um mehr Flugabwehr\n\nDer Präsident sprach in Kiew.",
            ["boilerplate", "kicker", "headline", "body"],
        ),
    ],
)
def test_layout_kinds(text: str, expected: list[str]) -> None:
    assert [k for k, _ in _kinds(text)] == expected


def test_title_and_timestamp_hard_wrapped_are_not_glued() -> None:
    text = (
        "Merz kündigt Reform der Schuldenbremse an\nStand: 08.09.2023 14:32 Uhr\n\n"
        "Der CDU-Chef will die Regeln für neue Schulden ändern, sagte er am Montag in\n"
        "Berlin vor Journalisten, die ihn nach dem Haushalt für das kommende Jahr\nfragten."
    )
    kinds = _kinds(text)
    assert kinds[0] == ("headline", "Merz kündigt Reform der Schuldenbremse an")
    assert kinds[1] == ("timestamp", "Stand: 08.09.2023 14:32 Uhr")


@pytest.mark.parametrize(
    "line",
    [
        "Stand: 08.09.2023 14:32 Uhr",
        "Stand: 08.09.2023",
        "Aktualisiert am 8. September 2023, 10:15 Uhr",
        "Veröffentlicht: 11.09.2023, 09:00 Uhr",
        "Montag, 11.09.2023",
        "08.09.2023 | 14:32",
        "2023-09-08 14:32",
        "14:32 Uhr",
    ],
)
def test_timestamp_lines(line: str) -> None:
    assert R.is_timestamp(line)


@pytest.mark.parametrize(
    "line",
    ["Am 8. September 2023 wurde gewählt.", "1. FC Köln", "Stand der Dinge", "Um 14:32 Uhr fiel der Strom aus."],
)
def test_not_timestamp_lines(line: str) -> None:
    assert not R.is_timestamp(line)


@pytest.mark.parametrize(
    "line",
    [
        "Anzeige", "ANZEIGE", "Werbung", "Teilen", "Artikel teilen", "Drucken", "Mehr zum Thema", "Mehr zum Thema:",
        "Lesen Sie auch: Die Bahn streikt wieder", "Lesen Sie auch:", "Zur Startseite", "Zurück zur Startseite",
        "Foto: dpa", "Bild: Michael Kappeler/dpa", "Fotos: Getty Images", "© Reuters", "Foto: picture alliance / dpa",
        "source site-20", "Facebook | Twitter | WhatsApp", "Newsletter abonnieren", "12 Kommentare", "Quelle: dpa",
        # article toolbar widgets of nachrichten.at (../shared/corpus/html/pages/0b96fc66e2c94f45a1b923ec9a31fcf2.html)
        "bookmark_border Auf die Merkliste", "headset Vorlesen", "chat_bubble 0 Kommentare", "Lesedauer etwa 2 Min",
        "Auf die Merkliste", "Vorlesen", "Artikel anhören", "Lesezeit: 4 Minuten", "3 Min. Lesezeit",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert R.is_boilerplate(line)
    ((kind, _),) = _kinds(line) if len(_kinds(line)) == 1 else [_kinds(line)[0]]
    assert kind == "boilerplate"


@pytest.mark.parametrize(
    "line",
    [
        "Die Anzeige wurde am Montag erstattet.",
        "Teilen Sie uns Ihre Meinung mit.",
        "Mehr zum Thema Klimaschutz lesen Sie in unserer Serie über Energie und Verkehr.",
        "© Reuters. Putin und Kim beim Treffen.",  # a caption with a credit: translated
        "Der Kanzler am Montag in Berlin. Foto: Michael Kappeler/dpa",
        "Foto: Die Feuerwehr löschte den Brand. Sie war mit 40 Leuten im Einsatz.",
        "Startseite der Polizei: Dort steht die Warnung.",
        "headset Vorlesen und Zuhören sind zweierlei.",  # an icon name before text that is no widget label
        "Vorlesen macht Kindern Freude.",
        "Die Lesedauer beträgt etwa 2 Minuten.",
    ],
)
def test_not_boilerplate(line: str) -> None:
    assert not R.is_boilerplate(line)


def test_boilerplate_sentences_are_passthrough_and_never_in_the_brief() -> None:
    text = normalize(WEB_COPY)
    paragraphs = segment(text)
    for p in paragraphs:
        for s in p.sentences:
            assert s.passthrough == (p.kind == "boilerplate"), (p.kind, s.source)
    # with every sentence translated (echo), even a long teaser never becomes a bullet
    translated = tuple(
        dataclasses.replace(p, sentences=tuple(dataclasses.replace(s, target=s.source + " translated into English words") for s in p.sentences))
        for p in paragraphs
    )
    doc = Document(name="web", path=None, text=text, paragraphs=translated)
    for relaxed in (False, True):
        kinds = {s.id: p.kind for p in doc.paragraphs for s in p.sentences}
        assert {kinds[s.id] for s in candidate_sentences(doc, relaxed=relaxed)} <= {"body", "list", "dateline", "heading"}
    assert headline_title(doc) == "Stonehenge-Tunnel darf gebaut werden translated into English words"


def _corpus_articles() -> list[Path]:
    return sorted(CORPUS.glob("*/*.de.txt")) + sorted(CORPUS.glob("10kgnad/*.txt"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/articles is not present")
def test_no_corpus_article_sentence_is_boilerplate() -> None:
    files = _corpus_articles()
    assert len(files) >= 300
    found = []
    for path in files:
        text = normalize(path.read_text(encoding="utf-8"))
        for p in segment(text):
            if p.kind == "boilerplate":
                found.append(f"{path.name}: {p.sentences[0].source[:60]}")
            for s in p.sentences:
                if R.is_boilerplate(s.source):
                    found.append(f"{path.name}: sentence {s.source[:60]}")
    assert found == []


def test_boilerplate_rules_file_is_well_formed() -> None:
    assert len(R.BOILERPLATE_PATTERNS) >= 8
    for pattern in R.BOILERPLATE_PATTERNS:
        assert not pattern.fullmatch(""), pattern.pattern


def test_toolbar_items_of_a_reader_list_stay_boilerplate() -> None:
    """A reader's ``list`` block of toolbar items (icon name + label, as trafilatura extracts the nachrichten.at
    toolbar of ../shared/corpus/html/pages/0b96fc66e2c94f45a1b923ec9a31fcf2.html) is boilerplate: passthrough."""
    from translate.segment import segment_blocks

    text = ("Was bringen alternative Therapien bei Krebs?\n\n"
            "bookmark_border Auf die Merkliste\nheadset Vorlesen\nchat_bubble 0 Kommentare\nLesedauer etwa 2 Min\n\n"
            "Scharlatanerie oder berechtigte Hoffnung? Krebspatienten bedienen sich oft komplementärmedizinischer Methoden.\n\n"
            "- Misteltherapie\n- Vitamine")
    paragraphs = segment_blocks(text, ("headline", "list", "body", "list"))
    kinds = [(p.kind, [s.source for s in p.sentences]) for p in paragraphs]
    assert [k for k, _ in kinds] == ["headline", "boilerplate", "boilerplate", "boilerplate", "boilerplate", "body", "list"]
    assert all(s.passthrough for p in paragraphs if p.kind == "boilerplate" for s in p.sentences)
    assert not any(s.passthrough for p in paragraphs if p.kind != "boilerplate" for s in p.sentences)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Von Jan Kupitz", "byline"),  # 90min.de: <h4>Von <a>Jan Kupitz</a></h4>
        ("Von Anna Muster und Jan Kupitz", "byline"),
        ("Von Anna Muster und Jan Kupitz (dpa)", "byline"),
        ("Von Jan Kupitz | 24.10.2023", "byline"),
        ("Von Ursula von der Leyen", "byline"),
        ("Von Mensch zu Mensch", "heading"),
        ("Von Berlin nach Hamburg", "heading"),
        ("Von A bis Z", "heading"),
        ("Reaktionen der Opposition", "heading"),
    ],
)
def test_a_heading_block_that_is_a_byline_is_a_byline(line: str, kind: str) -> None:
    from translate.segment import segment_blocks

    text = f"Bundesliga-Tabelle ohne Fehlentscheidungen\n\n{line}\n\nDie ersten zehn Spieltage der Bundesliga sind gespielt."
    paragraphs = segment_blocks(text, ("headline", "heading", "body"))
    assert [p.kind for p in paragraphs] == ["headline", kind, "body"]
