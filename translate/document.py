"""The typed document model that flows through every dewire stage.

read → segment → translate → summarize → write: each stage takes a
:class:`Document` and returns a new one (``dataclasses.replace``); nothing else
passes between stages. All classes are frozen dataclasses with slots.

Offsets (``span``) are ``[start, end)`` character offsets (Python ``str``
indices, i.e. Unicode code points) into :attr:`Document.text`, the
*normalized* source text produced by :mod:`translate.reading`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Mapping, get_args

from translate.errors import AlignmentError

ParagraphKind = Literal["headline", "heading", "byline", "dateline", "caption", "body", "list", "separator"]
"""Paragraph kinds recognised by :mod:`translate.segment`.

``headline``: first short line of an article; ``heading``: a short
sub-heading inside the article (e.g. ``UKRAINE-FAKTOR``); ``byline``:
``Von …``; ``dateline``: ``SEOUL (Reuters) –`` at the start of the body;
``caption``: photo caption or credit (``© …``); ``list``: list items;
``separator``: a line without letters (``***``, ``—``); ``body``: the rest.
"""

PARAGRAPH_KINDS: tuple[ParagraphKind, ...] = get_args(ParagraphKind)
"""Every :data:`ParagraphKind`, in declaration order."""

# Flags a sentence may carry (see translate.mt.flags for the rules).
FLAG_LOW_CONFIDENCE = "low-confidence"
FLAG_REPETITION = "repetition"
FLAG_UNTRANSLATED = "untranslated"
FLAG_LENGTH_RATIO = "length-ratio"
FLAG_SPLIT = "split"
FLAG_PASSTHROUGH = "passthrough"
FLAG_UNSUPPORTED = "unsupported"

FLAG_DESCRIPTIONS: Mapping[str, str] = {
    FLAG_LOW_CONFIDENCE: "the model was unsure of this translation (low log-probability per token)",
    FLAG_REPETITION: "the translation repeats a phrase in a loop",
    FLAG_UNTRANSLATED: "the translation is (almost) identical to the source",
    FLAG_LENGTH_RATIO: "the translation is much shorter or longer than the source",
    FLAG_SPLIT: "the sentence was too long for the model and was translated in pieces",
    FLAG_PASSTHROUGH: "no words to translate (numbers, separators): copied unchanged",
    FLAG_UNSUPPORTED: "this brief line has no clear support in the article",
}
"""Human-readable meaning of each flag, used for tooltips and legends."""


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of an over-long sentence, translated on its own.

    Attributes:
        source: the piece's source text (a substring of the sentence's source).
        span: ``[start, end)`` offsets into :attr:`Document.text`.
        target: the piece's translation, or ``None`` before translation.
        score: hypothesis log-probability per target token, or ``None``.
    """

    source: str
    span: tuple[int, int]
    target: str | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """One source sentence (a segment) and, after translation, its target.

    Attributes:
        id: document-wide 0-based index, stable across stages.
        source: the source text, exactly ``Document.text[span[0]:span[1]]``.
        span: ``[start, end)`` character offsets into :attr:`Document.text`.
        target: the English hypothesis, or ``None`` before translation.
        score: mean log-probability per target token of the hypothesis
            (natural log, ≤ 0), or ``None`` when no model scored it
            (pass-through segments, cached entries without a score).
        flags: quality flags (``FLAG_*`` constants), in a stable order.
        pieces: for a sentence longer than the model's input limit, the pieces
            it was translated in (each with its own span); empty otherwise.
        passthrough: ``True`` for a segment without letters (``***``, ``1.``,
            ``—``) that is copied to the target unchanged, never sent to a model.
    """

    id: int
    source: str
    span: tuple[int, int]
    target: str | None = None
    score: float | None = None
    flags: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = ()
    passthrough: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of text: a paragraph, heading, byline, caption, list (one paragraph per list, one sentence or more per item) …

    Attributes:
        index: 0-based paragraph index in the document.
        kind: a :data:`ParagraphKind`.
        span: ``[start, end)`` offsets of the block in :attr:`Document.text`.
        sentences: the block's sentences in order (at least one).
    """

    index: int
    kind: ParagraphKind
    span: tuple[int, int]
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class BriefBullet:
    """One line of the brief.

    Attributes:
        text: the English bullet sentence.
        support: ids of the :class:`Sentence` objects that support it.
        flags: e.g. ``("unsupported",)`` for an abstractive bullet whose key
            content words (names, numbers) occur in no supporting sentence.
    """

    text: str
    support: tuple[int, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Brief:
    """The short English summary shown first.

    Attributes:
        title: the translated headline, or ``None`` if the article has none.
        bullets: 3–5 bullets (fewer only for very short articles).
        summarizer: name of the summarizer that produced it (``extractive``,
            or a model id).
    """

    title: str | None
    bullets: tuple[BriefBullet, ...]
    summarizer: str = "extractive"


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which models made a document (for the signature and the report).

    Attributes:
        translator: the translation model id or directory.
        translator_revision: its revision (hub commit, or ``local-…`` content hash).
        summarizer: the summarizer name or model id.
    """

    translator: str | None = None
    translator_revision: str | None = None
    summarizer: str | None = None


@dataclass(frozen=True, slots=True)
class RunSettings:
    """The settings a document was translated with (backend, beam size, device, summarizer name)."""

    backend: str | None = None
    beams: int | None = None
    device: str | None = None
    summarizer: str | None = None


@dataclass(frozen=True, slots=True)
class TranslationStats:
    """What the translate stage did (:func:`translate.mt.engine.translate_documents`).

    Per document: ``sentences``, ``passthrough`` (copied, never sent to the
    model), ``split`` (translated in pieces), ``retried`` (repetition
    retries), ``flagged`` (flag → sentences). For the whole run the document
    was part of: ``documents``, ``segments`` (unique segments sent to the
    translator), ``translate_calls``, ``model_calls`` (if the backend counts
    them), ``cache_hits``/``cache_misses`` (if cached), ``seconds``; and the
    translator's ``signature`` (model, revision, backend …).
    """

    signature: Mapping[str, Any] = field(default_factory=dict)
    sentences: int = 0
    passthrough: int = 0
    split: int = 0
    retried: int = 0
    flagged: Mapping[str, int] = field(default_factory=dict)
    documents: int = 1
    segments: int = 0
    translate_calls: int = 0
    model_calls: int | None = None
    seconds: float = 0.0
    cache_hits: int | None = None
    cache_misses: int | None = None


@dataclass(frozen=True, slots=True)
class DocMeta:
    """Everything known about how a document was made, filled in stage by stage.

    Attributes:
        warnings: one-line warnings for the reader (reading, language,
            translation, brief), without the file name (printers add it).
        timings: seconds per stage (``read``, ``segment``, ``translate``,
            ``summarize``) and their ``total``.
        segmenter: the segmenter's name and version.
        language: the detected language code of the source text, if known.
        translation: what the translate stage did, once it ran.
        brief_calls: the abstractive summarizer's calls (token counts, no texts).
        models: which models made the document (set by the finish stage).
        settings: the run's settings (set by the finish stage).
        version: the dewire version (set by the finish stage).
        signature: the reproducibility signature (set by the finish stage).
    """

    warnings: tuple[str, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    segmenter: str | None = None
    language: str | None = None
    translation: TranslationStats | None = None
    brief_calls: tuple[Mapping[str, Any], ...] = ()
    models: ModelInfo | None = None
    settings: RunSettings | None = None
    version: str | None = None
    signature: str | None = None

    def add_warnings(self, *warnings: str) -> "DocMeta":
        """A copy with ``warnings`` appended."""
        return dataclasses.replace(self, warnings=(*self.warnings, *warnings)) if warnings else self

    def add_timing(self, stage: str, seconds: float) -> "DocMeta":
        """A copy with ``seconds`` added to ``stage``'s time (rounded to milliseconds)."""
        timings = dict(self.timings)
        timings[stage] = round(timings.get(stage, 0.0) + seconds, 3)
        return dataclasses.replace(self, timings=timings)

    @classmethod
    def coerce(cls, value: "DocMeta | Mapping[str, Any] | None") -> "DocMeta":
        """``value`` as a :class:`DocMeta`; a plain mapping (dewire 0.1's ``meta`` dict) is converted once, here."""
        if isinstance(value, DocMeta):
            return value
        if not value:
            return cls()
        data = dict(value)
        if isinstance(data.get("models"), Mapping):
            data["models"] = ModelInfo(**data["models"])
        if isinstance(data.get("settings"), Mapping):
            data["settings"] = RunSettings(**data["settings"])
        if isinstance(data.get("translation"), Mapping):
            data["translation"] = TranslationStats(**data["translation"])
        if "warnings" in data:
            warnings = data["warnings"]
            data["warnings"] = (warnings,) if isinstance(warnings, str) else tuple(str(w) for w in warnings or ())
        if "brief_calls" in data:
            data["brief_calls"] = tuple(data["brief_calls"] or ())
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Document:
    """A whole source document and everything computed from it.

    Attributes:
        name: output stem, e.g. ``putin-kim`` for ``putin-kim.de.txt``.
        path: the input path as given (``"-"`` for stdin), or ``None``.
        text: the normalized source text (NFC, LF line endings, unwrapped).
        encoding: the encoding detected when reading (e.g. ``utf-8``,
            ``utf-8-sig``, ``cp1252``, ``utf-16``).
        paragraphs: the blocks of the document, in order.
        brief: the summary, or ``None`` before the summarize stage.
        meta: how the document was made (:class:`DocMeta`); a plain mapping
            given here is converted to one.
    """

    name: str
    path: str | None
    text: str
    encoding: str = "utf-8"
    paragraphs: tuple[Paragraph, ...] = ()
    brief: Brief | None = None
    meta: DocMeta = field(default_factory=DocMeta)

    def __post_init__(self) -> None:
        if not isinstance(self.meta, DocMeta):
            object.__setattr__(self, "meta", DocMeta.coerce(self.meta))

    def sentences(self) -> Iterator[Sentence]:
        """Yield every sentence in document order."""
        for paragraph in self.paragraphs:
            yield from paragraph.sentences

    @property
    def n_sentences(self) -> int:
        """Number of sentences in the document."""
        return sum(len(p.sentences) for p in self.paragraphs)

    def sentence(self, sentence_id: int) -> Sentence:
        """Return the sentence with id ``sentence_id``.

        Raises:
            KeyError: if there is no such sentence.
        """
        for s in self.sentences():
            if s.id == sentence_id:
                return s
        raise KeyError(sentence_id)

    def with_targets(self, updates: Mapping[int, Sentence]) -> "Document":
        """Return a copy with the sentences whose id is in ``updates`` replaced."""
        paragraphs = tuple(
            dataclasses.replace(p, sentences=tuple(updates.get(s.id, s) for s in p.sentences))
            for p in self.paragraphs
        )
        return dataclasses.replace(self, paragraphs=paragraphs)

    def with_meta(self, **fields: Any) -> "Document":
        """Return a copy whose :class:`DocMeta` has ``fields`` replaced.

        Raises:
            TypeError: a name is not a :class:`DocMeta` field.
        """
        return dataclasses.replace(self, meta=dataclasses.replace(self.meta, **fields))

    @property
    def title(self) -> str | None:
        """The brief's title (the translated headline), or ``None`` before the brief or without a headline."""
        return self.brief.title if self.brief is not None else None

    @property
    def display_title(self) -> str:
        """The title shown to readers: the brief's title, else the first headline's target, else :attr:`name`."""
        if self.brief is not None and self.brief.title:
            return self.brief.title.strip()
        for paragraph in self.paragraphs:
            if paragraph.kind == "headline":
                text = " ".join((s.target or "").strip() for s in paragraph.sentences).strip()
                if text:
                    return text
        return self.name

    @property
    def flagged(self) -> int:
        """Sentences flagged for review: those with any flag other than ``passthrough``."""
        return sum(1 for s in self.sentences() if any(f != FLAG_PASSTHROUGH for f in s.flags))


def check_alignment(doc: Document, *, require_targets: bool = True) -> None:
    """Check the invariants every writer relies on.

    1. Sentence ids are 0..n-1 in document order.
    2. Each sentence's ``source`` equals ``doc.text[start:end]`` of its span;
       spans are increasing and non-overlapping, and lie inside their paragraph.
    3. Every non-whitespace character of ``doc.text`` lies in exactly one
       sentence span (nothing lost, nothing duplicated).
    4. With ``require_targets``, every sentence has a non-``None`` target.

    Args:
        doc: the document to check.
        require_targets: also require a target for every sentence.

    Raises:
        AlignmentError: naming the first violated invariant and sentence id.
    """
    text = doc.text
    pos = 0
    expected_id = 0
    for paragraph in doc.paragraphs:
        if not paragraph.sentences:
            raise AlignmentError(f"paragraph {paragraph.index} has no sentences")
        for s in paragraph.sentences:
            if s.id != expected_id:
                raise AlignmentError(f"sentence ids out of order: expected {expected_id}, found {s.id}")
            start, end = s.span
            if not (pos <= start <= end <= len(text)):
                raise AlignmentError(f"sentence {s.id} has span {s.span} overlapping or out of range")
            if not (paragraph.span[0] <= start and end <= paragraph.span[1]):
                raise AlignmentError(f"sentence {s.id} span {s.span} outside paragraph {paragraph.index} {paragraph.span}")
            if text[start:end] != s.source:
                raise AlignmentError(f"sentence {s.id} source does not match its span {s.span}")
            gap = text[pos:start]
            if gap.strip():
                raise AlignmentError(f"text {gap.strip()[:40]!r} before sentence {s.id} is in no sentence")
            if require_targets and s.target is None:
                raise AlignmentError(f"sentence {s.id} has no target")
            pos = end
            expected_id += 1
    if text[pos:].strip():
        raise AlignmentError(f"text {text[pos:].strip()[:40]!r} at the end is in no sentence")
