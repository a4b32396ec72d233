"""The shipped word-frequency lexicon: same numbers as wordfreq, no wordfreq at run time."""

from __future__ import annotations

import gzip
import subprocess
import sys

import pytest

from translate.checks import lexicon


def test_known_and_unknown_words() -> None:
    assert lexicon.zipf("Haus", "de") > 5
    assert lexicon.zipf("house", "en") > 5
    assert lexicon.zipf("xqzvtrk", "de") == 0.0
    assert lexicon.zipf("", "en") == 0.0
    assert lexicon.zipf("3000", "de") == 0.0


def test_lookup_folds_case_and_sharp_s_like_wordfreq() -> None:
    assert lexicon.zipf("Straße", "de") == lexicon.zipf("strasse", "de") == lexicon.zipf("STRASSE", "de") > 4


def test_first_and_last_words_are_found() -> None:
    lex = lexicon.lexicon("de")
    lines = lex.lines.strip(b"\n").split(b"\n")
    for line in (lines[0], lines[-1], lines[len(lines) // 2]):
        word, value = line.decode().split("\t")
        assert lex.zipf(word) == int(value) / 100


def test_header_names_its_source() -> None:
    info = lexicon.lexicon("en").info
    assert info["language"] == "en" and info["wordfreq"] and info["min_zipf"] == lexicon.MIN_ZIPF
    assert len(lexicon.lexicon("en")) == info["words"] > 100_000


def test_unknown_language_and_bad_file() -> None:
    with pytest.raises(ValueError, match="no lexicon"):
        lexicon.lexicon("fr")
    with pytest.raises(ValueError):
        lexicon.parse(b"not a lexicon")


def test_serialize_round_trip() -> None:
    blob = lexicon.serialize({"zebra": 2.5, "apfel": 4.01, "äpfel": 3.0, "müller": 1.234}, {"language": "de"})
    lex = lexicon.parse(gzip.decompress(blob))
    assert [lex.zipf(w) for w in ("Zebra", "Apfel", "Äpfel", "Müller", "birne")] == [2.5, 4.01, 3.0, 1.23, 0.0]


@pytest.mark.parametrize("lang", lexicon.LANGUAGES)
def test_same_numbers_as_wordfreq(lang: str) -> None:
    wordfreq = pytest.importorskip("wordfreq")
    from importlib.metadata import version

    if lexicon.lexicon(lang).info["wordfreq"] != version("wordfreq"):
        pytest.skip("installed wordfreq differs from the one the lexicon was built from")
    for word in lexicon.sample_words(lang, 300, seed=3) + ["München", "Merkel", "Jury", "Wildcard", "Beilngries"]:
        assert lexicon.zipf(word, lang) == pytest.approx(wordfreq.zipf_frequency(word, lang), abs=0.005), word


def test_checks_do_not_import_wordfreq() -> None:
    code = (
        "import sys\n"
        "from translate.checks import check_pair\n"
        "check_pair('Am Montag traf sich Merkel mit Obama in Beilngries.', 'On Monday, Merkel met Obama.')\n"
        "print('wordfreq' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
