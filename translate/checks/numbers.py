"""``number-mismatch``: every number in the German source has its counterpart in the English.

Numbers are read into *quantities*: each a set of equivalent values, so that
the conventions of both languages meet:

=============================  =================================  ==========================
German                         English                            value(s)
=============================  =================================  ==========================
``1.000``, ``1 000``           ``1,000``, ``1000``                1000
``3,5 Prozent``                ``3.5 percent``, ``3.5%``          3.5
``14.30 Uhr``, ``14:30``       ``2:30 p.m.``, ``14:30``           time 14:30
``14 Uhr``                     ``2 p.m.``, ``14:00``, ``2pm``     time 14:00 (or 14, or 2)
``3. Oktober``                 ``October 3``, ``3rd``, ``third``  3
``2,4 Mio.``, ``2,4 Millionen`` ``2.4 million``, ``2.4m``          2.4 (and 2 400 000)
``1,2 Mrd.``, ``Milliarden``   ``1.2 billion``, ``1.2bn``         1.2 (and 1 200 000 000)
``drei``, ``zwölf``            ``three``, ``3``                   3, 12
``Hälfte``, ``Dutzend``        ``half``, ``dozen``                0.5, 12
``2014``, ``1990er``           ``2014``, ``1990s``                2014, 1990
``10 bis 12``, ``10-12``       ``10 to 12``, ``10-12``            10 and 12
``3:1`` (score)                ``3-1``, ``3:1``                   3 and 1
``14.3.2014`` (date)           ``March 14, 2014``                 14, month 3, 2014
=============================  =================================  ==========================

A source quantity is *matched* when some English quantity shares a value
with it (each English quantity matches once). Unmatched source quantities
are the finding; English numbers without a German counterpart are not
flagged (translators add years and spell out dates). The spelled numbers
are data (``data/number_words.tsv``); German ``ein``/``eine`` are never
read as numbers (they are articles), but a German ``1`` accepts English
``one``/``a``/``an``/``single``.

Rules follow the Duden (German: ``.`` or a space groups thousands, ``,`` is
the decimal mark, ``14.30 Uhr``) and AP style (English: ``,`` groups
thousands, ``.`` is the decimal mark, ``2:30 p.m.``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from translate.document import FLAG_NUMBER_MISMATCH

Value = float | str
"""A number (``float``), a time (``"t14:30"``) or a month (``"m3"``)."""


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number found in a text.

    Attributes:
        text: the text it was read from (``"14.30 Uhr"``), for details.
        values: every value it may stand for (``{14.5 …}``).
    """

    text: str
    values: frozenset[Value]


@lru_cache(maxsize=None)
def number_words() -> dict[str, dict[str, float]]:
    """``{"de": {word: value}, "en": {…}}`` from ``data/number_words.tsv`` (words case-folded)."""
    table: dict[str, dict[str, float]] = {"de": {}, "en": {}}
    text = resources.files("translate.checks").joinpath("data/number_words.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, word, value = line.split("\t")
        table[lang][word.casefold()] = float(value)
    return table


MONTHS_EN = {
    m: i + 1
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
    )
}
MONTHS_EN.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})

_SCALE_DE = {
    "mio": 1e6, "million": 1e6, "millionen": 1e6,
    "mrd": 1e9, "milliarde": 1e9, "milliarden": 1e9,
    "bio": 1e12, "billion": 1e12, "billionen": 1e12,
    "tsd": 1e3, "tausend": 1e3,
}  # fmt: skip
_SCALE_EN = {
    "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12, "thousand": 1e3, "k": 1e3,
}  # fmt: skip

_SP = r"[ \u00a0\u202f\u2009]"
# German: 1.000.000 / 1 000 / 3,5 / 14.30 Uhr / 14:30 / 3. / 14.3.2014
_DE_DATE = re.compile(r"(?<![\d.,])(\d{1,2})\.(\d{1,2})\.(\d{2,4})?(?![\d])")
_DE_TIME = re.compile(r"(?<![\d.,:])(\d{1,2})[.:](\d{2})(?:" + _SP + r"?Uhr\b)")
_DE_CLOCK = re.compile(r"(?<![\d.,:])(\d{1,2}):(\d{2})(?![\d:])(?!" + _SP + r"?(?:Uhr))")
_DE_HOUR = re.compile(r"(?<![\d.,:])(\d{1,2})" + _SP + r"?Uhr\b")
_DE_NUM = re.compile(r"(?<![\w.,])(\d{1,3}(?:(?:\.|" + _SP + r")\d{3})+|\d+)(?:,(\d+))?(?:" + _SP + r"?([A-Za-zäöü]+)\.?)?")
# English: 1,000,000 / 3.5 / 2:30 p.m. / 2pm / 14:30
_EN_TIME = re.compile(r"(?<![\d.,:])(\d{1,2})(?::|\.)?(\d{2})?" + _SP + r"?([ap])\.?\s?m\b\.?", re.I)
_EN_CLOCK = re.compile(r"(?<![\d.,:])(\d{1,2}):(\d{2})(?![\d:])")
_EN_NUM = re.compile(r"(?<![\w,])(\d{1,3}(?:(?:,|" + _SP + r")\d{3})+(?!\d)|\d+)(?:\.(\d+))?(?:" + _SP + r"?(?:-)?([A-Za-z]+))?")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_EN_ORDINAL_SUFFIX = {"st", "nd", "rd", "th", "s"}


def _num(x: float) -> float:
    return round(x, 6)


def _time(h: int, m: int) -> str:
    return f"t{h % 24:02d}:{m:02d}"


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = " "
    return "".join(chars)


def german_quantities(text: str) -> list[Quantity]:
    """Read the numbers of a German text.

    Args:
        text: German source text.

    Returns:
        Quantities in text order (times and dates first, then the rest).
    """
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _DE_TIME.finditer(text):
        h, mi = int(m.group(1)), int(m.group(2))
        if h < 25 and mi < 60:
            out.append(Quantity(m.group(0), frozenset({_time(h, mi)})))
            taken.append(m.span())
    text2 = _masked(text, taken)
    for m in _DE_HOUR.finditer(text2):
        h = int(m.group(1))
        out.append(Quantity(m.group(0), frozenset({_time(h, 0), _num(h), _num(h % 12 or 12)})))
        taken.append(m.span())
    text2 = _masked(text, taken)
    for m in _DE_CLOCK.finditer(text2):
        h, mi = int(m.group(1)), int(m.group(2))
        if h < 25 and mi < 60:
            # 14:30 is a time; 3:1 is a score: accept both readings.
            out.append(Quantity(m.group(0), frozenset({_time(h, mi), _num(h), _num(mi)})))
        else:  # a score or ratio such as 3:1 with large numbers
            out.append(Quantity(m.group(1), frozenset({_num(h)})))
            out.append(Quantity(m.group(2), frozenset({_num(mi)})))
        taken.append(m.span())
    text2 = _masked(text, taken)
    for m in _DE_DATE.finditer(text2):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        if year is None and m.end() < len(text2) and text2[m.end() : m.end() + 1].isdigit():
            continue
        out.append(Quantity(m.group(1) + ".", frozenset({_num(day)})))
        out.append(Quantity(m.group(2) + ".", frozenset({_num(month), f"m{month}"})))
        if year:
            y = int(year)
            out.append(Quantity(year, frozenset({_num(y), _num(y + 2000 if y < 100 else y)})))
        taken.append(m.span())
    text2 = _masked(text, taken)
    for m in _DE_NUM.finditer(text2):
        whole = re.sub(r"[.\s\u00a0\u202f\u2009]", "", m.group(1))
        value = float(whole + ("." + m.group(2) if m.group(2) else ""))
        values: set[Value] = {_num(value)}
        unit = (m.group(3) or "").casefold()
        if unit in _SCALE_DE:
            values.add(_num(value * _SCALE_DE[unit]))
        elif unit.startswith("er") and len(whole) == 2 and not m.group(2):  # 70er Jahre → the 1970s
            values |= {_num(1900 + value), _num(2000 + value)}
        if value == 1 and not m.group(2):
            values.add("one")
        label = m.group(1) + ("," + m.group(2) if m.group(2) else "") + (" " + m.group(3) if unit in _SCALE_DE else "")
        out.append(Quantity(label, frozenset(values)))
    words = number_words()["de"]
    for m in _WORD.finditer(text2):
        w = m.group(0)
        key = w.casefold()
        if key in ("hälfte", "dutzend"):
            if w[0].isupper():
                out.append(Quantity(w, frozenset({words[key]})))
            continue
        if not w[0].islower() and key in _NOUN_HOMOGRAPHS:
            continue  # "die Elf" (the team), "außer Acht lassen"
        value = words.get(key)
        if value is None:
            value = _german_compound_number(key)
        if value is not None:
            values = {_num(value)}
            nxt = text2[m.end() : m.end() + 14].lstrip().casefold()
            for unit, scale in _SCALE_DE.items():
                if nxt.startswith(unit):
                    values.add(_num(value * scale))
            out.append(Quantity(w, frozenset(values)))
    return out


_NOUN_HOMOGRAPHS = frozenset({"elf", "acht", "sieben", "hundert", "tausend"})
"""Capitalised, these German number words are usually nouns (``die Elf`` = the team)."""

_DE_UNITS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_DE_TENS = {"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90}


def _german_compound_number(word: str) -> float | None:
    """``einundzwanzig`` → 21, ``dreihundert`` → 300, ``zweitausend`` → 2000 (else ``None``)."""
    for unit, u in _DE_UNITS.items():
        for tens, t in _DE_TENS.items():
            if word == f"{unit}und{tens}":
                return float(u + t)
        if word == unit + "hundert" and u > 1:
            return float(u * 100)
        if word == unit + "tausend" and u > 1:
            return float(u * 1000)
    return None


def english_quantities(text: str) -> list[Quantity]:
    """Read the numbers of an English text.

    Args:
        text: English target text.

    Returns:
        Quantities in text order (times first, then the rest).
    """
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _EN_TIME.finditer(text):
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        if h > 12 or mi > 59:
            continue
        pm = m.group(3).lower() == "p"
        h24 = (h % 12) + (12 if pm else 0)
        out.append(Quantity(m.group(0), frozenset({_time(h24, mi), _num(h), _num(h24)})))
        taken.append(m.span())
    text2 = _masked(text, taken)
    for m in _EN_CLOCK.finditer(text2):
        h, mi = int(m.group(1)), int(m.group(2))
        values: set[Value] = {_num(h), _num(mi)}
        if h < 25 and mi < 60:
            values |= {_time(h, mi), _time(h + 12, mi) if h < 12 else _time(h, mi)}
        out.append(Quantity(m.group(0), frozenset(values)))
        out.append(Quantity(m.group(2), frozenset({_num(mi)})))
        taken.append(m.span())
    text2 = _masked(text, taken)
    for m in _EN_NUM.finditer(text2):
        whole = re.sub(r"[,\s\u00a0\u202f\u2009]", "", m.group(1))
        value = float(whole + ("." + m.group(2) if m.group(2) else ""))
        values = {_num(value)}
        unit = (m.group(3) or "").casefold()
        if m.group(2) and len(m.group(2)) == 2 and int(whole) < 25 and int(m.group(2)) < 60:
            values.add(_time(int(whole), int(m.group(2))))  # 14.30 (British style time)
        if unit in ("h", "hrs", "hours", "uhr", "o") and not m.group(2) and value < 25:
            values.add(_time(int(value), 0))  # 18h, 6 o'clock
        if unit in _SCALE_EN:
            values.add(_num(value * _SCALE_EN[unit]))
        label = m.group(1) + ("." + m.group(2) if m.group(2) else "") + (" " + m.group(3) if unit in _SCALE_EN else "")
        out.append(Quantity(label, frozenset(values)))
        if m.group(2) and len(m.group(2)) == 3 and not m.group(1).count(","):
            # "1.000" written the German way in an English text: accept both readings.
            out.append(Quantity(m.group(0), frozenset({_num(float(whole + m.group(2)))})))
    words = number_words()["en"]
    for m in _WORD.finditer(text2):
        w = m.group(0).casefold()
        parts = w.split("-")
        if len(parts) == 2 and parts[0] in words and parts[1] in words and words[parts[0]] >= 20 and words[parts[1]] < 10:
            out.append(Quantity(m.group(0), frozenset({_num(words[parts[0]] + words[parts[1]])})))
            continue
        if w in ("noon", "midday", "midnight"):
            h = 0 if w == "midnight" else 12
            out.append(Quantity(m.group(0), frozenset({_time(h, 0), _num(h or 12)})))
            continue
        if w in MONTHS_EN and (len(w) > 3 or m.group(0)[0].isupper()):
            out.append(Quantity(m.group(0), frozenset({f"m{MONTHS_EN[w]}"})))
            continue
        value = words.get(w)
        if value is None and "-" in w:  # twelve-year-old, three-time
            value = words.get(parts[0])
        if value is not None:
            values = {_num(value)}
            if value == 1:
                values.add("one")
            nxt = text2[m.end() : m.end() + 12].lstrip().casefold()
            for unit, scale in _SCALE_EN.items():
                if len(unit) > 2 and nxt.startswith(unit):
                    values.add(_num(value * scale))
            out.append(Quantity(m.group(0), frozenset(values)))
    return out


def unmatched(source: str, target: str) -> tuple[list[Quantity], list[Quantity]]:
    """Pair the source's numbers with the target's.

    Args:
        source: German text.
        target: English text.

    Returns:
        ``(missing, extra)``: source quantities without an English
        counterpart, and English quantities left over (both in text order).
    """
    src = german_quantities(source)
    tgt = english_quantities(target)
    used = [False] * len(tgt)
    missing: list[Quantity] = []
    # Most specific first: quantities with fewer readings claim their match first.
    for q in sorted(src, key=lambda q: len(q.values)):
        for i, t in enumerate(tgt):
            if not used[i] and q.values & t.values:
                used[i] = True
                break
        else:
            if not any(q.values & t.values for t in tgt):
                missing.append(q)
    order = {id(q): i for i, q in enumerate(src)}
    missing.sort(key=lambda q: order[id(q)])
    extra = [t for i, t in enumerate(tgt) if not used[i] and isinstance(next(iter(t.values)), float) and t.text[:1].isdigit()]
    return missing, extra


def check_numbers(source: str, target: str, context: object = None) -> list[tuple[str, str]]:
    """The ``number-mismatch`` check.

    Args:
        source: German sentence.
        target: English sentence.
        context: unused (the check needs no context).

    Returns:
        ``[]``, or ``[("number-mismatch", detail)]`` with a detail such as
        ``"14 → 41"`` (one missing, one extra) or ``"3,5 not in the English"``.
    """
    missing, extra = unmatched(source, target)
    if not missing:
        return []
    if len(missing) == 1 and len(extra) == 1:
        return [(FLAG_NUMBER_MISMATCH, f"{missing[0].text} → {extra[0].text}")]
    names = ", ".join(q.text for q in missing[:4])
    return [(FLAG_NUMBER_MISMATCH, f"{names} not in the English")]
