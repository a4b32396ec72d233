"""Language check: German passes silently, other languages warn, mixed input warns."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.language import detect_language

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize("name", ["putin-kim.de.txt", "winkler-wetterleuchten.de.txt", "all-in-vertraege.de.txt"])
def test_german_samples_pass(name: str) -> None:
    finding = detect_language((SAMPLES / name).read_text(encoding="utf-8"))
    assert finding.language == "German" and finding.warning is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The summit between Putin and Kim was a warning to their rivals, analysts said on Wednesday.", "English"),
        ("Le sommet entre Poutine et Kim était un avertissement pour leurs rivaux, ont déclaré les analystes.", "French"),
    ],
)
def test_other_languages_warn(text: str, language: str) -> None:
    finding = detect_language(text)
    assert finding.language == language
    assert finding.warning == f"input looks like {language}, not German"


def test_mixed_german_english_warns() -> None:
    text = (
        "Die Männer nannten sich gegenseitig Genossen und stießen am Mittwoch auf ihre Freundschaft an. "
        "Beide Länder haben ein Interesse daran, Partner zu haben. "
        "Both countries have an interest in showing that they have partners despite their geopolitical "
        "isolation, and both aim to weaken the sanctions led by the United States against them."
    )
    finding = detect_language(text)
    assert finding.warning is not None and finding.warning.startswith("input mixes German with English")


def test_too_short_or_letterless_is_not_judged() -> None:
    assert detect_language("1. 2. 3. *** —").warning is None
    assert detect_language("").language is None


def test_huge_text_is_sampled() -> None:
    text = (SAMPLES / "putin-kim.de.txt").read_text(encoding="utf-8") * 2000  # ~10 MB
    assert detect_language(text).warning is None


def test_short_german_lines_are_not_taken_for_dutch() -> None:
    """Word-level detection called this German notice "35 % Dutch"; sentences are judged whole."""
    text = (
        "Neue Regeln ab Januar\n\nAb Januar gelten neue Regeln für Mieter:\n"
        "- Die Miete darf nur noch um fünf Prozent steigen.\n"
        "- Kündigungen wegen Eigenbedarf werden erschwert.\nDas Gesetz tritt am 1. Januar in Kraft.\n"
    )
    finding = detect_language(text)
    assert finding.language == "German" and finding.warning is None


# -- issue 12: scripts, short CJK text, quoted English -------------------------------------------

from translate.errors import LanguageError  # noqa: E402
from translate.pipeline import read_document  # noqa: E402


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("北京欢迎你", "Chinese"),
        ("中华人民共和国是一个位于东亚的国家，首都是北京。", "Chinese"),
        ("東京は日本の首都です。", "Japanese"),
        ("こんにちは、お元気ですか", "Japanese"),
        ("안녕하세요 반갑습니다", "Korean"),
        ("Привет мир", "Russian"),
        ("مرحبا بالعالم", "Arabic"),
        ("שלום עולם", "Hebrew"),
    ],
)
def test_short_non_latin_text_is_judged_by_its_script(text: str, language: str) -> None:
    """Short CJK text passed --strict-language unchecked; Chinese and Japanese were reported as "Arabic"."""
    finding = detect_language(text)
    assert finding.language == language
    assert finding.warning == f"input looks like {language}, not German"


def test_short_cjk_text_fails_strict_language() -> None:
    with pytest.raises(LanguageError, match="Chinese"):
        read_document("cjk.txt", data="北京欢迎你".encode("utf-8"), strict_language=True)


def test_german_with_a_chinese_name_is_german() -> None:
    finding = detect_language("Die Delegation besuchte Peking (北京) am Montag und sprach lange mit der Regierung.")
    assert finding.language == "German" and finding.warning is None


QUOTING = [
    # a short article whose quotation outweighs its German words (lingua: English, 0.999)
    "Der Gewerkschafter sprach vor der Fabrik.\n„We will never give up. We will fight for every single job in this "
    "factory, every single day of the year, and nobody will stop us“, sagte er.",
    # a German article with one English sentence quoted
    "Streik in Detroit\n\nDie Arbeiter der Autowerke legten am Montag die Arbeit nieder. "
    "Der Streik soll mindestens eine Woche dauern, teilte die Gewerkschaft mit. "
    "„We will never give up, and we will fight for every single job in this factory“, sagte ihr Sprecher. "
    "Die Konzerne wollen am Mittwoch ein neues Angebot vorlegen.",
]


@pytest.mark.parametrize("text", QUOTING)
def test_german_article_quoting_english_is_german(text: str) -> None:
    finding = detect_language(text)
    assert finding.language == "German" and finding.warning is None
    doc = read_document("quote.txt", data=text.encode("utf-8"), strict_language=True)
    assert doc.meta.language == "German"


# -- issue 16: clearly German text is decided without loading lingua's models ---------------------

import translate.language as language_module  # noqa: E402

CORPUS_ORIGDE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "articles" / "newstest2014-origde"


def test_clearly_german_text_needs_no_lingua(monkeypatch: pytest.MonkeyPatch) -> None:
    """The putin-kim sample is German in every sentence: decided without building lingua's detector."""
    def no_lingua() -> None:
        raise AssertionError("lingua was asked")

    monkeypatch.setattr(language_module, "_detector", no_lingua)
    finding = detect_language((SAMPLES / "putin-kim.de.txt").read_text(encoding="utf-8"))
    assert (finding.language, finding.warning) == ("German", None)
    with pytest.raises(AssertionError, match="lingua was asked"):
        detect_language(QUOTING[0])  # a text in doubt still goes to lingua


def _lingua_only(text: str) -> tuple[str | None, str | None]:
    original = language_module._clearly_german
    language_module._clearly_german = lambda sample: False  # type: ignore[assignment]
    try:
        finding = detect_language(text)
    finally:
        language_module._clearly_german = original  # type: ignore[assignment]
    return finding.language, finding.warning


@pytest.mark.skipif(not CORPUS_ORIGDE.is_dir(), reason="../shared/corpus is not beside this checkout")
def test_fast_path_decides_as_lingua_near_the_mixed_threshold() -> None:
    """German articles with 0–all sentences of their English translation appended (and the reverse), around the
    "mixes German with English" threshold: the fast path gives lingua's own decision every time
    (benchmarks/language_fast_path.py runs the same check over the whole corpus)."""
    fired = 0
    for de_path in sorted(CORPUS_ORIGDE.glob("*.de.txt"))[:12]:
        de = de_path.read_text(encoding="utf-8")
        en = de_path.with_name(de_path.name.replace(".de.txt", ".en.txt")).read_text(encoding="utf-8")
        for text in [de] + [de + "\n" + "\n".join(en.splitlines()[:k]) for k in (1, 2, 3, 5, 8, 100)] + [en + "\n" + de]:
            finding = detect_language(text)
            assert (finding.language, finding.warning) == _lingua_only(text), (de_path.name, text[-200:])
            fired += language_module._clearly_german(language_module._sample(text))
    assert fired > 0  # the fast path was exercised, not only the lingua path
