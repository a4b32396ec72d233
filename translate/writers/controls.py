"""Control characters in the plain-text outputs (``en.txt``, ``en.md``, ``brief.md``).

A control character in a translation (from a hostile or broken input, or a
model that echoes one) would reach a terminal, an editor or a Markdown
renderer raw: ``ESC`` starts terminal escape sequences, ``NUL`` makes tools
take the file for binary, ``BEL`` rings. The plain-text writers therefore drop
every C0 control (U+0000–U+001F) except line feed and tab, DEL (U+007F) and
every C1 control (U+0080–U+009F, NEL included): the Unicode general category
``Cc`` (Unicode §23.1, "Control Codes") less ``\\n`` and ``\\t``. Carriage
returns go too (the outputs use LF line ends). Every other character (bidi
and zero-width ones, U+2028/U+2029, which are not in ``Cc``) is kept.

The other formats need no help from here: HTML and TMX remove what XML 1.0
cannot hold (:func:`translate.writers.tmx.strip_xml_illegal`), TSV and JSONL
escape control characters and round-trip them.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def drop_controls(text: str) -> str:
    """Remove C0/C1 control characters other than line feed and tab.

    Args:
        text: any string.

    Returns:
        ``text`` without U+0000–U+0008, U+000B–U+001F, U+007F–U+009F; every
        other character, in order. Idempotent.
    """
    return _CONTROLS.sub("", text)


__all__ = ["drop_controls"]
