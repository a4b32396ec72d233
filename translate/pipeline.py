"""The dewire pipeline: read → segment → translate → summarize → write.

:class:`Pipeline` holds the loaded models (each loaded once, on first use) and
runs the stages on one or many documents; :func:`translate_file` is the
one-call API the CLI uses for a single file. Nothing here imports torch: the
model backends do, lazily, when a model is first needed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from translate import __version__
from translate.config import MAX_BRIEF_SENTENCES, Config, SummarizerConfig, TranslatorConfig, load_config, override_settings as _override
from translate.document import Document
from translate.errors import LanguageError

ProgressFn = Callable[[int], None]
"""Called with the number of sentences just translated."""

_STRIP_SUFFIXES = (".txt", ".md", ".text", ".markdown", ".html", ".htm", ".xhtml", ".docx")


def document_name(path: str | os.PathLike[str] | None) -> str:
    """The output stem for an input path.

    ``putin-kim.de.txt`` → ``putin-kim``; ``article.txt`` → ``article``;
    ``notes.md`` → ``notes``; ``seite.html`` → ``seite``; stdin (``-`` or
    ``None``) → ``stdin``; a URL → its last path segment made safe
    (:func:`translate.readers.url.url_stem`: ``https://x.de/a/artikel.html``
    → ``artikel``).
    """
    if path is None or str(path) == "-":
        return "stdin"
    from translate.readers.base import is_url

    if is_url(str(path)):
        from translate.readers.url import url_stem

        return url_stem(str(path))
    name = Path(path).name
    for suffix in _STRIP_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if name.lower().endswith(".de") and len(name) > 3:
        name = name[:-3]
    return name or "document"


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
    formats: tuple[str, ...] = ("html", "jsonl", "txt", "brief")
    use_cache: bool = True
    max_bytes: int | None = 50_000_000
    strict_language: bool = False
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
        self.translator_config: TranslatorConfig = _override(TranslatorConfig, tcfg, updates, f"translator {name!r}", _OPTION_NAMES)
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

    # -- models ---------------------------------------------------------
    @property
    def translator_loaded(self) -> bool:
        """Whether a translator exists already (injected, or loaded by an earlier call)."""
        return self._translator is not None

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

    def translate(self, docs: Sequence[Document], progress: ProgressFn | None = None) -> list[Document]:
        """Translate every sentence of ``docs`` in one batched run (order kept)."""
        from translate.mt.engine import translate_documents

        start = time.perf_counter()
        out = translate_documents(docs, self.translator, self.translator_config, progress=progress)
        seconds = time.perf_counter() - start
        total = sum(d.n_sentences for d in docs) or 1
        result = []
        for doc in out:
            share = seconds * doc.n_sentences / total
            result.append(_add_timing(doc, "translate", share))
        return result

    def summarize(self, doc: Document) -> Document:
        """Add the brief to a translated document."""
        from translate.summarize import summarize_document

        return summarize_document(doc, self.summarizer, self.summarizer_config.sentences)

    def write(self, doc: Document, out_dir: str | os.PathLike[str], *, stem: str | None = None) -> list[Path]:
        """Write the configured formats for ``doc`` into ``out_dir`` atomically.

        Raises:
            OutputError: a file cannot be written.
        """
        from translate.writers import write_outputs

        return write_outputs(doc, Path(out_dir), self.options.formats, stem=stem)

    def finish(self, doc: Document) -> Document:
        """Fill the reproducibility metadata (version, settings, signature, total time)."""
        from translate.signature import signature

        timings = dict(doc.meta.get("timings", {}))
        timings["total"] = round(sum(v for k, v in timings.items() if k != "total"), 3)
        doc = doc.with_meta(
            version=__version__,
            timings=timings,
            models=self._models_meta(),
            settings={
                "backend": self.translator_config.backend,
                "beams": self.translator_config.beams,
                "device": self.translator_config.device,
                "summarizer": self.summarizer_name,
            },
        )
        return doc.with_meta(signature=signature(doc))

    def run(
        self,
        path: str | os.PathLike[str],
        out_dir: str | os.PathLike[str] | None,
        *,
        data: bytes | None = None,
        progress: ProgressFn | None = None,
        on_document: Callable[[Document], None] | None = None,
    ) -> Result:
        """Read, translate, summarize and write one file.

        Args:
            path: input file (``"-"`` = stdin with ``data``).
            out_dir: output folder; ``None`` writes nothing (library use).
            data: raw input bytes, if already read.
            progress: called with the number of sentences just translated.
            on_document: called with the segmented document before
                translation (e.g. to size a progress bar).

        Returns:
            :class:`Result` with the final document and the paths written.
        """
        doc = self.read(path, data=data)
        if on_document is not None:
            on_document(doc)
        (doc,) = self.translate([doc], progress=progress)
        doc = self.finish(self.summarize(doc))
        outputs = self.write(doc, out_dir) if out_dir is not None else []
        return Result(doc, outputs)

    def _models_meta(self) -> dict[str, str]:
        meta = {"translator": self.translator_config.model, "summarizer": self.summarizer_name}
        if self._translator is not None:
            sig = dict(getattr(self._translator, "signature", {}) or {})
            if sig.get("revision"):
                meta["translator_revision"] = str(sig["revision"])
            if sig.get("model"):
                meta["translator"] = str(sig["model"])
        if self.summarizer_config.kind == "abstractive" and self.summarizer_config.model:
            meta["summarizer"] = self.summarizer_config.model
        return meta


def _add_timing(doc: Document, stage: str, seconds: float) -> Document:
    timings = dict(doc.meta.get("timings", {}))
    timings[stage] = round(timings.get(stage, 0.0) + seconds, 3)
    return doc.with_meta(timings=timings)


def read_document(
    path: str | os.PathLike[str],
    *,
    data: bytes | None = None,
    name: str | None = None,
    max_bytes: int | None = 50_000_000,
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
        language) are in ``meta["warnings"]``.

    Raises:
        InputError: unreadable input (one line naming the file).
        LanguageError: ``strict_language`` and the text is not German.
    """
    from translate.readers import read_input
    from translate.segment import SEGMENTER_NAME, segment_blocks

    start = time.perf_counter()
    source = read_input(path, data=data, max_bytes=max_bytes, all_text=all_text)  # the reader seam: txt, md, html, docx, URLs
    t_read = time.perf_counter() - start
    paragraphs = segment_blocks(source.text, source.blocks)
    t_seg = time.perf_counter() - start - t_read
    from translate.reading import display_name

    prefix = f"{display_name(path)}: "
    warnings = [w.removeprefix(prefix) for w in source.warnings]  # the CLI adds the file name itself
    language = None
    try:
        from translate.language import detect_language
    except ImportError:  # pragma: no cover - language module is optional at build time
        detect_language = None  # type: ignore[assignment]
    if detect_language is not None:
        finding = detect_language(source.text)
        language = finding.language
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
        meta={
            "warnings": warnings,
            "segmenter": SEGMENTER_NAME,
            "language": language,
            "timings": {"read": round(t_read, 3), "segment": round(t_seg, 3)},
        },
    )


def translate_file(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = "dewire-out",
    *,
    config: Config | None = None,
    options: Options | None = None,
    progress: ProgressFn | None = None,
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

    Returns:
        :class:`Result`.

    Raises:
        DewireError: any user-facing failure (input, model, output, config).
    """
    return Pipeline(config, options).run(path, out_dir, progress=progress)

