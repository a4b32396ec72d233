"""``NAME.aligned.tsv``: ``source<TAB>target``, one sentence pair per line.

Layout: no header line; one line per sentence in document order; an empty
line between paragraphs (so the file reads like the article); the file ends
with a newline. Every non-empty line has exactly two tab-separated columns.

Escaping (the backslash scheme of PostgreSQL's ``COPY … TEXT`` format and
MySQL's ``LOAD DATA``), applied to each column:

=====================  ==========
character              written as
=====================  ==========
backslash ``\\``       ``\\\\``
tab                    ``\\t``
line feed              ``\\n``
carriage return        ``\\r``
any other control      ``\\uXXXX`` (4 hex digits): C0 and C1 controls,
character or Unicode   DEL, U+2028/U+2029, i.e. everything a line-based
line separator         reader could take for a line or column break
=====================  ==========

Everything else, ``&``, ``<``, quotes, bidi and zero-width characters
included, is written literally. :func:`unescape` inverts :func:`escape`.
"""

from __future__ import annotations

import re

from translate.document import Document

SUFFIX = ".aligned.tsv"

_NAMED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPE_SEQUENCE = re.compile(r"\\(?:([\\tnr])|u([0-9a-fA-F]{4}))")
_UNNAMED = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def escape(text: str) -> str:
    """Escape one TSV field (see the module docstring for the scheme)."""
    return _NEEDS_ESCAPE.sub(_escape_char, text)


def _unescape_sequence(match: re.Match[str]) -> str:
    named, code = match.groups()
    return _UNNAMED[named] if named else chr(int(code, 16))


def unescape(field: str) -> str:
    """Invert :func:`escape`: ``unescape(escape(s)) == s`` for every ``str`` s."""
    return _ESCAPE_SEQUENCE.sub(_unescape_sequence, field)


def render(doc: Document) -> dict[str, str]:
    """Render ``doc`` as a two-column TSV of sentence pairs.

    Args:
        doc: a translated document.

    Returns:
        ``{".aligned.tsv": text}``.
    """
    blocks = [
        "".join(f"{escape(s.source)}\t{escape(s.target or '')}\n" for s in paragraph.sentences)
        for paragraph in doc.paragraphs
    ]
    return {SUFFIX: "\n".join(blocks)}
