"""Paragraphs and German sentences, with exact spans into the normalized text.

:func:`segment` cuts the normalized text (see :mod:`translate.reading`) into
:class:`~translate.document.Paragraph` blocks and
:class:`~translate.document.Sentence` segments:

* **Blocks** are separated by one or more blank lines. Inside a block every
  line break is a hard break (unwrapping already happened in
  :func:`translate.reading.normalize`): consecutive body lines of one block
  form one paragraph, and so do consecutive list items of one block (one
  ``list`` paragraph per list, each item's sentences its segments).
  Sentences never cross a line end, so an item never merges with the next.
  Every other line (heading, byline, caption, dateline, separator) is a
  paragraph of its own.
* **Kinds**: ``headline`` (the first line, if short and without a final
  period), ``heading`` (a short line without final punctuation inside the
  article, or a short all-caps line such as ``UKRAINE-FAKTOR``), ``byline``
  (``Von Josh Smith``), ``dateline`` (a body paragraph that opens with
  ``SEOUL (Reuters) –``: the whole paragraph gets the kind, the dateline
  stays in its first sentence and is never cut), ``caption`` (``© Reuters.
  …``, ``Foto: …``, or a short paragraph ending in a photo credit), ``list``
  (``- Punkt``, ``• Punkt``, ``1. Punkt`` with a numbered neighbour),
  ``separator`` (a line of punctuation and symbols only, or only a
  numbering marker: ``***``, ``—``, ``1.``, ``IV.``, ``a)``), ``body``.
  A line with digits but no letters (``2021``, ``3:1``, a table cell
  ``10,50``) is no separator and no title: it is ``body`` (a letterless
  date or time alone in its block is a ``timestamp``) and stays with the
  other lines of its block; its sentence is pass-through.
* **Sentences**: a rule-based German splitter (see :func:`sentence_spans`).
  Only ``.``, ``!``, ``?`` and ellipses can end a sentence, and only before
  white space; closing quotes and brackets stay with their sentence.
* **Pass-through**: a sentence without letters (``***``, ``1.``, ``—``,
  ``12:30``), and every sentence of a ``separator`` line, has
  ``passthrough=True``: the translator copies it unchanged.

The result is lossless for *any* input string: every non-white-space
character lies in exactly one sentence, spans are ``[start, end)`` code-point
offsets with ``text[start:end] == sentence.source``, and sentences are
trimmed of surrounding white space (``str.isspace``), so
:func:`translate.document.check_alignment` holds. All work is linear in the
text length (no regular expression can backtrack over a whole line).
"""

from __future__ import annotations

import dataclasses
import heapq
import re
from dataclasses import dataclass

from translate.document import Paragraph, Sentence
from translate import segment_rules as R

SEGMENTER_NAME = "dewire-seg-1"
"""Segmenter name and version, recorded in every output signature."""

_TERMINAL_RUN = re.compile(r"[.!?…]+")
_SPACE_RUN = re.compile(r"\s+")
_WORD_CHARS = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_NUMBER = re.compile(r"\d+")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:[.,' ’]\d{3})+|\d+,\d+")
_PAGE_NUMBER = re.compile(r"\d{1,3}")
_ROMAN = re.compile(r"[IVXLCDM]{1,6}")
_DOTTED_ABBREV = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,4}")
_MAX_PAREN = 300
"""Parenthesised text up to this many characters is never cut (``(vgl. S. 3. Abb.)``)."""

_GROUPED_KINDS = frozenset({"body", "list"})
"""Kinds whose consecutive lines in one block form one paragraph (the line breaks stay between sentences)."""

_PASSTHROUGH_KINDS = frozenset({"separator", "boilerplate"})
"""Kinds whose sentences are copied unchanged (never sent to the model)."""

_MAX_HEADLINE_CHARS = 200
_MAX_HEADING_CHARS = 100
_MAX_BYLINE_CHARS = 120


@dataclass(frozen=True, slots=True)
class _Unit:
    """One non-blank line: stripped span, block number, kind, protected prefix end."""

    start: int
    end: int
    block: int
    kind: str = "body"
    protect: int = 0


def segment(text: str) -> tuple[Paragraph, ...]:
    """Cut normalized text into paragraphs and sentences.

    Args:
        text: the normalized source text (:func:`translate.reading.normalize`);
            any string is accepted and segmented losslessly.

    Returns:
        The paragraphs in order (empty for a text of only white space). Each
        paragraph has at least one sentence; sentence ids run 0..n-1 over
        the whole document; every span is ``[start, end)`` in ``text``.
    """
    units = _classify(text, _lines(text))
    paragraphs: list[Paragraph] = []
    next_id = 0
    i = 0
    while i < len(units):
        unit = units[i]
        group = [unit]
        if unit.kind in _GROUPED_KINDS:
            while i + 1 < len(units) and units[i + 1].kind == unit.kind and units[i + 1].block == unit.block:
                i += 1
                group.append(units[i])
        i += 1
        sentences: list[Sentence] = []
        for member in group:
            for start, end in sentence_spans(text, member.start, member.end, protect=member.protect):
                source = text[start:end]
                passthrough = unit.kind in _PASSTHROUGH_KINDS or not _has_alpha(source)
                sentences.append(Sentence(id=next_id, source=source, span=(start, end), passthrough=passthrough))
                next_id += 1
        paragraphs.append(
            Paragraph(index=len(paragraphs), kind=unit.kind, span=(group[0].start, group[-1].end), sentences=tuple(sentences))
        )
    return tuple(paragraphs)


# -- lines and blocks --------------------------------------------------------------


def _lines(text: str) -> list[_Unit]:
    """Non-blank lines of ``text`` as stripped spans, numbered by block (blank-line separated)."""
    units: list[_Unit] = []
    block = 0
    pos = 0
    n = len(text)
    pending_break = False
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        line = text[pos:nl]
        stripped_left = line.lstrip()
        if stripped_left:
            start = pos + (len(line) - len(stripped_left))
            end = pos + len(line.rstrip())
            if pending_break and units:
                block += 1
            pending_break = False
            units.append(_Unit(start, end, block))
        else:
            pending_break = True
        pos = nl + 1
    return units


# -- paragraph kinds ----------------------------------------------------------------


def _classify(text: str, units: list[_Unit]) -> list[_Unit]:
    """Give every line its paragraph kind (see the module docstring for the rules)."""
    out: list[_Unit] = []
    seen_body = False
    first_content = True
    lines = [text[u.start : u.end] for u in units]
    block_size: dict[int, int] = {}
    for unit in units:
        block_size[unit.block] = block_size.get(unit.block, 0) + 1
    # web-copy lines that never count as content: timestamp, boilerplate, separator
    aside = [_aside_kind(line, alone=block_size[u.block] == 1) for line, u in zip(lines, units)]
    # lines without letters (2021, 3:1, 10,50) are no content either: body, never a title or heading
    bare = [not a and not _has_alpha(line) for line, a in zip(lines, aside)]
    content = [not a and not b for a, b in zip(aside, bare)]
    kicker = _kicker_index(lines, content)
    # a line beside a letterless line of its block is a table cell or a column of figures, never a title;
    # a lone small number (a page number over ``Feuilleton``) does not count
    figures = [b and not _PAGE_NUMBER.fullmatch(line) for b, line in zip(bare, lines)]
    beside_bare = [
        any(0 <= j < len(units) and units[j].block == unit.block and figures[j] for j in (idx - 1, idx + 1))
        for idx, unit in enumerate(units)
    ]
    for idx, unit in enumerate(units):
        line = lines[idx]
        kind = "body"
        protect = unit.start
        if aside[idx] or bare[idx]:
            kind = aside[idx] or "body"
            out.append(_Unit(unit.start, unit.end, unit.block, kind, protect))
            continue
        if idx == kicker:
            kind = "kicker"
        elif R.BULLET_RE.match(line) or (_is_numbered_item(line) and _numbered_neighbour(text, units, idx)):
            kind = "list"
        elif _is_caption(line):
            kind = "caption"
        elif _is_byline(line):
            kind = "byline"
        elif beside_bare[idx] or _is_amount(line):
            pass  # body: a table cell (2021 | 10 Euro) or a price line (10 Euro) is no title or heading
        elif first_content and any(content[idx + 1 :]) and _is_headline(line):
            kind = "headline"
        else:
            dateline_end = _dateline_end(line, first_body=not seen_body)
            if dateline_end:
                kind = "dateline"
                protect = unit.start + dateline_end
            elif not first_content and _is_heading(line):
                kind = "heading"
        if kind != "kicker":
            first_content = False
        if kind in ("body", "dateline"):
            seen_body = True
        out.append(_Unit(unit.start, unit.end, unit.block, kind, protect))
    return out


def _aside_kind(line: str, *, alone: bool = True) -> str:
    """``separator``, ``boilerplate`` or ``timestamp`` for a line that is not content, else ``""``.

    A timestamp without letters (``08.09.2023``, ``12:30``) is a
    ``timestamp`` only when it is the only line of its block: among other
    lines of one block it is a table cell or part of a wrapped paragraph
    (``08.09.2023`` over ``10 Euro`` in one table row) and stays in it.
    """
    if _is_separator(line):
        return "separator"
    if R.is_boilerplate(line):
        return "boilerplate"
    if R.is_timestamp(line) and (alone or _has_alpha(line)):
        return "timestamp"
    return ""


def _kicker_index(lines: list[str], is_content: list[bool]) -> int:
    """Index of the kicker line above the title (``Politik`` over ``Merz kündigt …``), or -1.

    A kicker is the first content line when it is short (at most
    :data:`~translate.segment_rules.MAX_KICKER_WORDS` words and
    :data:`~translate.segment_rules.MAX_KICKER_CHARS` characters, no final
    punctuation but an optional colon, no byline or caption) and the next
    content line (timestamps and boilerplate skipped) is a title: headline-like,
    of at least three words, longer than the kicker, and followed by more
    content (issue 17: web copies put the kicker above the title).
    """
    content = [i for i, c in enumerate(is_content) if c]
    if len(content) < 3:
        return -1
    first, title = lines[content[0]], lines[content[1]]
    label = first[:-1] if first.endswith(":") else first
    if (
        not label
        or len(_words(label)) > R.MAX_KICKER_WORDS
        or len(label) > R.MAX_KICKER_CHARS
        or _ends_with_terminal(label)
        or R.BULLET_RE.match(first)
        or _is_caption(first)
        or _is_byline(first)
        or _is_byline(title)
        or _is_caption(title)
    ):
        return -1
    if R.BULLET_RE.match(title) or _is_numbered_item(title):
        return -1
    if not _is_headline(title) or _ends_with_terminal(title, ".!?:;,…") or len(_words(title)) < 3:
        return -1
    if len(_words(title)) <= len(_words(label)) and len(title) < len(label) + 10:
        return -1
    return content[0]


def _has_alpha(s: str) -> bool:
    return any(ch.isalpha() for ch in s)


def _is_separator(line: str) -> bool:
    """A divider (``***``, ``—``, ``* * *``, ``###``: neither letters nor digits) or a bare numbering marker (``1.``, ``IV.``, ``a)``).

    A line with digits but no letters (a year ``2021``, a score ``3:1``, a
    page number, a table cell) is no separator: it stays in its block
    (its sentence is still pass-through, :func:`is_passthrough`).
    """
    if len(line) <= 12 and R.NUMBERING_ONLY_RE.fullmatch(line):
        return True
    return not any(ch.isalnum() for ch in line)


def _is_amount(line: str) -> bool:
    """A figure with units only (``10 Euro``, ``3,5 Mio. Euro``, ``12 %``): body, never a heading.

    At most six words; at least one digit; every word with letters is a
    unit of :data:`~translate.segment_rules.AMOUNT_UNITS`.
    """
    words = _words(line)
    if len(words) > 6 or not any(ch.isdigit() for ch in line):
        return False
    for word in words:
        core = word.strip(".,;:()[]/")
        if _has_alpha(core) and core not in R.AMOUNT_UNITS:
            return False
    return True


def _is_numbered_item(line: str) -> bool:
    """``1. Punkt``, ``a) Punkt`` — but not a date (``2. Juni …``)."""
    m = R.NUMBERED_RE.match(line)
    if not m:
        return False
    rest = line[m.end() - 1 : m.end() + 20]
    word = _WORD_CHARS.match(rest)
    return not (word and word.group() in R.MONTHS)


def _numbered_neighbour(text: str, units: list[_Unit], idx: int) -> bool:
    block = units[idx].block
    for j in (idx - 1, idx + 1):
        if 0 <= j < len(units) and units[j].block == block:
            other = text[units[j].start : min(units[j].end, units[j].start + 40)]
            if _is_numbered_item(other) or R.BULLET_RE.match(other):
                return True
    return False


def _words(line: str) -> list[str]:
    return line.split()


def _ends_with_terminal(line: str, chars: str = ".!?:;,…") -> bool:
    stripped = line.rstrip(R.CLOSERS + " ")
    return bool(stripped) and stripped[-1] in chars


def _is_caption(line: str) -> bool:
    if R.CAPTION_START_RE.match(line):
        return True
    if len(line) <= 600 and len(_words(line)) <= 60:
        return bool(R.CAPTION_END_RE.search(line))
    return False


def _is_byline(line: str) -> bool:
    if len(line) > _MAX_BYLINE_CHARS or not R.BYLINE_RE.match(line):
        return False
    words = _words(line)
    if len(words) > 14 or len(words) < 2:
        return False
    if line.rstrip(R.CLOSERS)[-1:] in "!?" or (line.endswith(".") and len(words[-1].rstrip(".")) > 2):
        return False
    lower = 0
    for word in words[1:]:
        if word[0] in ",|–—(/;":
            break
        core = word.strip(",;:|()–—")
        if not core:
            break
        if core[0].islower() and core.lower() not in R.NAME_PARTICLES:
            lower += 1
        if word.endswith((",", ";")) or word in ("|", "–", "—", "-"):
            break
    return lower == 0


_NAME = r"(?:[A-ZÄÖÜ][\w'’.]*(?:-[A-ZÄÖÜ][\w'’.]*)*)"
_HEADING_BYLINE = re.compile(
    rf"(?:Von|VON|Text|Autor|Autorin):?[ ](?:unsere[mnr]?[ ](?:Korrespondent(?:en|in)|Redakteur(?:in)?|Reporter(?:in)?)[ ])?"
    rf"{_NAME}(?:[ ](?:(?:von|van|de|der|den|da|di|du|la|le)[ ])*{_NAME}){{1,3}}"
    rf"(?:(?:[ ]und|,)[ ]{_NAME}(?:[ ](?:(?:von|van|de|der|den|da|di|du|la|le)[ ])*{_NAME}){{1,3}})*"
    r"(?:[ ]?[,|·–—(/][^\n]{0,60})?"
)
"""A byline of one to a few names, each of two to four capitalised words (name particles between them),
joined by ``und`` or commas, then perhaps an agency or date after ``,``, ``|``, ``(`` or a dash:
``Von Jan Kupitz``, ``Von Anna Muster und Jan Kupitz (dpa)``, ``Von Jan Kupitz | 24.10.2023``."""


def _is_heading_byline(line: str) -> bool:
    """Whether a line a reader calls a ``heading`` is really a byline: :func:`_is_byline` and
    :data:`_HEADING_BYLINE` (stricter: a heading ``Von Mensch zu Mensch`` stays a heading)."""
    return _is_byline(line) and _HEADING_BYLINE.fullmatch(line) is not None


def _is_headline(line: str) -> bool:
    if len(line) > _MAX_HEADLINE_CHARS or len(_words(line)) > 30:
        return False
    return not _ends_with_terminal(line, ".:;,")


def _is_heading(line: str) -> bool:
    if len(line) > _MAX_HEADING_CHARS:
        return False
    first = line[0]
    cased = [ch for ch in line if ch.isalpha() and ch.lower() != ch.upper()]
    if len(cased) >= 2 and all(ch.isupper() for ch in cased):  # UKRAINE-FAKTOR
        return not line.endswith(".") or len(_words(line)) <= 3
    if len(_words(line)) > 10 or _ends_with_terminal(line):
        return False
    return first.isupper() or first.isdigit() or first in R.OPENERS


def dateline_length(text: str) -> int:
    """Length of the dateline that opens ``text`` (``SEOUL (Reuters) –``), or 0.

    The segmenter's own dateline rule, as applied to the first body paragraph
    of an article: a place plus a known agency in parentheses and a dash
    (``BERLIN (dpa) -``, ``Washington, 3. Mai (AP) –``), a place in capitals
    and a dash (``SEOUL –``), or a capitalised place and an en dash before a
    capital (``Wien – Die …``). Writers use it to mark the prefix of a
    ``dateline`` paragraph in the source and in a translation that keeps it
    (``SEOUL (Reuters) - Whatever …``).

    Args:
        text: a paragraph or sentence, starting at its first character.

    Returns:
        The number of code points of the dateline, trailing white space
        excluded (``text[:n]`` is ``"SEOUL (Reuters) –"``); 0 when ``text``
        does not open with one.
    """
    end = _dateline_end(text, first_body=True)
    return len(text[:end].rstrip()) if end else 0


def _dateline_end(line: str, *, first_body: bool) -> int:
    """Length of a dateline opening ``line`` (``SEOUL (Reuters) – ``), or 0."""
    head = line[:160]
    m = R.DATELINE_RE.match(head)
    if m:
        agency = m.group("agency").strip().lower()
        parts = re.split(r"[/,;]\s*|\s+und\s+", agency)
        if agency in R.AGENCIES or all(p.strip() in R.AGENCIES for p in parts if p.strip()):
            return m.end()
    m = R.CAPS_DATELINE_RE.match(head)
    if m and len(line) > m.end() + 20:
        return m.end()
    if first_body:
        m = R.CAPS_PERIOD_DATELINE_RE.match(head)
        if m and len(line) > m.end() + 20:
            return m.end()
        m = R.PLACE_DASH_RE.match(head)
        if m and len(line) > m.end() + 20:
            return m.end()
    return 0


# -- sentences --------------------------------------------------------------------


def sentence_spans(text: str, start: int, end: int, *, protect: int = 0) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (one line, stripped) into German sentences.

    A sentence may end after a run of ``.``, ``!``, ``?`` or ``…`` plus any
    closing quotes/brackets, and only before white space; the rules decide
    which of these candidates are real ends (ordinals, dates, abbreviations,
    initials, numbers, quotes with attribution, ellipses, parentheses).

    Args:
        text: the whole document text.
        start: start offset of the line (first non-space character).
        end: end offset of the line (after the last non-space character).
        protect: no sentence ends before this offset (a dateline prefix).

    Returns:
        ``[start, end)`` spans in order, trimmed of white space, covering
        every non-space character of the line exactly once; at least one.
    """
    spans: list[tuple[int, int]] = []
    sent_start = start
    scan_pos = start
    has_letter = False
    parens: _ParenIndex | None = None
    quotes = _QuoteIndex(text, start, start)
    for m in _TERMINAL_RUN.finditer(text, start, end):
        p, q = m.span()
        if q <= protect:
            continue
        r = q
        while r < end and text[r] in R.CLOSERS:
            r += 1
        if r >= end:
            continue
        if not text[r].isspace():
            if r == q and _glued_boundary(text, sent_start, p, q, end):
                s = q  # "Schweiz.Die": the boundary lies between "." and "D"
            else:
                continue
        else:
            s = _SPACE_RUN.match(text, r, end).end()  # type: ignore[union-attr]
        if s >= end:
            continue
        if not has_letter:
            for k in range(scan_pos, p):
                if text[k].isalpha():
                    has_letter = True
                    break
            scan_pos = max(scan_pos, p)
            if not has_letter:
                continue
        if not _is_boundary(text, sent_start, p, q, s, end):
            continue
        if parens is None:
            parens = _ParenIndex(text, start, end)
            quotes = _QuoteIndex(text, start, end)
        if parens.inside(r) or quotes.inside(r):
            continue
        spans.append((sent_start, r))
        sent_start = s
        scan_pos = s
        has_letter = False
    spans.append((sent_start, end))
    return spans


class _ParenIndex:
    """Answers "is offset p inside a short balanced (…) or […]?" for increasing p."""

    __slots__ = ("_pairs", "_next", "_open_ends")

    def __init__(self, text: str, start: int, end: int) -> None:
        pairs: list[tuple[int, int]] = []
        stack: list[tuple[str, int]] = []
        closing = {")": "(", "]": "["}
        for m in re.finditer(r"[()\[\]]", text[start:end]):
            ch = m.group()
            pos = start + m.start()
            if ch in "([":
                stack.append((ch, pos))
                if len(stack) > 64:
                    stack.pop(0)
            else:
                while stack and stack[-1][0] != closing[ch]:
                    stack.pop()
                if stack:
                    _, opened = stack.pop()
                    if pos - opened <= _MAX_PAREN:
                        pairs.append((opened, pos))
        pairs.sort()
        self._pairs = pairs
        self._next = 0
        self._open_ends: list[int] = []

    def inside(self, pos: int) -> bool:
        """Is a boundary at offset ``pos`` (after any closing bracket) inside a pair? ``pos`` must not decrease."""
        pairs = self._pairs
        while self._next < len(pairs) and pairs[self._next][0] < pos:
            heapq.heappush(self._open_ends, pairs[self._next][1])
            self._next += 1
        while self._open_ends and self._open_ends[0] < pos:
            heapq.heappop(self._open_ends)
        return bool(self._open_ends)


_GLUED_NEXT = re.compile(r"[A-ZÄÖÜ][a-zäöüß]+")


_MAX_QUOTE = 500
"""A quotation with attribution up to this many characters stays one segment
(``„Wir machen weiter. Aufgeben ist keine Option“, sagte der Trainer.``;
issue 12). 500 characters is about 125 opus-mt tokens (German averages some
four characters per SentencePiece token), under the default split limit of
200 tokens (``split_tokens``), so the translator never has to cut it again."""

_QUOTE_CLOSE = {"„": "“", "»": "«", "«": "»", "\"": "\"", "‚": "‘", "›": "‹"}


class _QuoteIndex:
    """Answers "is offset p inside a quotation followed by an attribution?" for increasing p.

    A quotation is an opening mark and the next matching closing mark
    (``„…“``, ``»…«``, ``"…"``) at most :data:`_MAX_QUOTE` characters apart,
    followed by a comma (``…“, sagte er.``): the quote's sentences and the
    attribution form one segment.
    """

    __slots__ = ("_pairs", "_i")

    def __init__(self, text: str, start: int, end: int) -> None:
        pairs: list[tuple[int, int]] = []
        k = start
        while k < end:
            ch = text[k]
            close = _QUOTE_CLOSE.get(ch)
            if close is None or (k > start and text[k - 1].isalnum()):
                k += 1
                continue
            c = text.find(close, k + 1, min(end, k + 1 + _MAX_QUOTE))
            if c < 0:
                k += 1
                continue
            after = c + 1
            while after < end and text[after] in R.CLOSERS:
                after += 1
            if after < end and text[after] == ",":
                pairs.append((k, c))
            k = c + 1
        self._pairs = pairs
        self._i = 0

    def inside(self, pos: int) -> bool:
        """Is a boundary at ``pos`` inside an attributed quotation? ``pos`` must not decrease."""
        pairs = self._pairs
        while self._i < len(pairs) and pairs[self._i][1] < pos:
            self._i += 1
        return self._i < len(pairs) and pairs[self._i][0] < pos <= pairs[self._i][1]


def _glued_boundary(text: str, sent_start: int, p: int, q: int, end: int) -> bool:
    """A sentence end without a space after the period: ``Schweiz.Die``, ``EuGH.Hingegen`` (issue 17).

    ``text[p:q]`` is a single ``.`` directly followed by a capital letter.
    It ends a sentence when the word before it has two or more letters and
    is no known abbreviation (``Dr.Müller``, ``St.Gallen`` stay), the word
    after it is a capitalised word of two or more letters (not ``z.B.`` or
    ``U.S.A.``), and the whole token is no domain, address or path
    (``www.Tagesschau.de``, ``spiegel.De``, ``a/b.Cd``). Digits on either
    side (``3.5``) never get here: the next character must be a letter.
    """
    if q - p != 1:
        return False
    m = _GLUED_NEXT.match(text, q, min(end, q + 60))
    if not m:
        return False
    k = m.end()
    if k < end and not (text[k].isspace() or text[k] in ",;:!?" or text[k] in R.CLOSERS):
        return False  # Tagesschau.de, Müller-Lüdenscheidt is fine only when glued words end here
    if m.group().lower() in R.TOP_LEVEL_DOMAINS:
        return False
    j = p
    limit = max(sent_start, p - 60)
    while j > limit and not text[j - 1].isspace():
        j -= 1
    token = text[j:p].lstrip(R.OPENERS)
    if any(ch in token for ch in "./@:\\") or token.lower().startswith("www"):
        return False
    if len(token) < 2 or not token.isalpha():
        return False
    return not (
        token in R.ABBREV_NEVER_FINAL or token in R.ABBREV_FINAL_CAPABLE or token in R.ABBREV_BEFORE_NUMBER
    )


def _is_boundary(text: str, sent_start: int, p: int, q: int, s: int, end: int) -> bool:
    """Decide whether the terminal run ``text[p:q]`` ends a sentence; the next token starts at ``s``."""
    run = text[p:q]
    if "?" in run or "!" in run:
        return _starts_sentence(text, s, end)
    if "…" in run or len(run) >= 2:
        if p > 0 and text[p - 1] in "([":  # (…) marks an omission
            return False
        return _starts_sentence(text, s, end)
    # a single period: look at the token before it
    tok_start = p
    limit = max(sent_start, p - 80)
    while tok_start > limit and not text[tok_start - 1].isspace():
        tok_start -= 1
    token = text[tok_start:p].lstrip(R.OPENERS)
    if not token or token[-1] in R.CLOSERS or token[-1] in "!?…":
        return _starts_sentence(text, s, end)
    if not _starts_sentence(text, s, end):
        # „ich …: a quotation opening in lower case still starts a sentence after a plain word
        if not (text[s] in "„»«\"" and s + 1 < end and text[s + 1].islower() and _is_plain_word(token)):
            return False
        return True
    nxt = _next_word(text, s, end)
    # street names before a house number: Hauptstr. 12
    if len(token) > 4 and token.endswith(R.STREET_SUFFIXES) and token[-4].islower():
        return not text[s].isdigit() and _is_starter(text, s, nxt)
    # amounts: 3 Mio. Euro, but 3 Mio. Gewinne gab es keine
    if token in R.AMOUNT_ABBREVS:
        return bool(nxt) and nxt.split("-")[0] not in R.MEASURE_NOUNS
    # numbers: ordinals, dates, amounts
    if _NUMBER.fullmatch(token) or _GROUPED_NUMBER.fullmatch(token):
        if text[tok_start] in R.OPENERS:  # "1. Renaissance: numbering inside a quote
            return False
        return _number_ends_sentence(text, sent_start, tok_start, token, s, nxt)
    # single letters: initials (J. R. R. Tolkien), z. B., u. a., e. V.
    if len(token) == 1 and token.isalpha():
        chain = _letter_chain(text, sent_start, tok_start) + token
        if chain in R.ABBREV_ENDS_PHRASE:
            return True
        if chain in R.ABBREV_FINAL_CAPABLE:
            return _is_starter(text, s, nxt)
        if token.isupper() and len(chain) == 1 and _prev_word(text, sent_start, tok_start) in R.LETTER_NOUNS:
            return True
        return False
    chain = _letter_chain(text, sent_start, tok_start)
    if token in R.ABBREV_ENDS_PHRASE or (chain and (chain + token) in R.ABBREV_ENDS_PHRASE):
        return True
    if chain and (chain + token) in R.ABBREV_FINAL_CAPABLE:
        return _is_starter(text, s, nxt)
    if chain and (chain + token) in R.ABBREV_NEVER_FINAL:
        return False
    if token in R.ABBREV_FINAL_CAPABLE:
        return _is_starter(text, s, nxt)
    if token in R.ABBREV_NEVER_FINAL:
        return False
    if token in R.ABBREV_BEFORE_NUMBER:
        return not text[s].isdigit()
    if "." in token:
        if token in R.ABBREV_NEVER_FINAL:
            return False
        parts = re.split(r"[.\-/]", token)
        last = parts[-1]
        if last in R.TOP_LEVEL_DOMAINS and len(parts[-2]) >= 2:  # orf.at, zdf.de
            return True
        if last in R.ABBREV_NEVER_FINAL:
            return False
        if last in R.ABBREV_FINAL_CAPABLE:
            return _is_starter(text, s, nxt)
        if _DOTTED_ABBREV.fullmatch(token):
            if token.replace(".", "").isupper():  # U.S.A., U.N.
                return _is_starter(text, s, nxt)
            return False
    if _ROMAN.fullmatch(token):
        prev = _prev_word(text, sent_start, tok_start)
        if prev[:1].isupper():  # Wilhelm II., Benedikt XVI.
            return _is_starter(text, s, nxt)
    return True


def _is_plain_word(token: str) -> bool:
    """A word of two or more letters that is no known abbreviation (``sei``, ``Arnold``)."""
    return (
        len(token) >= 2
        and token.isalpha()
        and token not in R.ABBREV_NEVER_FINAL
        and token not in R.ABBREV_FINAL_CAPABLE
        and token not in R.ABBREV_BEFORE_NUMBER
    )


def _number_ends_sentence(text: str, sent_start: int, tok_start: int, token: str, s: int, nxt: str) -> bool:
    """``17.`` followed by a capitalised word: a sentence end or an ordinal?"""
    if nxt in R.CLUB_PREFIXES:  # 1. FC Köln, 1. FSV Mainz 05
        return False
    if text[s].isdigit():
        # 3. 4. 2023, 1. 2. und 3. Platz: a date or numbering; "auf 13. 200 Menschen": a sentence end
        k = s
        while k < _end_of_token(text, s) and text[k].isdigit():
            k += 1
        if (k < len(text) and not text[k].isspace()) or text[s] == "0":  # "77. 000": a broken thousands group
            return False
        prev = _prev_word(text, sent_start, tok_start)
        return not (prev in R.ORDINAL_CONTEXT or prev in R.ORDINAL_LINKS or prev.rstrip(",") in R.WEEKDAYS or prev in R.MONTHS)
    if nxt in R.MONTHS:  # 13. September, 26. Okt.
        return False
    if _is_starter(text, s, nxt):
        return True
    if _GROUPED_NUMBER.fullmatch(token):  # 1.000, 3,5: amounts, not ordinals
        return True
    prev = _prev_word(text, sent_start, tok_start)
    if prev in R.ORDINAL_CONTEXT or prev.rstrip(",") in R.WEEKDAYS:
        return False
    if prev.endswith(":") or prev in R.DASHES:  # "Ergebnis: 1. Huber - 2. Peier": numbering
        return False
    if prev in R.ORDINAL_LINKS:
        j, _ = _token_before(text, sent_start, tok_start)
        before = _prev_word(text, sent_start, j, keep_period=True)
        if before.endswith(".") and before[:-1].isdigit():
            return False
    if len(token) <= 3 and nxt in R.ORDINAL_NOUNS:
        return False
    return True


def _end_of_token(text: str, s: int) -> int:
    """Offset after the white-space free token starting at ``s`` (at most 40 characters on)."""
    k = s
    limit = min(len(text), s + 40)
    while k < limit and not text[k].isspace():
        k += 1
    return k


def _starts_sentence(text: str, s: int, end: int) -> bool:
    """Can the token at ``s`` open a sentence (capital, digit, opening quote + capital …)?"""
    c = text[s]
    if c.isupper() or c.istitle() or c.isdigit():
        return True
    if c.islower():
        nxt = text[s + 1] if s + 1 < end else ""
        return nxt.isupper()  # iPhone, eBay
    if c in R.OPENERS:
        k = s + 1
        while k < end and k < s + 4 and text[k] in R.OPENERS:
            k += 1
        if k >= end:
            return False
        d = text[k]
        return d.isupper() or d.isdigit()
    if c in R.DASHES:
        k = s + 1
        if k < end and text[k] == " " and k + 1 < end:
            return text[k + 1].isupper() or text[k + 1] in R.OPENERS
        return False
    return c not in ",;:.!?)]}"


def _is_starter(text: str, s: int, nxt: str) -> bool:
    """Is the next token a function word that opens sentences, or a quote opening a capital?"""
    if nxt in R.SENTENCE_STARTERS:
        return True
    c = text[s]
    return c in "„»\"‚" and nxt[:1].isupper()


def _next_word(text: str, s: int, end: int) -> str:
    k = s
    while k < end and k < s + 4 and text[k] in R.OPENERS:
        k += 1
    m = _WORD_CHARS.match(text, k, min(end, k + 60))
    return m.group() if m else ""


def _token_before(text: str, lo: int, pos: int) -> tuple[int, int]:
    """Span of the white-space separated token ending before ``pos`` (spaces skipped), not before ``lo``."""
    k = pos
    while k > lo and text[k - 1].isspace():
        k -= 1
    j = k
    limit = max(lo, k - 60)
    while j > limit and not text[j - 1].isspace():
        j -= 1
    return j, k


def _prev_word(text: str, sent_start: int, pos: int, *, keep_period: bool = False) -> str:
    """The token ending before ``pos`` within the sentence, without leading quotes (and final period)."""
    j, k = _token_before(text, sent_start, pos)
    word = text[j:k].lstrip(R.OPENERS)
    return word if keep_period else word.rstrip(".")


def _letter_chain(text: str, sent_start: int, tok_start: int) -> str:
    """Preceding ``x.``/``xy.`` tokens glued together: for ``z. B.`` at ``B``, ``"z."``."""
    parts: list[str] = []
    pos = tok_start
    for _ in range(4):
        j, k = _token_before(text, sent_start, pos)
        word = text[j:k].lstrip(R.OPENERS)
        if not (2 <= len(word) <= 4 and word.endswith(".") and word[:-1].isalpha()):
            break
        parts.append(word)
        pos = j
    return "".join(reversed(parts))


def is_passthrough(text: str) -> bool:
    """Whether a segment outside any line context is copied, never translated: it has no letter.

    :func:`segment` marks ``Sentence.passthrough`` with this rule and, in
    context, also every sentence of a separator line (``IV.``, ``a)``,
    ``***``). Code that builds sentences without :func:`segment` (``dewire
    eval``'s lines, the pieces of an over-long sentence) asks this function,
    so the rule lives here only; the translate stage honours the field.
    """
    return not _has_alpha(text)


# -- reader-given block kinds --------------------------------------------------------

_REFINABLE_BODY = frozenset({"dateline", "byline", "caption", "separator", "kicker", "timestamp", "boilerplate"})
"""Kinds the segmenter may still give inside a block a reader called ``body``: its own rules find datelines, bylines, credits."""

_MERGED_KINDS = frozenset({"body", "list", "quote", "caption"})
"""Kinds whose consecutive paragraphs inside one reader block become one paragraph (list items, table cells, quote lines)."""


def segment_blocks(text: str, blocks: tuple[str | None, ...] | list[str | None]) -> tuple[Paragraph, ...]:
    """Segment text whose blocks a reader has already given kinds (HTML, DOCX, Markdown).

    :func:`segment` runs unchanged (spans, sentences and pass-through are
    its own); then each paragraph takes the kind of the reader block it lies
    in: ``None`` keeps the segmenter's kind; ``body`` keeps a kind found by
    the segmenter's own rules inside body text (:data:`_REFINABLE_BODY`:
    dateline, byline, caption, separator …) and is ``body`` otherwise; any
    other kind (``headline``, ``heading``, ``list``, ``quote``, ``caption``)
    is taken as given, except that a ``separator`` line stays a
    ``separator``, a ``boilerplate`` line of a ``list`` block (a toolbar
    item such as ``chat_bubble 0 Kommentare``) stays ``boilerplate``, and a
    ``heading`` block that is a byline of names (:func:`_is_heading_byline`:
    ``Von Jan Kupitz``) is a ``byline``. Pass-through follows the final kind
    as in :func:`segment`: every sentence of a ``boilerplate`` or
    ``separator`` paragraph (a reader's code block or photo credit), and any
    sentence without letters, is pass-through. Consecutive paragraphs of one block that end up with the
    same kind in :data:`_MERGED_KINDS` are joined into one paragraph (the
    items of a list, the cells of a table row).

    Args:
        text: the reader's normalized text: blocks separated by blank lines.
        blocks: one kind (or ``None``) per blank-line separated block of
            ``text``; empty: plain :func:`segment`.

    Returns:
        The paragraphs, indexed 0..n-1, sentence ids 0..m-1, spans as :func:`segment`'s.

    Raises:
        ValueError: ``blocks`` does not have one entry per block of ``text``.
    """
    paragraphs = segment(text)
    if not blocks:
        return paragraphs
    units = _lines(text)
    block_starts: list[int] = []
    last_block = -1
    for unit in units:
        if unit.block != last_block:
            block_starts.append(unit.start)
            last_block = unit.block
    if len(block_starts) != len(blocks):
        raise ValueError(f"{len(blocks)} block kinds for {len(block_starts)} blocks of text")
    import bisect

    out: list[Paragraph] = []
    out_block: list[int] = []
    for paragraph in paragraphs:
        b = bisect.bisect_right(block_starts, paragraph.span[0]) - 1
        hint = blocks[b]
        kind = paragraph.kind
        if hint is not None and kind != "separator":
            if hint == "body":
                kind = kind if kind in _REFINABLE_BODY else "body"
            elif hint == "heading" and kind == "byline" and _is_heading_byline(text[paragraph.span[0] : paragraph.span[1]]):
                pass  # a byline the page styles as a heading (90min.de ``<h4>Von <a>Jan Kupitz</a></h4>``)
            elif hint == "list" and kind == "boilerplate":
                pass  # a toolbar list (``headset Vorlesen``, ``chat_bubble 0 Kommentare``) stays boilerplate
            else:
                kind = hint
        if kind != paragraph.kind:  # pass-through follows the final kind (a reader's boilerplate: code, a bare address)
            paragraph = dataclasses.replace(paragraph, sentences=tuple(
                s if s.passthrough == (kind in _PASSTHROUGH_KINDS or not _has_alpha(s.source))
                else dataclasses.replace(s, passthrough=not s.passthrough)
                for s in paragraph.sentences))
        if out and out_block[-1] == b and out[-1].kind == kind and kind in _MERGED_KINDS:
            previous = out[-1]
            out[-1] = Paragraph(index=previous.index, kind=kind, span=(previous.span[0], paragraph.span[1]),
                                sentences=previous.sentences + paragraph.sentences)
            continue
        out.append(Paragraph(index=len(out), kind=kind, span=paragraph.span, sentences=paragraph.sentences))
        out_block.append(b)
    return tuple(out)
