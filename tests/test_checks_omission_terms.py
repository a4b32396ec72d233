"""omission, term-mismatch, the wrapped engine checks, and run_checks on a document."""

from __future__ import annotations

import pytest

from translate.checks import CHECKS, CheckContext, check_pair, parse_glossary, run_checks
from translate.checks.omission import band_for, bands, calibrate, is_omission
from translate.checks.terms import GlossaryError, load_glossary
from translate.document import (
    FLAG_LENGTH_RATIO,
    FLAG_OMISSION,
    FLAG_REPETITION,
    FLAG_TERM_MISMATCH,
    FLAG_UNTRANSLATED,
    Document,
    Paragraph,
    Sentence,
)

LONG_DE = "Die Stadtverwaltung hat am Dienstag angekündigt, dass die alte Brücke über den Fluss im kommenden Sommer vollständig saniert wird."
LONG_EN = "The city administration announced on Tuesday that the old bridge over the river will be completely renovated next summer."
CUT_EN = "The city administration announced on Tuesday."


def test_full_translation_is_not_an_omission() -> None:
    assert check_pair(LONG_DE, LONG_EN).flags == ()


def test_cut_translation_is_exactly_an_omission() -> None:
    result = check_pair(LONG_DE, CUT_EN)
    assert result.flags == (FLAG_OMISSION,)
    assert "expected ≥" in result.details[FLAG_OMISSION]


def test_model_evidence_loosens_the_bound() -> None:
    # Between the strict and the loose bound: fine for a confident model, flagged for an unsure one.
    target = "The city administration announced on Tuesday that the old bridge over the river will be renovated."
    assert not is_omission(LONG_DE, target)[0]
    assert is_omission(LONG_DE, target, unsure=True)[0]


def test_short_sources_are_not_judged() -> None:
    assert not is_omission("Von Josh Smith", "By")[0]


def test_empty_target_is_an_omission() -> None:
    assert check_pair("Das ist ein Satz.", "").flags == (FLAG_OMISSION,)


def test_bands_come_from_data_and_grow_stricter_with_length() -> None:
    assert len(bands()) >= 5
    assert band_for(30).char < band_for(200).char


def test_calibrate_computes_quantiles() -> None:
    pairs = [("wort " * 10, "word " * (8 + i % 5)) for i in range(100)]
    data = calibrate(pairs)
    assert data["bands"][0]["pairs"] == 100
    assert data["bands"][0]["char"] <= data["bands"][0]["char_loose"]


GLOSSARY = "# newsroom list\nLandeshauptmann\tstate governor|governor\nBundesrat\t=\n\nRotes Kreuz\tRed Cross\n"


@pytest.mark.parametrize(
    "de,good,bad",
    [
        ("Der Landeshauptmann eröffnete die Messe.", "The state governor opened the fair.", "The provincial captain opened the fair."),
        ("Die Rede des Landeshauptmannes war kurz.", "The governor's speech was short.", "The captain's speech was short."),
        ("Der Bundesrat stimmte dem Gesetz zu.", "The Bundesrat approved the law.", "The Federal Council approved the law."),
        ("Das Rote Kreuz hilft den Opfern.", "The Red Cross is helping the victims.", "The red crescent is helping the victims."),
    ],
)
def test_glossary_terms_both_directions(de: str, good: str, bad: str) -> None:
    context = CheckContext(glossary=parse_glossary(GLOSSARY))
    assert FLAG_TERM_MISMATCH not in check_pair(de, good, context).flags
    result = check_pair(de, bad, context, names=[FLAG_TERM_MISMATCH])
    assert result.flags == (FLAG_TERM_MISMATCH,)


def test_term_detail() -> None:
    context = CheckContext(glossary=parse_glossary(GLOSSARY))
    result = check_pair("Der Bundesrat tagt.", "The Federal Council meets.", context, names=[FLAG_TERM_MISMATCH])
    assert result.details[FLAG_TERM_MISMATCH] == "'Bundesrat' should stay untranslated"


def test_no_glossary_no_term_flags() -> None:
    assert check_pair("Der Bundesrat tagt heute.", "The upper house meets today.", names=[FLAG_TERM_MISMATCH]).flags == ()


def test_malformed_glossary_names_file_and_line(tmp_path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("Bundesrat\t=\nno tab here\n", "utf-8")
    with pytest.raises(GlossaryError, match=r"g.tsv:2: .*no tab"):
        load_glossary(path)
    with pytest.raises(GlossaryError, match="cannot read glossary"):
        load_glossary(tmp_path / "missing.tsv")


def test_untranslated_and_repetition_still_work() -> None:
    de = "Die Stadt hat heute den neuen Bahnhof eröffnet."
    assert check_pair(de, de).flags == (FLAG_UNTRANSLATED,)
    looped = "The city opened the new station the new station the new station the new station today."
    result = check_pair(de, looped)
    assert FLAG_REPETITION in result.flags
    assert "repeated" in result.details[FLAG_REPETITION]


def test_length_ratio_still_works() -> None:
    result = check_pair("Das ist kurz.", "This is a very long English sentence that goes on and on and on without end.")
    assert FLAG_LENGTH_RATIO in result.flags


def test_registry_names_are_flags() -> None:
    assert list(CHECKS) == ["untranslated", "repetition", "length-ratio", "number-mismatch", "name-mismatch", "omission", "term-mismatch"]


def _doc(source: str, target: str, *, flags: tuple[str, ...] = (), score: float | None = -0.2, passthrough: bool = False) -> Document:
    s = Sentence(id=0, source=source, span=(0, len(source)), target=target, score=score, flags=flags, passthrough=passthrough)
    return Document(name="t", path=None, text=source, paragraphs=(Paragraph(0, "body", (0, len(source)), (s,)),))


def test_run_checks_adds_flags_and_details() -> None:
    doc = run_checks(_doc("Es kostet 14 Euro.", "It costs 41 euros."), low_confidence=-1.5)
    (s,) = doc.sentences()
    assert s.flags == ("number-mismatch",)
    assert s.details == (("number-mismatch", "14 → 41"),)


def test_run_checks_details_for_engine_flags_and_keeps_them() -> None:
    de = "Die Stadt hat heute den neuen Bahnhof eröffnet."
    (s,) = run_checks(_doc(de, de, flags=("untranslated",))).sentences()
    assert s.flags == ("untranslated",)
    assert dict(s.details) == {"untranslated": "the English is (almost) the German"}


def test_run_checks_uses_score_as_evidence() -> None:
    target = "The city administration announced on Tuesday that the old bridge over the river will be renovated."
    (sure,) = run_checks(_doc(LONG_DE, target, score=-0.3), low_confidence=-1.5).sentences()
    (unsure,) = run_checks(_doc(LONG_DE, target, score=-2.0), low_confidence=-1.5).sentences()
    assert FLAG_OMISSION not in sure.flags
    assert FLAG_OMISSION in unsure.flags


def test_run_checks_leaves_passthrough_alone() -> None:
    doc = _doc("12:30", "12:30", flags=("passthrough",), passthrough=True)
    assert run_checks(doc) is doc


def test_pipeline_check_stage_flags_with_details_and_glossary(tmp_path) -> None:
    """Pipeline.process runs the checks once per document: flags and details on every translated sentence (echo translator)."""
    from translate.config import TranslatorConfig
    from translate.mt.echo import EchoTranslator
    from translate.pipeline import Options, Pipeline

    first = "Der Bundesrat hat 14 neue Gesetze beschlossen."
    second = "Die Stadt hat heute den neuen Bahnhof eröffnet."
    text = f"{first} {second}"
    sentences = (
        Sentence(id=0, source=first, span=(0, len(first))),
        Sentence(id=1, source=second, span=(len(first) + 1, len(text))),
    )
    doc = Document(name="d", path=None, text=text, paragraphs=(Paragraph(0, "body", (0, len(text)), sentences),))
    fake = {first: "The Federal Council passed 41 new laws.", second: "The city opened the new station today."}
    echo = EchoTranslator(lambda s, retry: fake[s])
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("Bundesrat\t=\n", encoding="utf-8")
    pipeline = Pipeline(options=Options(glossary=str(glossary)), translator=echo, translator_config=TranslatorConfig(model="echo"))
    [out] = pipeline.process([doc], brief=False)
    a, b = out.sentences()
    assert a.flags == ("number-mismatch", "term-mismatch")
    assert dict(a.details) == {"number-mismatch": "14 → 41", "term-mismatch": "'Bundesrat' should stay untranslated"}
    assert b.flags == () and b.details == ()
    assert out.meta.translation.flagged == {"number-mismatch": 1, "term-mismatch": 1}


def test_models_yaml_glossary_is_read_relative_to_the_config_and_overridden_by_the_option(tmp_path) -> None:
    """``defaults.glossary`` in models.yaml feeds term-mismatch; a relative path is taken from the config's folder."""
    from translate.config import load_config
    from translate.mt.echo import EchoTranslator
    from translate.pipeline import Options, Pipeline

    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "glossary.tsv").write_text("Bundesrat\t=\n", encoding="utf-8")
    other = tmp_path / "other.tsv"
    other.write_text("Landeshauptmann\tstate governor\n", encoding="utf-8")
    yaml_text = (
        "defaults: {translator: echo, glossary: glossary.tsv}\n"
        "translators: {echo: {model: echo, backend: transformers}}\n"
    )
    (tmp_path / "conf" / "models.yaml").write_text(yaml_text, encoding="utf-8")
    config = load_config(tmp_path / "conf" / "models.yaml")
    assert config.glossary_path() == str(tmp_path / "conf" / "glossary.tsv")
    echo = EchoTranslator(lambda s, retry: s)
    from_config = Pipeline(config=config, options=Options(), translator=echo)
    assert [t.german for t in from_config.glossary.terms] == ["Bundesrat"]
    overridden = Pipeline(config=config, options=Options(glossary=str(other)), translator=echo)
    assert [t.german for t in overridden.glossary.terms] == ["Landeshauptmann"]


def test_dewire_check_takes_the_glossary_from_models_yaml(tmp_path, monkeypatch, capsys) -> None:
    from translate.cli import main

    (tmp_path / "glossary.tsv").write_text("Bundesrat\t=\n", encoding="utf-8")
    (tmp_path / "models.yaml").write_text(
        "defaults: {translator: echo, glossary: glossary.tsv}\ntranslators: {echo: {model: echo, backend: transformers}}\n",
        encoding="utf-8",
    )
    (tmp_path / "de.txt").write_text("Der Bundesrat tagt heute.\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("The Federal Council meets today.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DEWIRE_CONFIG", raising=False)
    assert main(["check", "de.txt", "en.txt", "--jsonl"]) == 1
    assert '"term-mismatch"' in capsys.readouterr().out
