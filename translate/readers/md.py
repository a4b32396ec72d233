"""Markdown read as Markdown (CommonMark, with tables) by markdown-it-py.

Structure becomes paragraph kinds and the syntax disappears from the text
that is translated: ``#`` headings → ``heading`` (a level-1 heading that
opens the document → ``headline``), ``-``/``1.`` lists → one ``list`` block
with one item per line, ``>`` block quotes → ``quote``, tables → one ``body``
block per row (one cell per line), paragraphs → ``body``. Inline:
``**Berlin**``/``*so*`` keep only their words, ``[Gesetz](https://…)`` keeps
``Gesetz`` (the link target is never translated), inline code keeps its
text, images keep nothing, raw HTML is dropped. Horizontal rules and HTML
blocks are left out. Encoding: as for plain text
(:func:`translate.reading.decode`).

Text that is not prose is kept but never translated: a fenced or indented
code block becomes one ``boilerplate`` block (a block inside a list ends the
list block there; the items after it form a new one), and so does a
paragraph that is only a web address (``https://…``, ``<https://…>``,
``www.…``), so their segments are pass-through: copied unchanged into every
aligned output, never sent to the model. Like every reader's text
(:func:`translate.readers.base.build_text`), each code line's white space is
collapsed to single spaces and blank lines inside the block are dropped.

No text is lost to the parser's limits: markdown-it's nesting limit
(``maxNesting``, 20 in the CommonMark preset, past which it silently skips the
rest of the document) is raised to :data:`MAX_NESTING`; a document nested so
deep that the parser runs out of recursion is read as plain text instead, with
a warning. Links are kept as their text whatever their target: markdown-it's
``validateLink`` (which leaves ``[t](javascript:…)`` as literal text, target
included) is switched off, since dewire never follows or writes a target.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from translate.readers.base import ReadOptions, SourceInfo, source_text

if TYPE_CHECKING:  # pragma: no cover
    from translate.reading import SourceText


def _inline(token) -> str:
    """The plain text of an ``inline`` token: words kept, markup and link targets dropped."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


_BARE_URL = re.compile(r"<?(?:(?:https?|ftp)://|www\.)[^\s<>]+>?", re.I)
"""A paragraph that is only a web address: pass-through, like code (``https://example.org/a``, ``<https://…>``)."""

MAX_NESTING = 100_000
"""markdown-it's ``maxNesting``: high enough never to cut a document (Python's recursion limit comes first)."""


def markdown_blocks(text: str) -> tuple[list[tuple[str | None, list[str]]], str | None]:
    """``(blocks, title)`` of a Markdown text; ``title`` is the opening level-1 heading, if any.

    Raises:
        RecursionError: nesting too deep for the parser (:func:`read` falls back to plain text).
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    md.options["maxNesting"] = MAX_NESTING
    md.validateLink = lambda url: True  # the target is dropped anyway; a refused link would stay as literal text
    tokens = md.parse(text)
    blocks: list[tuple[str | None, list[str]]] = []
    title = None
    stack: list[str] = []  # open containers: bullet_list, ordered_list, blockquote, table
    list_lines: list[str] | None = None
    row: list[str] | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if list_lines is None:
                list_lines = []
            stack.append("list")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            stack.pop()
            if "list" not in stack and list_lines is not None:
                blocks.append(("list", list_lines))
                list_lines = None
        elif kind == "blockquote_open":
            stack.append("quote")
        elif kind == "blockquote_close":
            stack.pop()
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if row:
                blocks.append(("body", row))
            row = None
        elif kind in ("fence", "code_block"):
            code = tok.content.splitlines()
            if list_lines is not None:  # a code block inside a list item: the list block ends before it
                if list_lines:
                    blocks.append(("list", list_lines))
                list_lines = []
            if row is None and any(line.strip() for line in code):
                blocks.append(("boilerplate", code))
        elif kind == "inline":
            line = _inline(tok)
            parent = tokens[i - 1].type if i else ""
            if row is not None:
                row.append(line)
            elif list_lines is not None:
                list_lines.append(line)
            elif parent == "heading_open":
                level = tokens[i - 1].tag
                if level == "h1" and not blocks and title is None:
                    title = line
                    blocks.append(("headline", [line]))
                else:
                    blocks.append(("heading", [line]))
            elif "quote" in stack:
                blocks.append(("quote", [line]))
            elif _BARE_URL.fullmatch(line.strip()):
                blocks.append(("boilerplate", [line]))
            else:
                blocks.append(("body", [line]))
        i += 1
    if list_lines:
        blocks.append(("list", list_lines))
    return blocks, title


def read(data: bytes, name: str, options: ReadOptions) -> "SourceText":
    """Read Markdown (the :class:`~translate.readers.base.Reader` for ``md``).

    Raises:
        InputError: binary or empty input, or no text once the syntax is removed.
    """
    from translate.reading import decode

    text, encoding, warnings = decode(data, name)
    try:
        blocks, title = markdown_blocks(text)
    except RecursionError:
        from translate.readers import txt

        source = txt.read(data, name, options)
        return dataclasses.replace(
            source,
            info=SourceInfo(format="md", url=options.url),
            warnings=(*source.warnings, f"{name}: Markdown nested too deeply to parse; read as plain text (syntax kept)"),
        )
    info = SourceInfo(format="md", title=title, url=options.url)
    return source_text(blocks, name=name, encoding=encoding, info=info, warnings=warnings,
                       empty_message=f"{name} is empty (no text once the Markdown syntax is removed)")
