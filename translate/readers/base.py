"""The reader seam: one reader per input format, all returning the same :class:`~translate.reading.SourceText`.

A reader turns the raw bytes of one input (a file, standard input or a
fetched URL) into normalized text plus what the format knows about it: the
source information (:class:`SourceInfo`: title, author, date, site, URL) and
a paragraph kind for every block of the text (``SourceText.blocks``).
Segmentation, translation, the brief, the writers and the alignment spans
never know which reader ran: spans index the text the reader returned.

The registry :data:`READERS` maps a format name to the module that reads it
(imported only when that format is read, so ``dewire --help`` imports neither
trafilatura nor python-docx). The format of an input is chosen by
:func:`detect_format`: a URL is fetched first (:mod:`translate.readers.url`)
and its ``Content-Type`` decides; a file by its extension
(:data:`EXTENSIONS`); an unknown extension and standard input by sniffing the
first bytes. The table follows sumy's ``PARSERS`` dictionary
(``sumy/__main__.py``): format name → reader.

Block text conventions (what every reader returns, so :func:`build_text` is
the one place they are enforced): blocks are separated by exactly one blank
line; inside a block each line is one unit (a list item, a table cell, a
verse line) and white space inside a line is single spaces; the text is NFC
with ``\\n`` line ends (:func:`translate.reading.clean_characters`).
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass, fields
from pathlib import PurePath
from typing import TYPE_CHECKING, Protocol, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from translate.reading import SourceText


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What the input says about itself; every field optional.

    Attributes:
        format: the reader that read it (``txt``, ``md``, ``html``, ``docx``).
        title: the document's title (an HTML page's ``<title>``/``og:title``
            as trafilatura cleans it, a DOCX's core property ``title``).
        author: the byline's author(s), as the page states them.
        date: the publication date, ISO 8601 (``2021-11-03``) where known.
        site: the site name (``rnz.de``, ``tagesschau.de``).
        url: the address the input was fetched from or the page's canonical
            URL (http/https only).
    """

    format: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The fields that are set, as ``{name: value}`` in field order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    @property
    def has_details(self) -> bool:
        """Whether anything beyond the format is known (title, author, date, site or URL)."""
        return any((self.title, self.author, self.date, self.site, self.url))


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read one input.

    Attributes:
        max_bytes: the largest input accepted, in bytes (``None``: no limit);
            for a URL, the most bytes downloaded.
        all_text: HTML only: keep every visible text block instead of the
            extracted article (``--all-text``).
        content_type: the HTTP ``Content-Type`` header of a fetched URL (its
            ``charset`` is one of the encoding sources of an HTML page).
        url: the address a fetched input came from.
        timeout: seconds allowed for each network step of a URL fetch.
    """

    max_bytes: int | None = 50_000_000
    all_text: bool = False
    content_type: str | None = None
    url: str | None = None
    timeout: float = 20.0


class Reader(Protocol):
    """``read(data, name, options) -> SourceText``: one format's reader.

    Args:
        data: the raw bytes (non-empty, within ``options.max_bytes``).
        name: the input's display name, for messages.
        options: the read options.

    Returns:
        The normalized text, encoding, warnings (each starting with
        ``name``), :class:`SourceInfo` and one kind per block (or ``()``: the
        segmenter decides every kind).

    Raises:
        InputError: one line naming the input and the problem.
    """

    def __call__(self, data: bytes, name: str, options: ReadOptions) -> "SourceText": ...


READERS: dict[str, str] = {
    "txt": "translate.readers.txt",
    "md": "translate.readers.md",
    "html": "translate.readers.html",
    "docx": "translate.readers.docx",
}
"""Format name → module with a ``read`` function (:class:`Reader`), imported on first use."""

EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".doc": "doc",
}
"""File extension (lower case) → format; ``doc`` (legacy Word) is refused with a hint."""

DEFAULT_BATCH_PATTERNS: tuple[str, ...] = ("*.txt", "*.html", "*.htm", "*.docx")
"""File patterns a folder is searched for when ``--glob`` is not given: the article formats.

Markdown is opt-in (``--glob '*.txt,*.md'``): article folders often hold a
``README.md`` or notes, which are not articles to translate."""

_HTML_SNIFF = re.compile(rb"\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)


def get_reader(fmt: str) -> Reader:
    """The reader registered for ``fmt``.

    Raises:
        KeyError: no reader is registered under that name.
    """
    module = importlib.import_module(READERS[fmt])
    return module.read  # type: ignore[no-any-return]


def sniff_format(data: bytes) -> str:
    """The format the first bytes show: ``docx``, ``doc``, ``html`` or ``txt`` (the default).

    A ZIP whose first entries name ``word/`` or ``[Content_Types].xml`` is a
    DOCX (OOXML, ECMA-376 Part 2); the OLE2 signature ``D0 CF 11 E0`` is a
    legacy ``.doc``; a document opening (after white space, comments and an
    XML declaration) with ``<!DOCTYPE html``, ``<html``, ``<head``,
    ``<body``, ``<meta`` or ``<title`` is HTML. Markdown cannot be told from
    text by its bytes: it is chosen by extension only.
    """
    head = data[:4096]
    if head.startswith(b"PK\x03\x04") and (b"word/" in head or b"[Content_Types].xml" in head):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom) :]
    if _HTML_SNIFF.match(head):
        return "html"
    return "txt"


def format_of(name: str | os.PathLike[str] | None, data: bytes, content_type: str | None = None) -> str:
    """Decide the format of one input.

    Order: an HTTP ``Content-Type`` (``text/html``, ``application/xhtml+xml``,
    the DOCX media type, ``text/markdown``, ``text/plain``); the file
    extension (:data:`EXTENSIONS`); the bytes (:func:`sniff_format`).

    Args:
        name: the file name or URL path (``None`` or ``"-"``: standard input).
        data: the raw bytes.
        content_type: the HTTP header value of a fetched URL, if any.

    Returns:
        A key of :data:`READERS`, or ``doc`` (refused by the caller).
    """
    if content_type:
        media = content_type.split(";", 1)[0].strip().lower()
        by_media = {
            "text/html": "html",
            "application/xhtml+xml": "html",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
            "application/msword": "doc",
            "text/markdown": "md",
            "text/x-markdown": "md",
        }
        if media in by_media:
            return by_media[media]
    if name is not None and os.fspath(name) != "-":
        suffix = PurePath(os.fspath(name)).suffix.lower()
        if suffix in EXTENSIONS:
            fmt = EXTENSIONS[suffix]
            if fmt == "txt" and sniff_format(data) == "docx":
                return "txt"  # the text reader refuses a ZIP named .txt with its own message
            return fmt
    return sniff_format(data)


def is_url(source: str) -> bool:
    """Whether a command-line input names a URL (``scheme://…``) rather than a local path."""
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", source))


# -- building the text ----------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_line(text: str) -> str:
    """One line of a block: characters cleaned as :func:`translate.reading.clean_characters` does, every run of white space (line breaks included) one space, stripped."""
    from translate.reading import clean_characters

    return " ".join(clean_characters(text).split())


def build_text(blocks: Sequence[tuple[str | None, Sequence[str]]]) -> tuple[str, tuple[str | None, ...]]:
    """Join ``(kind, lines)`` blocks into normalized text and the aligned kinds.

    Lines are cleaned with :func:`clean_line`; empty lines and blocks without
    a line are dropped, so ``len(kinds)`` is the number of blank-line
    separated blocks of ``text``.

    Args:
        blocks: each block's kind hint (``None``: the segmenter decides) and lines.

    Returns:
        ``(text, kinds)``.
    """
    out: list[str] = []
    kinds: list[str | None] = []
    for kind, lines in blocks:
        cleaned = [c for c in (clean_line(line) for line in lines) if c]
        if cleaned:
            out.append("\n".join(cleaned))
            kinds.append(kind)
    return "\n\n".join(out), tuple(kinds)


def source_text(
    blocks: Sequence[tuple[str | None, Sequence[str]]],
    *,
    name: str,
    encoding: str,
    info: SourceInfo,
    warnings: Sequence[str] = (),
    empty_message: str | None = None,
) -> "SourceText":
    """A :class:`~translate.reading.SourceText` from a reader's blocks (:func:`build_text`).

    Raises:
        InputError: no text is left (``empty_message``, or "``name`` holds no text").
    """
    from translate.errors import InputError
    from translate.reading import SourceText

    text, kinds = build_text(blocks)
    if not text.strip():
        raise InputError(empty_message or f"{name} holds no text")
    return SourceText(text=text, encoding=encoding, warnings=tuple(warnings), info=info, blocks=kinds)

