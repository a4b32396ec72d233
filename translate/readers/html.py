"""HTML pages: the article found by trafilatura, its structure kept, plus German-news cleanup.

Steps:

1. **Charset** (:func:`decode_html`): a byte-order mark; the ``charset`` of the
   HTTP ``Content-Type`` header (URLs); a ``<meta charset>`` or
   ``<meta http-equiv="Content-Type">`` in the first 4096 bytes (the WHATWG
   "prescan", which reads 1024; real pages put long ``<head>`` material
   first); otherwise :func:`translate.reading.decode` (UTF-8, then German
   evidence among the legacy encodings). Labels map as the WHATWG Encoding
   standard says (``iso-8859-1``, ``latin1`` and ``us-ascii`` decode as
   ``windows-1252``). A label that is no text encoding (``rot13``,
   ``base64``, ``idna``, ``undefined`` …) is ignored with a warning. Literal
   or referenced (``&#1;``) control characters are dropped with a warning
   before parsing. A page declared in a legacy encoding whose bytes are
   valid UTF-8 with multi-byte sequences is read as UTF-8, with a warning.
2. **Extraction** with trafilatura (``extract(output_format="xml",
   include_formatting=True, include_tables=True, include_comments=False)``):
   its structured XML gives headings (``<head rend="h2">``), paragraphs,
   lists (``<list><item>``), block quotes (``<quote>``) and tables
   (``<row><cell>``), which become paragraph kinds ``heading``, ``body``,
   ``list`` (one item per line), ``quote`` and one ``body`` block per table
   row (one cell per line). The XML is parsed with entity resolution, DTD
   loading and network access off. trafilatura parses HTML with lxml's HTML
   parser: no script runs, no external resource (``<base>``, ``<iframe>``,
   ``<img>``, stylesheets) is fetched, and ``<script>``/``<style>`` text is
   never text.
3. **German cleanup** (:class:`GermanCleanup`), rules kept as data files in
   ``translate/readers/data/``: whole blocks or list items that are teasers,
   share/print/comment prompts, newsletter and subscription boxes, contact
   and press-kit lines (``de_boilerplate.txt``) are dropped, and a heading
   of that kind (``Mehr zum Thema``, ``Schon gelesen?``) drops the teaser
   links that follow it up to the next real paragraph; a block that is only
   a photo credit (``© dpa``, ``Foto: Max Muster``) is dropped (a caption
   with a credit stays, as a ``caption``); the article's **lead** (Vorspann)
   and sub-headline, which trafilatura often leaves out because sites mark
   them up apart from the body, are taken from the page when an element
   before the article text carries a lead class word
   (``de_lead_classes.txt``: ``teaser``, ``intro``, ``lead``, ``subtitle`` …)
   or repeats the page's own ``<meta name="description">``. The title
   becomes the ``headline`` (from the page's first ``<h1>`` when trafilatura
   kept it, else trafilatura's title without a trailing `` - Site name``).
   Datelines (``Berlin (dpa) –``), bylines and captions inside body blocks
   are then recognised by the segmenter's own rules.
   Element boundaries trafilatura's XML loses are kept (:func:`_mark_units`):
   a short element with a credit class (``copyright``, ``credit`` …) is split
   off as a ``boilerplate`` line, a kicker element (``kicker``,
   ``dachzeile`` …) or an inline element styled ``display: block`` ends its
   line, and a bold label glued to a capitalised word gets a space. Short
   labels above the title become ``kicker``, the title the ``headline``;
   image-metadata blobs (mostly addresses, file names and numbers,
   :func:`is_metadata_blob`) are dropped.
4. ``--all-text`` (:func:`all_text_blocks`) keeps every visible text block of
   the page instead (scripts, styles, templates, ``hidden`` elements and
   frames left out), kinds from the tags.

A page where no article text is found is refused with one line naming it
(``--all-text`` reads it anyway).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterable, Sequence

from translate.errors import InputError
from translate.readers.base import ReadOptions, SourceInfo, clean_line, source_text

if TYPE_CHECKING:  # pragma: no cover
    from translate.reading import SourceText

Block = tuple[str | None, list[str]]

# -- charset ---------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    "utf-16": "utf-8",  # WHATWG: a <meta> cannot declare UTF-16 (the bytes could not have been read)
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
    "unicode": "utf-8",
}


_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7", "mbcs", "oem"})
"""Python text codecs that are not page charsets (a host-name or escape syntax, or one that always fails)."""


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or ``None`` when unknown or not a text encoding.

    Binary transforms (``base64``, ``rot13``, ``zlib`` …: ``codecs.lookup(label)._is_text_encoding``
    is false) and :data:`_NOT_CHARSETS` are no charset.
    """
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def _label(label: str | None) -> str | None:
    return label.strip().strip("\"'") if label else None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of an HTTP ``Content-Type`` value (``text/html; charset=ISO-8859-1``), or ``None``."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type, re.I)
    return m.group(1) if m else None


def decode_html(data: bytes, name: str, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """Decode an HTML page (see the module docstring for the order of sources).

    Args:
        data: the page's bytes.
        name: its display name, for warnings.
        content_type: the HTTP ``Content-Type`` header, if fetched.

    Returns:
        ``(text, encoding, warnings)``.

    Raises:
        InputError: the bytes are binary (:func:`translate.reading.decode`).
    """
    from translate.reading import decode

    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return decode(data, name)
    warnings: list[str] = []
    label = _label(charset_from_content_type(content_type))
    source = "the HTTP header"
    declared = _codec(label)
    if label and declared is None:
        warnings.append(f"{name}: unknown charset {label!r} in {source} ignored")
    if declared is None:
        m = _META_CHARSET.search(data[:4096])
        label = _label(m.group(1).decode("ascii", "replace")) if m else None
        source = "its <meta> tag"
        declared = _codec(label)
        if label and declared is None:
            warnings.append(f"{name}: unknown charset {label!r} in {source} ignored")
    if declared is None:
        text, encoding, more = decode(data, name)
        return text, encoding, [*warnings, *more]
    if declared == "utf-8":
        try:
            return data.decode("utf-8"), "utf-8", warnings
        except UnicodeDecodeError:
            text, encoding, more = decode(data, name)
            return text, encoding, [*warnings, f"{name}: declared {label} in {source} but is not UTF-8; read as {encoding}", *more]
    if any(b >= 0x80 for b in data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, "utf-8", [*warnings, f"{name}: declared {declared} in {source}, but the bytes are UTF-8; read as UTF-8"]
    try:
        return data.decode(declared, "replace"), declared, warnings
    except (UnicodeError, LookupError, ValueError):  # a codec that cannot decode these bytes even with "replace"
        text, encoding, more = decode(data, name)
        return text, encoding, [*warnings, f"{name}: charset {label!r} in {source} cannot decode the page; read as {encoding}", *more]


# -- rules (data files) ----------------------------------------------------------------


def _data_lines(filename: str) -> list[str]:
    text = resources.files("translate.readers").joinpath("data", filename).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """The compiled rules of ``data/de_boilerplate.txt`` (case-insensitive, matched whole)."""
    return tuple(re.compile(line, re.I) for line in _data_lines("de_boilerplate.txt"))


@lru_cache(maxsize=1)
def lead_classes() -> dict[str, str]:
    """Class/id word → ``lead`` or ``subtitle`` (``data/de_lead_classes.txt``)."""
    out: dict[str, str] = {}
    for line in _data_lines("de_lead_classes.txt"):
        kind, word = line.split()
        out[word.lower()] = kind
    return out


MIN_ARTICLE_WORDS = 10
"""Fewer words than this outside the headline (a menu, a cookie banner) means the page has no article."""

MAX_BOILERPLATE_CHARS = 160
"""Blocks longer than this are never dropped as boilerplate (an article paragraph may mention a newsletter)."""

_CREDIT = re.compile(
    r"(?:©|\(c\)|copyright\b|(?:foto|fotos|bild|bilder|grafik|illustration|bildquelle|bildnachweis|quelle|credits?)\s*:)"
    r"[^.!?]{0,70}",
    re.I,
)
"""A photo credit alone: ``© Bundesrat | Frank Bräuer``, ``Foto: dpa``, ``Copyright: Gisele Wender``."""


def is_boilerplate(line: str) -> bool:
    """Whether one block or list item is German web boilerplate (``data/de_boilerplate.txt``).

    A line opening with a Material Icons ligature name
    (:data:`translate.segment_rules.ICON_NAME_RE`: ``bookmark_border Auf die
    Merkliste``, ``chat_bubble 0 Kommentare``) is boilerplate when the rest is.
    """
    from translate.segment_rules import strip_icon_name

    line = line.strip()
    if not line or len(line) > MAX_BOILERPLATE_CHARS:
        return False
    rest = strip_icon_name(line)
    return any(p.fullmatch(line) or (rest != line and p.fullmatch(rest)) for p in boilerplate_patterns())


_URLISH = re.compile(
    r"https?://[^\s\u241c-\u241f]*?\.(?:png|jpe?g|gif|webp|svg|avif|pdf|html?|php)"  # an address up to a file extension
    r"|https?://[\w./%?=&#~+:-]+"  # any other address
    r"|[\w.-]+\.(?:png|jpe?g|gif|webp|svg|avif|pdf|psd)\b"  # a file name
    r"|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?"  # a timestamp
    r"|\d{3,}",  # sizes, ids
    re.I,
)


def is_metadata_blob(line: str) -> bool:
    """Whether a block is image/file metadata, not text: mostly addresses, file names and numbers.

    True when addresses, file names, timestamps and runs of 3+ digits
    (:data:`_URLISH`) cover at least half of the block's characters, the
    block has at least two addresses or file names and no sentence (``. `` followed by
    a capital). Source: the WordPress slider blobs of battery-news.de
    (``https://…/221202_Material-1.png7201280Gerrit Bockey…2022-12-02 12:14:37…``).
    """
    line = line.strip()
    if not line or not re.search(r"https?://|\.(?:png|jpe?g|gif|webp|svg|avif|pdf|psd)\b", line, re.I):
        return False
    matches = [m.group() for m in _URLISH.finditer(line)]
    addresses = sum(1 for m in matches if not m[:1].isdigit())
    return addresses >= 2 and sum(map(len, matches)) >= 0.5 * len(line) and not re.search(r"[a-zäöüß]{2,}[.!?] +[A-ZÄÖÜ]", line)


def is_credit(line: str) -> bool:
    """Whether a block is only a photo credit (:data:`_CREDIT`, at most 80 characters)."""
    line = line.strip()
    return len(line) <= 80 and bool(_CREDIT.fullmatch(line))


# -- reading ---------------------------------------------------------------------------


def read(data: bytes, name: str, options: ReadOptions) -> "SourceText":
    """Read an HTML page (the :class:`~translate.readers.base.Reader` for ``html``).

    Raises:
        InputError: binary bytes, or no article found (without ``all_text``).
    """
    text, encoding, warnings = decode_html(data, name, options.content_type)
    text, dropped = drop_control_characters(text)
    if dropped:
        warnings = [*warnings, f"{name}: dropped {dropped} control character{'s' if dropped != 1 else ''}"]
    try:
        tree = _parse_page(text)
    except TooDeep as err:
        raise InputError(f"{name}: {err}") from None
    if tree is not None and flatten_deep(tree):
        warnings = [*warnings, f"{name}: elements nested more than {MAX_DEPTH} deep; their text is read as one block each"]
    if options.all_text:
        blocks = all_text_blocks(tree)
        info = _page_info(tree, options)
        return source_text(blocks, name=name, encoding=encoding, info=info, warnings=warnings,
                           empty_message=f"{name}: no visible text in this page")
    page = extract_article(text, tree, url=options.url)
    if page is None:
        raise InputError(f"{name}: no article text found in this page (use --all-text to read every visible text block)")
    blocks, info = page
    if options.url:
        info = SourceInfo(**{**info.as_dict(), "url": options.url})
    return source_text(blocks, name=name, encoding=encoding, info=info, warnings=warnings,
                       empty_message=f"{name}: no article text found in this page (use --all-text to read every visible text block)")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def drop_control_characters(text: str) -> tuple[str, int]:
    """``(text, count)``: the page without C0 control characters (tab, line feed and carriage return
    kept) and DEL, literal or as numeric character references (``&#1;``, ``&#x1F;``).

    lxml's HTML parser gives up on the element holding one (the rest of the page then looks
    like no article at all), and such characters are never text.
    """
    count = 0

    def ref(m: re.Match[str]) -> str:
        nonlocal count
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if (code < 0x20 and code not in (0x09, 0x0A, 0x0D)) or code == 0x7F:
            count += 1
            return ""
        return m.group(0)

    text = _CHAR_REF.sub(ref, text)
    text, n = _CONTROL.subn("", text)
    return text, count + n


MAX_DEPTH = 256
"""Elements nested deeper than this are flattened (:func:`flatten_deep`): libxml2's own default limit,
so pages that parsed before are unchanged, and well inside Python's recursion limit for the tree walks."""


def flatten_deep(tree) -> int:
    """Replace the children of every element at depth :data:`MAX_DEPTH` by their text (words kept in
    order, pieces joined by spaces). Returns how many elements were flattened (0: tree unchanged)."""
    from lxml import etree

    depth = 0
    cut = []
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth == MAX_DEPTH and len(el):
                cut.append(el)
        else:
            depth -= 1
    for el in cut:
        text = " ".join(t.strip() for t in el.itertext() if t.strip())
        for child in list(el):
            el.remove(child)
        el.text = text
    return len(cut)


def _parse_page(text: str):  # -> lxml.html.HtmlElement | None
    """The page as an lxml HTML tree (no network, no entities from a DTD), or ``None`` when it has no elements."""
    import lxml.html
    from lxml import etree

    # huge_tree: libxml2 otherwise stops at 256 nested elements and silently drops the rest of the page;
    # its other limits guard against entity expansion, which an HTML parser never does, and the input
    # is bounded by --max-bytes.
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str with an encoding declaration
    try:
        tree = lxml.html.fromstring(text, parser=parser) if text.strip() else None
    except (etree.ParserError, ValueError):
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message.lower() for e in parser.error_log):
        raise TooDeep("elements nested more than 2048 deep (libxml2's limit): the rest of the page cannot be parsed")
    return tree


class TooDeep(ValueError):
    """A page nested deeper than libxml2 parses even with ``huge_tree`` (2048): text after that point is lost."""


def _page_info(tree, options: ReadOptions) -> SourceInfo:
    title = None
    if tree is not None:
        titles = tree.xpath("//title")
        if titles:
            title = clean_line(titles[0].text_content()) or None
    return SourceInfo(format="html", title=title, url=options.url)


def _safe_xml(xml: str):  # -> lxml.etree._Element
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(xml.encode("utf-8"), parser=parser)


# Element boundaries that trafilatura's XML loses: trafilatura drops whitespace-only tails
# (``<strong>KOMMENTAR</strong> <span>Bürgermeisterwahl …</span>``) and joins adjacent
# inline elements (``<span class="copyright">…</span><span>Die meisten …</span>``).
# :func:`_mark_units` writes these private-use characters into the copy of the page that
# trafilatura reads; :func:`_split_units` turns them back into separate blocks. They are the
# printable control pictures U+241C–U+241F (trafilatura deletes unprintable characters).
_SPACE = "\u241c"
"""A space between two inline children of a kicker (trafilatura drops whitespace-only tails)."""
_BREAK = "\u241d"
"""The end of an inline element shown as a block (``style="display: block"``): a new line."""
_CREDIT_END = "\u241e"
"""The end of an element marked as a photo credit (class ``copyright``, ``credit`` …)."""
_KICKER_END = "\u241f"
"""The end of an element marked as a kicker (class ``kicker``, ``dachzeile`` …)."""
_MARKERS = re.compile("[\u241c-\u241f]")

_CREDIT_CLASSES = frozenset({"copyright", "credit", "credits", "bildnachweis", "bildquelle", "fotograf", "photographer", "photocredit", "quelle"})
_KICKER_CLASSES = frozenset({"kicker", "dachzeile", "topline", "roofline", "overline", "spitzmarke"})
_INLINE_TAGS = frozenset({"span", "em", "i", "b", "strong", "small", "a", "cite", "font"})
_DISPLAY_BLOCK = re.compile(r"display\s*:\s*block", re.I)


def _mark_units(tree) -> None:
    """Mark, in place, the element boundaries trafilatura's XML would lose (see :data:`_BREAK`).

    Source of the rule: pages of ``../shared/corpus/html/`` (osthessen-news.de's kicker
    ``<div class="kicker"><strong>…</strong> <span>…</span></div>``, ekhn.de's
    ``<span class="image-wrapper-copyright">``, iwr.de's ``<em style="display: block">© Nordex</em>``).
    Only short elements (at most 80 characters) are marked.
    """
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "title", "html", "body"):
            continue
        words = set(_class_words(el))
        credit, kicker = bool(words & _CREDIT_CLASSES), bool(words & _KICKER_CLASSES)
        block = el.tag in _INLINE_TAGS and bool(_DISPLAY_BLOCK.search(el.get("style") or ""))
        if not (credit or kicker or block):
            continue
        text = el.text_content()  # only for the few marked elements: text_content of every element is quadratic
        if not text.strip() or len(_norm(text)) > 80:
            continue
        if credit:
            el.tail = _CREDIT_END + (el.tail or "")
        elif kicker:
            children = [c for c in el if isinstance(c.tag, str)]
            for child in children[:-1]:
                if not (child.tail or "").strip():
                    child.tail = _SPACE
            el.tail = _KICKER_END + (el.tail or "")
        else:
            el.tail = _BREAK + (el.tail or "")


def _split_units(blocks: list[Block]) -> list[Block]:
    """Blocks split at the markers of :func:`_mark_units` (credits become ``boilerplate``, kickers ``kicker``)."""
    out: list[Block] = []
    for kind, lines in blocks:
        lines = [line.replace(_SPACE, " ") for line in lines]
        if len(lines) != 1 or not _MARKERS.search(lines[0]):
            out.append((kind, [_MARKERS.sub(" ", line) for line in lines]))
            continue
        pieces = re.split("([\u241d-\u241f])", lines[0])
        for piece, marker in zip(pieces[::2], [*pieces[1::2], ""]):
            if not piece.strip():
                continue
            part_kind = {_CREDIT_END: "boilerplate", _KICKER_END: "kicker"}.get(marker, kind)
            out.append((part_kind, [piece]))
    return out


def _text(el) -> str:
    """The text of an XML element, ``<lb/>`` as a space."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append(" ")
        else:
            inner = _text(child)
            previous = child.getprevious()
            if previous is not None and previous.tag == "hi" and child.tag == "hi" and not (previous.tail or "") and inner[:1].isalnum() and "".join(parts)[-1:].isalnum():
                parts.append(" ")  # <hi>Tausende Tunesier</hi><hi>landesweit</hi>: two elements are two words (as trafilatura's text output has it)
            parts.append(inner)
            tail = child.tail or ""
            if child.tag == "hi" and len(inner.strip()) >= 2 and inner[-1:].isalnum() and re.match(r"[A-ZÄÖÜ][a-zäöüß]", tail):
                parts.append(" ")  # <hi>KOMMENTAR</hi>Bürgermeisterwahl: no German word goes on with a capital after its end
        parts.append(child.tail or "")
    return "".join(parts)


def _only_bold(el) -> bool:
    """A ``<p>`` whose whole text is one ``<hi rend="#b">`` (a bold line used as a sub-heading)."""
    children = [c for c in el if c.tag != "lb"]
    return (
        len(children) == 1
        and children[0].tag == "hi"
        and "#b" in (children[0].get("rend") or "")
        and not (el.text or "").strip()
        and not (children[0].tail or "").strip()
    )


def xml_blocks(main) -> list[Block]:
    """Blocks from trafilatura's ``<main>`` element (kinds: see the module docstring)."""
    blocks: list[Block] = []

    def walk(container) -> None:
        for el in container:
            tag = el.tag
            if tag == "head":
                blocks.append(("heading", [_text(el)]))
            elif tag == "p":
                line = clean_line(_text(el))
                if not line:
                    continue
                if _only_bold(el) and len(line) <= 100 and line[-1:] not in ".,;":
                    blocks.append(("heading", [line]))
                else:
                    blocks.append(("body", [line]))
            elif tag == "list":
                items = list(_list_items(el))
                if items:
                    blocks.append(("list", items))
            elif tag == "quote":
                paragraphs = [c for c in el if c.tag == "p"]
                lines = [_text(p) for p in paragraphs] if paragraphs else [_text(el)]
                blocks.append(("quote", lines))
            elif tag == "table":
                for row in el.iter("row"):
                    cells = [_text(cell) for cell in row if cell.tag == "cell"]
                    blocks.append(("body", cells))
            elif tag in ("graphic", "lb", "ref"):
                continue
            elif tag == "code":
                blocks.append(("body", _text(el).splitlines()))
            else:  # div, section and anything new: look inside
                if (el.text or "").strip():
                    blocks.append(("body", [el.text]))
                walk(el)
            if (el.tail or "").strip():  # text straight after a heading or list, outside any <p>
                blocks.append(("body", [el.tail]))

    if (main.text or "").strip():
        blocks.append(("body", [main.text]))
    walk(main)
    return blocks


def _list_items(el) -> Iterable[str]:
    for item in el:
        if item.tag != "item":
            continue
        nested = [c for c in item if c.tag == "list"]
        if nested:
            own = (item.text or "") + "".join(_text(c) + (c.tail or "") for c in item if c.tag != "list")
            if own.strip():
                yield own
            for sub in nested:
                yield from _list_items(sub)
        else:
            yield _text(item)


@dataclass(frozen=True, slots=True)
class GermanCleanup:
    """dewire's German-news rules on top of trafilatura (see the module docstring).

    Attributes:
        drop_teasers: drop boilerplate blocks and list items (``de_boilerplate.txt``).
        drop_credits: drop blocks that are only a photo credit.
        add_lead: recover the lead and sub-headline from the page.
        add_title: open with the title as ``headline``.
    """

    drop_teasers: bool = True
    drop_credits: bool = True
    add_lead: bool = True
    add_title: bool = True

    def apply(self, blocks: list[Block], tree, meta: dict[str, str]) -> list[Block]:
        """The cleaned blocks (a new list)."""
        if self.add_title:  # first: a kicker ("KOMMENTAR …") is not the comment prompt it looks like
            blocks = _title_and_kickers(blocks, meta.get("title"))
        if self.drop_teasers or self.drop_credits:
            blocks = self._drop(blocks)
        if self.add_lead and tree is not None:
            blocks = _add_lead(blocks, tree, meta.get("description"))
        if self.add_title:
            blocks = _add_headline(blocks, meta.get("title"))
        return blocks

    def _drop(self, blocks: list[Block]) -> list[Block]:
        out: list[Block] = []
        skipping = False
        for kind, lines in blocks:
            lines = [clean_line(line) for line in lines]
            lines = [line for line in lines if line]
            if not lines:
                continue
            joined = " ".join(lines)
            if kind in ("kicker", "headline"):
                out.append((kind, lines))
                continue
            if self.drop_teasers and len(lines) == 1 and is_boilerplate(joined):
                # a teaser heading ("Mehr zum Thema", "Schon gelesen?") takes its link list with it
                skipping = kind in ("heading", "body") and len(joined) <= 60
                continue
            if self.drop_credits and len(lines) == 1 and is_credit(joined):
                continue
            if self.drop_teasers and is_metadata_blob(joined):
                continue
            if skipping:
                if kind in ("list", "quote") or (kind == "body" and len(joined) < 120 and joined[-1:] not in ".!?:\"“”»«"):
                    continue
                skipping = False
            if self.drop_teasers and kind == "list":
                lines = [line for line in lines if not is_boilerplate(line)]
                if not lines:
                    continue
            out.append((kind, lines))
        return out


def _norm(text: str) -> str:
    return " ".join(text.split())


_EXCLUDED_ANCESTORS = frozenset({"nav", "aside", "footer", "li", "a", "button", "form", "select", "ul", "ol", "menu"})


def _class_words(el) -> list[str]:
    """The words of the class and id attributes, in order (the first lead word decides: deterministic)."""
    value = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return [w for w in re.split(r"[\s_-]+", value) if w]


def _add_lead(blocks: list[Block], tree, description: str | None) -> list[Block]:
    """Insert the page's lead and sub-headline before the article text when trafilatura left them out."""
    body = [lines for kind, lines in blocks if kind in ("body", "list", "quote")]
    if not body:
        return blocks
    extracted = _norm(" ".join(" ".join(lines) for _, lines in blocks))
    first = _norm(body[0][0])[:50]
    order: dict[object, int] = {}
    start_at = None
    for i, el in enumerate(tree.iter()):
        order[el] = i
    # the first element whose own text holds the start of the article text
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "title", "meta"):
            continue
        own = _norm((el.text or "") + "".join((c.tail or "") for c in el))
        if len(first) >= 20 and first[:40] in own:
            start_at = order[el]
            break
        if len(first) >= 20 and first[:40] in _norm(el.text_content()) and len(el) == 0:
            start_at = order[el]
            break
    if start_at is None:
        return blocks
    classes = lead_classes()
    desc = _norm(description or "").rstrip(".… ")
    desc = desc[:-3] if desc.endswith("...") else desc
    found: dict[str, tuple[int, str]] = {}
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "title", "meta", "html", "body"):
            continue
        pos = order[el]
        if pos >= start_at:
            break
        words = _class_words(el)
        kind = next((classes[w] for w in words if w in classes), None)
        text = _norm(el.text_content())
        if kind is None and len(desc) >= 40 and text.startswith(desc[:40]):
            kind = "lead"
        if kind is None or not (40 <= len(text) <= 1200 if kind == "lead" else 15 <= len(text) <= 300):
            continue
        if any(a.tag in _EXCLUDED_ANCESTORS for a in el.iterancestors()) or el.tag in _EXCLUDED_ANCESTORS:
            continue
        if el.xpath(".//li|.//nav|.//h1|.//h2[not(ancestor::*[1])]") and kind == "lead":
            continue
        links = sum(len(_norm(a.text_content())) for a in el.iter("a"))
        if links > 0.5 * len(text):
            continue
        if text[:60] in extracted or first[:40] in text:
            continue
        if desc and re.sub(r"\s", "", text).rstrip(".…") == re.sub(r"\s", "", desc):
            text = _norm(description or "")  # the same words; the description's spacing is the author's (no line breaks around links)
        found[kind] = (pos, text)  # the nearest before the article wins
    if not found:
        return blocks
    insert = [("heading" if kind == "subtitle" else "body", [text]) for kind, (pos, text) in sorted(found.items(), key=lambda kv: kv[1][0])]
    at = 0
    while at < len(blocks) and blocks[at][0] == "kicker":
        at += 1
    if at < len(blocks) and blocks[at][0] in ("heading", "headline"):
        at += 1
    return blocks[:at] + insert + blocks[at:]


_TITLE_SUFFIX = re.compile(r"\s+[-–—|·]\s+(?P<site>(?:(?!\s[-–—|·]\s).){2,60})$")


def clean_title(title: str | None) -> str | None:
    """A page title without a trailing site name (`` - Rosa-Luxemburg-Stiftung``, `` | tagesschau.de``).

    The last `` - ``/`` | ``/`` – `` segment is dropped when it has at most
    four words and no sentence punctuation; the rest is kept as it is.
    """
    if not title:
        return None
    title = clean_line(title)
    m = _TITLE_SUFFIX.search(title)
    if m and len(m.group("site").split()) <= 4 and not re.search(r"[.!?,]\s", m.group("site")) and m.start() >= 10:
        title = title[: m.start()]
    return title or None


MAX_KICKER_CHARS = 80
"""A kicker (Dachzeile) is a short label: at most this many characters, at most 8 words, no sentence end."""


def _is_label(lines: list[str]) -> bool:
    """A short label (:data:`MAX_KICKER_CHARS`) with a word in it: not a bare date, not a photo credit."""
    text = _norm(" ".join(lines))
    return (0 < len(text) <= MAX_KICKER_CHARS and len(text.split()) <= 8 and text[-1:] not in ".!?,;"
            and bool(re.search(r"[^\W\d_]{3}", text)) and not is_credit(text))


_DATE_ONLY = re.compile(r"(?:[^\W\d_]{1,10},?\s)?\d{1,2}\.\s?(?:\d{1,2}\.|[^\W\d_]{3,9}\.?)\s?\d{2,4}(?:,?\s\d{1,2}[:.]\d{2}(?:\s?Uhr)?)?")
"""A date alone, perhaps with a weekday and a time: ``02.01.2022``, ``Mo, 6. Dezember 2026, 14:05 Uhr``."""


def _is_title(lines: list[str], title: str | None) -> bool:
    """Whether a block repeats the page title (the first 30 characters of either hold the other's start)."""
    if title is None:
        return False
    head, title = _norm(" ".join(lines)).lower(), _norm(title).lower()
    return title[:30] in head or head[:30] in title


def _title_and_kickers(blocks: list[Block], title: str | None) -> list[Block]:
    """Find the title among the first blocks: short labels above it become ``kicker``, it becomes ``headline``.

    The title is the first ``heading`` among the first three blocks that
    repeats the page title (or, without a page title, the first heading at
    the top); every block before it must be a short label
    (:func:`_is_label`, a ``body``/``heading``/``kicker`` block; a date alone
    becomes ``timestamp``), else the blocks are returned as they are. Source: the kicker above the ``<h1>`` on
    news pages (osthessen-news.de ``<div class="kicker">``, ekhn.de
    ``<p class="subtitle">Pflege</p>``).
    """
    title = clean_title(title)
    for i, (kind, lines) in enumerate(blocks[:3]):
        if kind == "kicker" and _is_title(lines, title) and _norm(" ".join(lines)) == _norm(title or ""):
            kind = "heading"  # a kicker element holding the page title itself is the title
        text = _norm(" ".join(lines))
        if kind in ("body", "heading", "kicker") and len(text) <= 40 and _DATE_ONLY.fullmatch(text):
            continue  # a date above the title (mluk.brandenburg.de "02.01.2022"): a timestamp
        if kind != "heading" and kind != "headline":
            if kind in ("body", "kicker") and _is_label(lines):
                continue
            return blocks
        if title is not None and not _is_title(lines, title):
            if _is_label(lines) and i < 2:
                continue  # a heading-styled label above the title
            return blocks
        if title is None and i > 0:
            return blocks
        above = [("timestamp" if _DATE_ONLY.fullmatch(_norm(" ".join(ls))) else "kicker", ls) for _, ls in blocks[:i]]
        return above + [("headline", lines)] + blocks[i + 1:]
    return blocks


def _add_headline(blocks: list[Block], title: str | None) -> list[Block]:
    """Make the first heading the headline when it is the title; else open with the cleaned title."""
    if any(kind == "headline" for kind, _ in blocks[:4]):
        return blocks
    title = clean_title(title)
    if blocks and blocks[0][0] == "heading":
        head = _norm(" ".join(blocks[0][1]))
        if title is None or _norm(title)[:30].lower() in head.lower() or head.lower()[:30] in _norm(title).lower():
            return [("headline", blocks[0][1]), *blocks[1:]]
    if title and not any(_norm(title) == _norm(" ".join(lines)) for _, lines in blocks[:3]):
        return [("headline", [title]), *blocks]
    return blocks


def _dom_title(tree, title: str) -> str:
    """trafilatura's title, or the page's own text for it where trafilatura unescaped it once more
    (``<title>&amp;amp;</title>`` is the text ``&amp;``, which trafilatura's metadata gives as ``&``)."""
    import html as html_lib

    candidates = [el.text_content() for el in tree.xpath("//title|//h1")]
    candidates += tree.xpath("//meta[@property='og:title' or @name='twitter:title' or @name='title']/@content")
    for text in candidates:
        text = " ".join(text.split())
        if text != title and " ".join(html_lib.unescape(text).split()) == " ".join(title.split()):
            return text
    return title


def _same_name(author: str, *sites: str | None) -> bool:
    """Whether an author string only repeats the site's name or host (letters compared, case-insensitive)."""
    key = re.sub(r"\W+", "", author).lower()
    for site in sites:
        if site:
            host = re.sub(r"^www\.", "", site.lower())
            if key in (re.sub(r"\W+", "", host), re.sub(r"\W+", "", host.rsplit(".", 1)[0])):
                return True
    return False


def clean_author(author: str | None, *sites: str | None) -> str | None:
    """The author string without the site's own name, each name once.

    trafilatura joins the authors it finds with ``; `` and often takes the
    site for one of them (``<meta name="Author" content="Oberösterreichische
    Nachrichten">`` beside the JSON-LD author on nachrichten.at gives
    ``Oberösterreichische Nachrichten; Claudia Riedler``; ``Tagesschau De``
    on tagesschau.de). A part is dropped when it repeats the site name or
    host (:func:`_same_name`), its letters are contained in the site
    name's, or each of its words is a word of the site name or host
    (case-insensitive: ``Die Grünen Bundestagsfraktion`` on the site
    ``Bundestagsfraktion Bündnis 90/Die Grünen``); repeated parts are kept
    once, the first time.

    Args:
        author: trafilatura's author metadata (``None``: none found).
        sites: the site name and host name, either may be ``None``.

    Returns:
        The remaining parts joined with ``; ``, or ``None`` when none is left.
    """
    if not author:
        return None
    site_keys = [re.sub(r"\W+", "", site).lower() for site in sites if site]
    site_words = {w for site in sites if site for w in re.split(r"\W+", site.lower()) if w}
    kept: list[str] = []
    seen: set[str] = set()
    for part in author.split(";"):
        part = " ".join(part.split())
        key = re.sub(r"\W+", "", part).lower()
        words = {w for w in re.split(r"\W+", part.lower()) if w}
        if (not key or key in seen or _same_name(part, *sites) or any(key in site_key for site_key in site_keys)
                or words <= site_words):
            continue
        seen.add(key)
        kept.append(part)
    return "; ".join(kept) or None


def _main_chars(xml: str) -> int:
    main = _safe_xml(xml).find("main")
    return len("".join(main.itertext())) if main is not None else 0


def extract_article(text: str, tree=None, *, url: str | None = None, cleanup: GermanCleanup | None = None) -> tuple[list[Block], SourceInfo] | None:
    """The article of a decoded page as blocks, with its source information.

    Args:
        text: the decoded page.
        tree: the page parsed by :func:`_parse_page` (parsed here when ``None``).
        url: the page's address, if known (helps trafilatura's metadata).
        cleanup: the German rules to apply (default: all of them).

    Returns:
        ``(blocks, info)``, or ``None`` when trafilatura finds no article.
    """
    import trafilatura

    if tree is None:
        tree = _parse_page(text)
    if tree is None:
        return None
    import copy

    marked = copy.deepcopy(tree)  # trafilatura prunes the tree it is given; the lead search needs the page whole
    _mark_units(marked)

    def run(formatting: bool) -> str | None:
        return trafilatura.extract(
            copy.deepcopy(marked),
            url=url,
            output_format="xml",
            include_formatting=formatting,
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            with_metadata=True,
            # dates only from the page's metadata (meta tags, JSON-LD, <time>, the URL), never guessed from
            # the body text ("Es soll 2025 in Kraft treten." is no publication date): htmldate's extensive_search off
            date_extraction_params={"extensive_search": False, "original_date": True},
        )

    xml = run(True)
    plain = run(False)
    if plain and (not xml or _main_chars(plain) > 1.2 * _main_chars(xml)):
        xml = plain  # with formatting on, trafilatura sometimes keeps fewer paragraphs: take the fuller article
    if not xml:
        return None
    root = _safe_xml(xml)
    main = root.find("main")
    if main is None:
        return None
    meta = {k: _MARKERS.sub("", v).strip() for k, v in root.attrib.items() if v}
    if meta.get("title"):
        meta["title"] = _MARKERS.sub("", _dom_title(tree, meta["title"])).strip()
    blocks = _split_units(xml_blocks(main))
    blocks = (cleanup or GermanCleanup()).apply(blocks, tree, meta)
    words = sum(len(line.split()) for kind, lines in blocks if kind != "headline" for line in lines)
    if words < MIN_ARTICLE_WORDS:
        return None  # trafilatura falls back to any text it can find (a menu, a cookie notice): no article
    page_url = meta.get("url")
    site = meta.get("sitename") or meta.get("hostname")
    author = clean_author(meta.get("author"), site, meta.get("hostname"))
    info = SourceInfo(
        format="html",
        title=clean_title(meta.get("title")),
        author=author,
        date=meta.get("date"),
        site=site,
        url=page_url if page_url and re.match(r"https?://", page_url) else None,
    )
    return blocks, info


# -- every visible text block --------------------------------------------------------

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
                        "svg", "math", "canvas", "head", "title", "meta", "link", "base", "select", "option", "button"})
_BLOCK_KIND = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "li": "list", "dt": "list", "dd": "list", "blockquote": "quote", "figcaption": "caption", "caption": "caption",
}
_BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "ul", "ol",
                         "dl", "table", "tr", "td", "th", "tbody", "thead", "form", "fieldset", "figure", "pre",
                         "address", "br", "hr", "body", "html", *_BLOCK_KIND})


def all_text_blocks(tree) -> list[Block]:
    """Every visible text block of a page (``--all-text``), in document order.

    Left out: :data:`_INVISIBLE` elements and elements with the ``hidden``
    attribute or ``aria-hidden="true"``. Each block element's direct text is
    one block; kinds come from the tag (``h1``–``h6`` heading, ``li`` list,
    ``blockquote`` quote, ``figcaption`` caption, else decided by the
    segmenter).
    """
    blocks: list[Block] = []
    if tree is None:
        return blocks
    current: list[str] = []
    kinds: list[str | None] = [None]

    def flush() -> None:
        line = clean_line("".join(current))
        if line:
            blocks.append((kinds[-1], [line]))
        current.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag.lower() in _INVISIBLE or el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
            if el.tail:
                current.append(el.tail)
            return
        tag = tag.lower()
        is_block = tag in _BLOCK_TAGS
        if is_block:
            flush()
            kinds.append(_BLOCK_KIND.get(tag, kinds[-1]))
        current.append(el.text or "")
        for child in el:
            walk(child)
        if is_block:
            flush()
            kinds.pop()
        if el.tail:
            current.append(el.tail)

    walk(tree)
    flush()
    return [(kind, lines) for kind, lines in blocks]


__all__: Sequence[str] = ("read", "decode_html", "extract_article", "all_text_blocks", "GermanCleanup", "is_boilerplate", "is_credit", "is_metadata_blob", "clean_title", "clean_author")
