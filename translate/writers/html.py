"""``NAME.report.html``: the self-contained bilingual report.

The page is rendered from ``templates/report.html.j2`` by Jinja2 with
autoescaping on, so every piece of document text is HTML-escaped exactly once;
the stylesheet (``templates/report.css``) and script (``templates/report.js``)
are inlined. Nothing is loaded from anywhere: the Content-Security-Policy meta
tag allows no source at all (``default-src 'none'``) except the inline style
and script, which are allowed by their SHA-256 hashes (CSP Level 2,
https://www.w3.org/TR/CSP2/#source-list-syntax), so even an injected inline
script or event handler could not run.

What the page shows: the English title, the brief (each bullet highlights its
supporting sentences on both sides), a facts line (models, encoding, counts,
time taken, flags with a legend, warnings, the signature), then one grid row
per paragraph, German left (``lang="de"``) and English right (``lang="en"``),
every sentence a focusable ``<span class="s" data-sid="…" tabindex="0">``
whose partner lights up on hover, focus or tap. Flagged sentences carry a
mark (a glyph per flag, :data:`FLAG_MARKS`) and their reasons as a tooltip
(``title``, and in a status strip at the bottom of the window while the
sentence or its partner is hovered or focused).

Layout inside a row: where the source has a line break between two
sentences of one paragraph (the items of a ``list`` paragraph, verse-like
lines), both columns get a ``<br>`` there, so every item starts on its own
line and sentence k stays sentence k on both sides. Paragraph kinds are
styled quietly by the ``k-<kind>`` class of the row; a ``dateline``
paragraph (the article's lead) is set like body text, and only its dateline
prefix (``SEOUL (Reuters) –``, found by the segmenter's own rule,
:func:`translate.segment.dateline_length`) is wrapped in
``<span class="dateline">``: in the German column, and in the English one
when the translation opens with a dateline too.

Text clean-up: characters that HTML cannot carry as text (C0 controls other
than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF; the same set XML 1.0 forbids)
are removed. Bidi controls stay but cannot leak: each sentence is a bidi
isolate (``unicode-bidi: isolate``), which ends any unterminated override.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import PurePath
from typing import Any

from translate.document import (
    FLAG_DESCRIPTIONS,
    FLAG_LENGTH_RATIO,
    FLAG_LOW_CONFIDENCE,
    FLAG_REPETITION,
    FLAG_SPLIT,
    FLAG_UNSUPPORTED,
    FLAG_UNTRANSLATED,
    Document,
    ModelInfo,
    RunSettings,
    Sentence,
)
from translate.segment import dateline_length
from translate.signature import signature, signature_fields
from translate.writers.brief import word_counts
from translate.writers.md import title_of
from translate.writers.tmx import strip_xml_illegal

SUFFIX = ".report.html"

FLAG_MARKS: Mapping[str, str] = {
    FLAG_LOW_CONFIDENCE: "?",
    FLAG_REPETITION: "↻",
    FLAG_UNTRANSLATED: "=",
    FLAG_LENGTH_RATIO: "↔",
    FLAG_SPLIT: "✂",
    FLAG_UNSUPPORTED: "!",
}
"""The glyph shown for each flag; a flag not listed here (``passthrough``) gets no mark."""

_TEMPLATES = "templates"


@lru_cache(maxsize=None)
def _resource(name: str) -> str:
    """Text of a file in ``translate/writers/templates`` (works from a wheel or a zip)."""
    return resources.files("translate.writers").joinpath(_TEMPLATES, name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _template() -> Any:
    import jinja2

    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.from_string(_resource("report.html.j2"))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    """The report's CSP: nothing from anywhere, except its own inline style and script.

    Args:
        css: the exact text inside the ``<style>`` element.
        js: the exact text inside the ``<script>`` element.

    Returns:
        A policy string for ``<meta http-equiv="Content-Security-Policy">``.
    """
    return (
        "default-src 'none'; "
        f"style-src {_sha256(css)}; "
        f"script-src {_sha256(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _clean(text: str | None) -> str:
    return strip_xml_illegal(text or "")


def _flag_text(flags: tuple[str, ...]) -> str:
    return "; ".join(f"{flag}: {FLAG_DESCRIPTIONS.get(flag, flag)}" for flag in flags)


@dataclass(frozen=True, slots=True)
class _SentenceView:
    sid: int
    lead: str
    text: str
    title: str
    marks: tuple[tuple[str, str], ...]
    why: str
    flagged: bool
    break_before: bool


def _sentence_view(sentence: Sentence, text: str, *, side: str, break_before: bool, dateline: bool = False) -> _SentenceView:
    text = _clean(text)
    lead = text[: dateline_length(text)] if dateline else ""
    marked = tuple(f for f in sentence.flags if f in FLAG_MARKS)
    parts = []
    if sentence.flags:
        parts.append(_flag_text(sentence.flags))
    if side == "en" and sentence.score is not None:
        parts.append(f"score {sentence.score:.2f} (mean log-probability per token)")
    if side == "en" and sentence.pieces:
        parts.append(f"translated in {len(sentence.pieces)} pieces")
    return _SentenceView(
        sid=sentence.id,
        lead=lead,
        text=text[len(lead) :],
        title=" · ".join(parts),
        marks=tuple((FLAG_MARKS[f], f) for f in marked) if side == "en" else (),
        why=_flag_text(marked) if side == "en" else "",
        flagged=bool(marked),
        break_before=break_before,
    )


def _rows(doc: Document) -> list[dict[str, Any]]:
    rows = []
    for paragraph in doc.paragraphs:
        de, en = [], []
        previous_end: int | None = None
        for sentence in paragraph.sentences:
            gap = doc.text[previous_end : sentence.span[0]] if previous_end is not None else ""
            brk = "\n" in gap
            dateline = paragraph.kind == "dateline" and previous_end is None
            de.append(_sentence_view(sentence, sentence.source, side="de", break_before=brk, dateline=dateline))
            en.append(_sentence_view(sentence, (sentence.target or "").strip(), side="en", break_before=brk, dateline=dateline))
            previous_end = sentence.span[1]
        rows.append({"index": paragraph.index, "kind": paragraph.kind, "de": de, "en": en})
    return rows


def _duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def _facts(doc: Document) -> dict[str, Any]:
    meta = doc.meta
    models = meta.models or ModelInfo()
    settings = meta.settings or RunSettings()
    timings = meta.timings
    sentences = list(doc.sentences())
    source_words, target_words = word_counts(doc)

    translator = models.translator
    revision = models.translator_revision
    summarizer = doc.brief.summarizer if doc.brief is not None else models.summarizer

    total = timings.get("total")
    took = _duration(float(total)) if isinstance(total, (int, float)) else None
    stages = " · ".join(
        f"{stage} {_duration(float(timings[stage]))}"
        for stage in ("read", "segment", "translate", "summarize")
        if isinstance(timings.get(stage), (int, float))
    )

    flag_counts: dict[str, int] = {}
    for sentence in sentences:
        for flag in sentence.flags:
            flag_counts[flag] = flag_counts.get(flag, 0) + 1
    if doc.brief is not None:
        for bullet in doc.brief.bullets:
            for flag in bullet.flags:
                flag_counts[flag] = flag_counts.get(flag, 0) + 1
    legend = [
        {"flag": flag, "mark": FLAG_MARKS.get(flag, ""), "count": flag_counts[flag],
         "description": FLAG_DESCRIPTIONS.get(flag, flag)}
        for flag in list(FLAG_DESCRIPTIONS) + sorted(set(flag_counts) - set(FLAG_DESCRIPTIONS))
        if flag in flag_counts
    ]
    flagged = doc.flagged

    settings_bits = []
    if settings.beams is not None:
        settings_bits.append(f"beam {settings.beams}")
    if settings.backend:
        settings_bits.append(str(settings.backend))
    if settings.device:
        settings_bits.append(str(settings.device))

    source_name = None
    if doc.path:
        source_name = "standard input" if doc.path == "-" else PurePath(doc.path).name
    warnings = meta.warnings
    return {
        "translator": translator,
        "revision": revision if revision not in (None, "", "main") else None,
        "settings": ", ".join(settings_bits),
        "summarizer": summarizer,
        "source": source_name,
        "encoding": doc.encoding,
        "n_sentences": len(sentences),
        "n_paragraphs": len(doc.paragraphs),
        "source_words": source_words,
        "target_words": target_words,
        "took": took,
        "stages": stages,
        "flagged": flagged,
        "legend": legend,
        "warnings": [_clean(str(w)) for w in warnings],
        "version": signature_fields(doc)["dewire"],
        "signature": signature(doc),
    }


def _brief(doc: Document) -> list[dict[str, Any]]:
    if doc.brief is None:
        return []
    known = {s.id for s in doc.sentences()}
    bullets = []
    for bullet in doc.brief.bullets:
        support = [sid for sid in bullet.support if sid in known]
        bullets.append(
            {
                "text": _clean(bullet.text),
                "support": support,
                "flags": list(bullet.flags),
                "why": _flag_text(bullet.flags),
                "marks": [(FLAG_MARKS.get(f, "!"), f) for f in bullet.flags],
            }
        )
    return bullets


def _german_title(doc: Document) -> str | None:
    for paragraph in doc.paragraphs:
        if paragraph.kind == "headline":
            return _clean(" ".join(s.source for s in paragraph.sentences))
    return None


def render(doc: Document) -> dict[str, str]:
    """Render the bilingual report of ``doc``.

    Args:
        doc: a translated document (``doc.brief`` and every ``meta`` key are
            optional).

    Returns:
        ``{".report.html": html}``: one self-contained HTML5 page.
    """
    from markupsafe import Markup

    css = _resource("report.css")
    js = _resource("report.js")
    html = _template().render(
        title=_clean(title_of(doc)),
        title_de=_german_title(doc),
        name=_clean(doc.name),
        brief=_brief(doc),
        has_brief=doc.brief is not None,
        facts=_facts(doc),
        rows=_rows(doc),
        paragraph_of={s.id: p.index for p in doc.paragraphs for s in p.sentences},
        css=Markup(css),
        js=Markup(js),
        csp=content_security_policy(css, js),
    )
    return {SUFFIX: html}


__all__ = ["FLAG_MARKS", "SUFFIX", "content_security_policy", "render"]
