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

from translate.document import Document
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


def build_tree(doc: Document) -> ET.Element:
    """Build the ``<tmx>`` element of ``doc``.

    Args:
        doc: a translated document.

    Returns:
        The root element; one ``body/tu`` per sentence, in document order.
    """
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
    body = _sub(root, "body")
    for paragraph in doc.paragraphs:
        for sentence in paragraph.sentences:
            tu = _sub(body, "tu", tuid=str(sentence.id))
            _sub(tu, "prop", str(paragraph.index), type="x-paragraph")
            _sub(tu, "prop", paragraph.kind, type="x-kind")
            if sentence.flags:
                _sub(tu, "prop", " ".join(sentence.flags), type="x-flags")
            for lang, text in (("de", sentence.source), ("en", sentence.target or "")):
                tuv = _sub(tu, "tuv", **{XML_LANG: lang})
                _sub(tuv, "seg", text)
    return root


def render(doc: Document) -> dict[str, str]:
    """Render ``doc`` as TMX 1.4b.

    Args:
        doc: a translated document.

    Returns:
        ``{".tmx": xml}``: a UTF-8 XML document (declaration and DOCTYPE
        included), indented two spaces, ending with a newline.
    """
    root = build_tree(doc)
    ET.indent(root, space="  ")
    # A literal CR would be read back as LF (XML 1.0 §2.11 end-of-line handling); only segment text can
    # hold one (indentation is LF, attributes are escaped by ElementTree), so write it as a reference.
    xml = ET.tostring(root, encoding="unicode", xml_declaration=False).replace("\r", "&#13;")
    return {SUFFIX: '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + xml + "\n"}
