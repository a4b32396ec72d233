"""Text that is safe to show on a terminal: names from the file system are data, not commands.

A file name may hold an escape sequence (``\\x1b[2J`` clears the screen,
``\\x1b]0;…\\x07`` sets the window title), a bidi override that makes
``gpj.exe`` read as ``exe.jpg`` (Unicode TR #36 §2.1, "Trojan Source"
CVE-2021-42574), a newline that forges a second message line, or bytes that
are not UTF-8. :func:`printable` shows every such character as a Python
escape (``\\x1b``, ``\\u202e``, ``\\n``, ``\\udcff``), so that whatever
dewire prints about a file is one line that reads as it is.
"""

from __future__ import annotations

import os
import unicodedata

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Unicode general categories escaped: controls (C0, DEL, C1), format characters (bidi controls,
zero-width characters, soft hyphen), surrogates (undecodable bytes, PEP 383), private use,
unassigned code points, and the line/paragraph separators U+2028/U+2029."""


def printable(text: str | os.PathLike[str] | bytes, *, keep: str = "") -> str:
    """``text`` with every control, format, surrogate or line-separator character escaped.

    Args:
        text: a message or a file name (``bytes`` are decoded with the file
            system encoding, undecodable bytes become ``\\udcXX``).
        keep: characters left as they are (e.g. ``"\\t"``).

    Returns:
        One line: ``"a\\x1b[2Jb.txt"`` → ``"a\\\\x1b[2Jb.txt"`` (a backslash, ``x1b``).
    """
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    elif not isinstance(text, str):
        text = os.fspath(text)
        if isinstance(text, bytes):  # pragma: no cover - bytes paths
            text = os.fsdecode(text)
    if text.isprintable() and not any(ch in text for ch in "\u00ad\u2028\u2029"):
        return text
    return "".join(
        ch if ch in keep or ch == " " or unicodedata.category(ch) not in _ESCAPED_CATEGORIES else ascii(ch)[1:-1]
        for ch in text
    )


def display_path(path: str | os.PathLike[str] | bytes) -> str:
    """A path as shown in messages: ``-`` is ``<stdin>``; otherwise :func:`printable`."""
    name = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    if name == "-":
        return "<stdin>"
    return printable(name)


__all__ = ["display_path", "printable"]
