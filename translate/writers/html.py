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

Long paragraphs (:func:`is_long`) get the class ``long``: in the default
"auto" layout their sentences become sentence-pair rows (German sentence k
and English sentence k share a grid row; stacked on a phone), and a
"Rows" control switches every paragraph to pairs or back to running text.
The script scrolls a partner that is off screen into view (at once on focus
or tap, after a short dwell on hover) and gives keys: j/k next/previous
sentence, n/p next/previous flagged sentence, f "flagged only", r review
mode, e/Enter correct, c copy with the German original (listed in the page).
Each flag shows the checks' detail (``Sentence.details``) where there is one.

Review mode: corrections of the English are kept in ``localStorage`` under
:func:`storage_key`, marked, and downloadable as ``en.txt``,
``aligned.jsonl`` (``"edited"`` added) and TMX 1.4b, all built by the
script from :func:`review_data` (the JSONL writer's records, the TXT
writer's line-break rule, the TMX writer's header) carried in a ``data-``
attribute: no server, no network. Without corrections the downloads equal
dewire's own outputs.

Header: the English title (the translated headline), a kicker paragraph's
English as a small label above it, the German headline, and the source
(``Document.source``: title, author, date, site, URL linked only when
http/https, :func:`safe_url`). No text is ever case-transformed.

Text clean-up: characters that HTML cannot carry as text (C0 controls other
than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF; the same set XML 1.0 forbids)
are removed. Bidi controls stay but cannot leak: each sentence is a bidi
isolate (``unicode-bidi: isolate``), which ends any unterminated override.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
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
    FLAG_PASSTHROUGH,
    FLAG_REPETITION,
    FLAG_SPLIT,
    FLAG_UNSUPPORTED,
    FLAG_UNTRANSLATED,
    Document,
    ModelInfo,
    Paragraph,
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
    "number-mismatch": "#",
    "name-mismatch": "N",
    "omission": "…",
    "term-mismatch": "T",
}
"""The glyph shown for each flag; ``passthrough`` gets no mark, any other flag not listed here gets ``•``."""

UNMARKED_FLAGS: frozenset[str] = frozenset({FLAG_PASSTHROUGH})
"""Flags that are not shown as a mark and do not make a sentence "flagged for review"."""

LONG_PARAGRAPH_SENTENCES = 5
"""A paragraph of at least this many sentences is shown as sentence-pair rows (layout "auto")."""

LONG_PARAGRAPH_CHARS = 600
"""A paragraph of two or more sentences whose German has at least this many characters is shown as sentence-pair rows.

About ten lines of the German column at the report's measure (~60 characters a
line at 1280 px): past that, hovering sentence k of one column can light its
partner below the fold (issue 17: a 53-sentence paragraph put a partner some
5,400 px away), so each sentence pair gets a row of its own instead.
"""

SAFE_URL_SCHEMES: tuple[str, ...] = ("http", "https")
"""The only URL schemes the header links to (a ``javascript:`` or ``data:`` source URL is shown as text)."""

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


def sentence_details(sentence: Sentence) -> tuple[tuple[str, str], ...]:
    """The ``(flag, detail)`` pairs of a sentence (``Sentence.details``, added by the checks; ``()`` before them).

    Args:
        sentence: any sentence.

    Returns:
        The pairs whose detail is a non-empty string, in the sentence's order.
    """
    details = getattr(sentence, "details", ()) or ()
    pairs = []
    for item in details:
        try:
            flag, detail = item
        except (TypeError, ValueError):
            continue
        if isinstance(flag, str) and isinstance(detail, str) and detail.strip():
            pairs.append((flag, detail))
    return tuple(pairs)


def _reasons(flags: tuple[str, ...], details: tuple[tuple[str, str], ...]) -> str:
    """One line per flag: its detail where the checks gave one, else its description."""
    parts = []
    for flag in flags:
        own = [d for f, d in details if f == flag]
        text = "; ".join(own) if own else FLAG_DESCRIPTIONS.get(flag, flag)
        parts.append(f"{flag}: {text}")
    return " · ".join(parts)


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
    k: int


def _sentence_view(
    sentence: Sentence, text: str, *, side: str, break_before: bool, k: int, dateline: bool = False
) -> _SentenceView:
    text = _clean(text)
    lead = text[: dateline_length(text)] if dateline else ""
    marked = tuple(f for f in sentence.flags if f not in UNMARKED_FLAGS)
    details = sentence_details(sentence)
    parts = []
    if sentence.flags:
        parts.append(_flag_text(sentence.flags))
    for flag, detail in details:
        parts.append(f"{flag}: {detail}")
    if side == "en" and sentence.score is not None:
        parts.append(f"score {sentence.score:.2f} (mean log-probability per token)")
    if side == "en" and sentence.pieces:
        parts.append(f"translated in {len(sentence.pieces)} pieces")
    return _SentenceView(
        sid=sentence.id,
        lead=lead,
        text=text[len(lead) :],
        title=_clean(" · ".join(parts)),
        marks=tuple((FLAG_MARKS.get(f, "•"), f) for f in marked) if side == "en" else (),
        why=_clean(_reasons(marked, details)) if side == "en" else "",
        flagged=bool(marked),
        break_before=break_before,
        k=k,
    )


def is_long(paragraph: Paragraph) -> bool:
    """Whether the report shows ``paragraph`` as sentence-pair rows in its "auto" layout.

    Args:
        paragraph: any paragraph.

    Returns:
        ``True`` for two sentences or more with at least
        :data:`LONG_PARAGRAPH_SENTENCES` sentences or
        :data:`LONG_PARAGRAPH_CHARS` characters of German.
    """
    n = len(paragraph.sentences)
    if n < 2:
        return False
    return n >= LONG_PARAGRAPH_SENTENCES or sum(len(s.source) for s in paragraph.sentences) >= LONG_PARAGRAPH_CHARS


def _kind(kind: Any) -> str:
    """A paragraph kind as its plain name (``ParagraphKind`` members and plain strings alike)."""
    return str(getattr(kind, "value", kind))


def _breaks(doc: Document, paragraph: Paragraph) -> list[bool]:
    """For each sentence of ``paragraph``: does the source have a line break between it and the one before?"""
    out = []
    previous_end: int | None = None
    for sentence in paragraph.sentences:
        gap = doc.text[previous_end : sentence.span[0]] if previous_end is not None else ""
        out.append("\n" in gap)
        previous_end = sentence.span[1]
    return out


def _rows(doc: Document) -> list[dict[str, Any]]:
    rows = []
    for paragraph in doc.paragraphs:
        de, en = [], []
        for k, (sentence, brk) in enumerate(zip(paragraph.sentences, _breaks(doc, paragraph))):
            dateline = paragraph.kind == "dateline" and k == 0
            de.append(_sentence_view(sentence, sentence.source, side="de", break_before=brk, k=k, dateline=dateline))
            en.append(
                _sentence_view(sentence, (sentence.target or "").strip(), side="en", break_before=brk, k=k, dateline=dateline)
            )
        rows.append(
            {
                "index": paragraph.index,
                "kind": _kind(paragraph.kind),
                "de": de,
                "en": en,
                "long": is_long(paragraph),
                "flagged": any(v.flagged for v in en),
            }
        )
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


def german_title(doc: Document) -> str | None:
    """The German headline: the source of the first ``headline`` paragraph, else the source's own title.

    Args:
        doc: any document.

    Returns:
        The headline text (XML-illegal characters removed), or ``None``.
    """
    for paragraph in doc.paragraphs:
        if paragraph.kind == "headline":
            return _clean(" ".join(s.source for s in paragraph.sentences))
    info = getattr(doc, "source", None)
    title = getattr(info, "title", None)
    return _clean(title) if isinstance(title, str) and title.strip() else None


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute ``http``/``https`` URL with a host (:data:`SAFE_URL_SCHEMES`), else ``None``.

    Args:
        url: a candidate URL (anything; non-strings give ``None``).

    Returns:
        The URL stripped of surrounding whitespace, or ``None`` for
        ``javascript:``, ``data:``, relative or malformed URLs and for
        URLs with whitespace or control characters inside.
    """
    from urllib.parse import urlsplit

    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.netloc:
        return None
    return url


def _source(doc: Document) -> dict[str, Any] | None:
    """The header's source line from ``doc.source`` (``SourceInfo``; ``None`` before the readers add it)."""
    info = getattr(doc, "source", None)
    if info is None:
        return None

    def field(name: str) -> str:
        value = getattr(info, name, None)
        return _clean(value).strip() if isinstance(value, str) else ""

    url = safe_url(getattr(info, "url", None))
    site = field("site")
    out = {
        "title": field("title"),
        "author": field("author"),
        "date": field("date"),
        "site": site,
        "url": url,
        "url_text": _clean(getattr(info, "url", "") or "").strip() if isinstance(getattr(info, "url", None), str) else "",
    }
    if not any(out.values()):
        return None
    return out


def storage_key(doc: Document) -> str:
    """The ``localStorage`` key under which the report keeps a reviewer's corrections.

    The SHA-256 of the document's signature, name, normalized source text and
    machine targets: two reports of the same text by the same model and
    settings share their corrections; anything else gets a key of its own.

    Returns:
        ``"dewire-review:"`` followed by 32 hex digits.
    """
    h = hashlib.sha256()
    for part in (signature(doc), doc.name, doc.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    for sentence in doc.sentences():
        h.update((sentence.target or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return "dewire-review:" + h.hexdigest()[:32]


def _tmx_frame(doc: Document) -> tuple[str, str]:
    """The TMX writer's own text before the first ``<tu>`` and after the last one."""
    from translate.writers import tmx

    first = next((p for p in doc.paragraphs if p.sentences), None)
    if first is None:
        return tmx.render(doc)[tmx.SUFFIX], ""
    one = dataclasses.replace(doc, paragraphs=(dataclasses.replace(first, sentences=first.sentences[:1]),))
    text = tmx.render(one)[tmx.SUFFIX]
    head, _, _ = text.partition("  <body>\n")
    return head + "  <body>\n", "  </body>\n</tmx>\n"


def review_data(doc: Document) -> dict[str, Any]:
    """What the report's script needs to build the corrected downloads.

    Returns:
        ``{"key", "name", "records", "breaks", "tmx_head", "tmx_tail", "source"}``:
        ``records`` are the exact ``aligned.jsonl`` records
        (:func:`translate.writers.jsonl.record`), ``breaks`` says for each
        record whether ``en.txt`` joins it to the one before with a line
        break (:func:`translate.writers.txt.paragraph_target`'s rule), and
        ``tmx_head``/``tmx_tail`` are the TMX writer's own header and footer.
    """
    from translate.writers.jsonl import record

    records = []
    breaks = []
    for paragraph in doc.paragraphs:
        for sentence, brk in zip(paragraph.sentences, _breaks(doc, paragraph)):
            records.append(record(paragraph, sentence))
            breaks.append(1 if brk else 0)
    head, tail = _tmx_frame(doc)
    source = _source(doc) or {}
    return {
        "key": storage_key(doc),
        "name": doc.name,
        "records": records,
        "breaks": breaks,
        "tmx_head": head,
        "tmx_tail": tail,
        "source": {"title": source.get("title") or (german_title(doc) if source else "") or "", "url": source.get("url") or ""},
    }


def _review_json(doc: Document) -> str:
    """:func:`review_data` as ASCII JSON (every non-ASCII character and lone surrogate as ``\\uXXXX``)."""
    import math

    def finite(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: finite(v) for k, v in value.items()}
        if isinstance(value, list):
            return [finite(v) for v in value]
        return value

    return json.dumps(finite(review_data(doc)), ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def render(doc: Document) -> dict[str, str]:
    """Render the bilingual report of ``doc``.

    Args:
        doc: a translated document (``doc.brief``, ``doc.source`` and every
            ``meta`` key are optional).

    Returns:
        ``{".report.html": html}``: one self-contained HTML5 page.
    """
    from markupsafe import Markup

    css = _resource("report.css")
    js = _resource("report.js")
    kicker = None
    for paragraph in doc.paragraphs:
        if paragraph.kind == "kicker":
            kicker = _clean(" ".join((s.target or "").strip() for s in paragraph.sentences)).strip() or None
            break
        if paragraph.kind == "headline":
            break
    html = _template().render(
        title=_clean(title_of(doc)),
        title_de=german_title(doc),
        kicker=kicker,
        source=_source(doc),
        name=_clean(doc.name),
        brief=_brief(doc),
        has_brief=doc.brief is not None,
        facts=_facts(doc),
        rows=_rows(doc),
        paragraph_of={s.id: p.index for p in doc.paragraphs for s in p.sentences},
        review=_review_json(doc),
        long_sentences=LONG_PARAGRAPH_SENTENCES,
        long_chars=LONG_PARAGRAPH_CHARS,
        css=Markup(css),
        js=Markup(js),
        csp=content_security_policy(css, js),
    )
    return {SUFFIX: html}


__all__ = [
    "FLAG_MARKS",
    "LONG_PARAGRAPH_CHARS",
    "LONG_PARAGRAPH_SENTENCES",
    "SAFE_URL_SCHEMES",
    "SUFFIX",
    "UNMARKED_FLAGS",
    "content_security_policy",
    "german_title",
    "is_long",
    "render",
    "review_data",
    "safe_url",
    "sentence_details",
    "storage_key",
]
