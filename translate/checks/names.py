"""``name-mismatch``: proper names and acronyms of the German source are present in the English.

German capitalises every noun, so a capital letter alone says little. A
capitalised source word is taken for a *name* when:

* it is in the reviewed exonym list (``data/exonyms.tsv``: ``München`` →
  ``Munich``, ``EZB`` → ``ECB``, months and weekdays); or
* it has the shape of an acronym (``SPD``, ``AfD``: two or more capitals, at
  most six letters) that English uses too: seen capitalised in English text
  (``data/english_case.tsv``) or, for three letters or more, with an English
  Zipf frequency of at least :data:`ACRONYM_EN_ZIPF` (German-only ``IHK``,
  ``OB``, ``WG`` are expanded by translators and are not taken); or
* otherwise, it is not in the reviewed list of German nouns that are also
  English words (``data/not_names.txt``: ``Kind``, ``Art``, ``Rat`` …) and a
  small logistic model (:func:`name_probability`, ``data/names_model.json``)
  says a human translator would keep it, with probability at least the
  calibrated threshold. Its features (:data:`FEATURES`): Zipf frequency in
  German and English from the ``wordfreq`` lexicon (Speer et al., wordfreq 3;
  names travel between languages, German common nouns such as ``Regierung``
  5.2 de / 1.1 en do not), frequency of plural forms (``Pausen``: a noun),
  compound and noun-suffix shape, position in the sentence (first word, after
  an article or a preposition, next to other capitalised words, after a
  title such as ``Herr``), and how often English text capitalises the word
  mid-sentence (``data/english_case.tsv``: ``Merkel`` always, ``video``
  never), how often German text writes it in lower case (``data/german_case.tsv``:
  ``am``, ``fast`` — function words that start a sentence), whether it
  splits into common German words (:func:`split_compound`) or inflects one
  (:func:`inflection_base_zipf`), and its last 2–4 letters (:func:`suffix_features`).
  Frequencies come from the shipped lexicon (:mod:`translate.checks.lexicon`),
  not from importing ``wordfreq``. The threshold keeps this check's false flags on the calibration
  pairs at 2 %, so the check is precise but misses many rare regional names (see
  benchmarks/RESULTS.md).

A name counts as present when the English contains, case-insensitively, the
word itself or one of its forms: the German genitive/adjective endings removed
(``Merkels`` → ``Merkel``, ``Berliner`` → ``Berlin``), an exonym
(``Moskau`` → ``Moscow``), or a transliteration variant — an English word
whose letters, after folding diacritics and the usual German/English
transliteration pairs (``j``/``y``, ``sch``/``sh``, ``tsch``/``ch``,
``w``/``v``, ``s``/``z``), are at least :data:`VARIANT_SIMILARITY` similar
(``Selenskyj``/``Zelensky``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Iterable

from translate.checks.lexicon import zipf
from translate.document import FLAG_NAME_MISMATCH

ACRONYM_EN_ZIPF = 2.0
"""An acronym of three letters or more is a name when its English Zipf frequency is at least this."""

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
)
"""Features of :func:`features`, in the order of the weights in ``data/names_model.json``."""

_PREPOSITIONS = frozenset("in aus nach von bei mit gegen für über durch um vor hinter zwischen laut gemäß seit bis ab an auf unter neben nahe".split())
"""A capitalised word right after a preposition, without an article, is often a place or person (``in Dingolfing``)."""

_TITLES = frozenset("herr herrn frau dr prof kanzler kanzlerin präsident präsidentin minister ministerin bürgermeister bürgermeisterin trainer chef chefin sprecher sprecherin landrat pfarrer".split())


def features(words: list[str], i: int, initial: bool) -> list[float]:
    """The feature vector of ``words[i]`` (see :data:`FEATURES`) for the name model.

    Args:
        words: the sentence's words (letters, maybe an apostrophe), in order.
        i: index of the word to describe.
        initial: it starts the sentence, a quotation or a clause after a colon.
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
    return base + _interactions(base, de, en) + case + german


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
def _model() -> tuple[tuple[float, ...], float, tuple[str, ...]]:
    import json

    data = json.loads(resources.files("translate.checks").joinpath("data/names_model.json").read_text("utf-8"))
    suffixes = tuple(data.get("suffixes", ()))
    assert tuple(data["features"]) == FEATURES + suffixes, "data/names_model.json does not match FEATURES"
    return tuple(data["weights"]), float(data["threshold"]), suffixes


def name_probability(words: list[str], i: int, initial: bool) -> float:
    """Probability that a human translator keeps ``words[i]`` in the English (logistic model).

    The model (``data/names_model.json``) is fitted by
    ``benchmarks/flags_eval.py --calibrate`` on the calibration part of the
    WMT data: each capitalised German word is labelled by whether the human
    English contains it (or a form or variant of it, :func:`present`).
    """
    import math

    weights, _, suffixes = _model()
    x = features(words, i, initial) + suffix_features(words[i], suffixes)
    z = sum(wt * v for wt, v in zip(weights, x))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def is_name(words: list[str], i: int, *, initial: bool) -> bool:
    """Whether ``words[i]``, a capitalised German word, is taken for a proper name.

    Exonyms (``data/exonyms.tsv``) and acronyms (``SPD``, ``AfD``) are names;
    words in ``data/not_names.txt`` are not; otherwise the name model decides
    (:func:`name_probability` at least the calibrated threshold).
    """
    word = words[i]
    if len(word) < 2 or not word[0].isupper():
        return False
    if word.casefold() in not_names():
        return False
    if word in exonyms():
        return True
    if word.isupper() or _ACRONYM.match(word):
        if not 2 <= len(word) <= 6:
            return False
        # German-only acronyms (IHK, OB, WG) are expanded by translators; a name
        # acronym is one English text uses too (SPD, NSA): known to the English
        # lexicon, or seen capitalised in English text.
        lower, capital = english_case().get(word.casefold(), (0, 0))
        return capital > lower or (len(word) >= 3 and _zipf(word, "en") >= ACRONYM_EN_ZIPF)
    return name_probability(words, i, initial) >= _model()[1]


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


def source_names(source: str) -> list[str]:
    """The names of a German sentence, in order, without repeats."""
    words, initial = _words_with_position(source)
    shouting = sum(w.isupper() for w in words if len(w) > 1) > len(words) / 2
    names: list[str] = []
    for i, word in enumerate(words):
        if shouting and word.isupper() and word not in exonyms():
            continue  # an all-caps headline: capitals say nothing
        if word not in names and is_name(words, i, initial=initial[i]):
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


def forms(name: str) -> list[str]:
    """The spellings under which ``name`` may appear in English (without transliteration variants)."""
    out = [name]
    out.extend(exonyms().get(name, ()))
    for ending in _ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= 3:
            stem = name[: -len(ending)]
            out.append(stem)
            out.extend(exonyms().get(stem, ()))
    return list(dict.fromkeys(out))


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
        if not word[:1].isupper() or len(word) < 4:
            continue
        w = _fold(re.sub(r"['’]s$", "", word))
        for f in folded:
            if w.startswith(f) or difflib.SequenceMatcher(None, f, w).ratio() >= VARIANT_SIMILARITY:
                return True
    return False


def check_names(source: str, target: str, context: object = None) -> list[tuple[str, str]]:
    """The ``name-mismatch`` check.

    Args:
        source: German sentence.
        target: English sentence.
        context: unused.

    Returns:
        ``[]`` or ``[("name-mismatch", "name 'Schmuckenschlager' not in the English")]``
        (several names are listed together).
    """
    missing = [n for n in source_names(source) if not present(n, target)]
    if not missing:
        return []
    if len(missing) == 1:
        return [(FLAG_NAME_MISMATCH, f"name '{missing[0]}' not in the English")]
    return [(FLAG_NAME_MISMATCH, "names " + ", ".join(f"'{n}'" for n in missing[:4]) + " not in the English")]


def fit_name_model(
    pairs: Iterable[tuple[str, str]],
    *,
    max_false_flags: float = 0.02,
    source_note: str = "",
    min_suffix_count: int = 60,
    suffix_l2: float = 0.003,
    steps: int = 3000,
    capitalised_label: bool = True,
) -> dict:
    """Fit the name model on human translations and choose its threshold.

    Every capitalised German word of every pair (exonyms, acronyms and
    ``not_names`` excepted) is an example, labelled 1 when the human English
    keeps it capitalised (:func:`present` on the English's capitalised words
    alone: a name stays capitalised, a loanword kept as ``band`` or ``film``
    is no name), 0 otherwise. Logistic regression (L2 0.001 on the dense
    features, ``suffix_l2`` on the endings; full-batch gradient descent,
    numpy); the threshold is the lowest at which at most ``max_false_flags``
    of the pairs would be flagged (a word counts as missing only when
    :func:`present` fails on the whole English, as in :func:`check_names`).

    Args:
        pairs: ``(German, English)`` human translation pairs.
        max_false_flags: allowed share of flagged human pairs.
        source_note: where the pairs came from (stored).
        min_suffix_count: an ending (2–4 letters) becomes a feature when this many examples have it.
        suffix_l2: L2 penalty of the ending weights.
        steps: gradient steps.
        capitalised_label: label by capitalised presence (default) rather than any presence.

    Returns:
        The JSON-able content of ``data/names_model.json``.
    """
    import numpy as np

    pairs = list(pairs)
    examples: list[tuple[list[str], int, bool, float, int, bool]] = []
    for k, (source, target) in enumerate(pairs):
        words, initial = _words_with_position(source)
        capitalised = _WORD.sub(lambda m: m.group(0) if m.group(0)[0].isupper() else " ", target)
        for i, word in enumerate(words):
            if len(word) < 2 or not word[0].isupper() or word.isupper() or _ACRONYM.match(word):
                continue
            if word in exonyms() or word.casefold() in not_names():
                continue
            kept = present(word, target)
            label = kept and present(word, capitalised) if capitalised_label else kept
            examples.append((words, i, initial[i], float(label), k, kept))
    # Endings seen often enough to learn from.
    counts: dict[str, int] = {}
    for words, i, *_ in examples:
        for sfx in suffix_features_names(words[i]):
            counts[sfx] = counts.get(sfx, 0) + 1
    suffixes = tuple(sorted(sfx for sfx, c in counts.items() if c >= min_suffix_count))
    rows = [features(words, i, init) + suffix_features(words[i], suffixes) for words, i, init, *_ in examples]
    labels = [e[3] for e in examples]
    owner = [e[4] for e in examples]
    kept_any = [e[5] for e in examples]
    x, y = np.array(rows), np.array(labels)
    n_dense = len(FEATURES)
    l2 = np.full(x.shape[1], 0.001)
    l2[n_dense:] = suffix_l2
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        w -= 2.0 * (x.T @ (p - y) / len(y) + l2 * w)
    p = 1 / (1 + np.exp(-(x @ w)))
    n_pairs = len(pairs) or 1
    threshold = 0.99
    for t in np.arange(0.30, 0.99, 0.01):
        flagged = {owner[j] for j in range(len(y)) if p[j] >= t and not kept_any[j]}
        if len(flagged) / n_pairs <= max_false_flags:
            threshold = float(round(t, 2))
            break
    return {
        "source": source_note,
        "examples": len(y),
        "false_flag_target": max_false_flags,
        "label": "kept capitalised" if capitalised_label else "kept",
        "kept_share": round(float(y.mean()), 4),
        "features": list(FEATURES) + list(suffixes),
        "suffixes": list(suffixes),
        "weights": [round(float(v), 5) for v in w],
        "threshold": threshold,
    }
