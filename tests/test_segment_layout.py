"""Layout (issue 12): hard-wrapped text, continuation lines, de-hyphenation, ``¬``, lists.

Every case goes through :func:`translate.reading.normalize` (unwrapping) and
:func:`translate.segment.segment` (paragraph kinds).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from translate.document import Document, check_alignment
from translate.reading import normalize
from translate.segment import segment

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def _paragraphs(text: str) -> list[tuple[str, str]]:
    normalized = normalize(text)
    paragraphs = segment(normalized)
    check_alignment(Document(name="t", path=None, text=normalized, paragraphs=paragraphs), require_targets=False)
    return [(p.kind, normalized[p.span[0] : p.span[1]]) for p in paragraphs]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


SCHMUCKENSCHLAGER = (
    "Die Kennzeichen der Stadt bestehen aus Buchstaben und Ziffern. Nicht so für Klosterneuburgs Bürgermeister "
    "Stefan Schmuckenschlager (ÖVP): Die Kennzeichnung sei ein Zeichen der Verbundenheit mit der Stadt, sagte er."
)


@pytest.mark.parametrize("width", [40, 50, 53, 54, 60, 72])
def test_wrapped_party_in_parentheses_is_no_dateline(width: int) -> None:
    """A wrapped line starting ``Schmuckenschlager (ÖVP): …`` split the paragraph as a dateline."""
    assert _paragraphs(_wrap(SCHMUCKENSCHLAGER, width)) == [("body", SCHMUCKENSCHLAGER)]


def test_wrapped_line_starting_with_the_party_exactly() -> None:
    text = (
        "Die Kennzeichen der Stadt bestehen aus Buchstaben und Ziffern. Nicht so für Klosterneuburgs Bürgermeister\n"
        "Schmuckenschlager (ÖVP): Die Kennzeichnung sei ein Zeichen der Verbundenheit mit der Stadt, sagte er."
    )
    assert [k for k, _ in _paragraphs(text)] == ["body"]


def test_real_dateline_after_a_wrapped_paragraph_still_breaks() -> None:
    text = (
        "Die Regierung hat am Montag ein neues Gesetz beschlossen, das ab dem kommenden\nJahr gelten soll.\n"
        "BERLIN (dpa) – Die Opposition kritisierte das Gesetz am Dienstag scharf und\nkündigte Widerstand an."
    )
    assert [k for k, _ in _paragraphs(text)] == ["body", "dateline"]


@pytest.mark.parametrize(
    "lines",
    [
        ["Die beiden Österreicher unterlagen im Doppel ihren", "US-Landsleuten Steve Johnson und Sam Querrey mit", "6:7, 7:5, 3:6."],
        ["Bis zum Jahresende liege man nach den Angaben der", "Veranstalter etwas über der Zahl der Besucher von", "2014."],
        ["Bis zum Jahresende liege man nach den Angaben der", "Veranstalter etwas über der Zahl der Besucher von", "2014. Dann kam die Wende für alle Beteiligten."],
        ["Die Feier ist für Anfang Dezember versprochen. (Renate Graber,", "23.11.2015)"],
        ["Das heißt es in Sofioter Justizkreisen. (Markus Bernath;", "01.11.2015)"],
    ],
)
def test_continuation_lines_without_letters_stay_in_their_paragraph(lines: list[str]) -> None:
    """``2014.`` and ``6:7, 7:5, 3:6.`` at a line start became separator paragraphs (passed through untranslated)."""
    head = ["Vorweg steht ein Satz, damit der Text ein Absatz", "mit Umbruch ist: Die Zeilen sind fast gleich lang"]
    text = "\n".join([*head, *lines])
    (paragraph,) = _paragraphs(text)
    assert paragraph == ("body", " ".join([*head, *lines]))


def test_separator_line_still_separates() -> None:
    text = "Vorweg ein Satz.\n\nDie Regierung hat am Montag ein neues Gesetz beschlossen, das ab dem\nkommenden Jahr gelten soll und viel verändert\n***\nDer zweite Teil beginnt."
    assert [k for k, _ in _paragraphs(text)] == ["body", "body", "separator", "body"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Die Demokratiewerk-", "statt des Parlaments ist offen für alle Schulklassen aus ganz Wien und Umgebung."],
         "Die Demokratiewerkstatt des Parlaments ist offen für alle Schulklassen aus ganz Wien und Umgebung."),
        (["Die Auto-", "werkstatt schließt. Die Lager-", "statt ist leer, auch die Ruhe-", "statt ist nicht mehr zu finden."],
         "Die Autowerkstatt schließt. Die Lagerstatt ist leer, auch die Ruhestatt ist nicht mehr zu finden."),
        (["Wir empfehlen die Bahn- statt der Autofahrt und mehr Bus-", "statt Autofahrten in der ganzen Region."],
         "Wir empfehlen die Bahn- statt der Autofahrt und mehr Bus- statt Autofahrten in der ganzen Region."),
        (["Der Ost-", "West-Konflikt prägte die Jahrzehnte nach dem Krieg in ganz Europa und weit darüber hinaus."],
         "Der Ost-West-Konflikt prägte die Jahrzehnte nach dem Krieg in ganz Europa und weit darüber hinaus."),
        (["Das Verteidigungs-", "ministerium in Berlin hat am Montag die neuen Pläne für die Truppe vorgestellt."],
         "Das Verteidigungsministerium in Berlin hat am Montag die neuen Pläne für die Truppe vorgestellt."),
    ],
)
def test_dehyphenation(lines: list[str], expected: str) -> None:
    assert normalize("\n".join(lines)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a word split at the end of a text region goes on in lower case after the blank line
        ("Er las die geplante dritte Holz¬\n\nschnittfolge, die drei erste Blätter umfaßt.",
         "Er las die geplante dritte Holzschnittfolge, die drei erste Blätter umfaßt."),
        ("Hit¬\n\nler sprach am Abend.", "Hitler sprach am Abend."),
        # the word goes on in another column: the ¬ is dropped, the next region stays apart
        ("die Herab¬\n\nFeuilleton.\n\nDas Stück beginnt.", "die Herab\n\nFeuilleton.\n\nDas Stück beginnt."),
        # a hard hyphen marked twice: kept once, no space
        ("Die neue Saison-¬\nBeilage erscheint am Montag.", "Die neue Saison-Beilage erscheint am Montag."),
        ("Die Versetzung der Arbeit¬-\nlosen ist geplant.", "Die Versetzung der Arbeitlosen ist geplant."),
        ('„Hudson"¬\nund „Baltimore"-Flugzeuge griffen an.', '„Hudson"- und „Baltimore"-Flugzeuge griffen an.'),
    ],
)
def test_fraktur_hyphen(text: str, expected: str) -> None:
    assert normalize(text) == expected


NZZ = CORPUS / "messy" / "nzz_ocr_gt_1920-1946"


@pytest.mark.skipif(not NZZ.is_dir(), reason="../shared/corpus/messy/nzz_ocr_gt_1920-1946 is not present")
def test_no_fraktur_hyphen_is_left_in_the_nzz_ground_truth() -> None:
    """64 of 3,095 ``¬`` (those at the end of a text region) were left in the text."""
    files = sorted(NZZ.glob("*.txt"))
    assert files
    total = left = 0
    for path in files:
        raw = path.read_text(encoding="utf-8")
        total += raw.count("¬")
        out = normalize(raw)
        left += out.count("¬")
        assert normalize(out) == out
    assert total >= 3000
    assert left == 0


def test_list_after_an_intro_without_colon_keeps_its_first_item() -> None:
    text = "Die wichtigsten Änderungen im Überblick\n- Die Steuern steigen um zwei Prozent.\n- Die Renten sinken."
    assert _paragraphs(text) == [
        ("headline", "Die wichtigsten Änderungen im Überblick"),
        ("list", "- Die Steuern steigen um zwei Prozent.\n- Die Renten sinken."),
    ]
    body = "Vorweg ein Satz.\n\n" + text.replace("Überblick", "Überblick für alle Bürgerinnen und Bürger")
    assert [k for k, _ in _paragraphs(body)][-1] == "list"
    assert "- Die Steuern" in _paragraphs(body)[-1][1]


GNAD = CORPUS / "articles" / "10kgnad"


@pytest.mark.skipif(not GNAD.is_dir(), reason="../shared/corpus/articles/10kgnad is not present")
def test_wrapping_10kgnad_articles_inserts_no_mid_sentence_break() -> None:
    """The 108 one-line articles wrapped at 50–72 columns: 12 mid-sentence breaks before, none now."""
    files = sorted(GNAD.glob("*.txt"))
    assert len(files) >= 100
    breaks = []
    for width in range(50, 73):
        for path in files:
            text = path.read_text(encoding="utf-8").strip()
            out = normalize(_wrap(text, width))
            for m in re.finditer(r"\n+", out):
                before = out[: m.start()].rstrip("\"'“”»«’)")
                if not before or before[-1] not in ".!?…:":
                    breaks.append(f"{width} {path.name}: {out[max(0, m.start() - 40) : m.start() + 30]!r}")
    assert breaks == []
