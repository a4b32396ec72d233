"""``NAME.tmx``: a TMX 1.4b translation memory, one ``<tu>`` per sentence pair.

Structure (TMX 1.4b, https://www.gala-global.org/tmx-14b)::

    <?xml version="1.0" encoding="UTF-8"?>
    <!DOCTYPE tmx SYSTEM "tmx14.dtd">
    <tmx version="1.4">
      <header creationtool="dewire" creationtoolversion="0.1.0" datatype="plaintext"
              segtype="sentence" adminlang="en" srclang="de" o-tmf="dewire">
        <prop type="x-dewire-signature">dewire:0.1.0|model:…</prop>
        <prop type="x-dewire-source">putin-kim.de.txt</prop>        (when known)
      </header>
      <body>
        <tu tuid="0">
          <prop type="x-paragraph">0</prop>
          <prop type="x-kind">headline</prop>
          <prop type="x-flags">low-confidence split</prop>      (only when flagged)
          <tuv xml:lang="de"><seg>…</seg></tuv>
          <tuv xml:lang="en"><seg>…</seg></tuv>
        </tu>
        …

``tuid`` is the sentence id of ``aligned.jsonl``. User-defined ``prop`` types
start with ``x-`` as the standard asks. The tree is built with
:mod:`xml.etree.ElementTree`, which escapes ``&``, ``<`` and ``>`` exactly once
(so ``]]>`` and ``&amp;`` in the text survive as text). Characters XML 1.0
forbids (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF;
XML 1.0 §2.2 ``Char``) cannot be represented at all, not even as character
references, and are removed from the segments (:func:`strip_xml_illegal`);
every other character, bidi and zero-width ones included, is kept; a carriage
return is written as ``&#13;`` so that XML end-of-line handling does not turn
it into a line feed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from translate.document import Document, Paragraph, Sentence
from translate.signature import signature, signature_fields

SUFFIX = ".tmx"

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def strip_xml_illegal(text: str) -> str:
    """Remove the characters XML 1.0 cannot hold (XML 1.0 §2.2, production ``Char``).

    Args:
        text: any string.

    Returns:
        ``text`` without C0 controls other than tab, LF and CR, without lone
        surrogates and without U+FFFE/U+FFFF.
    """
    return _XML_ILLEGAL.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = strip_xml_illegal(text)
    return element


def _header_root(doc: Document) -> ET.Element:
    """The ``<tmx>`` element with its ``<header>`` and an empty ``<body>``."""
    root = ET.Element("tmx", {"version": "1.4"})
    header = _sub(
        root,
        "header",
        creationtool="dewire",
        creationtoolversion=signature_fields(doc)["dewire"],
        datatype="plaintext",
        segtype="sentence",
        adminlang="en",
        srclang="de",
        **{"o-tmf": "dewire", "o-encoding": "UTF-8"},
    )
    _sub(header, "prop", signature(doc), type="x-dewire-signature")
    if doc.path:
        _sub(header, "prop", doc.path, type="x-dewire-source")
    _sub(root, "body")
    return root


def _tu(paragraph: Paragraph, sentence: Sentence, parent: ET.Element | None = None) -> ET.Element:
    """The ``<tu>`` of one sentence pair (a child of ``parent`` when given)."""
    attrs = {"tuid": str(sentence.id)}
    tu = ET.Element("tu", attrs) if parent is None else ET.SubElement(parent, "tu", attrs)
    _sub(tu, "prop", str(paragraph.index), type="x-paragraph")
    _sub(tu, "prop", paragraph.kind, type="x-kind")
    if sentence.flags:
        _sub(tu, "prop", " ".join(sentence.flags), type="x-flags")
    for lang, text in (("de", sentence.source), ("en", sentence.target or "")):
        tuv = _sub(tu, "tuv", **{XML_LANG: lang})
        _sub(tuv, "seg", text)
    return tu


def render(doc: Document) -> dict[str, str]:
    """Render ``doc`` as TMX 1.4b.

    The header is serialized as one small tree and each ``<tu>`` on its own
    (the same bytes as serializing one whole tree), so memory stays
    near the size of the output even for documents of hundreds of thousands
    of sentences.

    Args:
        doc: a translated document.

    Returns:
        ``{".tmx": xml}``: a UTF-8 XML document (declaration and DOCTYPE
        included), indented two spaces, ending with a newline.
    """
    root = _header_root(doc)
    body = root.find("body")
    assert body is not None
    if doc.n_sentences == 0:
        ET.indent(root, space="  ")
        return {SUFFIX: _PROLOGUE + _serialize(root) + "\n"}
    marker = "\x00"  # cannot occur in XML text (strip_xml_illegal removes it), so it marks the body's place
    body.text = marker
    ET.indent(root, space="  ")
    head, _ = _serialize(root).split(marker)
    parts = [_PROLOGUE, head[: -len("<body>")].rstrip(" "), "  <body>\n"]
    for paragraph in doc.paragraphs:
        for sentence in paragraph.sentences:
            tu = _tu(paragraph, sentence)
            ET.indent(tu, space="  ", level=2)
            parts.append("    " + _serialize(tu).rstrip(" \n") + "\n")
    parts.append("  </body>\n</tmx>\n")
    return {SUFFIX: "".join(parts)}


_PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'


def _serialize(element: ET.Element) -> str:
    # A literal CR would be read back as LF (XML 1.0 §2.11 end-of-line handling); only segment text can
    # hold one (indentation is LF, attributes are escaped by ElementTree), so write it as a reference.
    return ET.tostring(element, encoding="unicode", xml_declaration=False).replace("\r", "&#13;")
