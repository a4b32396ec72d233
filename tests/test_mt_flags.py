"""Quality flags: repetition loops, untranslated, length ratio, low confidence."""

from __future__ import annotations

import pytest

from translate.mt.flags import (
    has_repetition,
    hypothesis_flags,
    is_untranslated,
    length_ratio_off,
    longest_loop,
    order_flags,
)


@pytest.mark.parametrize(
    "hypothesis",
    [
        "No, no, no, no, no, no, no, no.",  # opus-mt's answer to a dash-only line
        "Kicker Kicker Kicker Kicker Kicker Kicker Kicker",  # one-word label repeated
        "The summit the summit the summit the summit was held.",
        "He said that he said that he said that he said that",
        "hahahahahahahahahaha",
        "The minister ------------------------------ said",
        "writ writ writsidesideside pla pla pla pla pla pla pla de de de de de",  # the tiny random model
    ],
)
def test_loops_are_detected(hypothesis: str) -> None:
    assert has_repetition(hypothesis, "Ein ganz normaler Satz.")


@pytest.mark.parametrize(
    "hypothesis",
    [
        "The men called each other comrades and toasted their friendship on Wednesday.",
        "It is very, very important.",  # a word twice is language, not a loop
        "Yes, yes, he said.",
        "The number rose to 1000000 in 2000.",  # digits are no character loop
        "Bye-bye, said the man.",
    ],
)
def test_normal_text_is_not_a_loop(hypothesis: str) -> None:
    assert not has_repetition(hypothesis, "Ein ganz normaler Satz.")


def test_loop_that_the_source_has_is_a_translation() -> None:
    assert not has_repetition("No, no, no, no!", "Nein, nein, nein, nein!")
    assert has_repetition("No, no, no, no, no, no, no, no, no!", "Nein!")


def test_longest_loop() -> None:
    assert longest_loop("a b a b a b c") == (2, 3)
    assert longest_loop("nothing repeats here") == (0, 0)


def test_untranslated() -> None:
    src = "Die Männer nannten sich gegenseitig Genossen."
    assert is_untranslated(src, src)
    assert is_untranslated(src, "die Männer nannten sich gegenseitig „Genossen“")
    assert is_untranslated(src, "Die Maenner nannten sich gegenseitig Genossen.")
    assert not is_untranslated(src, "The men called each other comrades.")
    # Names and short labels legitimately stay the same.
    assert not is_untranslated("Kim Jong Un", "Kim Jong Un")
    assert not is_untranslated("Von Josh Smith", "By Josh Smith")


def test_length_ratio() -> None:
    src = "Beide Länder haben ein Interesse daran, zu zeigen, dass sie Partner haben."
    assert not length_ratio_off(src, "Both countries have an interest in showing that they have partners.")
    assert length_ratio_off(src, "Both countries.")  # truncated
    assert length_ratio_off(src, "Both countries " * 20)  # padded with invented text
    assert not length_ratio_off("Ja.", "Yes, indeed, certainly.")  # too short to judge


def test_hypothesis_flags_and_order() -> None:
    src = "Beide Länder haben ein Interesse daran, zu zeigen, dass sie Partner haben."
    assert hypothesis_flags(src, "Both countries want to show they have partners.", -0.3, low_confidence=-1.5) == ()
    flags = hypothesis_flags(src, "the the the the the", -2.0, low_confidence=-1.5)
    assert flags == ("low-confidence", "repetition", "length-ratio")
    assert hypothesis_flags(src, src, None, low_confidence=-1.5) == ("untranslated",)
    assert order_flags(["length-ratio", "custom", "split", "split"]) == ("split", "length-ratio", "custom")


def test_untranslated_bounds_shortcut_gives_the_plain_ratio_verdict() -> None:
    """`is_untranslated` tries difflib's upper bounds before `ratio()`; the verdict must equal the plain ratio's."""
    import difflib
    import random

    from translate.mt import flags

    rnd = random.Random(7)
    src = "Die Männer nannten sich gegenseitig „Genossen“ und sprachen lange über die Lage im Land."
    words = src.split()
    hyps = [src, "The men called each other comrades and talked for a long time about the situation."]
    hyps += [" ".join(w if rnd.random() > p else "xx" for w in words) for p in (0.02, 0.05, 0.1, 0.2, 0.4) for _ in range(20)]
    hyps += [src[: rnd.randrange(len(src))] for _ in range(40)]
    verdicts = set()
    for hyp in hyps:
        a, b = flags._normalize(src), flags._normalize(hyp)
        plain = a == b or difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() > flags.UNTRANSLATED_SIMILARITY
        assert is_untranslated(src, hyp) == plain, hyp
        verdicts.add(plain)
    assert verdicts == {True, False}
