"""Split a sentence that is too long for the model into clause-sized pieces.

opus-mt accepts at most 512 source tokens (its ``max_position_embeddings``)
and its quality drops well before that (the training data are sentences of
typically under 100 tokens), so dewire splits a sentence beyond
``split_tokens`` (200 by default) and translates the pieces one by one. The
pieces are cut at the strongest clause boundary available, in this order:

1. after ``;`` or ``:`` (or a spaced dash ``–``/``—``) followed by whitespace;
2. after a comma followed by a German conjunction or relative pronoun
   (:data:`CLAUSE_WORDS`: *und, oder, aber, weil, dass, wenn, …*), i.e. in
   front of a coordinated or subordinate clause (Duden, *Komma*, rules on
   Nebensätze and Konjunktionen);
3. after any comma followed by whitespace;
4. at any whitespace;
5. as a last resort (a single "word" over the limit, e.g. a long URL), inside
   the word by character count.

At each level the text is cut at *every* boundary of that level, then
consecutive parts are merged greedily while they stay within ``limit``
tokens, so the pieces are as long (as much context) as allowed; only a part
still over the limit goes down to the next level. A last pass joins
neighbouring pieces that fit together (pieces cut at different levels). Nothing is ever dropped:
every non-whitespace character of the sentence lies in exactly one piece.
"""

from __future__ import annotations

import re
from typing import Callable

CLAUSE_WORDS: frozenset[str] = frozenset(
    """
    und oder aber denn sondern doch jedoch sowie beziehungsweise bzw
    weil da dass daß ob wenn falls sofern soweit als während nachdem bevor ehe
    seit seitdem bis obwohl obgleich obschon wenngleich damit sodass indem
    wobei wohingegen wie wo woher wohin womit wodurch worauf woran worüber
    weshalb weswegen warum was wer um ohne statt anstatt
    welche welcher welches welchem welchen deren dessen denen
    """.split()
)
"""Words that start a coordinated or subordinate clause after a comma
(conjunctions from Duden's list of *Konjunktionen*, the infinitive-clause
openers *um, ohne, (an)statt*, and relative pronouns that are unambiguous
after a comma; the articles ``der/die/das`` are left out because they also
start appositions)."""

_STRONG = re.compile(r"[;:](?=\s)|\s[–—](?=\s)")
_COMMA_CLAUSE = re.compile(r",(?=\s+(\w+))")
_COMMA = re.compile(r",(?=\s)")
_SPACE = re.compile(r"\s+")

CountTokens = Callable[[str], int]


def _cuts_strong(text: str) -> list[int]:
    return [m.end() for m in _STRONG.finditer(text)]


def _cuts_comma_clause(text: str) -> list[int]:
    return [m.end() for m in _COMMA_CLAUSE.finditer(text) if m.group(1).lower() in CLAUSE_WORDS]


def _cuts_comma(text: str) -> list[int]:
    return [m.end() for m in _COMMA.finditer(text)]


def _cuts_space(text: str) -> list[int]:
    return [m.start() for m in _SPACE.finditer(text)]


_LEVELS: tuple[Callable[[str], list[int]], ...] = (_cuts_strong, _cuts_comma_clause, _cuts_comma, _cuts_space)


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _fits(text: str, span: tuple[int, int], count_tokens: CountTokens, limit: int) -> bool:
    return count_tokens(text[span[0] : span[1]]) <= limit


def _split_chars(text: str, span: tuple[int, int], count_tokens: CountTokens, limit: int) -> list[tuple[int, int]]:
    """Last resort: cut a span without usable boundaries by character count."""
    out: list[tuple[int, int]] = []
    start, end = span
    while start < end:
        lo, hi = start + 1, end  # largest stop in [lo, hi] that fits: gallop, then bisect
        step = 1
        while lo + step <= hi and count_tokens(text[start : lo + step]) <= limit:
            lo += step
            step *= 2
        hi = min(hi, lo + step - 1)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count_tokens(text[start:mid]) <= limit:
                lo = mid
            else:
                hi = mid - 1
        out.append((start, lo))
        start = lo
    return out


def _split_span(
    text: str, span: tuple[int, int], count_tokens: CountTokens, limit: int, level: int
) -> list[tuple[int, int]]:
    if _fits(text, span, count_tokens, limit):
        return [span]
    if level >= len(_LEVELS):
        return _split_chars(text, span, count_tokens, limit)
    start, end = span
    cuts = [start + c for c in _LEVELS[level](text[start:end]) if 0 < c < end - start]
    parts = [p for p in (_strip(text, a, b) for a, b in zip([start, *cuts], [*cuts, end])) if p is not None]
    if len(parts) <= 1:
        return _split_span(text, span, count_tokens, limit, level + 1)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(parts):
        # Longest run parts[i..j] that fits: galloping search (probe i+1, i+2,
        # i+4 … until a run does not fit), then binary search in that window.
        # Token counts grow with the run (up to SentencePiece noise, checked
        # again below). Galloping keeps every probe within twice the final
        # piece, so a huge line costs time linear in its length; a plain
        # binary search over all remaining parts tokenized half the rest of
        # the line per probe (quadratic: 20,000 words took 5.4 s, issue 12).
        lo, hi = i, len(parts) - 1
        step = 1
        while lo + step <= hi and _fits(text, (parts[i][0], parts[lo + step][1]), count_tokens, limit):
            lo += step
            step *= 2
        hi = min(hi, lo + step - 1)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _fits(text, (parts[i][0], parts[mid][1]), count_tokens, limit):
                lo = mid
            else:
                hi = mid - 1
        j = lo
        while j > i and not _fits(text, (parts[i][0], parts[j][1]), count_tokens, limit):
            j -= 1
        merged = (parts[i][0], parts[j][1])
        if j == i and not _fits(text, merged, count_tokens, limit):
            out.extend(_split_span(text, merged, count_tokens, limit, level + 1))
        else:
            out.append(merged)
        i = j + 1
    return out


def split_long(text: str, count_tokens: CountTokens, limit: int) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``limit`` tokens at clause boundaries.

    Args:
        text: one source sentence.
        count_tokens: source token count of a string (with EOS), e.g.
            ``lambda s: translator.count_tokens([s])[0]``.
        limit: the most tokens a piece may have (e.g. ``split_tokens`` = 200).

    Returns:
        ``[start, end)`` spans into ``text``, increasing and non-overlapping,
        each stripped of surrounding whitespace; only whitespace lies between
        or around them. A text within the limit gives one span (the stripped
        text); a whitespace-only text gives ``[]``.

    Raises:
        ValueError: ``limit`` < 2 (no room for a token and EOS).
    """
    if limit < 2:
        raise ValueError(f"limit must be at least 2 tokens, got {limit}")
    span = _strip(text, 0, len(text))
    if span is None:
        return []
    return _merge(text, _split_span(text, span, count_tokens, limit, 0), count_tokens, limit)


def _merge(text: str, spans: list[tuple[int, int]], count_tokens: CountTokens, limit: int) -> list[tuple[int, int]]:
    """Join neighbouring pieces (cut at different levels) while the join fits the limit."""
    out: list[tuple[int, int]] = []
    for span in spans:
        if out and _fits(text, (out[-1][0], span[1]), count_tokens, limit):
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
    return out
