"""Word frequencies for the checks, from a compact data file instead of the ``wordfreq`` package.

The name check asks thousands of times "how common is this word in German /
in English?" (Zipf frequency: log10 of occurrences per billion words, Speer
et al., *wordfreq* 3). Importing ``wordfreq`` and loading its word lists cost
seconds per process, so :func:`build_lexicon` (run by
``tools/build_lexicon.py``; needs ``wordfreq``, a dev dependency) writes the
part the checks need — every word of letters only (an inner apostrophe
allowed) with a Zipf frequency of at least :data:`MIN_ZIPF` — to
``data/lexicon_de.bin.gz`` and ``data/lexicon_en.bin.gz``. At run time
:func:`zipf` reads them once per process (no ``wordfreq`` import).

File layout (gzip): one line of JSON (``language``, ``wordfreq`` version,
``min_zipf``, ``words``), then one line per word, ``word<TAB>Zipf × 100``
(wordfreq's own precision: ``zipf_frequency`` rounds to two decimals), sorted
by the words' UTF-8 bytes. A lookup is a binary search over the bytes (the way
Unix ``look`` searches a sorted file), so loading is one ``gunzip`` and
builds no Python object per word.

A word is looked up the way ``wordfreq`` does it for German and English: NFC,
then ``str.casefold`` (``Straße`` → ``strasse``). Words not in the file
(rarer than :data:`MIN_ZIPF`, or containing digits or other signs) have
frequency 0, as unknown words have in ``wordfreq``.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

LANGUAGES = ("de", "en")
MIN_ZIPF = 1.0
"""Words rarer than this (about one in 100 million words) are left out; wordfreq's own lists stop at 1.0."""

_KEEP = re.compile(r"^[^\W\d_]+(?:['’][^\W\d_]+)?$")


def _key(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


class Lexicon:
    """Sorted ``word<TAB>centizipf`` lines of one language (read-only).

    Args:
        lines: ``b"\\n"`` + the lines, each ending in ``b"\\n"``, sorted by word bytes.
        info: the file's header (language, wordfreq version, min_zipf, words).
    """

    __slots__ = ("lines", "info")

    def __init__(self, lines: bytes, info: dict) -> None:
        self.lines = lines
        self.info = info

    def zipf(self, word: str) -> float:
        """Zipf frequency of ``word`` (0.0 when unknown)."""
        value = self.get(word)
        return int(value) / 100 if value is not None else 0.0

    def get(self, word: str) -> bytes | None:
        """The raw value stored for ``word`` (after NFC and case folding), or ``None`` when absent."""
        key = _key(word).encode("utf-8")
        blob = self.lines
        lo, hi = 1, len(blob)  # lo and hi are line starts
        while lo < hi:
            mid = (lo + hi) // 2
            j = blob.rfind(b"\n", lo, mid)
            start = lo if j < 0 else j + 1
            end = blob.find(b"\n", start)
            tab = blob.find(b"\t", start, end)
            found = blob[start:tab]
            if found < key:
                lo = end + 1
            elif found > key:
                hi = start
            else:
                return blob[tab + 1 : end]
        return None

    def __len__(self) -> int:
        return int(self.info["words"])


def _data_path(lang: str):
    return resources.files("translate.checks").joinpath(f"data/lexicon_{lang}.bin.gz")


def parse(blob: bytes) -> Lexicon:
    """Read the (gunzipped) content of a lexicon file.

    Raises:
        ValueError: the content is not a lexicon file.
    """
    header_end = blob.index(b"\n")
    info = json.loads(blob[:header_end])
    if not isinstance(info, dict) or "words" not in info or not blob.endswith(b"\n"):
        raise ValueError("not a dewire lexicon file")
    return Lexicon(blob[header_end:], info)


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    """The shipped lexicon of ``lang`` (``"de"`` or ``"en"``), read once per process.

    Raises:
        ValueError: an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"no lexicon for language {lang!r} (have: {', '.join(LANGUAGES)})")
    return parse(gzip.decompress(_data_path(lang).read_bytes()))


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` in ``lang`` as ``wordfreq.zipf_frequency`` gives it (0.0 for unknown or rarer than :data:`MIN_ZIPF`)."""
    return lexicon(lang).zipf(word)


def serialize(entries: dict[str, float], info: dict) -> bytes:
    """The gzip file content for ``{casefolded word: Zipf frequency}``."""
    encoded = sorted((w.encode("utf-8"), w) for w in entries)
    header = json.dumps({**info, "words": len(encoded)}, ensure_ascii=False).encode("utf-8")
    body = b"".join(b + b"\t" + str(int(round(entries[w] * 100))).encode() + b"\n" for b, w in encoded)
    return gzip.compress(header + b"\n" + body, compresslevel=9, mtime=0)


def build_lexicon(lang: str, out_dir: Path, min_zipf: float = MIN_ZIPF) -> Path:
    """Write ``lexicon_<lang>.bin.gz`` from the installed ``wordfreq`` (its ``best`` list).

    Raises:
        ImportError: ``wordfreq`` is not installed.
    """
    import wordfreq

    entries: dict[str, float] = {}
    for word in wordfreq.get_frequency_dict(lang, "best"):
        if not _KEEP.match(word):
            continue
        z = wordfreq.zipf_frequency(word, lang)
        if z >= min_zipf:
            key = _key(word)
            entries[key] = max(z, entries.get(key, 0.0))
    version = getattr(wordfreq, "__version__", None)
    if version is None:
        from importlib.metadata import version as _version

        version = _version("wordfreq")
    info = {"language": lang, "source": "wordfreq best list", "wordfreq": version, "min_zipf": min_zipf}
    path = Path(out_dir) / f"lexicon_{lang}.bin.gz"
    path.write_bytes(serialize(entries, info))
    return path


def sample_words(lang: str, n: int, seed: int = 0) -> list[str]:
    """``n`` words of the shipped lexicon of ``lang``, drawn at random (for checks against ``wordfreq``)."""
    import random

    lines = lexicon(lang).lines.decode("utf-8").strip("\n").split("\n")
    return [line.split("\t")[0] for line in random.Random(seed).sample(lines, n)]
