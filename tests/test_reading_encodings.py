"""Encodings (issue 12): Mac Roman, and UTF-8 with stray bytes decided per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.reading import decode, read_source

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "articles"


def _corpus_articles() -> list[Path]:
    return sorted(CORPUS.glob("newstest2014-origde/*.de.txt")) + sorted(CORPUS.glob("10kgnad/*.txt"))


@pytest.mark.skipif(not _corpus_articles(), reason="../shared/corpus/articles is not present")
@pytest.mark.parametrize("codec", ["mac_roman", "cp1252", "iso-8859-1", "cp850", "utf-8"])
def test_corpus_articles_reencoded_decode_back(codec: str) -> None:
    """204 corpus articles re-encoded: 69 came back as cp1252 mojibake from Mac Roman ("fŸr Fu§gŠnger")."""
    wrong = []
    files = _corpus_articles()
    for path in files:
        data = path.read_text(encoding="utf-8").encode(codec, "replace")
        expected = data.decode(codec)
        text, encoding, _ = decode(data, path.name)
        if text != expected:
            wrong.append(f"{path.name} ({encoding})")
    assert len(files) >= 200
    assert wrong == []


@pytest.mark.parametrize(
    "text",
    [
        "Für Fußgänger gilt ab Montag eine neue Regel.",
        "Die Ämter öffnen später. Über die Brücke geht es nicht.",
        "„Wir schließen“, sagte die Bürgermeisterin – und ging.",
    ],
)
def test_mac_roman_short_texts(text: str) -> None:
    source = read_source("mac.txt", data=text.encode("mac_roman"))
    assert (source.text, source.encoding) == (text, "mac_roman")


def test_utf8_with_one_bad_sequence_stays_utf8_without_umlaut_warning() -> None:
    data = "Über die Pläne wird beraten.".encode("utf-8") + b"\xed\xa0\x80" + b" Danach wird abgestimmt."
    source = read_source("x.txt", data=data)
    assert source.encoding == "utf-8"
    assert source.text.startswith("Über die Pläne")
    assert "Ã" not in source.text
    (warning,) = source.warnings
    assert "umlauts" not in warning and "3 bytes not valid UTF-8" in warning and "byte offset 30" in warning


def test_utf8_line_followed_by_cp1252_lines() -> None:
    first = "Pläne für die Straße\n\n".encode("utf-8")
    rest = "Die Bürger müssen länger warten.\n\nDas Geschäft schließt – „leider“.\n".encode("cp1252")
    source = read_source("mixed.txt", data=first + rest)
    assert source.text == "Pläne für die Straße\n\nDie Bürger müssen länger warten.\n\nDas Geschäft schließt – „leider“."
    (warning,) = source.warnings
    assert "mixed.txt" in warning and "read as cp1252" in warning and "U+FFFD" not in warning


def test_mostly_utf8_with_a_few_cp1252_bytes_keeps_those_characters() -> None:
    data = "Grüße aus München. ".encode("utf-8") * 20 + "Die Straße ist gesperrt.".encode("cp1252")
    source = read_source("x.txt", data=data)
    assert source.text.endswith("Die Straße ist gesperrt.")
    assert "\ufffd" not in source.text
    assert "1 byte not valid UTF-8" in source.warnings[0] and "1 read as cp1252" in source.warnings[0]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xc3\xbcber \xff\xfe ok", "über \ufffd\ufffd ok"),  # junk bytes: U+FFFD
        (b"\xc3\xbcber \x81 ok", "über \ufffd ok"),  # undefined in cp1252
        (b"\xc3\xbcber \xe4 ok", "über ä ok"),
        (b"\xc3\xbcber \x84x\x93 ok", "über „x“ ok"),
    ],
)
def test_stray_bytes_table(data: bytes, expected: str) -> None:
    text, encoding, warnings = decode(data, "t")
    assert (text, encoding) == (expected, "utf-8")
    assert len(warnings) == 1
