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
parts never carry one, ECMA-376 Part 2 §8.1.4); every XML part is scanned
whole, streamed in pieces, so a DTD after a long comment is found too. A
legacy ``.doc`` (OLE2 signature ``D0 CF 11 E0``) renamed ``.docx`` gets the
convert-to-.docx hint.

Text is taken from the XML itself, not python-docx's ``paragraph.text``
(which skips them): every ``w:t`` of a paragraph in document order,
including runs inside tracked insertions (``w:ins``, ``w:moveTo``), inline
content controls (``w:sdt``), simple fields (``w:fldSimple``), hyperlinks and
smart tags; deleted text (``w:del``, ``w:delText``, ``w:moveFrom``) is left
out. Body-level content controls (``w:sdt``) and custom XML wrappers are read
in place, paragraphs and tables alike. python-docx's own parser
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

_DTD = re.compile(
    rb"<!DOCTYPE|<!ENTITY"
    + b"".join(b"|" + re.escape(w.encode(e)) for w in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity") for e in ("utf-16-le", "utf-16-be")),
    re.I,
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 16

LEGACY_DOC_MESSAGE = (
    "{name} is a legacy Word .doc file, which dewire cannot read; convert it to .docx first "
    "(e.g. libreoffice --headless --convert-to docx FILE)"
)


def _declares_dtd(part) -> bool:
    """Whether a part (a binary file object) holds ``<!DOCTYPE`` or ``<!ENTITY`` anywhere, read in pieces."""
    tail = b""
    while True:
        chunk = part.read(_CHUNK)
        if not chunk:
            return False
        if _DTD.search(tail + chunk):
            return True
        tail = chunk[-16:]


def check_package(data: bytes, name: str) -> zipfile.ZipFile:
    """Open the ZIP and refuse bombs and DTDs (see the module docstring).

    Raises:
        InputError: not a ZIP, damaged, too many parts, too big unpacked,
            too compressed, or an XML part with a DTD.
    """
    if data.startswith(_OLE2):
        raise InputError(LEGACY_DOC_MESSAGE.format(name=name))
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
                    dtd = _declares_dtd(part)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
                raise InputError(f"{name} is not a valid .docx file (part {info.filename} is damaged)") from None
            if dtd:
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
    for child in _body_elements(document.element.body):
        tag = child.tag
        if tag == f"{_W}p":
            text = paragraph_text(child)
            if not text.strip():
                continue
            paragraph = DocxParagraph(child, document)
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
                    texts = (paragraph_text(p) for p in cell._tc.iter(f"{_W}p"))
                    text = " ".join(t for t in texts if t.strip())
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


_SKIP = frozenset({f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", f"{_MC}Fallback", f"{_W}pPr", f"{_W}rPr", f"{_W}sdtPr"})
"""Subtrees whose text is not the paragraph's: deletions, text boxes (own paragraphs), compatibility fallbacks, properties."""


def paragraph_text(p) -> str:
    """The text of one ``w:p`` element: every ``w:t`` in document order (see the module docstring).

    ``w:tab`` gives a tab and ``w:br``/``w:cr`` a line break, as python-docx's ``paragraph.text`` does.
    """
    parts: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _body_elements(container):
    """``w:p`` and ``w:tbl`` elements of the body in document order, content controls and custom XML opened."""
    for child in container.iterchildren():
        tag = child.tag
        if tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
            content = child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child
            if content is not None:
                yield from _body_elements(content)


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
