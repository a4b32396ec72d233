"""``NAME.en.md``: the brief, then the English text, as Markdown.

Layout::

    # <title>

    - <brief bullet>
    - <brief bullet> *(unsupported)*

    ---

    ## <headline>            headline paragraphs
    ### <heading>            sub-headings
    *<byline>*               bylines and captions in italics
    - <item>                 list paragraphs: one item per line (a bullet the
    1. <item>                text already had, ``-``/``•``/``*``/``–``, is
                             replaced; a number ``1.``/``1)`` is kept)
    > <line>                 quote paragraphs, one ``> `` per line
    <body text>              everything else (the dateline lead included)
                             as plain paragraphs

    ---

    *Machine translation by dewire · `<signature>`*

Text is escaped for CommonMark (https://spec.commonmark.org/0.31.2/) so that a
renderer shows exactly the words of the translation, never markup: the
characters ``\\ ` * _ [ ] < > | ~`` get a backslash everywhere, ``#``, ``+``,
``-``, ``=`` and ``1.``/``1)`` list markers only at the start of a line, and
``&`` only where it would start an entity reference (``&amp;``, ``&#38;``).
A plain ``&`` (``Müller & Söhne``) stays literal; nothing is entity-escaped.
Control characters other than line feed and tab are dropped
(:func:`translate.writers.controls.drop_controls`).

A line break inside a paragraph (where the source had one; in a quote,
between its lines) is a CommonMark hard line break (two spaces, then the line
end), so each list item stays on its own line, with no blank line between
items, in the file and when rendered.

Each line of text is escaped exactly once (:func:`escape_markdown`); the list
and quote markers dewire writes are added after escaping.
"""

from __future__ import annotations

import re

from translate.document import FLAG_PASSTHROUGH, Document
from translate.signature import signature
from translate.writers.controls import drop_controls
from translate.writers.txt import paragraph_target

SUFFIX = ".en.md"

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_HARD_BREAK = "  \n"
"""A CommonMark hard line break (https://spec.commonmark.org/0.31.2/#hard-line-breaks)."""
_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Escape ``text`` so CommonMark renders it literally (rules in the module docstring).

    Args:
        text: plain text, possibly several lines.

    Returns:
        The escaped text; removing each backslash that precedes an ASCII
        punctuation character gives back ``drop_controls(text)`` (control
        characters other than line feed and tab are dropped first).
    """
    text = _INLINE.sub(r"\\\1", drop_controls(text))
    text = _ENTITY.sub(r"\\&", text)

    def line_start(match: re.Match[str]) -> str:
        indent, marker = match.groups()
        if marker[0].isdigit():
            # "1. September" would start an ordered list: escape the period/parenthesis.
            return f"{indent}{marker}\\"
        return f"{indent}\\{marker}"

    return _LINE_START.sub(line_start, text)


def code_span(text: str) -> str:
    """``text`` (control characters dropped) as a CommonMark code span, fenced with more backticks than it contains."""
    text = drop_controls(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def one_line(text: str) -> str:
    """``text`` without control characters, its white-space runs (line breaks included) collapsed to one space."""
    return " ".join(drop_controls(text).split())


def title_of(doc: Document) -> str:
    """The document's display title (:attr:`Document.display_title`)."""
    return doc.display_title


def brief_lines(doc: Document) -> list[str]:
    """Markdown bullet lines of the brief (``[]`` when there is none)."""
    lines = []
    if doc.brief is not None:
        for bullet in doc.brief.bullets:
            line = "- " + escape_markdown(one_line(bullet.text))
            if bullet.flags:
                line += " *(" + ", ".join(escape_markdown(f) for f in bullet.flags) + ")*"
            lines.append(line)
    return lines


_BULLET = re.compile(r"^\s*[-–•*·]\s+")
_NUMBER = re.compile(r"^\s*(\d{1,9})[.)]\s+")


def _list_item(line: str) -> str:
    """One list item as a CommonMark list item line (``- item`` or ``3. item``)."""
    number = _NUMBER.match(line)
    if number:
        return f"{number.group(1)}. " + escape_markdown(line[number.end():].strip())
    return "- " + escape_markdown(_BULLET.sub("", line, count=1).strip())


def _block(kind: str, text: str) -> str:
    if kind == "list":
        return "\n".join(_list_item(line) for line in text.split("\n") if line.strip())
    if kind == "quote":
        return _HARD_BREAK.join("> " + escape_markdown(line.strip()) for line in text.split("\n") if line.strip())
    text = escape_markdown(text)
    if kind == "headline":
        return "## " + " ".join(text.split())
    if kind == "heading":
        return "### " + " ".join(text.split())
    if kind in ("byline", "caption"):
        return _HARD_BREAK.join(f"*{line.strip()}*" for line in text.split("\n") if line.strip())
    return text.replace("\n", _HARD_BREAK)


def render(doc: Document) -> dict[str, str]:
    """Render the brief and the English text of ``doc`` as Markdown.

    Args:
        doc: a translated document (``doc.brief`` may be ``None``).

    Returns:
        ``{".en.md": markdown}`` ending with a newline.
    """
    parts = ["# " + escape_markdown(one_line(title_of(doc)))]
    bullets = brief_lines(doc)
    if bullets:
        parts.append("\n".join(bullets))
    parts.append("---")
    for paragraph in doc.paragraphs:
        text = paragraph_target(doc, paragraph)
        if text:
            parts.append(_block(paragraph.kind, text))
    parts.append("---")
    flagged = sum(1 for s in doc.sentences() if any(f != FLAG_PASSTHROUGH for f in s.flags))
    footer = f"*Machine translation by dewire · {code_span(signature(doc))}*"
    if flagged:
        footer += f"  \n*{flagged} sentence{'s' if flagged != 1 else ''} flagged for review; see the report.*"
    parts.append(footer)
    return {SUFFIX: "\n\n".join(parts) + "\n"}

