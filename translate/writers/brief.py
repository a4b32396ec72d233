"""``NAME.brief.md`` and ``NAME.brief.json``: the short English summary.

``NAME.brief.md``::

    # <title>

    - <bullet>
    - <bullet> *(unsupported)*

    *<source file> · <n> German words → <m> English words · translation: <model> · brief: <summarizer>*
    *`<signature>`*

``NAME.brief.json`` (UTF-8, indented, keys in this order)::

    {"title": str | null, "summarizer": str,
     "bullets": [{"text": str, "support": [int, …], "flags": [str, …]}, …],
     "source": str | null, "encoding": str,
     "words": {"source": int, "target": int},
     "models": {"translator": str | null, "summarizer": str | null},
     "signature": str}

``support`` holds the ``sentence`` ids of ``NAME.aligned.jsonl``. Word counts
are whitespace-separated tokens with a letter or digit
(:func:`translate.summarize.words.count_words`) of the normalized German text
and of the English targets. A document without a brief gets ``"bullets": []`` and the
Markdown says so. Text in the Markdown is escaped by
:func:`translate.writers.md.escape_markdown`, which also drops control
characters other than line feed and tab
(:func:`translate.writers.controls.drop_controls`); the JSON keeps every
character (C0 controls as JSON ``\\uXXXX`` escapes).
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from translate.document import Document, ModelInfo
from translate.signature import signature
from translate.summarize.words import count_words
from translate.writers.md import brief_lines, code_span, escape_markdown, one_line, title_of

SUFFIX_MD = ".brief.md"
SUFFIX_JSON = ".brief.json"


def word_counts(doc: Document) -> tuple[int, int]:
    """``(German words, English words)`` of the source text and of the targets (:func:`~translate.summarize.words.count_words`)."""
    source = count_words(doc.text)
    target = sum(count_words(s.target or "") for s in doc.sentences())
    return source, target


def _models(doc: Document) -> dict[str, Any]:
    models = doc.meta.models or ModelInfo()
    summarizer = doc.brief.summarizer if doc.brief is not None else None
    return {"translator": models.translator, "summarizer": summarizer or models.summarizer}


def brief_record(doc: Document) -> dict[str, Any]:
    """The content of ``NAME.brief.json`` as a ``dict`` (see the module docstring)."""
    source_words, target_words = word_counts(doc)
    brief = doc.brief
    return {
        "title": doc.title,
        "summarizer": brief.summarizer if brief is not None else None,
        "bullets": [
            {"text": b.text, "support": list(b.support), "flags": list(b.flags)}
            for b in (brief.bullets if brief is not None else ())
        ],
        "source": doc.path,
        "encoding": doc.encoding,
        "words": {"source": source_words, "target": target_words},
        "models": _models(doc),
        "signature": signature(doc),
    }


def facts_line(doc: Document) -> str:
    """One plain-text line of facts: source file, word counts, models."""
    source_words, target_words = word_counts(doc)
    models = _models(doc)
    parts = []
    if doc.path:
        parts.append(PurePath(doc.path).name if doc.path != "-" else "standard input")
    parts.append(f"{source_words} German words → {target_words} English words")
    if models["translator"]:
        parts.append(f"translation: {models['translator']}")
    if models["summarizer"]:
        parts.append(f"brief: {models['summarizer']}")
    return " · ".join(parts)


def render(doc: Document) -> dict[str, str]:
    """Render the brief of ``doc`` as Markdown and JSON.

    Args:
        doc: a translated (and usually summarized) document.

    Returns:
        ``{".brief.md": markdown, ".brief.json": json}``, each ending with a newline.
    """
    parts = ["# " + escape_markdown(one_line(title_of(doc)))]
    bullets = brief_lines(doc)
    parts.append("\n".join(bullets) if bullets else "*(no brief)*")
    parts.append(f"*{escape_markdown(facts_line(doc))}*  \n*{code_span(signature(doc))}*")
    markdown = "\n\n".join(parts) + "\n"
    data = json.dumps(brief_record(doc), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return {SUFFIX_MD: markdown, SUFFIX_JSON: data}
