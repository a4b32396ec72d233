"""``name-mismatch``: proper names and acronyms of the German source are present in the English.

German capitalises every noun, so a capital letter alone says little. A
capitalised source word is a name the English must keep when:

* it is in the reviewed exonym list (``data/exonyms.tsv``: ``München`` →
  ``Munich``, ``EZB`` → ``ECB``, months); or
* otherwise, it is not in the reviewed list of German words never taken for
  names (``data/not_names.txt``: ``Kind``, ``Art``, club prefixes ``FC`` …),
  and the name model (:func:`name_probability`, gradient-boosted trees in
  ``data/names_model.json``) says a human translator would keep it, with
  probability at least the calibrated threshold. Its features
  (:data:`FEATURES`, :func:`features`):

  - the word's Zipf frequency in German and English (the shipped lexicon,
    :mod:`translate.checks.lexicon`, from wordfreq 3, Speer et al.): names
    travel between languages, German common nouns (``Regierung`` 5.2 de /
    1.1 en) do not; plural forms (``Pausen``: a noun); compound and
    noun-suffix shape, :func:`split_compound`, :func:`inflection_base_zipf`;
    its last 2–4 letters;
  - the gazetteer (:mod:`translate.checks.gazetteer`: German Wiktionary's
    nouns and names, GeoNames places, nam_dict first names): is it a listed
    place, person or common-noun form, and how often do listed words ending
    in the same noun (``-bach``, ``-dorf`` vs ``-stelle``) name places;
  - position (first word, after an article, a preposition or a title such as
    ``Herr``, next to other capitalised words) and case statistics
    (``data/english_case.tsv``: English capitalises ``Merkel`` always,
    ``video`` never; ``data/german_case.tsv``: German writes ``am``, ``fast``
    in lower case);
  - the document (:class:`NameMemory`): how often its other sentences have
    the word and their English keeps it. A word the other sentences' English
    never keeps is not required at all (the translation renders it otherwise).

  Acronyms (``SPD``, ``IHK``) go through the same model: the English case
  table tells the ones English uses (``NSA``) from German-only ones that
  translators expand. The threshold is set on the calibration pairs (see
  ``benchmarks/flags_eval.py``), so that the whole check flags about 2 % of
  human translations; measured recall and false flags are in
  benchmarks/RESULTS.md.

A name counts as present when the English contains, case-insensitively, the
word itself or one of its forms (:func:`forms`): the German genitive/adjective
endings removed (``Merkels`` → ``Merkel``, ``Berliner`` → ``Berlin``), an
exonym (``Moskau`` → ``Moscow``), a region without its compass prefix or
``-gebiet`` (``Südamerika`` → "South America", ``Ruhrgebiet`` → "Ruhr"), an
acronym with dots (``US`` → "U.S."), or a transliteration variant — an English
word whose letters, after folding diacritics and the usual German/English
transliteration pairs (``j``/``y``, ``sch``/``sh``, ``tsch``/``ch``,
``w``/``v``, ``s``/``z``), are at least :data:`VARIANT_SIMILARITY` similar
(``Selenskyj``/``Zelensky``), or for a long name share its first six letters
(``Portugal``/``Portuguese``). A lower-case English word counts only as such a
close spelling, and only when both words have five letters or more
(``Theologie``/"theology", ``Prätorium``/"praetorium").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from translate.checks.gazetteer import classes, head_name_share
from translate.checks.lexicon import zipf
from translate.document import FLAG_NAME_MISMATCH

COMPOUND_PART_ZIPF = 3.0
"""Both parts of a compound must be at least this common in German."""

VARIANT_SIMILARITY = 0.8
"""``difflib`` ratio above which two folded spellings count as the same name."""

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ACRONYM = re.compile(r"^(?=(?:.*[A-ZÄÖÜ]){2})[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{1,5}$")
_OPENERS = set("„“\"'‚‘«»(:–—-[")
_ENDINGS = ("ischen", "ischer", "isches", "ische", "isch", "ern", "er", "es", "en", "s", "n", "e", "’s", "'s", "'")


def _data_lines(name: str) -> list[str]:
    text = resources.files("translate.checks").joinpath(f"data/{name}").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=None)
def exonyms() -> dict[str, tuple[str, ...]]:
    """``data/exonyms.tsv`` as ``{German name: (English forms …)}``."""
    table: dict[str, tuple[str, ...]] = {}
    for line in _data_lines("exonyms.tsv"):
        german, english = line.split("\t")
        table[german] = tuple(e.strip() for e in english.split("|") if e.strip())
    return table


@lru_cache(maxsize=None)
def not_names() -> frozenset[str]:
    """``data/not_names.txt``: capitalised German words never taken for names (case-folded)."""
    return frozenset(line.strip().casefold() for line in _data_lines("not_names.txt"))


def _zipf(word: str, lang: str) -> float:
    return zipf(word, lang)


def _is_compound(word: str) -> bool:
    w = word.casefold()
    for i in range(3, len(w) - 2):
        head, tail = w[:i], w[i:]
        if _zipf(tail, "de") < COMPOUND_PART_ZIPF:
            continue
        for h in (head, head[:-1] if head.endswith("s") else head, head[:-1] if head.endswith("n") else head):
            if len(h) >= 3 and _zipf(h, "de") >= COMPOUND_PART_ZIPF:
                return True
    return False


_DETERMINERS = frozenset(
    """der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner keines
    im am zum zur vom beim ins ans aufs durchs fürs ums unterm überm
    mein meine meinen meinem meiner meines dein deine sein seine seinen seinem seiner seines
    ihr ihre ihren ihrem ihrer ihres unser unsere unseren unserem unserer euer eure
    dieser diese diesen diesem dieses jener jene jenen jedem jeden jeder jedes jede
    welche welcher welchen welchem alle allen aller viele vielen einige einigen mehrere
    beide beiden manche manchen solche solchen""".split()
)
"""German articles, contractions and determiners: a noun phrase follows (rarely a person or town name)."""

_NOUN_SUFFIXES = ("ung", "heit", "keit", "schaft", "tion", "tät", "ismus", "nis", "tum", "ungen", "heiten", "keiten", "schaften", "tionen", "täten", "nisse", "nissen", "chen", "lein", "ling", "ment", "ik", "ie", "ei")

FEATURES: tuple[str, ...] = (
    "bias", "de", "en", "en_minus_de", "en_zero", "de_low", "initial", "after_determiner", "after_adjective",
    "after_capital", "before_capital", "noun_suffix", "compound", "long", "inner_capital", "all_caps", "genitive_s",
    "after_title", "plural", "plural_gap", "after_preposition",
    # interactions (a linear model cannot form them itself)
    "local_name", "rare_compound", "no_plural", "no_plural_en_zero", "preposition_en_zero", "de_high",
    "de_high_not_en", "determiner_en_high", "shared", "shared_no_plural", "capital_run", "initial_not_en",
    # English capitalisation (data/english_case.tsv)
    "en_case", "en_case_seen", "en_lower_only",
    # German capitalisation (data/german_case.tsv), compound split, word shape
    "de_lower_share", "de_case_seen", "split_parts", "split_rare", "short", "very_long", "local_shape",
    "inflected_common", "en_capital_strong", "en_lower_strong", "local_not_initial",
    # the gazetteer (data/gazetteer_de.bin.gz: Wiktionary nouns and names, GeoNames, nam_dict)
    "gaz_noun", "gaz_person", "gaz_first", "gaz_place", "gaz_proper", "gaz_name_only", "gaz_noun_only",
    "gaz_unknown", "gaz_unknown_rare", "gaz_name_not_initial", "gaz_noun_initial",
    # the word's head (a listed common noun it ends in) and how often listed words with that head are names
    "head", "head_name_share", "head_nouny", "head_placey", "head_unknown", "head_unknown_nouny",
    # the document (NameMemory): the word in other sentences' German, and kept in their English
    "mem_seen", "mem_kept", "mem_kept_share", "mem_kept_twice", "mem_dropped_all", "mem_seen_log",
)
"""Features of :func:`features`, in the order of the weights in ``data/names_model.json``."""

_PREPOSITIONS = frozenset("in aus nach von bei mit gegen für über durch um vor hinter zwischen laut gemäß seit bis ab an auf unter neben nahe".split())
"""A capitalised word right after a preposition, without an article, is often a place or person (``in Dingolfing``)."""

_TITLES = frozenset("herr herrn frau dr prof kanzler kanzlerin präsident präsidentin minister ministerin bürgermeister bürgermeisterin trainer chef chefin sprecher sprecherin landrat pfarrer".split())


def features(words: list[str], i: int, initial: bool, elsewhere: tuple[int, int] = (0, 0)) -> list[float]:
    """The feature vector of ``words[i]`` (see :data:`FEATURES`) for the name model.

    Args:
        words: the sentence's words (letters, maybe an apostrophe), in order.
        i: index of the word to describe.
        initial: it starts the sentence, a quotation or a clause after a colon.
        elsewhere: ``(seen, kept)`` from the document's :class:`NameMemory`
            (``(0, 0)`` for a sentence judged alone).
    """
    w = words[i]
    prev = words[i - 1] if i > 0 else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    de, en = _zipf(w, "de"), _zipf(w, "en")
    stem = w[:-1] if w.endswith("s") else w
    base = [
        1.0,
        de / 8,
        en / 8,
        (en - de) / 8,
        float(en == 0),
        float(de < 2.0),
        float(initial),
        float(prev.casefold() in _DETERMINERS),
        float(bool(prev) and prev[0].islower() and prev.casefold().endswith(("e", "en", "er", "es", "em")) and prev.casefold() not in _DETERMINERS),
        float(bool(prev) and prev[0].isupper()),
        float(bool(nxt) and nxt[0].isupper()),
        float(w.casefold().endswith(_NOUN_SUFFIXES)),
        float(len(w) >= 8 and _is_compound(stem)),
        float(len(w) >= 12),
        float(any(ch.isupper() for ch in w[1:]) and not w.isupper()),
        float(w.isupper()),
        float(w.endswith("s") and _zipf(w[:-1], "de") > de),
        float(prev.casefold().rstrip(".") in _TITLES),
        plural_zipf(w) / 8,
        (plural_zipf(w) - de) / 8,
        float(prev.casefold() in _PREPOSITIONS),
    ]
    lower, capital = english_case().get(w.casefold(), (0, 0))
    seen = lower + capital > 0
    case = [capital / (lower + capital) if seen else 0.5, float(seen), float(seen and capital == 0)]
    de_lower, de_capital = german_case().get(w.casefold(), (0, 0))
    de_seen = de_lower + de_capital > 0
    parts = split_compound(w)
    german = [
        de_lower / (de_lower + de_capital) if de_seen else 0.0,
        float(de_seen),
        float(len(parts) >= 2),
        float(len(parts) >= 2 and de < 3.0),
        float(len(w) <= 4),
        float(len(w) >= 16),
        # a town or family name: known to German text (Zipf 2–4.5), unknown to English, not split, no plural
        float(2.0 <= de <= 4.5 and en < 1.0 and len(parts) < 2 and plural_zipf(w) < 1.5),
    ]
    base_form = inflection_base_zipf(w)
    local = 1.5 <= de < 4.0 and en < 1.0 and len(parts) < 2 and base_form < 3.0 and de_lower == 0 and len(w) >= 5
    german += [
        float(base_form >= 3.0),
        float(capital >= 3 and capital > 3 * lower),
        float(lower >= 3 and lower > 3 * capital),
        float(local and not initial),
    ]
    return base + _interactions(base, de, en) + case + german + gazetteer_features(w, de, len(parts) >= 2, initial) + memory_features(*elsewhere)


def memory_features(seen: int, kept: int) -> list[float]:
    """The ``mem_*`` features of :data:`FEATURES` for a word the document's other sentences have ``seen`` times and kept ``kept`` times."""
    import math

    return [
        float(seen > 0),
        float(kept > 0),
        kept / seen if seen else 0.0,
        float(kept >= 2),
        float(seen > 0 and kept == 0),
        math.log1p(seen),
    ]


def gazetteer_features(word: str, de: float, splits: bool, initial: bool) -> list[float]:
    """The ``gaz_*`` features of :data:`FEATURES`: what the gazetteer (:mod:`translate.checks.gazetteer`) knows of ``word``.

    A genitive ``-s`` is removed when the bare word is a known name
    (``Merkels`` → ``Merkel``).
    """
    cls = classes(word)
    if word.endswith("s") and len(word) > 3:
        bare = classes(word[:-1])
        if set(bare) & set("tpfe"):
            cls += bare
    noun = "n" in cls
    person, first, place, proper = "p" in cls, "f" in cls, "t" in cls, bool(set(cls) & set("ea"))
    name = person or first or place or proper
    unknown = not cls
    head_share, has_head = _head(word)
    return [
        float(noun),
        float(person),
        float(first),
        float(place),
        float(proper),
        float(name and not noun),
        float(noun and not name),
        float(unknown),
        float(unknown and de < 2.0 and not splits),
        float(name and not initial),
        float(noun and initial),
        float(has_head),
        head_share,
        float(has_head and head_share < 0.1),
        float(has_head and head_share >= 0.5),
        float(has_head and unknown),
        float(has_head and unknown and head_share < 0.1),
    ]


def _head(word: str) -> tuple[float, bool]:
    """``(name share, found)`` of the longest listed common noun that ``word`` ends in after at least three letters."""
    w = word.casefold()
    for i in range(3, len(w) - 2):
        share, count = head_name_share(w[i:])
        if count:
            return share, True
    return 0.0, False


_INFLECTIONS = ("en", "ern", "n", "e", "er", "es", "s", "em")


def inflection_base_zipf(word: str) -> float:
    """Highest German Zipf frequency of a form that ``word`` may inflect (``Monaten`` → ``Monat``).

    Endings removed: -en, -ern, -n, -e, -er, -es, -s, -em, and an umlaut
    undone (``Städten`` → ``Stadt``). Common German nouns in the plural or
    dative are inflections of a frequent word; town names are not.
    """
    low = word.casefold()
    best = 0.0
    for ending in _INFLECTIONS:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            stem = low[: -len(ending)]
            for form in {stem, stem.replace("ä", "a").replace("ö", "o").replace("ü", "u")}:
                if form != low:
                    best = max(best, _zipf(form, "de"))
    return best


def suffix_features_names(word: str) -> set[str]:
    """The ending markers of ``word`` that :func:`suffix_features` looks for (``$ing``, ``$ung`` …)."""
    low = word.casefold()
    return {"$" + low[-k:] for k in (2, 3, 4) if len(low) > k}


def suffix_features(word: str, suffixes: tuple[str, ...]) -> list[float]:
    """One-hot endings of ``word`` (its last 2, 3 and 4 letters) among ``suffixes`` (from the model file).

    Character endings carry the "German-ness" of a word: ``-ung``, ``-keit``,
    ``-schaft`` end common nouns, ``-ing``, ``-ingen``, ``-dorf``, ``-ries``
    end town names, ``-ić``, ``-ov`` foreign family names.
    """
    ends = suffix_features_names(word)
    return [float(sfx in ends) for sfx in suffixes]


COMPOUND_HEAD_ZIPF = 3.0
"""Each part of a split compound (:func:`split_compound`) is at least this common in German."""


@lru_cache(maxsize=65536)
def split_compound(word: str) -> tuple[str, ...]:
    """Split a German compound into known German words, shortest head first (``Zeitfahrspezialist`` → zeit, fahr, spezialist).

    Parts are at least 3 letters (the last at least 4) with a German Zipf
    frequency of at least :data:`COMPOUND_HEAD_ZIPF`; a linking ``s``, ``n``,
    ``en`` or ``e`` may follow a part (``Friedenskirche`` → frieden(s), kirche).
    A word that cannot be split is returned alone: ``(word,)``.
    """
    w = word.casefold()

    def split(rest: str, depth: int) -> tuple[str, ...] | None:
        if len(rest) >= 4 and _zipf(rest, "de") >= COMPOUND_HEAD_ZIPF and depth > 0:
            return (rest,)
        if depth >= 4:
            return None
        for i in range(3, len(rest) - 3):
            head = rest[:i]
            if _zipf(head, "de") < COMPOUND_HEAD_ZIPF:
                continue
            for link in ("", "s", "n", "en", "e"):
                if not rest[i:].startswith(link) or len(rest) - i - len(link) < 4:
                    continue
                tail = split(rest[i + len(link) :], depth + 1)
                if tail:
                    return (head, *tail)
        return None

    return split(w, 0) or (w,)


@lru_cache(maxsize=None)
def german_case() -> dict[str, tuple[int, int]]:
    """``data/german_case.tsv``: ``{word: (lowercase count, capitalised count)}`` in mid-sentence German.

    German capitalises nouns and names, not function words, verbs or
    adjectives: a word that German text writes in lower case mid-sentence
    (``am``, ``so``, ``fast``, ``gelb``) is no name even where it starts a
    sentence (``Am Montag``).
    """
    table: dict[str, tuple[int, int]] = {}
    for line in _data_lines("german_case.tsv"):
        word, lower, capital = line.split("\t")
        table[word] = (int(lower), int(capital))
    return table


@lru_cache(maxsize=None)
def english_case() -> dict[str, tuple[int, int]]:
    """``data/english_case.tsv``: ``{word: (lowercase count, capitalised count)}`` in mid-sentence English.

    Names stay capitalised in English (``Merkel`` 0/13), loanwords do not
    (``video`` 48/0, ``film`` 25/0): the cue "is it capitalised mid-sentence
    in English" for words the translation no longer contains.
    """
    table: dict[str, tuple[int, int]] = {}
    for line in _data_lines("english_case.tsv"):
        word, lower, capital = line.split("\t")
        table[word] = (int(lower), int(capital))
    return table


def count_english_case(lines: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Count lowercase and capitalised mid-sentence uses of each word in English text.

    The first word of a sentence, a quotation, or a clause after a colon is
    skipped; words of one letter are skipped.

    Returns:
        ``{casefolded word: (lowercase count, capitalised count)}`` for every word seen.
    """
    low: dict[str, int] = {}
    cap: dict[str, int] = {}
    for line in lines:
        prev_end = 0
        first = True
        for m in re.finditer(r"[^\W\d_]+", line):
            gap = line[prev_end : m.start()]
            prev_end = m.end()
            initial = first or bool(re.search(r"[.!?:\"“‘(]\s*$", gap))
            first = False
            word = m.group(0)
            if initial or len(word) < 2:
                continue
            key = word.casefold()
            bucket = cap if word[0].isupper() else low
            bucket[key] = bucket.get(key, 0) + 1
    return {k: (low.get(k, 0), cap.get(k, 0)) for k in set(low) | set(cap)}


def _interactions(f: list[float], de: float, en: float) -> list[float]:
    d = dict(zip(FEATURES, f))
    pl = d["plural"] * 8
    de_high = float(de > 4.5)
    shared = float(en >= de - 0.5)
    return [
        d["en_zero"] * float(1.5 <= de <= 4.2),
        d["compound"] * d["en_zero"],
        float(pl < 1.0),
        float(pl < 1.0) * d["en_zero"],
        d["after_preposition"] * d["en_zero"],
        de_high,
        de_high * float(en < de - 1.5),
        d["after_determiner"] * float(en > 3),
        shared,
        shared * float(pl < 2.5),
        d["before_capital"] * d["after_capital"],
        d["initial"] * float(en < de - 1.5),
    ]


_UMLAUT = str.maketrans({"a": "ä", "o": "ö", "u": "ü"})


def plural_zipf(word: str) -> float:
    """Highest German Zipf frequency of a plural/dative form of ``word`` (``Pause`` → ``Pausen``).

    German common nouns have plural forms in the lexicon; names hardly ever do
    (``Merkeln``, ``Seehofern``). Forms tried: +n, +en, +e, +nen and the
    umlauted stem + e/er/en (``Hof`` → ``Höfe``); not +er or +s, which give
    demonyms and genitives of names (``Londoner``, ``Israels``).
    """
    w = word
    low = w.casefold()
    forms = [w + "n", w + "en", w + "e", w + "nen"]
    if low.endswith(("er", "el", "en")):
        forms = [w + "n"]
    elif low.endswith("e"):
        forms = [w + "n"]
    # umlaut of the last a/o/u of the stem
    for i in range(len(w) - 1, 0, -1):
        if w[i] in "aou":
            um = w[:i] + w[i].translate(_UMLAUT) + w[i + 1 :]
            forms += [um + "e", um + "er", um + "en"]
            break
    return max(_zipf(f, "de") for f in forms)


@lru_cache(maxsize=None)
def _model() -> tuple[dict, float, tuple[str, ...]]:
    import json

    data = json.loads(resources.files("translate.checks").joinpath("data/names_model.json").read_text("utf-8"))
    suffixes = tuple(data.get("suffixes", ()))
    assert tuple(data["features"]) == FEATURES + suffixes, "data/names_model.json does not match FEATURES"
    return data, float(data["threshold"]), suffixes


def _tree_sum(trees: list, x: list[float]) -> float:
    total = 0.0
    for feature, threshold, left, right, value in trees:
        node = 0
        while left[node] >= 0:
            node = left[node] if x[feature[node]] <= threshold[node] else right[node]
        total += value[node]
    return total


def name_probability(words: list[str], i: int, initial: bool, elsewhere: tuple[int, int] = (0, 0)) -> float:
    """Probability that a human translator keeps ``words[i]`` in the English (gradient-boosted trees).

    The model (``data/names_model.json``: regression trees over :data:`FEATURES`
    and the word's endings, summed into a log-odds) is fitted by
    :func:`fit_name_model` (``benchmarks/flags_eval.py --calibrate``) on the
    calibration part of the WMT data: each capitalised German word is labelled
    by whether the human English keeps it capitalised (:func:`present`).
    """
    import math

    data, _, suffixes = _model()
    x = features(words, i, initial, elsewhere) + suffix_features(words[i], suffixes)
    z = data["init"] + data["learning_rate"] * _tree_sum(data["trees"], x)
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def is_name(words: list[str], i: int, *, initial: bool, elsewhere: tuple[int, int] = (0, 0)) -> bool:
    """Whether ``words[i]``, a capitalised German word, is taken for a proper name its English must keep.

    Words in ``data/not_names.txt`` are not; a word that the document's other
    sentences have (``elsewhere = (seen, kept)``, :class:`NameMemory`) but
    whose English never keeps it is not required either; exonyms
    (``data/exonyms.tsv``) and acronyms (``SPD``, ``AfD``) are names;
    otherwise the name model decides (:func:`name_probability`, with the
    document's evidence, at least the calibrated threshold).
    """
    word = words[i]
    if len(word) < 2 or not word[0].isupper():
        return False
    if word.casefold() in not_names():
        return False
    if elsewhere[0] and not elsewhere[1]:
        return False
    if word in exonyms():
        return True
    if (word.isupper() or _ACRONYM.match(word)) and not 2 <= len(word) <= 6:
        return False
    return name_probability(words, i, initial, elsewhere) >= _model()[1]


def _words_with_position(source: str) -> tuple[list[str], list[bool]]:
    words: list[str] = []
    initial: list[bool] = []
    prev_end = 0
    for m in _WORD.finditer(source):
        gap = source[prev_end : m.start()]
        initial.append(not words or any(ch in _OPENERS for ch in gap) or bool(re.search(r"[.!?]\s*$", gap)))
        words.append(m.group(0))
        prev_end = m.end()
    return words, initial


def source_names(source: str, memory: NameMemory | None = None, index: int = -1) -> list[str]:
    """The names of a German sentence that its English must contain, in order, without repeats.

    Args:
        source: the German sentence.
        memory: its document (:class:`NameMemory`), or ``None`` to judge the sentence alone.
        index: the sentence's position in the pairs ``memory`` was built from.
    """
    words, initial = _words_with_position(source)
    shouting = sum(w.isupper() for w in words if len(w) > 1) > len(words) / 2
    names: list[str] = []
    for i, word in enumerate(words):
        if shouting and word.isupper() and word not in exonyms():
            continue  # an all-caps headline: capitals say nothing
        elsewhere = memory.elsewhere(word, index) if memory is not None else (0, 0)
        if word not in names and is_name(words, i, initial=initial[i], elsewhere=elsewhere):
            names.append(word)
    # Two-word exonyms ("Den Haag", "Weißen Haus").
    for german in exonyms():
        if " " in german and german in source and german not in names:
            names.append(german)
    return names


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for a, b in (("tsch", "ch"), ("sch", "sh"), ("ß", "ss"), ("yj", "y"), ("ij", "y"), ("j", "y"), ("w", "v"), ("z", "s"), ("ck", "k"), ("ph", "f")):
        text = text.replace(a, b)
    return text


_DIRECTIONS = ("Nordost", "Nordwest", "Südost", "Südwest", "Nord", "Süd", "Ost", "West", "Mittel", "Ober", "Unter", "Nieder", "Zentral")
"""Prefixes of region names whose English is prefix + the exonym (``Südamerika`` → "South America", ``Oberfranken`` → "Upper Franconia")."""

_REGION_SUFFIXES = ("gebiet", "region")
"""Suffixes of region names that English renders as a separate word (``Ruhrgebiet`` → "the Ruhr area")."""


def forms(name: str) -> list[str]:
    """The spellings under which ``name`` may appear in English (without transliteration variants).

    The name itself, its exonyms, the name without a German ending (and the
    ending ``-isch`` turned back into the place: ``Preußische`` → ``Preußen``
    → "Prussia"), and for a region the part after a compass or position
    prefix or before ``-gebiet``/``-region`` (each with its exonyms).
    """
    out = [name]
    out.extend(exonyms().get(name, ()))
    if name.isupper() and 2 <= len(name) <= 4:
        out.append(".".join(name) + ".")  # US → U.S.
    for ending in _ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= 3:
            stem = name[: -len(ending)]
            out.append(stem)
            out.extend(exonyms().get(stem, ()))
            if ending.startswith("isch"):
                out.extend(exonyms().get(stem + "en", ()))
    for prefix in _DIRECTIONS:
        rest = name[len(prefix) :]
        if name.startswith(prefix) and len(rest) >= 4 and rest[0].islower():
            out.extend(forms(rest[0].upper() + rest[1:]))
            break
    for suffix in _REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 3:
            out.extend(forms(name[: -len(suffix)]))
    return list(dict.fromkeys(out))


def _similar(a: str, b: str) -> bool:
    """``difflib`` ratio of ``a`` and ``b`` at least :data:`VARIANT_SIMILARITY` (its cheap upper bounds tried first)."""
    matcher = difflib.SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= VARIANT_SIMILARITY
        and matcher.quick_ratio() >= VARIANT_SIMILARITY
        and matcher.ratio() >= VARIANT_SIMILARITY
    )


def present(name: str, target: str) -> bool:
    """Whether ``name`` (or one of its forms or transliteration variants) occurs in ``target``."""
    low = target.casefold()
    for form in forms(name):
        f = form.casefold()
        if re.search(r"(?<!\w)" + re.escape(f), low):
            return True
    if name.isupper():
        return False
    folded = [_fold(f) for f in forms(name) if len(f) >= 4]
    for m in _WORD.finditer(target):
        word = m.group(0)
        if len(word) < 4:
            continue
        w = _fold(re.sub(r"['’]s$", "", word))
        if not word[0].isupper():
            # A lower-case English word counts only as a close spelling of a longer word
            # (Expresso/espresso, Theologie/theology, Prätorium/praetorium).
            if len(w) >= 5 and any(len(f) >= 5 and _similar(f, w) for f in folded):
                return True
            continue
        for f in folded:
            if w.startswith(f) or _similar(f, w):
                return True
            # an English adjective or demonym of a long name: Portugal → Portuguese
            if len(f) >= 7 and len(w) >= 7 and w[:6] == f[:6]:
                return True
    return False


class NameMemory:
    """What the rest of a document's translation did with each capitalised German word.

    Built once per document from all its ``(source, target)`` pairs. For a
    word of sentence ``i``, :meth:`elsewhere` says in how many *other*
    sentences the German has it and in how many of those the English keeps it
    (:func:`present` among the English's capitalised words in mid-sentence).
    A sentence whose English has the word only where English capitalises
    anyway (its first word, a quotation's, a clause's after a colon) is not
    counted: it shows neither a name kept nor a word rendered otherwise.
    A translation keeps a name the same way throughout a document (human translators and MT alike), so a word kept elsewhere is a
    name the English of sentence ``i`` should have too, and a word that the
    English renders otherwise everywhere else (``Regierung``, a nickname, a
    club's short name) is not required here. This is the consistency check of
    translators' QA tools (Xbench's "inconsistency in target"), applied to names.

    Args:
        pairs: the document's ``(German, English)`` sentence pairs, in order;
            ``None`` or empty text for a sentence without a target.
        trust_drops: whether a word the other sentences' English never keeps
            is taken as rendered otherwise (right for human translations:
            ``dewire check``, the benchmark). ``dewire translate`` passes
            ``False``: a machine translation that loses a name in every
            sentence (``Koch`` → "cook") makes exactly the error to catch, so
            there the memory only adds names, and a word never kept elsewhere
            is judged as if the sentence stood alone.
    """

    __slots__ = ("_seen", "_totals", "trust_drops")

    def __init__(self, pairs: Iterable[tuple[str, str | None]], *, trust_drops: bool = True) -> None:
        self.trust_drops = trust_drops
        self._seen: dict[str, dict[int, bool]] = {}
        self._totals: dict[str, tuple[int, int]] = {}
        for index, (source, target) in enumerate(pairs):
            if not source or not target:
                continue
            # Kept means kept capitalised in mid-sentence, as names are: "in", "trainer",
            # "panic" are no names. A word found only where English capitalises anyway
            # (the first word of a sentence, a quotation, a clause) says nothing either
            # way and is not counted; a word absent, or present in lower case, is dropped.
            words, initial = _words_with_position(target)
            capitalised = " ".join(w for w, first in zip(words, initial) if w[0].isupper() and not first)
            openers = " ".join(w for w, first in zip(words, initial) if w[0].isupper() and first)
            for word in dict.fromkeys(w for w in _WORD.findall(source) if len(w) >= 2 and w[0].isupper()):
                kept = present(word, capitalised)
                if not kept and openers and present(word, openers):
                    continue
                self._seen.setdefault(word, {})[index] = kept
                seen, kept_total = self._totals.get(word, (0, 0))
                self._totals[word] = (seen + 1, kept_total + kept)

    def elsewhere(self, word: str, index: int) -> tuple[int, int]:
        """``(sentences whose German has word, of which the English keeps it)``, sentence ``index`` left out."""
        seen, kept = self._totals.get(word, (0, 0))
        own = self._seen.get(word, {}).get(index)
        if own is not None:
            seen -= 1
            kept -= own
        if not kept and not self.trust_drops:
            return 0, 0
        return seen, kept


def check_names(source: str, target: str, context: object = None) -> list[tuple[str, str]]:
    """The ``name-mismatch`` check.

    Args:
        source: German sentence.
        target: English sentence.
        context: a :class:`translate.checks.CheckContext`; its ``names``
            (:class:`NameMemory` of the sentence's document) and ``index``
            are used when present (see :func:`source_names`).

    Returns:
        ``[]`` or ``[("name-mismatch", "name 'Schmuckenschlager' not in the English")]``
        (several names are listed together).
    """
    memory = getattr(context, "names", None)
    index = getattr(context, "index", -1)
    missing = [n for n in source_names(source, memory, index) if not present(n, target)]
    if not missing:
        return []
    if len(missing) == 1:
        return [(FLAG_NAME_MISMATCH, f"name '{missing[0]}' not in the English")]
    return [(FLAG_NAME_MISMATCH, "names " + ", ".join(f"'{n}'" for n in missing[:4]) + " not in the English")]


def document_memories(docs: Sequence[tuple[str, str, str]]) -> list[tuple[NameMemory, int]]:
    """For each ``(German, English, document key)`` pair: its document's :class:`NameMemory` and its position there.

    Pairs with the same key form one document, in the order given (they need not be adjacent).
    """
    members: dict[str, list[int]] = {}
    for k, (_, _, key) in enumerate(docs):
        members.setdefault(key, []).append(k)
    out: list[tuple[NameMemory, int] | None] = [None] * len(docs)
    for idxs in members.values():
        memory = NameMemory((docs[k][0], docs[k][1]) for k in idxs)
        for position, k in enumerate(idxs):
            out[k] = (memory, position)
    return out  # type: ignore[return-value]


def name_examples(docs: Iterable[tuple[str, str, str]]) -> tuple[list[tuple[list[str], int, bool, tuple[int, int]]], list[int]]:
    """Every capitalised German word of ``docs`` that the name model judges, with its labels.

    Exonyms, acronyms and ``not_names`` are left out (their rules are exact).

    Args:
        docs: ``(German, English, document key)`` pairs; each word's document
            evidence (:class:`NameMemory`) comes from the other pairs with its key.

    Returns:
        ``(examples, labels)``: ``(words, index, initial, elsewhere)`` per
        word; label 1 when the human English keeps it capitalised
        (:func:`present` on the English's capitalised words alone: a name
        stays capitalised, a loanword kept as ``band`` or ``film`` is no name).
    """
    docs = list(docs)
    memory_of = document_memories(docs)
    examples: list[tuple[list[str], int, bool, tuple[int, int]]] = []
    labels: list[int] = []
    for k, (source, target, _) in enumerate(docs):
        memory, position = memory_of[k]
        words, initial = _words_with_position(source)
        capitalised = _WORD.sub(lambda m: m.group(0) if m.group(0)[0].isupper() else " ", target)
        for i, word in enumerate(words):
            if len(word) < 2 or not word[0].isupper():
                continue
            if (word.isupper() or _ACRONYM.match(word)) and not 2 <= len(word) <= 6:
                continue
            if word in exonyms() or word.casefold() in not_names():
                continue
            elsewhere = memory.elsewhere(word, position)
            if elsewhere[0] and not elsewhere[1]:
                continue  # never kept elsewhere in the document: not required (is_name's rule)
            examples.append((words, i, initial[i], elsewhere))
            labels.append(int(present(word, target) and present(word, capitalised)))
    return examples, labels


def fit_name_model(
    docs: Iterable[tuple[str, str, str]],
    *,
    source_note: str = "",
    min_suffix_count: int = 60,
    trees: int = 300,
    depth: int = 3,
    learning_rate: float = 0.1,
) -> dict:
    """Fit the name model on human translations.

    Examples and labels: :func:`name_examples`. The learner is scikit-learn's
    ``GradientBoostingClassifier`` (log loss, ``trees`` trees of ``depth``,
    subsample 0.8, at least 20 examples a leaf, seed 0; a dev-time dependency
    only: the trees are exported to JSON and :func:`name_probability` walks
    them in plain Python). The threshold stored here is a placeholder:
    ``benchmarks/flags_eval.py --calibrate`` sets it from the whole check
    (with its document memory) on the calibration pairs.

    Args:
        docs: ``(German, English, document key)`` human translation pairs.
        source_note: where the pairs came from (stored).
        min_suffix_count: an ending (2–4 letters) becomes a feature when this many examples have it.
        trees, depth, learning_rate: the boosting's size and step.

    Returns:
        The JSON-able content of ``data/names_model.json``.

    Raises:
        ImportError: scikit-learn is not installed (``pip install scikit-learn``).
    """
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier

    examples, labels = name_examples(docs)
    counts: dict[str, int] = {}
    for words, i, *_ in examples:
        for sfx in suffix_features_names(words[i]):
            counts[sfx] = counts.get(sfx, 0) + 1
    suffixes = tuple(sorted(sfx for sfx, c in counts.items() if c >= min_suffix_count))
    x = np.array([features(words, i, init, mem) + suffix_features(words[i], suffixes) for words, i, init, mem in examples])
    y = np.array(labels)
    clf = GradientBoostingClassifier(
        n_estimators=trees, max_depth=depth, learning_rate=learning_rate, subsample=0.8, min_samples_leaf=20, random_state=0
    ).fit(x, y)
    exported = []
    for (tree,) in clf.estimators_:
        t = tree.tree_
        exported.append(
            [
                [int(f) for f in t.feature],
                [float(v) for v in t.threshold],
                [int(c) for c in t.children_left],
                [int(c) for c in t.children_right],
                [round(float(v), 6) for v in t.value[:, 0, 0]],
            ]
        )
    # The prior's log-odds, as sklearn's decision function starts from it.
    raw = clf.decision_function(x[:1])[0]
    init = float(raw - learning_rate * _tree_sum(exported, list(x[0])))
    return {
        "source": source_note,
        "learner": f"sklearn GradientBoostingClassifier(n_estimators={trees}, max_depth={depth}, learning_rate={learning_rate}, subsample=0.8, min_samples_leaf=20, random_state=0)",
        "examples": len(y),
        "label": "kept capitalised",
        "kept_share": round(float(y.mean()), 4),
        "features": list(FEATURES) + list(suffixes),
        "suffixes": list(suffixes),
        "init": round(init, 6),
        "learning_rate": learning_rate,
        "trees": exported,
        "threshold": 0.5,
    }
