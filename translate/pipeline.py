"""The dewire pipeline: read → segment → translate → check → summarize → finish → write.

:class:`Pipeline` holds the loaded models (each loaded once, on first use) and
the stages. :meth:`Pipeline.process` is the one place where the stage
sequence after reading is written (translate → check → summarize → finish);
the single-file path (:meth:`Pipeline.run`, :func:`translate_file`), batch
mode (:func:`translate.batch.work.run_group`) and ``dewire eval``
(:func:`translate.evaluate.evaluate`) all go through it. Progress and
warnings reach the caller as events (:mod:`translate.events`); nothing here
prints. Nothing here imports torch: the model backends do, lazily, when a
model is first needed.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from translate import __version__
from translate.config import MAX_BRIEF_SENTENCES, Config, SummarizerConfig, TranslatorConfig, load_config, override_settings as _override
from translate.document import DocMeta, Document, ModelInfo, RunSettings
from translate.errors import LanguageError
from translate.events import DocumentDone, DocumentRead, EventFn, ModelsReady, Notice, ProgressFn, RetryStarted, SegmentsRetried, SentencesTranslated, emit
from translate.reading import DEFAULT_MAX_BYTES
from translate.writers import DEFAULT_FORMATS

_STRIP_SUFFIXES = (".txt", ".md", ".text", ".markdown", ".html", ".htm", ".xhtml", ".docx")


def document_name(path: str | os.PathLike[str] | None) -> str:
    """The output stem for an input path.

    ``putin-kim.de.txt`` → ``putin-kim``; ``article.txt`` → ``article``;
    ``notes.md`` → ``notes``; ``seite.html`` → ``seite``; stdin (``-`` or
    ``None``) → ``stdin``; a URL → its last path segment made safe
    (:func:`translate.readers.url.url_stem`: ``https://x.de/a/artikel.html``
    → ``artikel``); leading dots are dropped (``.hidden.txt`` → ``hidden``)
    and a name that leaves nothing (``.txt``, ``..txt``, ``...txt``) → ``document``.
    """
    if path is None or str(path) == "-":
        return "stdin"
    from translate.readers.base import is_url

    if is_url(str(path)):
        from translate.readers.url import url_stem

        return url_stem(str(path))
    name = Path(path).name
    for suffix in _STRIP_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.lower().endswith(".de"):
        name = name[:-3]
    # ".txt", "..txt", "...txt" leave nothing, "." or "..": never a hidden output or a folder name (issue 12)
    return name.lstrip(".").strip() or "document"


_OPTION_NAMES = {
    "backend": "--backend",
    "device": "--device",
    "beams": "--beams",
    "threads": "--threads",
    "sentences": "--brief-sentences",
    "words": "--brief-words",
}
"""Settings field → the command-line option that overrides it (named in errors)."""


@dataclass(frozen=True, slots=True)
class Options:
    """Run options that override models.yaml (``None`` = use models.yaml).

    Attributes:
        model: translator name in models.yaml, a hub id, or a local directory.
        summarizer: summarizer name in models.yaml, a hub id, or a directory.
        backend: ``transformers`` or ``ctranslate2``.
        device: ``auto``, ``cpu``, ``cuda`` or ``mps``.
        threads: CPU threads for inference.
        beams: beam size.
        brief_sentences: number of brief bullets (with ``brief_words``: the most).
        brief_words: word budget of the brief's bullets; alone, it lifts the
            bullet count to :data:`~translate.config.MAX_BRIEF_SENTENCES` so
            that the budget decides.
        formats: output formats (see :data:`translate.writers.FORMATS`).
        use_cache: use the persistent translation cache.
        max_bytes: largest input accepted, in bytes (``None`` = no limit).
        strict_language: raise :class:`LanguageError` if the input is not German.
        overwrite: replace existing output files that dewire did not write
            (``--force``; default: such a file is refused, see :mod:`translate.ownership`).
        glossary: a glossary TSV for the ``term-mismatch`` check
            (:mod:`translate.checks.terms`), or ``None``.
        all_text: HTML: keep every visible text block, not only the article (``--all-text``).
    """

    model: str | None = None
    summarizer: str | None = None
    backend: str | None = None
    device: str | None = None
    threads: int | None = None
    beams: int | None = None
    brief_sentences: int | None = None
    brief_words: int | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    use_cache: bool = True
    max_bytes: int | None = DEFAULT_MAX_BYTES
    strict_language: bool = False
    overwrite: bool = False
    glossary: str | None = None
    all_text: bool = False


@dataclass(slots=True)
class Result:
    """What one translated file produced.

    Attributes:
        document: the final document (targets, brief, metadata).
        outputs: the files written, in format order.
    """

    document: Document
    outputs: list[Path] = field(default_factory=list)

    def english_text(self) -> str:
        """The English text of the document (what the ``txt`` format writes, e.g. for ``-o -``)."""
        from translate.writers import render

        return render(self.document, "txt")[".en.txt"]


class Pipeline:
    """Loaded models plus the stages that use them.

    Models are loaded lazily, once, on first use, so reading and segmenting
    need no model, and a batch run loads each model once for all files.

    Args:
        config: the validated models.yaml (default: :func:`load_config`).
        options: command-line overrides.
        translator: an already-built :class:`~translate.mt.base.Translator`
            (tests, embedding); skips model loading.
        summarizer: an already-built summarizer.
        translator_config: translator settings to use as they are instead of
            models.yaml's entry with the option overrides (tests, embedding).

    Raises:
        ConfigError: an override names an unknown backend.
    """

    def __init__(
        self,
        config: Config | None = None,
        options: Options | None = None,
        *,
        translator: object | None = None,
        summarizer: object | None = None,
        translator_config: TranslatorConfig | None = None,
    ) -> None:
        self.config = config if config is not None else load_config()
        self.options = options or Options()
        name, tcfg = self.config.translator(self.options.model)
        updates: dict[str, object] = {}
        if self.options.backend:
            updates["backend"] = self.options.backend
        if self.options.device:
            updates["device"] = self.options.device
        if self.options.beams is not None:
            updates["beams"] = self.options.beams
        if self.options.threads is not None:
            updates["threads"] = self.options.threads
        self.translator_name = name
        self.translator_config: TranslatorConfig = translator_config or _override(
            TranslatorConfig, tcfg, updates, f"translator {name!r}", _OPTION_NAMES
        )
        if translator is None:  # `backend: auto` resolved once: signature, cache and settings keys record the result
            from translate.mt.backends import resolve_config

            self.translator_config = resolve_config(self.translator_config)
        sname, scfg = self.config.summarizer(self.options.summarizer)
        supdates: dict[str, object] = {}
        if self.options.brief_words is not None:
            supdates["words"] = self.options.brief_words
            supdates["sentences"] = MAX_BRIEF_SENTENCES
        if self.options.brief_sentences is not None:
            supdates["sentences"] = self.options.brief_sentences
        if self.options.device and scfg.kind == "abstractive":
            supdates["device"] = self.options.device
        scfg = _override(SummarizerConfig, scfg, supdates, f"summarizer {sname!r}", _OPTION_NAMES)
        self.summarizer_name = sname
        self.summarizer_config: SummarizerConfig = scfg
        self._translator = translator
        self._summarizer = summarizer
        self._glossary = None
        glossary = self.options.glossary or self.config.glossary_path()
        if glossary:  # read before any work, so a bad glossary fails first
            from translate.checks import load_glossary

            self._glossary = load_glossary(glossary)

    # -- models ---------------------------------------------------------
    @property
    def translator_loaded(self) -> bool:
        """Whether a translator exists already (injected, or loaded by an earlier call)."""
        return self._translator is not None

    @property
    def loaded_translator(self) -> object | None:
        """The translator if it exists already (injected or loaded), else ``None``; loads nothing."""
        return self._translator

    @property
    def loaded_summarizer(self) -> object | None:
        """The summarizer if it exists already (injected or loaded), else ``None``; loads nothing."""
        return self._summarizer

    @property
    def translator(self):  # -> Translator
        """The translator, loaded on first access.

        Raises:
            ModelNotFoundError: the model is not available locally and cannot be downloaded.
            ModelLoadError: the model directory is incomplete or corrupt.
        """
        if self._translator is None:
            from translate.mt import load_translator

            self._translator = load_translator(
                self.translator_name,
                self.translator_config,
                use_cache=self.options.use_cache,
            )
        return self._translator

    @property
    def summarizer(self):  # -> Summarizer
        """The summarizer, loaded on first access (same errors as :attr:`translator`)."""
        if self._summarizer is None:
            from translate.summarize import load_summarizer

            self._summarizer = load_summarizer(self.summarizer_name, self.summarizer_config)
        return self._summarizer

    def check_models(self) -> None:
        """Load both models now, so a missing model fails before any work is done."""
        _ = self.translator
        _ = self.summarizer

    # -- stages ----------------------------------------------------------
    def read(self, path: str | os.PathLike[str], *, data: bytes | None = None, name: str | None = None) -> Document:
        """Read and segment one input (no model needed).

        Args:
            path: the input file (``"-"`` for stdin, with ``data`` given).
            data: the raw bytes, if already read.
            name: output stem (default: :func:`document_name`).

        Returns:
            A :class:`Document` with paragraphs and sentences but no targets.

        Raises:
            InputError: missing, empty, binary, too big or unreadable input.
            LanguageError: ``strict_language`` and the text is not German.
        """
        return read_document(
            path,
            data=data,
            name=name,
            max_bytes=self.options.max_bytes,
            strict_language=self.options.strict_language,
            all_text=self.options.all_text,
        )

    def translate(self, docs: Sequence[Document], progress: ProgressFn | None = None, events: EventFn | None = None) -> list[Document]:
        """Translate every sentence of ``docs`` in one batched run (order kept).

        ``events`` receives :class:`~translate.events.RetryStarted` and
        :class:`~translate.events.SegmentsRetried` during the repetition-retry pass.

        Raises:
            ModelNotFoundError, ModelLoadError: the translator cannot be loaded.
        """
        from translate.mt.engine import translate_documents

        start = time.perf_counter()
        on_retry = _retry_events(events) if events is not None else None
        out = translate_documents(docs, self.translator, self.translator_config, progress=progress, on_retry=on_retry)
        seconds = time.perf_counter() - start
        total = sum(d.n_sentences for d in docs) or 1
        result = []
        for doc in out:
            share = seconds * doc.n_sentences / total
            result.append(_add_timing(doc, "translate", share))
        return result

    def check(self, doc: Document) -> Document:
        """The check stage: reader-trust flags, after translation and before the brief.

        The translate stage sets the model-side flags (low confidence,
        repetition, untranslated, length ratio, split, pass-through; rules in
        :mod:`translate.mt.flags`). This stage runs :func:`translate.checks.run_checks`
        (``number-mismatch``, ``name-mismatch``, ``omission`` with the score as
        model evidence, ``term-mismatch`` with ``options.glossary``) and adds a
        detail per flag; ``meta.translation.flagged`` is recounted.

        Raises:
            GlossaryError: the glossary cannot be read (loaded once per pipeline).
        """
        from translate.checks import run_checks

        checked = run_checks(doc, glossary=self.glossary, low_confidence=self.translator_config.low_confidence)
        stats = checked.meta.translation
        if stats is not None:
            flagged = Counter(f for s in checked.sentences() for f in s.flags)
            checked = checked.with_meta(translation=dataclasses.replace(stats, flagged=dict(sorted(flagged.items()))))
        return checked

    @property
    def glossary(self):  # -> Glossary | None
        """The glossary (``--glossary``, else models.yaml's ``defaults.glossary``), read when the pipeline was made (``None`` without one)."""
        return self._glossary

    def summarize(self, doc: Document) -> Document:
        """Add the brief to a translated document."""
        from translate.summarize import summarize_document

        return summarize_document(doc, self.summarizer, self.summarizer_config.sentences)

    def write(self, doc: Document, out_dir: str | os.PathLike[str], *, stem: str | None = None, force: bool = False) -> list[Path]:
        """Write the configured formats for ``doc`` into ``out_dir`` atomically.

        ``force`` (or ``options.overwrite``) also replaces existing files dewire did not write
        (see :mod:`translate.ownership`).

        Raises:
            ForeignFileError: an output exists that dewire did not write (nothing replaced).
            OutputError: a file cannot be written.
        """
        from translate.writers import write_outputs

        return write_outputs(doc, Path(out_dir), self.options.formats, stem=stem, force=force or self.options.overwrite)

    def finish(self, doc: Document) -> Document:
        """Fill the reproducibility metadata (version, settings, signature, total time)."""
        from translate.signature import signature

        timings = dict(doc.meta.timings)
        timings["total"] = round(sum(v for k, v in timings.items() if k != "total"), 3)
        doc = doc.with_meta(
            version=__version__,
            timings=timings,
            models=self._models_meta(),
            settings=RunSettings(
                backend=self.translator_config.backend,
                compute_type=self.translator_config.compute_type,
                beams=self.translator_config.beams,
                device=self.translator_config.device,
                summarizer=self.summarizer_name,
            ),
        )
        return doc.with_meta(signature=signature(doc))

    # -- the one path through the stages --------------------------------------
    def process(self, documents: Iterable[Document], events: EventFn | None = None, *, brief: bool = True) -> Iterator[Document]:
        """Translate → check → summarize → finish ``documents``; yield each finished document in order.

        The sentences of all the documents share one batched translation (the
        engine sorts by length and batches by token budget across
        documents); the per-document stages then run one document at a time.
        Writing is left to the caller (one file, a batch folder, or nothing).

        Args:
            documents: segmented documents (from :meth:`read`).
            events: receives :class:`~translate.events.SentencesTranslated`
                during translation, a :class:`~translate.events.Notice` per new
                warning (code ``translation`` or ``brief``, located at the
                document's path) and :class:`~translate.events.DocumentDone`
                per document.
            brief: run the summarize stage (``dewire eval`` needs no brief).

        Yields:
            The finished documents, in input order.

        Raises:
            ModelNotFoundError, ModelLoadError: a model cannot be loaded.
        """
        docs = list(documents)
        progress = (lambda n: events(SentencesTranslated(n))) if events is not None else None
        for before, doc in zip(docs, self.translate(docs, progress=progress, events=events)):
            _emit_new_warnings(events, before, doc, "translation")
            doc = self.check(doc)
            if brief:
                summarized = self.summarize(doc)
                _emit_new_warnings(events, doc, summarized, "brief")
                doc = summarized
            doc = self.finish(doc)
            emit(events, DocumentDone(doc))
            yield doc

    def run(
        self,
        path: str | os.PathLike[str],
        out_dir: str | os.PathLike[str] | None,
        *,
        data: bytes | None = None,
        events: EventFn | None = None,
    ) -> Result:
        """Read, translate, check, summarize and write one file.

        Both models are loaded after reading and before translating, so a
        missing model fails before any work on the text.

        Args:
            path: input file (``"-"`` = stdin with ``data``).
            out_dir: output folder; ``None`` writes nothing (library use, stdout).
            data: raw input bytes, if already read.
            events: receives :class:`~translate.events.DocumentRead` and a
                :class:`~translate.events.Notice` per reading warning (code
                ``input``), :class:`~translate.events.ModelsReady`, then the
                events of :meth:`process`.

        Returns:
            :class:`Result` with the final document and the paths written.

        Raises:
            DewireError: any user-facing failure (input, model, output, config).
        """
        doc = self.read(path, data=data)
        emit(events, DocumentRead(doc))
        _emit_new_warnings(events, None, doc, "input")
        self.check_models()
        emit(events, ModelsReady())
        (doc,) = self.process([doc], events)
        outputs = self.write(doc, out_dir) if out_dir is not None else []
        return Result(doc, outputs)

    def _models_meta(self) -> ModelInfo:
        translator, revision = self.translator_config.model, None
        if self._translator is not None:
            sig = dict(getattr(self._translator, "signature", {}) or {})
            revision = str(sig["revision"]) if sig.get("revision") else None
            translator = str(sig["model"]) if sig.get("model") else translator
        summarizer = self.summarizer_name
        if self.summarizer_config.kind == "abstractive" and self.summarizer_config.model:
            summarizer = self.summarizer_config.model
        return ModelInfo(translator=translator, translator_revision=revision, summarizer=summarizer)


def _retry_events(events: EventFn) -> "Callable[[int], ProgressFn]":
    """The engine's ``on_retry`` hook as events: :class:`RetryStarted`, then :class:`SegmentsRetried` as the pass goes."""

    def on_retry(segments: int) -> ProgressFn:
        events(RetryStarted(segments))
        return lambda n: events(SegmentsRetried(n))

    return on_retry


def _emit_new_warnings(events: EventFn | None, before: Document | None, after: Document, code: str) -> None:
    """Send each warning ``after`` has beyond those of ``before`` as a :class:`Notice` located at the document's path."""
    if events is None:
        return
    known = len(before.meta.warnings) if before is not None else 0
    for warning in after.meta.warnings[known:]:
        events(Notice(code, warning, after.path))


def _add_timing(doc: Document, stage: str, seconds: float) -> Document:
    return dataclasses.replace(doc, meta=doc.meta.add_timing(stage, seconds))


def read_document(
    path: str | os.PathLike[str],
    *,
    data: bytes | None = None,
    name: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    strict_language: bool = False,
    all_text: bool = False,
) -> Document:
    """Read, normalize and segment one input into a :class:`Document` (no model).

    Args:
        path: the input file; ``"-"`` means stdin, with the bytes in ``data``.
        data: raw bytes (skips reading ``path``).
        name: output stem (default: :func:`document_name`).
        max_bytes: largest input accepted, in bytes.
        strict_language: raise if the text is not German.
        all_text: HTML: keep every visible text block (``--all-text``).

    Returns:
        The segmented document; warnings (encoding guesses, replaced bytes,
        language) are in ``meta.warnings``.

    Raises:
        InputError: unreadable input (one line naming the file).
        LanguageError: ``strict_language`` and the text is not German.
    """
    from translate.language import detect_language
    from translate.readers import read_input
    from translate.reading import display_name
    from translate.segment import SEGMENTER_NAME, segment_blocks

    start = time.perf_counter()
    source = read_input(path, data=data, max_bytes=max_bytes, all_text=all_text)  # the reader seam: txt, md, html, docx, URLs
    t_read = time.perf_counter() - start
    paragraphs = segment_blocks(source.text, source.blocks)
    t_seg = time.perf_counter() - start - t_read
    prefix = f"{display_name(path)}: "
    warnings = [w.removeprefix(prefix) for w in source.warnings]  # the CLI adds the file name itself
    finding = detect_language(source.text)
    if finding.warning:
        if strict_language:
            raise LanguageError(f"{path}: {finding.warning} (--strict-language)")
        warnings.append(finding.warning)
    return Document(
        name=name or document_name(path),
        path=str(path),
        text=source.text,
        encoding=source.encoding,
        paragraphs=paragraphs,
        source=source.info,
        meta=DocMeta(
            warnings=tuple(warnings),
            segmenter=SEGMENTER_NAME,
            language=finding.language,
            timings={"read": round(t_read, 3), "segment": round(t_seg, 3)},
        ),
    )


def translate_file(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = "dewire-out",
    *,
    config: Config | None = None,
    options: Options | None = None,
    progress: ProgressFn | None = None,
    events: EventFn | None = None,
) -> Result:
    """Translate one German text file and write its outputs.

    Example::

        from translate import translate_file
        result = translate_file("samples/putin-kim.de.txt", "out")
        print(result.document.brief)

    Args:
        path: the input file.
        out_dir: output folder (``None`` = write nothing).
        config: models.yaml config (default: :func:`load_config`).
        options: overrides (model, summarizer, formats …).
        progress: called with the number of sentences just translated.
        events: receives every event of :meth:`Pipeline.run`.

    Returns:
        :class:`Result`.

    Raises:
        DewireError: any user-facing failure (input, model, output, config).
    """
    if progress is not None:
        inner = events

        def events(event: object) -> None:
            if isinstance(event, SentencesTranslated):
                progress(event.count)
            if inner is not None:
                inner(event)  # type: ignore[arg-type]

    return Pipeline(config, options).run(path, out_dir, events=events)

