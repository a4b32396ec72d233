"""Bytes → normalized text: encoding detection, cleaning, unwrapping, de-hyphenation.

:func:`read_source` reads one input (a file, or bytes from stdin), refuses
what is not text with one clear line (:class:`~translate.errors.InputError`),
decodes it and returns the :func:`normalize`-d text. Sentence spans
(:mod:`translate.segment`) are offsets into this normalized text, which is why
unwrapping and de-hyphenation belong here and not to the segmenter.

Refused (:class:`~translate.errors.InputError`, one line naming the file):
a missing file, a directory, no permission, more than ``max_bytes``, known
binary signatures (PDF, ZIP/.docx, PNG, JPEG, GIF, gzip, Office, ELF …), NUL
bytes outside UTF-16/32, mostly control bytes, and text that is empty after
normalization.

Encoding, in this order:

1. a byte-order mark: UTF-32 LE/BE, UTF-8 (``utf-8-sig``), UTF-16 LE/BE
   (reported as ``utf-32``/``utf-16``: the codec that decodes the bytes as
   they are, BOM included);
2. strict UTF-8;
3. UTF-16 without a BOM (NUL on every other byte), with a warning;
4. UTF-8 with some invalid bytes (at least one valid multi-byte sequence
   encoding a Latin letter or punctuation): decided per run of bytes —
   UTF-8 where it is valid, each stray byte read as cp1252 where that gives
   a plausible character (a cp1252 ``ü`` in a UTF-8 file, cp1252 lines after
   a UTF-8 line), U+FFFD otherwise — with one warning naming the byte offset
   of the first bad byte and the counts;
5. legacy 8-bit text: ``cp1252`` when bytes 0x80–0x9F occur and all are
   defined in cp1252 (``„ “ – € …``; cp1252 is a superset of ISO-8859-1 for
   printable text); ``iso-8859-15`` only when 0xA4 stands next to a digit
   (its €); ``iso-8859-1`` otherwise (the text is then the same as cp1252's).
   The evidence is German: umlauts and ß inside words, typographic
   punctuation where it belongs. When it is missing or outweighed, cp850
   (DOS) and mac_roman are tried on the same evidence, then charset-normalizer
   (restricted to these five encodings) breaks the tie, and a warning says
   the guess is uncertain. Mac Roman read as cp1252 (``fŸr Fu§gŠnger``)
   counts its tell-tale letters as oddities, so Mac Roman wins.

Sources: the Unicode Standard (BOMs, NFC, general categories; UAX #9 for the
bidi controls), WHATWG Encoding (windows-1252 vs ISO-8859-1), the file
signatures in ISO 32000 (PDF), PKWARE APPNOTE (ZIP), RFC 2083 (PNG),
JFIF (JPEG) and GIF89a.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from translate.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from translate.readers.base import SourceInfo

DEFAULT_MAX_BYTES = 50_000_000
"""Default input size limit in bytes (``--max-bytes``)."""


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded and normalized input.

    Attributes:
        text: the normalized text (:func:`normalize`): NFC, LF line ends,
            unwrapped and de-hyphenated; never empty.
        encoding: the encoding found (``utf-8``, ``utf-8-sig``, ``utf-16``,
            ``utf-16-le``, ``utf-32``, ``cp1252``, ``iso-8859-1``,
            ``iso-8859-15``, ``cp850``, ``mac_roman``).
        warnings: one-line warnings about the input (uncertain encoding,
            replaced bytes, dropped control characters), each naming the file.
        info: what the input says about itself (format, title, author, date,
            site, URL; :class:`translate.readers.base.SourceInfo`), or ``None``.
        blocks: the reader's paragraph kind for each blank-line separated
            block of ``text``, in order (``None``: the segmenter decides);
            empty when the reader has no hints (plain text).
    """

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()
    info: "SourceInfo | None" = None
    blocks: tuple[str | None, ...] = ()


# -- reading -------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office file (.doc/.xls)"),
    (b"\x7fELF", "an executable program"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"{\\rtf", "an RTF document"),
    (b"\x00\x00\x01\x00", "an icon file"),
)
"""File signatures (magic numbers) of common non-text inputs and their names."""


def display_name(path: str | os.PathLike[str] | bytes) -> str:
    """The input's name as shown in messages: one printable line.

    ``"-"`` becomes ``<stdin>``; undecodable bytes and control characters in
    the name are shown as escapes (``\\udcff``, ``\\n``).
    """
    name = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    if name == "-":
        return "<stdin>"
    return "".join(
        ascii(ch)[1:-1] if unicodedata.category(ch) in ("Cc", "Cs", "Cf", "Zl", "Zp") else ch for ch in name
    )


def _unit(n: int) -> str:
    """``n`` bytes in the largest unit that keeps it at least 1 (``1 byte``, ``999 bytes``, ``3.0 kB``)."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return "1 byte" if n == 1 else f"{n} bytes"


def _limit_text(n: int) -> str:
    """A limit as written in messages: ``50 MB``, ``1 kB``, ``1.5 kB``, ``1 byte``, ``999 bytes``."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return "1 byte" if n == 1 else f"{n} bytes"


def too_big_message(name: str, max_bytes: int, size: int | None = None) -> str:
    """The one-line refusal of an input over ``--max-bytes``.

    Args:
        name: the input's display name.
        max_bytes: the limit in bytes.
        size: the input's size when known (a regular file); ``None`` for a
            stream (stdin, a FIFO, ``/dev/zero``) read only up to the limit.

    Returns:
        ``"a.txt is 3.0 kB, over the 1 kB limit (--max-bytes)"``; when the
        rounded size would read as the limit itself, exact byte counts
        (``"1,000,400 bytes, over the 1,000,000-byte limit"``); for a stream,
        ``"<stdin> is larger than the 50 MB limit (--max-bytes)"``.
    """
    limit = _limit_text(max_bytes)
    if size is None:
        return f"{name} is larger than the {limit} limit (--max-bytes)"
    shown = _unit(size)
    if shown.split()[0].rstrip("0").rstrip(".") == limit.split()[0] and shown.split()[1] == limit.split()[1]:
        shown, limit = f"{size:,} bytes", f"{max_bytes:,}-byte"
    return f"{name} is {shown}, over the {limit} limit (--max-bytes)"


_STREAM_CHUNK = 1 << 16
"""Bytes read at a time from a stream (stdin, FIFO, character device); the first chunk is checked for binary data."""


def read_stream(stream, name: str, max_bytes: int | None) -> bytes:
    """Read a stream in bounded chunks: at most ``max_bytes + 1`` bytes, refusing binary data early.

    A stream has no size to check up front, and ``--max-bytes 0`` (no limit)
    on ``/dev/zero`` or ``/dev/urandom`` would otherwise read until memory
    runs out: the first chunk (64 KiB) is checked for what is certainly not
    text (a known file signature, NUL bytes outside UTF-16/32, mostly
    control bytes), exactly as :func:`decode` would, before more is read.

    Args:
        stream: a binary file object (``sys.stdin.buffer``, an opened FIFO).
        name: the display name, for messages.
        max_bytes: the limit; ``None`` for none.

    Raises:
        InputError: over ``max_bytes`` (:func:`too_big_message`), binary, or a
            read error.
    """
    chunks: list[bytes] = []
    total = 0
    first = True
    try:
        while True:
            want = _STREAM_CHUNK if max_bytes is None else min(_STREAM_CHUNK, max_bytes + 1 - total)
            chunk = stream.read(want) if want > 0 else b""
            if not chunk:
                break
            if first:
                first = False
                _refuse_binary_start(chunk, name)
            chunks.append(chunk)
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:
                raise InputError(too_big_message(name, max_bytes))
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror or e.__class__.__name__})") from None
    return b"".join(chunks)


def _refuse_binary_start(chunk: bytes, name: str) -> None:
    """Raise :class:`InputError` when the first bytes of a stream are certainly not text (see :func:`decode`)."""
    for bom in (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xef\xbb\xbf"):
        if chunk.startswith(bom):
            return
    for magic, what in _MAGIC:
        if chunk.startswith(magic):
            raise InputError(f"{name} looks like {what}, not text")
    if b"\x00" in chunk and len(chunk) >= 4 and _bomless_utf16(chunk[: len(chunk) - len(chunk) % 2]) is None:
        raise InputError(f"{name} looks like a binary file (it contains NUL bytes), not text")
    controls = sum(1 for b in chunk if b < 0x20 and b not in b"\t\n\r\x0b\x0c\x1b")
    if controls > max(8, len(chunk) // 20):
        raise InputError(f"{name} looks like a binary file (mostly control bytes), not text")


def read_source(
    path: str | os.PathLike[str],
    *,
    data: bytes | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> SourceText:
    """Read one input and return its normalized text.

    Args:
        path: the input file; used in messages, and read when ``data`` is
            ``None``. ``"-"`` means standard input: pass its bytes as
            ``data`` (if ``data`` is ``None``, ``sys.stdin.buffer`` is read).
        data: the raw bytes, when the caller has them already.
        max_bytes: the largest input accepted, in bytes; ``None`` for no limit.

    Returns:
        The decoded, normalized text with the encoding found and warnings.

    Raises:
        InputError: one line naming the file: missing, a directory,
            permission denied, over ``max_bytes``, binary (NUL bytes, PDF,
            ZIP, images …, or more than 5 % control characters once
            decoded), or empty / only white space.
    """
    name = display_name(path)
    if data is None:
        data = read_bytes(path, name, max_bytes)
    if max_bytes is not None and len(data) > max_bytes:
        # data read up to the limit + 1 byte (stdin): its real size is unknown
        raise InputError(too_big_message(name, max_bytes, None if len(data) == max_bytes + 1 else len(data)))
    if not data:
        raise InputError(f"{name} is empty")
    text, encoding, warnings = decode(data, name)
    sample = text[:65536]
    if _count_controls(sample) > max(8, len(sample) // 20):
        # e.g. random bytes 0x80-0xFF read as ISO-8859-1: a quarter are C1 control characters
        raise InputError(f"{name} looks like a binary file (mostly control characters), not text")
    normalized = normalize(text)
    if not normalized.strip():
        raise InputError(f"{name} is empty (it holds only white space or invisible characters)")
    dropped = _count_controls(text)
    if dropped:
        warnings.append(f"{name}: dropped {dropped} control character{'s' if dropped != 1 else ''}")
    bidi = len(_BIDI_CONTROLS.findall(text))
    if bidi:
        warnings.append(
            f"{name}: removed {bidi} bidirectional control character{'s' if bidi != 1 else ''} "
            "(U+202A–U+202E, U+2066–U+2069 …), which can make text display in a different order than it is read"
        )
    hidden = len(_ZERO_WIDTH.findall(text))
    if hidden:
        warnings.append(f"{name}: removed {hidden} zero-width character{'s' if hidden != 1 else ''} (U+200B, U+2060 …)")
    return SourceText(text=normalized, encoding=encoding, warnings=tuple(warnings))


def read_bytes(path: str | os.PathLike[str], name: str, max_bytes: int | None) -> bytes:
    """The raw bytes of ``path`` (``"-"``: stdin), at most ``max_bytes + 1`` of them.

    A regular file's size is checked before reading; anything else (stdin, a
    FIFO, ``/dev/zero``) is read in bounded chunks (:func:`read_stream`).

    Raises:
        InputError: missing, a directory, permission denied (on the file or
            a folder above it), a file name too long, stdin closed, over
            ``max_bytes``, binary data from a stream, or another read error —
            one line starting with ``name``.
    """
    if os.fspath(path) == "-":
        stdin = sys.stdin
        if stdin is None or getattr(stdin, "buffer", None) is None:
            raise InputError("standard input is closed (nothing to read from '-')")
        try:
            return read_stream(stdin.buffer, name, max_bytes)
        except ValueError:  # I/O operation on closed file
            raise InputError("standard input is closed (nothing to read from '-')") from None
    p = Path(path)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{name} is a directory, not a file")
        if stat.S_ISREG(st.st_mode):
            if max_bytes is not None and st.st_size > max_bytes:
                raise InputError(too_big_message(name, max_bytes, st.st_size))
            with open(p, "rb") as f:
                return f.read(-1 if max_bytes is None else max_bytes + 1)
        with open(p, "rb", buffering=0) as f:
            return read_stream(f, name, max_bytes)
    except InputError:
        raise
    except OSError as e:
        raise input_error(name, e) from None


def input_error(name: str, error: OSError) -> InputError:
    """The one-line :class:`InputError` for an ``OSError`` met while opening or reading input ``name``."""
    import errno

    if isinstance(error, FileNotFoundError):
        return InputError(f"{name}: No such file")
    if isinstance(error, IsADirectoryError):
        return InputError(f"{name} is a directory, not a file")
    if isinstance(error, PermissionError):
        return InputError(f"{name}: permission denied")
    if error.errno == errno.ENAMETOOLONG:
        return InputError(f"{name}: file name too long")
    if error.errno == errno.ENOTDIR:
        return InputError(f"{name}: a part of the path is not a folder")
    if error.errno == errno.ELOOP:
        return InputError(f"{name}: too many levels of symbolic links")
    return InputError(f"{name}: cannot read ({error.strerror or error.__class__.__name__})")


# -- decoding ------------------------------------------------------------------------


def decode(data: bytes, name: str = "input") -> tuple[str, str, list[str]]:
    """Decode raw bytes (see the module docstring for the order of tests).

    Args:
        data: the raw bytes (non-empty).
        name: the input's display name, for messages.

    Returns:
        ``(text, encoding, warnings)``: the decoded (not yet normalized)
        text, the codec name, and one-line warnings.

    Raises:
        InputError: the bytes are binary (a known file signature, NUL bytes
            outside UTF-16/32, or mostly control bytes).
    """
    # 1. byte-order marks (UTF-32 first: its LE mark starts with UTF-16's)
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return _decode_with_replacement(data, codec, name)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} looks like {what}, not text")
    if b"\x00" in data:
        guess = _bomless_utf16(data)
        if guess:
            text, _, warnings = _decode_with_replacement(data, guess, name)
            return text, guess, [f"{name}: no byte-order mark; decoded as {guess.upper()}", *warnings]
        raise InputError(f"{name} looks like a binary file (it contains NUL bytes), not text")
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 0x20 and b not in b"\t\n\r\x0b\x0c\x1b")
    if controls > max(8, len(sample) // 20):
        raise InputError(f"{name} looks like a binary file (mostly control bytes), not text")
    # 2. strict UTF-8
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        first_bad = e.start
    # 4. UTF-8 with some bad bytes: decided per run of bytes
    surrogate = data.decode("utf-8", "surrogateescape")  # one U+DC80..U+DCFF per bad byte
    if _UTF8_EVIDENCE.search(surrogate) and _stray_bytes_look_like_text(surrogate):
        return _decode_mixed(surrogate, name, first_bad)
    # 5. legacy 8-bit
    return _decode_legacy(data, name, first_bad)


_ESCAPED = re.compile(r"[\udc80-\udcff]")
_UTF8_EVIDENCE = re.compile("[\u00a0-\u024f\u2010-\u20cf]")
"""Characters that a valid multi-byte UTF-8 sequence in German text encodes
(Latin-1 supplement and Latin Extended letters, general punctuation, the
euro sign). One of them is evidence that the file is UTF-8; a legacy file
forms such a sequence only by accident (``Ã¼``), and then only rarely."""
_CP1252_PLAUSIBLE = frozenset("äöüÄÖÜß") | frozenset("„“”‚‘’–—…€«»‹›§°·´µ×÷±²³½¼¾©®™•¡¿¢£¥¦¨ª¬¯¹º") | frozenset(
    chr(c) for c in range(0xC0, 0xFE) if chr(c).isalpha()
)
"""cp1252 characters that a stray byte in German UTF-8 text plausibly stands
for (umlauts, ß, accented letters, typographic punctuation, €); any other
byte (``ÿ``, ``þ``, controls, cp1252's undefined bytes) becomes U+FFFD."""


def _stray_bytes_look_like_text(surrogate: str) -> bool:
    """Do most stray bytes stand next to ASCII (``M\\xfcnchen``), as in text, not in runs (random or binary data)?"""
    n = len(surrogate)
    stray = next_to_ascii = 0
    for m in _ESCAPED.finditer(surrogate):
        i = m.start()
        stray += 1
        if (i > 0 and surrogate[i - 1] < "\x80") or (i + 1 < n and surrogate[i + 1] < "\x80"):
            next_to_ascii += 1
    return next_to_ascii * 2 >= stray


def _decode_mixed(surrogate: str, name: str, first_bad: int) -> tuple[str, str, list[str]]:
    """UTF-8 text with stray bytes (``surrogate``: decoded with ``surrogateescape``).

    Valid UTF-8 runs stay as decoded; each stray byte is read as cp1252 when
    that gives a plausible character (:data:`_CP1252_PLAUSIBLE`: a cp1252
    ``ü`` in a UTF-8 file, or cp1252 lines after a UTF-8 line), else U+FFFD.
    One warning names the first bad byte's offset and both counts (issue 12).
    """
    counts = [0, 0]  # recovered, replaced

    def recover(m: re.Match[str]) -> str:
        ch = bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace")
        if ch in _CP1252_PLAUSIBLE:
            counts[0] += 1
            return ch
        counts[1] += 1
        return "\ufffd"

    text = _ESCAPED.sub(recover, surrogate)
    recovered, replaced = counts
    bad = recovered + replaced
    parts = []
    if recovered:
        parts.append(f"{recovered} read as cp1252")
    if replaced:
        parts.append(f"{replaced} replaced with U+FFFD")
    return text, "utf-8", [
        f"{name}: {bad} byte{'s' if bad != 1 else ''} not valid UTF-8 (first at byte offset {first_bad}), "
        + " and ".join(parts)
    ]


def _decode_with_replacement(data: bytes, codec: str, name: str) -> tuple[str, str, list[str]]:
    try:
        return data.decode(codec), codec, []
    except UnicodeDecodeError as e:
        text = data.decode(codec, "replace")
        bad = text.count("\ufffd") - data.decode(codec, "ignore").count("\ufffd")
        return text, codec, [
            f"{name}: {bad} invalid {codec.upper()} sequence{'s' if bad != 1 else ''} (first at byte offset {e.start}), replaced with U+FFFD"
        ]


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NULs sit on every other byte (ASCII-heavy UTF-16), else ``None``."""
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.05 * len(odd):
        return "utf-16-be"
    return None


_GERMAN = "äöüÄÖÜß"
_PUNCT_OK = "«»§°·´µ×÷±²³½¼¾©®™•¡¿"
_MOJIBAKE_LETTERS = "ŠšŸŽžŒœƒ†‡§ÒÓãÐ"
"""What Mac Roman's ü ä ö ß Ü „ “ ” – (and cp850's) become when read as
cp1252: rare in German text, counted as oddities next to a letter (§ and the
others also when standing alone, except ``§`` before a number)."""
_ISO15_EURO = re.compile(rb"\d[ \xa0]?\xa4|\xa4[ \xa0]?\d")
_NOT_C1 = bytes(range(0x80)) + bytes(range(0xA0, 0x100))
_SCORE_CHARS = 2_000_000
"""Characters of a legacy-encoded text scored for German evidence (its start)."""
_LEGACY_CANDIDATES = ("cp1252", "iso-8859-1", "iso-8859-15", "cp850", "mac_roman")


def _german_score(text: str) -> tuple[int, int]:
    """``(evidence, oddities)`` among the non-ASCII characters of ``text``.

    Evidence: umlauts and ß next to a letter; typographic punctuation where it
    belongs (``„`` before a word, ``“``/``”`` after one, ``–`` between
    spaces, ``…`` after a word, ``€`` next to a digit or space). Oddities:
    those characters elsewhere (``M„dchen`` is cp850 read as cp1252), control
    characters, and symbols unusual in German text. Other Latin letters count
    as neither.
    """
    good = odd = 0
    n = len(text)
    for m in _NON_ASCII.finditer(text):
        ch = m.group()
        i = m.start()
        left = text[i - 1] if i else " "
        right = text[i + 1] if i + 1 < n else " "
        if ch in _GERMAN:
            ok = left.isalpha() or right.isalpha()
        elif ch in "„‚":
            ok = not left.isalpha() and (right.isalnum() or right in "»'\"")
        elif ch in "“”‘’":
            ok = not (left.isalpha() and right.isalpha()) or ch == "’"
        elif ch in "–—":
            ok = (left in " \n" or left.isdigit()) and (right in " \n" or right.isdigit())
        elif ch == "…":
            ok = not right.islower()  # "…lteste" is Mac Roman "Älteste" read as cp1252
        elif ch == "€":
            ok = left.isdigit() or right.isdigit() or (left in " \n(" and not right.isalpha()) or right == " "
        elif ch in _MOJIBAKE_LETTERS:
            ok = False  # "fŸr", "Fu§gŠnger": Mac Roman umlauts read as cp1252
            if not (left.isalpha() or right.isalpha()) and ch in _PUNCT_OK:
                continue
        elif ch in _PUNCT_OK or (ch.isalpha() and unicodedata.category(ch) in ("Ll", "Lu") and ord(ch) < 0x250):
            continue
        else:
            ok = False
        if ok:
            good += 1
        else:
            odd += 1
    return good, odd


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _decode_legacy(data: bytes, name: str, first_bad: int = 0) -> tuple[str, str, list[str]]:
    """Decide among cp1252 / ISO-8859-1 / ISO-8859-15 (and cp850, mac_roman) with German evidence.

    ``first_bad`` is the byte offset of the first byte that is not valid
    UTF-8; an uncertain guess names it, so that a UTF-8 file with a stray
    byte can be found and fixed.
    """
    c1 = set(data.translate(None, _NOT_C1))
    cp1252_undefined = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
    if c1 and not (c1 & cp1252_undefined):
        first = "cp1252"
    elif c1:
        first = "iso-8859-1"
    elif b"\xa4" in data and _ISO15_EURO.search(data):
        first = "iso-8859-15"
    else:
        first = "iso-8859-1"
    text = data.decode(first, "replace")
    good, odd = _german_score(text[:_SCORE_CHARS])
    if good > 0 and odd <= good:
        return text, first, []
    # weak evidence: compare with the DOS and Mac encodings, then ask charset-normalizer
    best = (good - odd, first, text)
    for codec in ("cp850", "mac_roman"):
        other = data.decode(codec, "replace")
        g, o = _german_score(other[:_SCORE_CHARS])
        if g - o > best[0] + 2 and g > 2 * o:
            best = (g - o, codec, other)
    if best[1] != first:
        return best[2], best[1], [f"{name}: not UTF-8 (first non-UTF-8 byte at offset {first_bad}); German umlauts read best as {best[1]} (uncertain)"]
    # no German evidence either way: charset-normalizer (restricted to the candidates) breaks the tie
    hint = _charset_normalizer_guess(data)
    if hint in ("cp850", "mac_roman"):
        other = data.decode(hint, "replace")
        g, o = _german_score(other[:_SCORE_CHARS])
        if g > 0 and g - o >= good - odd:
            text, first = other, hint
    return text, first, [f"{name}: not UTF-8 (first non-UTF-8 byte at offset {first_bad}); guessed {first} (uncertain: no German umlauts to confirm)"]


def _charset_normalizer_guess(data: bytes) -> str | None:
    """charset-normalizer's best encoding among :data:`_LEGACY_CANDIDATES`, or ``None``."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    aliases = {"cp1252": "cp1252", "latin_1": "iso-8859-1", "iso8859_15": "iso-8859-15", "cp850": "cp850", "mac_roman": "mac_roman"}
    try:
        best = from_bytes(data[:200_000], cp_isolation=list(aliases)).best()
    except Exception:  # noqa: BLE001 - a detector's failure only means "no opinion"
        return None
    return aliases.get(best.encoding) if best is not None else None


# -- normalization ------------------------------------------------------------------

_REMOVE = "".join(
    [
        "\u00ad",  # soft hyphen
        "\u200b\u2060\ufeff\u180e",  # zero-width space, word joiner, BOM (ZWNJ/ZWJ: see _STRAY_JOINER)
        "\u2061\u2062\u2063\u2064",  # invisible math operators
        "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",  # bidi controls (UAX #9)
        "\ufff9\ufffa\ufffb",  # interlinear annotation
    ]
)
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
"""Bidi controls (UAX #9): removed, with a warning — "Trojan Source" (Boucher & Anderson 2021) hides text with them."""
_ZERO_WIDTH = re.compile("[\u200b\u2060\u180e\u2061-\u2064\ufff9-\ufffb]|(?<=[\\s\\S])\ufeff")
"""Zero-width and invisible characters removed with a warning (a leading BOM and soft hyphens are routine and silent)."""
_TRANSLATE: dict[int, str | None] = {ord(ch): None for ch in _REMOVE}
for _code in range(0x20):
    if chr(_code) not in "\n\t\r\x0b\x0c\x1c\x1d\x1e":
        _TRANSLATE[_code] = None
for _code in range(0x7F, 0xA0):
    _TRANSLATE[_code] = None
_TRANSLATE.update(
    {
        ord("\t"): " ",
        ord("\x0b"): "\n",
        ord("\x0c"): "\n",
        ord("\x1c"): "\n",
        ord("\x1d"): "\n",
        ord("\x1e"): "\n",
        0x85: "\n",  # NEL
        0x2028: "\n",  # LINE SEPARATOR
        0x2029: "\n\n",  # PARAGRAPH SEPARATOR
    }
)
for _code in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000):
    _TRANSLATE[_code] = " "
for _code in (*range(0xFDD0, 0xFDF0), *(plane + last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF))):
    _TRANSLATE[_code] = None  # noncharacters (Unicode Standard §23.7): never text; TMX/HTML writers strip them
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NEEDS_TRANSLATION = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TRANSLATE)) + "]+")
_STRAY_JOINER = re.compile(r"(?<![^\x00-\u024f\s])[\u200c\u200d]+|(?<![\u200c\u200d])[\u200c\u200d]+(?![^\x00-\u024f\s])")
"""A run of zero-width non-joiners/joiners (U+200C/U+200D) not between two
non-Latin characters (a run is judged as a whole, so that removing it never
exposes another: ``normalize`` stays idempotent on ``€\u200c\u200d``). Between Latin letters they are invisible junk from web pages (or a
ligature hint) and are removed; between emoji (``👩🏽‍💼``, Unicode TS #51
emoji ZWJ sequences) and in scripts that spell with them (Persian, the Indic
scripts; Unicode Standard §23.2) they are part of the text and are kept."""
_CONTROL_COUNT = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def _count_controls(text: str) -> int:
    return len(_CONTROL_COUNT.findall(text))


def clean_characters(text: str) -> str:
    """The character-level part of :func:`normalize` (no unwrapping).

    Lone surrogates → U+FFFD; CRLF/CR → LF (also NEL, U+2028; U+2029 → blank
    line; vertical tab and form feed → LF); tab, NBSP, narrow NBSP and the
    other Unicode spaces → space; zero-width characters, soft hyphens, BOMs
    bidi controls and the 66 noncharacters (U+FDD0–U+FDEF, U+FFFE/U+FFFF
    of every plane: XML cannot hold them, so every output format agrees)
    removed (ZWJ/ZWNJ only outside non-Latin text:
    :data:`_STRAY_JOINER`); other control characters dropped; NFC.
    """
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _NEEDS_TRANSLATION.search(text):
        text = _NEEDS_TRANSLATION.sub(_translate_match, text)
    if "\u200c" in text or "\u200d" in text:
        # judged on composed text (``a`` + U+0308 is the Latin ``ä``), composed again after removal
        text = _STRAY_JOINER.sub("", unicodedata.normalize("NFC", text))
    return unicodedata.normalize("NFC", text)


def _translate_match(m: re.Match[str]) -> str:
    return m.group().translate(_TRANSLATE)


def normalize(text: str) -> str:
    """Normalize decoded text; sentence spans refer to the result.

    Steps: :func:`clean_characters`; white space stripped at both ends of
    every line; runs of blank lines collapsed to one; hard-wrapped
    paragraphs unwrapped and line-end hyphenation undone (see
    :func:`unwrap_lines`); leading and trailing blank lines removed.
    Idempotent: ``normalize(normalize(t)) == normalize(t)``.

    Args:
        text: any string.

    Returns:
        The normalized text: NFC, ``\\n`` line ends, no spaces at line
        ends, paragraphs separated by exactly one blank line.
    """
    text = clean_characters(text)
    lines = [line.strip(" ") for line in text.split("\n")]
    words = _WordIndex(lines)
    doc_width = max(map(len, lines), default=0)
    blocks: list[list[str]] = []
    block: list[str] = []
    for line in lines:
        if line:
            block.append(line)
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return "\n\n".join(unwrap_lines(b, words, doc_width) for b in _join_split_words(blocks))


def _join_split_words(blocks: list[list[str]]) -> list[list[str]]:
    """Blocks whose last line ends in the Fraktur hyphen ``¬`` (a word split at the end of a text region).

    When the next block goes on in lower case (``Holz¬`` / blank line /
    ``schnittfolge``), the two blocks are one: merged, so that unwrapping
    joins the word. Otherwise (the word goes on in a column elsewhere:
    ``Herab¬`` / ``Feuilleton.``) the ``¬`` is dropped: it is never text
    (NZZ ground truth, 64 of 3,095 were left; issue 12).
    """
    out: list[list[str]] = []
    for block in blocks:
        if out and out[-1][-1].endswith("¬") and len(out[-1][-1]) > 1 and block[0][:1].islower():
            out[-1] = [*out[-1], *block]
            continue
        out.append(block)
    for block in out:
        last = block[-1]
        if last.endswith("¬") and len(last) > 1 and last[-2].isalpha():
            block[-1] = last[:-1]
    return out


# -- unwrapping -----------------------------------------------------------------------

_TERMINAL_END = re.compile(r"[.!?…:;][\"'“”»«’‘)\]]*$")
_LIST_START = re.compile(r"(?:[-–—•*·▪▫◦‣►▶→✓✔+][ ]|\d{1,3}[.)][ ]|[a-zA-Z][)][ ]|\(\d{1,3}\)[ ])")
_HYPHEN_END = re.compile(r"(?<=[^\W_])[-¬]$|(?<=[^\W_])(?:-¬|¬-)$|(?<=[\"“”»«’])¬$")
"""A line-end hyphen: ``-`` or the ``¬`` of Fraktur transcriptions, or both
(``Kundert-¬``: a hard hyphen at the line end, kept as ``-``; ``Arbeit¬-``
is read as ``Arbeit¬``; ``„Hudson"¬`` + ``und``: a suspended hyphen)."""
_FRAGMENT = re.compile(r"[^\s\-¬]+[-¬]$")
_DATELINE_START = re.compile(r"[A-ZÄÖÜ][\wÄÖÜäöüß.'’/-]*(?:[ ][A-ZÄÖÜ][\wÄÖÜäöüß.'’/-]*){0,3}[ ]?\((?P<agency>[^()]{1,30})\)[ ]?[-–—:][ ]")
_MONTH_AFTER_NUMBER = re.compile(
    r"\d{1,2}\.[ ](?:Januar|Jänner|Februar|Feber|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b"
)
_WORD = re.compile(r"[^\W_](?:[\w]|[-¬](?=\w))*")
_SUSPENDED = frozenset(
    "und oder bzw. bzw sowie als wie bis noch beziehungsweise respektive statt anstatt versus u. o. und/oder".split()
)
"""Words after a suspended hyphen (Ergänzungsstrich): ``Atomwaffen- und Raketenprogramme``."""

_STATT_STEMS = (
    "werk", "lager", "ruhe", "grab", "heim", "schlaf", "wohn", "richt", "brand", "wal", "lehr", "gast", "kampf",
    "feuer", "opfer", "gerichts", "pflege", "ruh", "toten", "wahl", "kult", "weihe", "andachts", "stell",
)
"""Stems that form a compound with ``-statt`` (``Werkstatt``, ``Lagerstatt``,
``Heimstatt``, ``Walstatt``; Duden): ``Demokratiewerk-`` + ``statt`` is one
word, not a suspended hyphen (``Bus- statt Autofahrt``)."""


def _compound_ending(core: str, word: str) -> bool:
    """Is ``word`` after the line-end fragment ``core`` the end of one compound (``…werk-`` + ``statt``)?"""
    return word in ("statt", "stätte", "stätten") and core.lower().endswith(_STATT_STEMS)


_MIN_WRAP_WIDTH = 30
"""Hard-wrapped text has lines of at least this many characters (NZZ columns: ~40)."""


class _WordIndex:
    """The document's words (built on first use): is ``Nord-Korea`` written with a hyphen elsewhere?"""

    __slots__ = ("_lines", "_words")

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self._words is None:
            words: set[str] = set()
            for line in self._lines:
                if line and line[-1] in "-¬":
                    line = line[:-1]  # a line-end hyphen is not evidence
                words.update(_WORD.findall(line))
            self._words = words
        return word in self._words


def _first_word(line: str) -> str:
    i = line.find(" ")
    return line if i < 0 else line[:i]


_LETTER = re.compile(r"[^\W\d_]")


def _is_separator_line(line: str) -> bool:
    return not _LETTER.search(line)


_SENTENCE_END = re.compile(r"[.!?…][\"'“”»«’)\]]*$")


def _continues_with_numbers(a: str, b: str) -> bool:
    """A continuation line without letters (``2014.``, ``6:7, 7:5, 3:6.``) after a line ending mid-sentence."""
    return any(ch.isdigit() for ch in b) and not _SENTENCE_END.search(a) and not _is_separator_line(a)


def _open_clause(a: str) -> bool:
    """Does line ``a`` leave a clause open (``(Renate Graber,`` before ``23.11.2015)``)?"""
    return a[-1] in ",;(/" or a.count("(") > a.count(")")


def _is_dateline_start(line: str) -> bool:
    """Does ``line`` open with a dateline (``BERLIN (dpa) – ``)? The parentheses must hold a news agency:
    ``Schmuckenschlager (ÖVP): …`` is a wrapped quote attribution, not a dateline (issue 12)."""
    m = _DATELINE_START.match(line)
    if not m:
        return False
    from translate import segment_rules

    agency = m.group("agency").strip().lower()
    parts = [p.strip() for p in re.split(r"[/,;]\s*|\s+und\s+", agency) if p.strip()]
    return agency in segment_rules.AGENCIES or (bool(parts) and all(p in segment_rules.AGENCIES for p in parts))


def unwrap_lines(lines: list[str], words: "_WordIndex | None" = None, doc_width: int = 0) -> str:
    """Join the hard-wrapped lines of one block (no blank lines inside).

    Rules for the break between line *a* and the next line *b* (*W* is the
    block's longest line, "fits" means *b*'s first word would have fitted
    on *a* within 90 % of *W*, the slack covering proportional fonts):

    * *a* ends in a word-final hyphen (``-`` or the ``¬`` of Fraktur
      transcriptions) and *b* starts with a letter or digit: always joined.
      The hyphen is dropped (``Verteidigungs-`` + ``ministerium``) unless *b*
      starts with a capital or digit (``Nord-`` + ``Korea-Politik``), the
      fragment is an acronym, a single letter or holds a digit (``US-`` +
      ``amerikanisch``), or the hyphenated word occurs elsewhere in the
      document and the closed one does not. *b* starting with
      ``und``/``oder``/``bzw.`` … marks a suspended hyphen (``Atomwaffen-
      und``): kept, joined with a space.
    * Other breaks are joined only in a hard-wrapped block: one with a
      hyphenated line end, or with *W* ≥ 30 and some line of at least 60 %
      of *W* that ends mid-sentence (no final punctuation) where the next
      line's first word does not fit, or goes on in lower case after a line
      of at least 75 % of *W*. (Poems, addresses, tables and
      one-sentence-per-line files have no such line.) There a break is
      kept when *b* is a list
      item or a dateline or either line is a separator; when *a* ends a
      sentence and *b* fits (a short last line of a paragraph) or *b* is a
      short line without final punctuation with more lines after it (a
      heading or byline after a paragraph); and when *a* has no final
      punctuation, *b* starts with a capital and fits within 75 % of *W*
      (a heading).
    * A line starting like a list item (``- ``, ``1. ``, ``a) ``) is one
      only if it is the block's first line, follows a line ending in ``:``
      or an earlier item, or its marker would have fitted on the line
      before (else it is a wrapped ``– Gedankenstrich`` or ``27. Oktober``).

    A break kept inside a hard-wrapped block becomes a blank line (a
    paragraph break), except between two list items; in other blocks line
    breaks stay as they are (one sentence per line, addresses, lists), so
    ``normalize`` is idempotent.

    Args:
        lines: the block's lines, stripped, none empty.
        words: the document's words, for hyphenated-compound evidence.
        doc_width: the length of the document's longest line (0: unknown).
            A block without a sentence end at a line end or a lower-case
            continuation, whose lines stay under 80 % of it, is a stack of
            title lines (kicker, title, timestamp), never joined.

    Returns:
        The block's text.
    """
    if len(lines) == 1:
        return lines[0]
    width = max(len(line) for line in lines)
    items = _list_items(lines)
    hyphenated = [
        i > 0 and not items[i] and bool(_HYPHEN_END.search(lines[i - 1])) and (lines[i][0].isalpha() or lines[i][0].isdigit())
        for i in range(len(lines))
    ]
    if not any(hyphenated) and not _is_wrapped(lines, width, items, doc_width):
        return "\n".join(lines)
    pieces: list[list[str]] = [[lines[0]]]
    piece_is_item = [items[0]]
    for i in range(1, len(lines)):
        a, b = lines[i - 1], lines[i]
        current = pieces[-1]
        if hyphenated[i]:
            head, joiner = _dehyphenate(current[-1], b, words)
            current[-1] = head
            current.append(joiner)
            current.append(b)
        elif _joins(a, b, width, item=items[i], more=i + 1 < len(lines)):
            current.append(" ")
            current.append(b)
        else:
            pieces.append([b])
            piece_is_item.append(items[i])
    out = ["".join(pieces[0])]
    for k in range(1, len(pieces)):
        # one list item per line; every other kept break is a paragraph break
        out.append("\n" if piece_is_item[k] and piece_is_item[k - 1] else "\n\n")
        out.append("".join(pieces[k]))
    return "".join(out)


def _list_items(lines: list[str]) -> list[bool]:
    """Which lines of a block are list items (see :func:`unwrap_lines`)."""
    items: list[bool] = []
    seen_item = False
    width = max(len(line) for line in lines)
    # (en and em dashes excluded: a wrapped "– Gedankenstrich" can open two lines in a row)
    bullets = [line[:1] if _LIST_START.match(line) and line[:1] not in "–—" and not line[:1].isalnum() else "" for line in lines]
    for i, line in enumerate(lines):
        if not _LIST_START.match(line) or _MONTH_AFTER_NUMBER.match(line):
            items.append(False)
            continue
        prev = lines[i - 1] if i else ""
        # two neighbouring lines opening with the same bullet: a list, even after an
        # intro without a colon ("Die wichtigsten Änderungen im Überblick"; issue 12)
        paired = bool(bullets[i]) and i + 1 < len(lines) and bullets[i + 1] == bullets[i]
        item = i == 0 or prev.endswith(":") or seen_item or paired or len(prev) + 1 + len(_first_word(line)) <= width
        seen_item = seen_item or item
        items.append(item)
    return items


def _is_wrapped(lines: list[str], width: int, items: list[bool], doc_width: int = 0) -> bool:
    """Is the block hard-wrapped: does some line end mid-sentence where the next word did not fit?"""
    if width < _MIN_WRAP_WIDTH:
        return False
    if (
        doc_width
        and width < 0.8 * doc_width
        and not any(_TERMINAL_END.search(line) for line in lines)
        and not any(line[0].islower() for line in lines[1:])
    ):
        # no sentence ends at a line end, no line goes on in lower case, and
        # the lines stay well short of the document's widest line: a stack of
        # headline-like lines (kicker, title, timestamp), not a wrapped paragraph
        return False
    for i in range(1, len(lines)):
        a, b = lines[i - 1], lines[i]
        if not _TERMINAL_END.search(a) and not items[i] and len(a) >= 0.6 * width:
            if not _next_word_fits(a, b, width) or (b[0].islower() and len(a) >= 0.75 * width):
                return True
    return False


def _next_word_fits(a: str, b: str, width: int, share: float = 0.9) -> bool:
    """Would the first word of ``b`` have fitted on line ``a`` within ``share`` of ``width``?"""
    return len(a) + 1 + len(_first_word(b)) <= share * width


def _joins(a: str, b: str, width: int, *, item: bool, more: bool) -> bool:
    """Join line ``b`` to line ``a`` in a hard-wrapped block? ``more``: lines follow ``b``."""
    if item or _is_dateline_start(b) or _is_separator_line(a):
        return False
    if _is_separator_line(b):
        return _continues_with_numbers(a, b)  # "… mit" + "6:7, 7:5, 3:6.": the sentence goes on
    if (_is_furniture(a) or _is_furniture(b)) and not _open_clause(a):
        return False  # "Stand: 08.09.2023 14:32 Uhr", "Anzeige": never glued to a title
    if _TERMINAL_END.search(a):
        if more and a[-1] not in ":;" and len(b) < 0.6 * width and not _TERMINAL_END.search(b):
            return False  # a short line standing alone after a sentence: heading, byline
        return not _next_word_fits(a, b, width)
    if b[0].islower():
        return True
    return not _next_word_fits(a, b, width, 0.75)


def _is_furniture(line: str) -> bool:
    """A timestamp or boilerplate line of a web copy (:mod:`translate.segment_rules`): always a line of its own."""
    from translate import segment_rules

    return len(line) <= segment_rules.MAX_BOILERPLATE_CHARS and (
        segment_rules.is_timestamp(line) or segment_rules.is_boilerplate(line)
    )


def _dehyphenate(a: str, b: str, words: "_WordIndex | None") -> tuple[str, str]:
    """For ``a`` ending in ``-``/``¬`` followed by line ``b``: ``(a without or with its hyphen, joiner)``."""
    if a.endswith("-¬"):
        return a[:-1], ""  # Saison-¬ Beilage: a hard hyphen at the line end
    if a.endswith("¬-"):
        a = a[:-1]
    head = a[:-1]
    first = _first_word(b)
    m = _FRAGMENT.search(a)
    core = (m.group()[:-1] if m else "").lstrip("\"'„“«»‚‘(")
    letters = "".join(ch for ch in core if ch.isalpha())
    word = first.rstrip(".,;:!?\"'“”»«)")
    if (word in _SUSPENDED or first in _SUSPENDED) and not _compound_ending(core, word):
        if words is not None and core and f"{core}{word}" in words:
            return head, ""  # Hintergr- + und: the word "Hintergrund" is in the text
        return head + "-", " "
    keep = (
        not b[0].islower()
        or len(letters) <= 1
        or any(ch.isdigit() for ch in core)
        or (len(letters) >= 2 and letters.isupper())
    )
    if not keep and words is not None and core and word:
        keep = f"{core}-{word}" in words and f"{core}{word}" not in words
    return head + ("-" if keep else ""), ""
