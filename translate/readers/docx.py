"""Word documents (.docx, Office Open XML) with python-docx.

What is read, in document order: paragraphs (a ``Title`` style → ``headline``;
``Heading 1``–``Heading 9`` and ``Subtitle`` → ``heading``; a paragraph with
list numbering (``w:numPr``) or a ``List …`` style → one item of a ``list``
block; ``Quote``/``Intense Quote`` → ``quote``; ``Caption`` → ``caption``;
the rest ``body``), and tables, one ``body`` block per row with one line per
non-empty cell (a cell's paragraphs joined with spaces). Footnotes, endnotes
and comments are not translated: a warning says they were left out. The
document's core properties give the title, author and date.

Safety: a .docx is a ZIP of XML parts. Before python-docx opens it, the ZIP
is checked (:func:`check_package`): at most :data:`MAX_PARTS` entries,
:data:`MAX_UNPACKED` bytes unpacked in all and a compression ratio of at most
:data:`MAX_RATIO` per part (zip bombs), and no XML part may declare a DTD
(``<!DOCTYPE`` / ``<!ENTITY``: billion laughs and external entities; OOXML
parts never carry one, ECMA-376 Part 2 §8.1.4). python-docx's own parser
(lxml) resolves no external entity either. A legacy binary ``.doc`` is refused
by the caller with a hint to convert it.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING

from translate.errors import InputError
from translate.readers.base import ReadOptions, SourceInfo, source_text

if TYPE_CHECKING:  # pragma: no cover
    from translate.reading import SourceText

MAX_PARTS = 10_000
"""Most entries a .docx ZIP may hold."""
MAX_UNPACKED = 200_000_000
"""Most bytes all parts of a .docx may unpack to."""
MAX_RATIO = 200
"""Highest compression ratio of one part larger than 1 MB (text XML compresses ~10:1; bombs 1000:1 and more)."""

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_package(data: bytes, name: str) -> zipfile.ZipFile:
    """Open the ZIP and refuse bombs and DTDs (see the module docstring).

    Raises:
        InputError: not a ZIP, damaged, too many parts, too big unpacked,
            too compressed, or an XML part with a DTD.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError(f"{name} is not a valid .docx file (the ZIP container is damaged)") from None
    if len(infos) > MAX_PARTS:
        raise InputError(f"{name}: refused, the .docx holds {len(infos)} parts (more than {MAX_PARTS}: a zip bomb?)")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise InputError(f"{name}: refused, the .docx would unpack to {total:,} bytes (a zip bomb?)")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f"{name}: refused, part {info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1 (a zip bomb?)")
    if "word/document.xml" not in archive.namelist():
        raise InputError(f"{name} is not a Word document (no word/document.xml in the .docx)")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            try:
                with archive.open(info) as part:
                    head = part.read(4096)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
                raise InputError(f"{name} is not a valid .docx file (part {info.filename} is damaged)") from None
            if _DTD.search(head):
                raise InputError(f"{name}: refused, part {info.filename} declares a DTD or entities (not allowed in .docx)")
    return archive


def _style_kind(style_name: str) -> str | None:
    name = style_name.lower()
    if name == "title":
        return "headline"
    if name.startswith("heading") or name == "subtitle" or name.startswith("überschrift") or name == "untertitel":
        return "heading"
    if name.startswith("list") or name.startswith("liste") or name.startswith("aufzählung"):
        return "list"
    if name in ("quote", "intense quote", "zitat", "intensives zitat"):
        return "quote"
    if name in ("caption", "beschriftung"):
        return "caption"
    return None


def read(data: bytes, name: str, options: ReadOptions) -> "SourceText":
    """Read a .docx (the :class:`~translate.readers.base.Reader` for ``docx``).

    Raises:
        InputError: a damaged or hostile package (:func:`check_package`), or no text.
    """
    archive = check_package(data, name)
    names = set(archive.namelist())
    warnings: list[str] = []
    left_out = [what for part, what in (("word/footnotes.xml", "footnotes"), ("word/endnotes.xml", "endnotes"), ("word/comments.xml", "comments")) if part in names and _has_text(archive, part)]
    if left_out:
        warnings.append(f"{name}: {' and '.join(left_out)} left out (not translated)")
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph as DocxParagraph

        document = docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - python-docx raises many types for a damaged package
        raise InputError(f"{name} is not a valid .docx file ({type(err).__name__})") from None
    blocks: list[tuple[str | None, list[str]]] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            paragraph = DocxParagraph(child, document)
            text = paragraph.text
            if not text.strip():
                continue
            style = paragraph.style.name if paragraph.style is not None else ""
            kind = _style_kind(style or "")
            if kind is None and child.find(f"{_W}pPr/{_W}numPr") is not None:
                kind = "list"
            kind = kind or "body"
            if kind == "list" and blocks and blocks[-1][0] == "list":
                blocks[-1][1].append(text)  # consecutive list paragraphs: one list, one item per line
                continue
            blocks.append((kind, [text]))
        elif tag == f"{_W}tbl":
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                        continue
                    seen.add(id(cell._tc))
                    text = " ".join(p.text for p in cell.paragraphs if p.text.strip())
                    if text.strip():
                        cells.append(text)
                if cells:
                    blocks.append(("body", cells))
    props = document.core_properties
    date = props.created or props.modified
    info = SourceInfo(
        format="docx",
        title=(props.title or "").strip() or None,
        author=(props.author or "").strip() or None,
        date=date.date().isoformat() if date else None,
        url=options.url,
    )
    return source_text(blocks, name=name, encoding="utf-8", info=info, warnings=warnings,
                       empty_message=f"{name} is empty (the Word document holds no text)")


def _has_text(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a footnotes/endnotes/comments part holds any text (Word writes separator notes even when there are none)."""
    from lxml import etree

    try:
        with archive.open(part) as f:
            xml = f.read(MAX_UNPACKED)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(xml, parser=parser)
    except Exception:  # noqa: BLE001 - a damaged optional part is only "no text"
        return False
    for note in root:
        if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        if "".join(t.text or "" for t in note.iter(f"{_W}t")).strip():
            return True
    return False
