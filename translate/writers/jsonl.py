"""``NAME.aligned.jsonl``: one JSON object per sentence, in document order.

Each line is a complete JSON object (JSON Lines, https://jsonlines.org/), UTF-8,
non-ASCII characters written as themselves, keys in this order:

==============  ==============================================================
``paragraph``   0-based paragraph index
``sentence``    0-based, document-wide sentence id (the ``support`` ids of the brief)
``source``      the German sentence, exactly ``text[start:end]``
``target``      the English hypothesis
``source_span`` ``[start, end)`` character offsets into the normalized source text
``score``       mean log-probability per target token (natural log), or ``null``
``flags``       list of flag names (see :data:`translate.document.FLAG_DESCRIPTIONS`)
``kind``        the paragraph kind (``headline``, ``body`` …)
``details``     only for a flagged sentence with details: ``{flag: detail}``
                (e.g. ``{"number-mismatch": "14 → 41"}``, :mod:`translate.checks`)
``pieces``      only for a sentence translated in pieces: a list of
                ``{"source", "target", "source_span", "score"}``
``document``    only for an input that says where it comes from (a web page,
                URL, Word or Markdown file with a title): ``{"title",
                "author", "date", "site", "url", "format"}``, the keys known
==============  ==============================================================

JSON escapes C0 control characters itself; in addition U+0085, U+2028 and
U+2029 are written as ``\\uXXXX`` escapes, so that readers that split lines on
every Unicode line boundary (Python's ``str.splitlines``) still see exactly one
record per line. A non-finite score (NaN, ±inf) is written as ``null``, since
JSON has no such numbers. No header or signature line: every line is a record
(the signature lives in the report, the TMX header and ``NAME.brief.json``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from translate.document import Document, Paragraph, Sentence

SUFFIX = ".aligned.jsonl"

_LINE_BREAKS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _score(score: float | None) -> float | None:
    if score is None or not math.isfinite(score):
        return None
    return float(score)


def record(paragraph: Paragraph, sentence: Sentence) -> dict[str, Any]:
    """The aligned record of one sentence (the object on one JSONL line).

    Args:
        paragraph: the paragraph holding ``sentence``.
        sentence: the sentence.

    Returns:
        ``dict`` with the keys listed in the module docstring, in that order.
    """
    item: dict[str, Any] = {
        "paragraph": paragraph.index,
        "sentence": sentence.id,
        "source": sentence.source,
        "target": sentence.target,
        "source_span": [sentence.span[0], sentence.span[1]],
        "score": _score(sentence.score),
        "flags": list(sentence.flags),
        "kind": paragraph.kind,
    }
    details = {pair[0]: pair[1] for pair in sentence.details if len(pair) == 2 and pair[1]}
    if details:  # (flag, detail) pairs; empty or malformed ones are skipped, as in the report
        item["details"] = details
    if sentence.pieces:
        item["pieces"] = [
            {
                "source": piece.source,
                "target": piece.target,
                "source_span": [piece.span[0], piece.span[1]],
                "score": _score(piece.score),
            }
            for piece in sentence.pieces
        ]
    return item


def source_record(doc: Document) -> dict[str, str]:
    """The known source information of ``doc`` (title, author, date, site, url, format), or ``{}``.

    Empty when nothing beyond the format is known (plain text), so that the
    records of a ``.txt`` input are unchanged.
    """
    info = getattr(doc, "source", None)
    return info.as_dict() if info is not None and info.has_details else {}


def dumps_line(item: dict[str, Any]) -> str:
    """Serialize one record as a single JSON line (without the newline)."""
    line = json.dumps(item, ensure_ascii=False, allow_nan=False)
    for char, escape in _LINE_BREAKS.items():
        line = line.replace(char, escape)
    return line


def render(doc: Document) -> dict[str, str]:
    """Render ``doc`` as aligned JSON Lines.

    Args:
        doc: a translated document.

    Returns:
        ``{".aligned.jsonl": text}``: ``doc.n_sentences`` lines, each ending in ``\\n``.
    """
    info = source_record(doc)
    if info:
        lines = [dumps_line({**record(p, s), "document": info}) + "\n" for p in doc.paragraphs for s in p.sentences]
    else:
        lines = [dumps_line(record(p, s)) + "\n" for p in doc.paragraphs for s in p.sentences]
    return {SUFFIX: "".join(lines)}
