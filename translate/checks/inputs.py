"""Read any translation for ``dewire check``: two line-aligned text files, a TMX file, or an aligned.jsonl.

=====================================  =============================================================
input                                  pairs
=====================================  =============================================================
``SOURCE TARGET`` (two text files)     line N of SOURCE with line N of TARGET (UTF-8, BOM allowed;
                                       LF or CRLF); both must have the same number of lines
``FILE.tmx`` alone                     each ``<tu>``: the ``<seg>`` of the ``<tuv>`` whose
                                       ``xml:lang`` starts with ``de`` (or the header's
                                       ``srclang``) and of the one starting with ``en`` (none:
                                       an empty English); line = tu number
``FILE.jsonl`` alone (dewire           each record's ``source`` and ``target``; line = line number
aligned.jsonl)                         (blank lines are skipped but counted)
=====================================  =============================================================

The kind of a lone file is told by its content (``<`` → TMX, ``{`` → JSON
Lines), not by its name.

Errors are :class:`CheckInputError` (exit code 66, ``EX_NOINPUT`` of
sysexits.h: missing, unreadable, binary, empty, not UTF-8, malformed TMX or
JSON) or :class:`MisalignedError` (exit code 2: the two files have different
line counts, or a lone file is neither TMX nor JSON Lines), each a single
line naming the file.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from translate.errors import InputError

EXIT_NOINPUT = 66
"""sysexits.h ``EX_NOINPUT``: the input file is missing or unreadable (contract.md)."""

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class CheckInputError(InputError):
    """An input of ``dewire check`` cannot be read (missing, binary, empty, malformed)."""

    exit_code = EXIT_NOINPUT


class MisalignedError(InputError):
    """The two files of ``dewire check`` do not pair up line by line.

    Unusable input (exit 66), as for ``dewire eval``'s misaligned test sets.
    """


@dataclass(frozen=True, slots=True)
class Pair:
    """One source/target pair of the input.

    Attributes:
        line: 1-based line (text, JSONL) or ``<tu>`` number (TMX).
        source: German text.
        target: English text.
    """

    line: int
    source: str
    target: str


def _read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise CheckInputError(f"{path} is a directory, not a file") from None
    except OSError as err:
        raise CheckInputError(f"cannot read {path}: {err.strerror or err}") from None
    if not data.strip():
        raise CheckInputError(f"{path} is empty")
    if b"\x00" in data[:8192]:
        raise CheckInputError(f"{path} is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CheckInputError(f"{path} is not UTF-8 text (invalid byte at offset {err.start})") from None
    return text


def _lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_text_pairs(source: str | Path, target: str | Path) -> list[Pair]:
    """Pair two line-aligned text files.

    Raises:
        CheckInputError: either file unreadable, binary, empty or not UTF-8.
        MisalignedError: the files have different numbers of lines.
    """
    src, tgt = _lines(_read_text(source)), _lines(_read_text(target))
    if len(src) != len(tgt):
        raise MisalignedError(f"{source} has {len(src)} lines but {target} has {len(tgt)}: the files are not line-aligned")
    return [Pair(i, s, t) for i, (s, t) in enumerate(zip(src, tgt), start=1)]


def read_tmx(path: str | Path, text: str | None = None) -> list[Pair]:
    """The pairs of a TMX file (German source, English target).

    Raises:
        CheckInputError: unreadable, not XML, or no ``<tu>`` with a German ``<tuv>``. A ``<tu>`` with
            German but no English ``<tuv>`` gives a pair with an empty target.
    """
    text = _read_text(path) if text is None else text
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as err:
        raise CheckInputError(f"{path} is not valid TMX: {err}") from None
    except (LookupError, ValueError, UnicodeError, RecursionError) as err:  # a bogus encoding declaration, absurd nesting
        raise CheckInputError(f"{path} is not valid TMX: {type(err).__name__}: {err}") from None
    header = root.find("header")
    srclang = (header.get("srclang") if header is not None else None) or "de"
    pairs: list[Pair] = []
    for number, tu in enumerate(root.iter("tu"), start=1):
        segs: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").casefold()
            seg = tuv.find("seg")
            value = _seg_text(seg) if seg is not None else ""
            if lang.startswith(srclang.casefold()[:2]) or lang.startswith("de"):
                segs.setdefault("de", value)
            elif lang.startswith("en"):
                segs.setdefault("en", value)
        if "de" in segs:
            # A unit without English is the worst omission: checked with an empty target ("the English is empty").
            pairs.append(Pair(number, segs["de"], segs.get("en", "")))
    if not pairs:
        raise CheckInputError(f"{path} has no <tu> with a German <tuv>")
    return pairs


_INLINE_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})
"""TMX 1.4b inline elements whose content is native code (markup), not text: left out of what is checked."""


def _seg_text(seg: ET.Element) -> str:
    """The text of a TMX ``<seg>``: its text and ``<hi>``/``<sub>`` text, without inline codes (TMX 1.4b §3.6)."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _INLINE_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _valid_text(value: str) -> bool:
    """Whether ``value`` can be printed and encoded (no lone surrogates from a JSON ``\\ud800`` escape)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_jsonl(path: str | Path, text: str | None = None) -> list[Pair]:
    """The pairs of a dewire ``aligned.jsonl`` (keys ``source`` and ``target``).

    Raises:
        CheckInputError: unreadable, a line that is not a JSON object with
            string ``source`` and ``target`` (names the line).
    """
    text = _read_text(path) if text is None else text
    pairs: list[Pair] = []
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise CheckInputError(f"{path}:{number} is not JSON ({err.msg})") from None
        except (ValueError, RecursionError) as err:  # a 5,000-digit integer, nesting deeper than the parser's stack
            raise CheckInputError(f"{path}:{number} is not usable JSON ({type(err).__name__})") from None
        if not isinstance(item, dict) or not isinstance(item.get("source"), str) or not isinstance(item.get("target"), (str, type(None))):
            raise CheckInputError(f"{path}:{number} has no 'source' and 'target' strings")
        if not _valid_text(item["source"]) or not _valid_text(item.get("target") or ""):
            raise CheckInputError(f"{path}:{number} has a lone surrogate (\\ud800-\\udfff) in its text")
        pairs.append(Pair(number, item["source"], item.get("target") or ""))
    return pairs


def read_pairs(source: str | Path, target: str | Path | None = None) -> list[Pair]:
    """Read the pairs of any supported input (see the module docstring).

    Args:
        source: a German text file, or a TMX / aligned.jsonl file when ``target`` is ``None``.
        target: the English text file, line-aligned with ``source``.

    Raises:
        CheckInputError: an input cannot be read.
        MisalignedError: line counts differ, or a lone file is neither TMX nor JSONL.
    """
    if target is not None:
        return read_text_pairs(source, target)
    text = _read_text(source)
    start = text.lstrip()
    head = start[:1]
    if head == "<" and (Path(source).suffix.lower() in (".tmx", ".xml") or start.startswith(("<?xml", "<tmx", "<!"))):
        return read_tmx(source, text)
    if head == "{":
        return read_jsonl(source, text)
    from translate.errors import UsageError

    raise UsageError(f"{source} is neither TMX nor an aligned.jsonl: give the English file too (dewire check SOURCE TARGET)")
