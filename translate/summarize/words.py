"""English words for the summarizers: tokens, stop words, light stemming, key terms.

The brief works on the English side of the document (``Sentence.target``).
Both summarizers and the traceability checks (:mod:`translate.summarize.support`)
compare sentences by their *content terms*: lower-cased word tokens, stop
words removed, lightly stemmed. Key terms (numbers and names) are what a
summary must not invent; :func:`key_terms` finds them.

Stop words are sumy's English list (``sumy/data/stopwords/english.txt``, 579
words), read as package data: no NLTK data, nothing downloaded.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
"""A word: letters/digits, with inner apostrophes (``don't``, ``Putin's``)."""

_NUMBER_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])|(?<![\w.,])\d+(?=[a-zA-Z%])")
"""A number token: ``13``, ``2023``, ``1,000``, ``2.5``; also the digits of ``70-minute``/``5%``."""

_KEY_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]", re.UNICODE)
"""A word as written, keeping inner hyphens/apostrophes/dots (``Titisee-Neustadt``, ``U.S.``)."""

_POSSESSIVE_RE = re.compile(r"['’]s?$")

NUMBER_WORDS: dict[str, str] = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100", "thousand": "1000",
}
"""English number words and their digits, so that ``30`` in a brief is supported by
``thirty`` in the article (and vice versa)."""


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """sumy's English stop-word list (lower case), read once from package data.

    Returns:
        The 579 words of ``sumy/data/stopwords/english.txt``; an empty set if
        sumy is not installed (then every word counts as content).
    """
    try:
        data = resources.files("sumy").joinpath("data/stopwords/english.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):  # pragma: no cover - sumy is a dependency
        return frozenset()
    return frozenset(line.strip().lower() for line in data.splitlines() if line.strip())


def words(text: str) -> list[str]:
    """The word tokens of ``text``, lower-cased, in order (punctuation dropped)."""
    return [w.lower() for w in _WORD_RE.findall(text)]


def count_words(text: str) -> int:
    """Words of ``text`` as a reader counts them: whitespace-separated tokens with a letter or digit.

    Used for ``--brief-words`` budgets, the minimum bullet length and the
    word counts of the brief's facts line; a lone dash or quote mark is not a
    word.
    """
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


def stem(word: str) -> str:
    """Light English suffix stripping, enough to match ``talks``/``talk``, ``visited``/``visit``.

    Strips a possessive ``'s``, a plural ``-s``/``-ies``, then ``-ing``/``-ed``,
    then a final ``-e`` (so ``create``, ``created``, ``creates`` all give
    ``creat``); words of up to 3 letters are kept. This is deliberately weaker than
    Porter's stemmer (no NLTK import, 0.7 s on this machine): it only has to
    make overlap counts robust, not produce linguistic stems.
    """
    w = _POSSESSIVE_RE.sub("", word)
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) >= 6:
        w = w[:-3]
    elif w.endswith("ed") and len(w) >= 5:
        w = w[:-2]
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    return w


def content_terms(text: str) -> list[str]:
    """Stemmed content words of ``text`` (stop words removed), in order, with repeats.

    Number words are mapped to digits (``thirty`` → ``30``) so that numbers match
    whichever way they are written.
    """
    stops = stop_words()
    out: list[str] = []
    for w in words(text):
        if w in NUMBER_WORDS:
            out.append(NUMBER_WORDS[w])
        elif w not in stops and (len(w) > 1 or w.isdigit()):
            out.append(stem(w))
    return out


def normalize_number(token: str) -> str:
    """``1,000`` → ``1000``; ``2.5`` stays ``2.5``; a number word → its digits."""
    low = token.lower()
    if low in NUMBER_WORDS:
        return NUMBER_WORDS[low]
    if re.fullmatch(r"\d{1,3}(,\d{3})+", token):
        return token.replace(",", "")
    return token


def numbers(text: str) -> list[str]:
    """The numbers written in digits in ``text``, normalized (``1,000`` → ``1000``), in order."""
    return [normalize_number(m.group(0).rstrip(".,")) for m in _NUMBER_RE.finditer(text)]


def key_terms(text: str) -> list[str]:
    """Key content terms of a sentence: its numbers and its names.

    A *name* is a capitalized word that is not the first word of the sentence,
    or any word of two or more capital letters (``NATO``, ``U.S.``); the first
    word (capitalized anyway) counts only when it is possessive (``Putin's``)
    or followed by another capitalized word (``Angela Merkel``), so a lone
    first-word name (``Merkel said …``) is missed. Stop words are never
    names. Possessives are stripped (``Putin's`` → ``Putin``). These are the
    words whose invention is the classic summarizer hallucination (numbers
    and names that appear in the brief but nowhere in the translation).

    Args:
        text: one English sentence.

    Returns:
        The terms as written (numbers normalized), in order, without repeats.
    """
    stops = stop_words()
    found: list[str] = []
    matches = list(_KEY_WORD_RE.finditer(text))
    for i, m in enumerate(matches):
        raw = m.group(0).rstrip(".")
        token = _POSSESSIVE_RE.sub("", raw) or raw
        if not token[:1].isupper() or token.lower() in stops:
            continue
        if i == 0 and sum(1 for c in token if c.isupper()) < 2:
            following = matches[1].group(0) if len(matches) > 1 else ""
            if token == raw and not following[:1].isupper():
                continue  # a capitalized first word: a name only if possessive or followed by a name
        found.append(token)
    found.extend(numbers(text))
    return list(dict.fromkeys(found))


def vocabulary(texts: list[str]) -> frozenset[str]:
    """All lower-cased surface words and numbers of ``texts``, for support checks.

    Hyphenated words contribute the whole word and each part
    (``titisee-neustadt``, ``titisee``, ``neustadt``); possessives are stripped;
    number words contribute their digits.
    """
    vocab: set[str] = set()
    for text in texts:
        for m in _KEY_WORD_RE.finditer(text):
            token = _POSSESSIVE_RE.sub("", m.group(0).rstrip(".")).lower()
            vocab.add(token)
            if "-" in token:
                vocab.update(p for p in token.split("-") if p)
            if token in NUMBER_WORDS:
                vocab.add(NUMBER_WORDS[token])
        vocab.update(numbers(text))
    return frozenset(vocab)
