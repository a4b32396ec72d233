"""number-mismatch: a table of German/English conventions, both directions.

Each row is a correct human-style pair (no flag at all) and a corrupted English
(exactly the ``number-mismatch`` flag, all checks run).
"""

from __future__ import annotations

import pytest

from translate.checks import check_pair
from translate.checks.numbers import check_numbers, english_quantities, german_quantities
from translate.document import FLAG_NUMBER_MISMATCH

CASES = [
    # (German, correct English, corrupted English)
    ("Die Firma hat heute 1.000 Mitarbeiter.", "The company has 1,000 employees today.", "The company has 1,500 employees today."),
    ("Die Firma hat heute 1 000 Mitarbeiter.", "The company has 1000 employees today.", "The company has 100 employees today."),
    ("Die Inflation lag zuletzt bei 3,5 Prozent.", "Inflation was most recently 3.5 percent.", "Inflation was most recently 5.3 percent."),
    ("Die Inflation lag zuletzt bei 3,5 Prozent.", "Inflation was most recently 3.5%.", "Inflation was most recently 35%."),
    ("Das Treffen beginnt um 14.30 Uhr im Rathaus.", "The meeting starts at 2:30 p.m. in the town hall.", "The meeting starts at 3:30 p.m. in the town hall."),
    ("Das Treffen beginnt um 14.30 Uhr im Rathaus.", "The meeting starts at 14:30 in the town hall.", "The meeting starts at 14:45 in the town hall."),
    ("Das Treffen beginnt um 14 Uhr im Rathaus.", "The meeting starts at 2 p.m. in the town hall.", "The meeting starts at 4 p.m. in the town hall."),
    ("Am 3. Oktober feiert das ganze Land.", "On October 3 the whole country celebrates.", "On October 13 the whole country celebrates."),
    ("Am 3. Oktober feiert das ganze Land.", "On 3rd October the whole country celebrates.", "On 4th October the whole country celebrates."),
    ("Am 14.3.2014 war es soweit.", "On March 14, 2014 the time had come.", "On March 14, 2015 the time had come."),
    ("Das Projekt kostet 2,4 Mio. Euro.", "The project costs 2.4 million euros.", "The project costs 4.2 million euros."),
    ("Das Projekt kostet 2,4 Millionen Euro.", "The project costs 2,400,000 euros.", "The project costs 2,000,000 euros."),
    ("Der Umbau kostet 1,2 Mrd. Euro.", "The conversion costs 1.2 billion euros.", "The conversion costs 2.1 billion euros."),
    ("Der Umbau kostet 1,2 Milliarden Euro.", "The conversion costs 1.2bn euros.", "The conversion costs 12bn euros."),
    ("Drei Männer wurden verletzt.", "Three men were injured.", "Four men were injured."),
    ("Drei Männer wurden verletzt.", "3 men were injured.", "5 men were injured."),
    ("Es wurden 12 Männer verletzt.", "Twelve men were injured.", "Eleven men were injured."),
    ("Es kamen zwanzig Gäste zum Fest.", "Twenty guests came to the party.", "Thirty guests came to the party."),
    ("Es kamen einundzwanzig Gäste zum Fest.", "Twenty-one guests came to the party.", "Twenty-two guests came to the party."),
    ("Die Hälfte der Gäste ging früh.", "Half of the guests left early.", "A third of the guests left early."),
    ("Ein Dutzend Gäste ging früh.", "A dozen guests left early.", "A hundred guests left early."),
    ("Die Brücke wurde 1998 gebaut.", "The bridge was built in 1998.", "The bridge was built in 1989."),
    ("Die Band war in den 70er Jahren bekannt.", "The band was famous in the 1970s.", "The band was famous in the 1980s."),
    ("Die Preise steigen um 10 bis 12 Prozent.", "Prices rise by 10 to 12 percent.", "Prices rise by 10 to 15 percent."),
    ("Die Preise steigen um 10-12 Prozent.", "Prices rise by 10-12 percent.", "Prices rise by 10-20 percent."),
    ("Das Spiel endete mit 3:1 für die Gäste.", "The game ended 3-1 to the visitors.", "The game ended 3-2 to the visitors."),
    ("Das Spiel endete mit 3:1 für die Gäste.", "The game ended 3:1 to the visitors.", "The game ended 4:1 to the visitors."),
    ("Das Konzert endet um 12 Uhr.", "The concert ends at noon.", "The concert ends at 11 a.m."),
]


@pytest.mark.parametrize("de,en,bad", CASES)
def test_correct_pair_gets_no_flag(de: str, en: str, bad: str) -> None:
    assert check_pair(de, en).flags == ()


@pytest.mark.parametrize("de,en,bad", CASES)
def test_corrupted_pair_gets_exactly_number_mismatch(de: str, en: str, bad: str) -> None:
    result = check_pair(de, bad)
    assert result.flags == (FLAG_NUMBER_MISMATCH,)
    assert result.details[FLAG_NUMBER_MISMATCH]


def test_detail_shows_the_change() -> None:
    assert check_numbers("Es kostet 14 Euro.", "It costs 41 euros.") == [(FLAG_NUMBER_MISMATCH, "14 → 41")]


def test_detail_names_a_missing_number() -> None:
    [(flag, detail)] = check_numbers("Es kamen 14 Gäste und 20 Kinder.", "Guests and children came.")
    assert detail == "14, 20 not in the English"


def test_article_ein_is_not_a_number() -> None:
    assert german_quantities("Ein Mann kam mit einer Frau.") == []


def test_die_elf_is_the_team_not_eleven() -> None:
    assert check_numbers("Die Elf gewann das Spiel.", "The team won the game.") == []


def test_english_numbers_beyond_the_source_are_not_flagged() -> None:
    assert check_numbers("Im vergangenen Jahr kamen viele.", "In 2013 many came.") == []


def test_german_thousands_written_in_english_text_are_accepted() -> None:
    values = {v for q in english_quantities("It has 1.000 seats.") for v in q.values}
    assert 1000.0 in values
