"""The work of batch mode, shared by every engine: prepare, group, translate resiliently, finish, write.

Plain, picklable data crosses process (or machine) boundaries: a
:class:`WorkItem` per file to do, a :class:`PipelineSpec` to rebuild the same
:class:`~translate.pipeline.Pipeline` anywhere, and an :class:`Outcome` per
file back. :func:`run_group` is the one function an engine calls on a list of
items; it never raises for a per-file problem, so one bad file never stops
the others.

Grouping: the files still to do are cut, in order, into **translation
groups** of ``group_docs`` consecutive files (:func:`plan_groups`), before any
file is read; every engine uses that one partition (a Ray task or a process
pool task *is* one group). Inside a group, documents are translated together
in runs of about ``group_sentences`` sentences (:func:`fill_groups`, the only
group-filling loop, which never crosses a group edge), so sentences of many
documents share the engine's length-sorted batches while each run is
finished and written before the next starts. Both rules depend only on the
list of files and their contents, never on the engine, the number of
workers or timing, so every engine hands the model the same batches and
writes the same bytes (a neural model's output depends, in its last bits, on
which sentences share a padded batch). A run that fails (out of memory or
any other error) is split in halves and each half retried alone, down to
single documents (:func:`process_resilient`), which isolates the one document
at fault.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Hashable, Iterable, Iterator, Sequence

from translate.document import Document
from translate.errors import DewireError, OutputError
from translate.events import EventFn, ProgressFn, RetryStarted, SegmentsRetried, SentencesTranslated
from translate.mt.memory import free_accelerator_memory, is_out_of_memory

if TYPE_CHECKING:
    from translate.config import Config
    from translate.pipeline import Options, Pipeline

STATUS_DONE = "done"
STATUS_SKIPPED = "skipped"
STATUS_FAILED = "failed"

DEFAULT_GROUP_DOCS = 64
"""Files per translation group (``--group-docs``; a Ray task is one group).

The engine sorts a group's sentences by length before it cuts batches, so the
group is the sorting pool: 64 news articles of median 13 … 40 sentences are
about 1,000–2,500 sentences, enough for batches as well sorted as those of
one long document (Marian's ``--maxi-batch`` sorts a similar pool; batch
mode against one document, 16 vs 64 files: benchmarks/RESULTS.md). The price: a
retried Ray task redoes up to 64 files, and finished documents (progress,
manifest) come in steps of a group; an interrupt loses little translation
work all the same, since the translation cache stores each call's results
(``8 × max_batch_sentences`` sentences). The partition is made from the list
of files alone (the driver of a cluster run reads no file), so it counts
files, not sentences; :data:`DEFAULT_GROUP_SENTENCES` bounds the sentences
translated together inside a group.
"""

DEFAULT_GROUP_SENTENCES = 2048
"""Sentences translated together inside a translation group (whole documents; a longer document is a run of its own).

Large enough not to cut a group of :data:`DEFAULT_GROUP_DOCS` news articles
into smaller sorting pools (see there), small enough to bound the documents
held at once when a group holds long files.
"""


# -- plain data ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class WorkItem:
    """One source file still to translate (picklable plain data).

    Attributes:
        path: the input file.
        relative: its path relative to DIR, ``/``-separated (the manifest key).
        out_parent: output folder relative to OUT (``.`` = OUT itself).
        stem: output file stem.
        sha256: hex SHA-256 of the file's bytes when the driver looked, or
            ``None`` if it could not read them (the worker then reports why).
    """

    path: Path
    relative: str
    out_parent: str
    stem: str
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one file (picklable plain data).

    Attributes:
        relative: the file's :attr:`WorkItem.relative`.
        status: ``done`` or ``failed``.
        reason: one line saying why it failed (``None`` when done).
        outputs: files written, ``/``-separated paths relative to OUT.
        sentences: source sentences (0 if it failed before segmenting).
        flags: sentences flagged for review.
        seconds: wall-clock seconds spent on this file (its share of the group's translation included).
        sha256: hex SHA-256 of the bytes actually translated (``None`` if unread).
        modified: the input's modification time (seconds since the epoch) when read.
        title: the brief's title, if any.
        title_de: the German headline, if any.
        bullets: the brief's bullet texts.
        warnings: reading/translation warnings, one line each.
    """

    relative: str
    status: str
    reason: str | None = None
    outputs: tuple[str, ...] = ()
    sentences: int = 0
    flags: int = 0
    seconds: float = 0.0
    sha256: str | None = None
    modified: float | None = None
    title: str | None = None
    title_de: str | None = None
    bullets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """Enough to rebuild an identical :class:`~translate.pipeline.Pipeline` in another process or machine.

    Attributes:
        config: the validated models.yaml.
        options: the run options.
        translator: a translator object given by the caller (tests,
            embedding) or already loaded, sent along (pickled); ``None`` =
            load from the configuration where the pipeline is rebuilt.
        summarizer: likewise for the summarizer.
    """

    config: "Config"
    options: "Options"
    translator: object | None = None
    summarizer: object | None = None

    @classmethod
    def of(cls, pipeline: "Pipeline") -> "PipelineSpec":
        """The spec of an existing pipeline (its loaded models travel with it)."""
        return cls(pipeline.config, pipeline.options, pipeline.loaded_translator, pipeline.loaded_summarizer)

    def with_threads(self, threads: int) -> "PipelineSpec":
        """This spec with ``threads`` CPU threads unless the options fix a number already."""
        if self.options.threads is not None:
            return self
        return dataclasses.replace(self, options=dataclasses.replace(self.options, threads=max(1, threads)))

    def build(self) -> "Pipeline":
        """A new pipeline from this spec (models still load lazily).

        Raises:
            ConfigError: the options do not fit the configuration.
        """
        from translate.pipeline import Pipeline

        return Pipeline(self.config, self.options, translator=self.translator, summarizer=self.summarizer)


# -- helpers ------------------------------------------------------------------------------
def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) made one space."""
    return " ".join(str(text).split())


def failure_reason(err: BaseException) -> str:
    """One line for a per-file failure: a DewireError's message as-is, else the error type and message."""
    if isinstance(err, DewireError):
        return one_line(str(err))
    if is_out_of_memory(err):
        return f"out of memory ({type(err).__name__}: {one_line(str(err))[:200]})"
    return f"internal error: {type(err).__name__}: {one_line(str(err))[:300]}"


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in ``chunk``-byte blocks.

    Raises:
        OSError: the file cannot be read.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def mtime(path: Path) -> float | None:
    """The modification time of ``path``, or ``None`` if it cannot be read."""
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def count_flags(doc: Document) -> int:
    """Sentences flagged for review (:attr:`Document.flagged`; kept for callers of dewire 0.1)."""
    return doc.flagged


def failed(item: WorkItem, reason: str, seconds: float = 0.0, sha256: str | None = None) -> Outcome:
    """A failed :class:`Outcome` for ``item`` with a one-line ``reason``."""
    return Outcome(
        relative=item.relative,
        status=STATUS_FAILED,
        reason=one_line(reason),
        seconds=round(seconds, 3),
        sha256=sha256 if sha256 is not None else item.sha256,
        modified=mtime(item.path),
    )


def is_within(path: Path, root: Path) -> bool:
    """Whether ``path`` is ``root`` or lies under it (no resolving)."""
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


# -- the stages of one file -----------------------------------------------------------------
@dataclass(slots=True)
class Prepared:
    """A file read and segmented, waiting for translation."""

    item: WorkItem
    sha256: str
    doc: Document
    seconds: float
    modified: float


def prepare(pipeline: "Pipeline", item: WorkItem) -> Prepared | Outcome:
    """Read, hash and segment one file (no model).

    Returns:
        :class:`Prepared`, or a failed :class:`Outcome` (unreadable, empty,
        binary, too big …). Never raises for a per-file problem.
    """
    start = time.perf_counter()
    try:
        st = item.path.stat()
        limit = pipeline.options.max_bytes
        data: bytes | None = None
        if limit is None or st.st_size <= limit:
            data = item.path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
        else:
            sha = sha256_file(item.path)  # too big: pipeline.read raises its own one-line error
        doc = pipeline.read(item.path, data=data, name=item.stem)
    except Exception as err:  # noqa: BLE001 - one bad file never stops the others
        if isinstance(err, OSError):
            reason = f"{item.path}: cannot read: {err.strerror or err}"
        else:
            reason = failure_reason(err)
        return failed(item, reason, time.perf_counter() - start)
    return Prepared(item, sha, doc, time.perf_counter() - start, st.st_mtime)


def plan_groups(items: Sequence[WorkItem], group_docs: int = DEFAULT_GROUP_DOCS) -> list[tuple[WorkItem, ...]]:
    """The run's translation groups: ``items`` in order, cut every ``group_docs`` files (the last may be shorter).

    The one partition every engine uses (see the module docstring): the local
    engine translates group after group, the process pool and the Ray engine
    run one group per task.

    Raises:
        ValueError: ``group_docs`` is below 1.
    """
    if group_docs < 1:
        raise ValueError(f"group_docs must be at least 1 (got {group_docs})")
    return [tuple(items[i : i + group_docs]) for i in range(0, len(items), group_docs)]


def fill_groups(
    prepared: Iterable[Prepared | Outcome],
    group_sentences: int,
    group_of: Callable[[WorkItem], Hashable] | None = None,
) -> Iterator[Outcome | list[Prepared]]:
    """Gather prepared documents into runs of about ``group_sentences`` sentences.

    Failed outcomes pass straight through; a run is yielded as soon as it
    holds ``group_sentences`` sentences or more, when the next document
    belongs to another translation group (``group_of`` differs; ``None`` = one
    group), and the rest at the end.
    """
    group: list[Prepared] = []
    size = 0
    current: Hashable = None
    for entry in prepared:
        if isinstance(entry, Outcome):
            yield entry
            continue
        if group_of is not None:
            key = group_of(entry.item)
            if group and key != current:
                yield group
                group, size = [], 0
            current = key
        group.append(entry)
        size += entry.doc.n_sentences
        if size >= group_sentences:
            yield group
            group, size = [], 0
    if group:
        yield group


def process_resilient(
    pipeline: "Pipeline", group: Sequence[Prepared], progress: ProgressFn | None, retry_events: EventFn | None = None
) -> list[tuple[Prepared, Document | None, str | None, float]]:
    """Run :meth:`Pipeline.process` on a group; on any error split it in halves and retry each alone.

    Halving is the rule for running out of memory (a smaller group needs
    smaller batches); other errors are bisected the same way, which isolates
    the one document that causes them (at the cost of translating its
    group's other documents again, from the cache when it is on).

    Args:
        pipeline: the pipeline.
        group: the documents translated together.
        progress: called with the number of sentences just translated.
        retry_events: receives :class:`~translate.events.RetryStarted` and
            :class:`~translate.events.SegmentsRetried` of the repetition-retry
            pass, so that a display shows the pass instead of pausing.

    Returns:
        ``(prepared, finished document or None, failure reason or None,
        seconds)`` per document, in group order.

    Raises:
        KeyboardInterrupt, SystemExit: propagate.
    """
    docs = [p.doc for p in group]

    def forward(event: object) -> None:
        if isinstance(event, SentencesTranslated):
            if progress is not None:
                progress(event.count)
        elif isinstance(event, (RetryStarted, SegmentsRetried)) and retry_events is not None:
            retry_events(event)

    events: EventFn | None = forward if progress is not None or retry_events is not None else None
    start = time.perf_counter()
    try:
        out = list(pipeline.process(docs, events))
    except Exception as err:  # noqa: BLE001 - bisect to isolate the failing document
        if is_out_of_memory(err):
            free_accelerator_memory()
        if len(group) == 1:
            return [(group[0], None, failure_reason(err), time.perf_counter() - start)]
        half = len(group) // 2
        return process_resilient(pipeline, group[:half], progress, retry_events) + process_resilient(pipeline, group[half:], progress, retry_events)
    seconds = time.perf_counter() - start
    total = sum(d.n_sentences for d in docs) or 1
    return [(p, d, None, seconds * (p.doc.n_sentences or 1) / total) for p, d in zip(group, out)]


def output_folder(out_dir: Path, item: WorkItem) -> Path:
    """The folder for ``item``'s outputs, created and checked to resolve inside OUT.

    Raises:
        OutputError: it cannot be created, or (through a symlink placed inside OUT) lies outside OUT.
    """
    folder = out_dir if item.out_parent == "." else out_dir.joinpath(*item.out_parent.split("/"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output folder '{folder}': {err.strerror or err}") from err
    if not is_within(folder.resolve(), out_dir.resolve()):
        raise OutputError(f"output folder '{folder}' resolves outside '{out_dir}': not written")
    return folder


def finish_group(
    pipeline: "Pipeline", group: Sequence[Prepared], out_dir: Path, progress: ProgressFn | None, retry_events: EventFn | None = None
) -> Iterator[Outcome]:
    """Process (:func:`process_resilient`) and write one group; one :class:`Outcome` per document, in order."""
    for prep, doc, reason, t_translate in process_resilient(pipeline, group, progress, retry_events):
        item = prep.item
        if doc is None:
            yield failed(item, reason or "translation failed", prep.seconds + t_translate, prep.sha256)
            continue
        start = time.perf_counter()
        try:
            paths = pipeline.write(doc, output_folder(out_dir, item), stem=item.stem)
        except Exception as err:  # noqa: BLE001 - one bad file never stops the others
            if is_out_of_memory(err):
                free_accelerator_memory()
            yield failed(item, failure_reason(err), prep.seconds + t_translate + time.perf_counter() - start, prep.sha256)
            continue
        brief = doc.brief
        yield Outcome(
            relative=item.relative,
            status=STATUS_DONE,
            outputs=tuple(p.relative_to(out_dir).as_posix() if is_within(p, out_dir) else os.path.relpath(p, out_dir) for p in paths),
            sentences=doc.n_sentences,
            flags=doc.flagged,
            seconds=round(prep.seconds + t_translate + time.perf_counter() - start, 3),
            sha256=prep.sha256,
            modified=prep.modified,
            title=doc.title,
            title_de=_german_title(doc),
            bullets=tuple(b.text for b in brief.bullets) if brief is not None else (),
            warnings=tuple(one_line(w) for w in doc.meta.warnings),
        )


def _german_title(doc: Document) -> str | None:
    """The German headline shown in the digest beside the English one."""
    from translate.writers.html import german_title

    return german_title(doc)


def process_stream(
    pipeline: "Pipeline",
    prepared: Iterable[Prepared | Outcome],
    out_dir: Path,
    *,
    group_sentences: int = DEFAULT_GROUP_SENTENCES,
    progress: ProgressFn | None = None,
    on_models_ready: Callable[[], None] | None = None,
    on_group_done: Callable[[], None] | None = None,
    group_of: Callable[[WorkItem], Hashable] | None = None,
    cache_before: float | None = None,
    retry_events: EventFn | None = None,
) -> Iterator[Outcome]:
    """Group prepared documents and finish each group; one :class:`Outcome` per input, in input order per group.

    The models are loaded (:meth:`Pipeline.check_models`) just before the
    first group, so a missing model fails the run once, before any output,
    and a run whose every file failed to read loads no model.

    Args:
        pipeline: the pipeline to run.
        prepared: results of :func:`prepare`, in order.
        out_dir: the output folder OUT.
        group_sentences: see :data:`DEFAULT_GROUP_SENTENCES`.
        progress: called with the number of sentences just translated.
        on_models_ready: called once, after the models are loaded.
        on_group_done: called after each group's outcomes have been yielded.
        group_of: the translation group of an item (see :func:`fill_groups`;
            ``None`` = all of ``prepared`` is one group).
        cache_before: the run's start (seconds since the epoch): the
            translation cache answers only from entries stored before it
            (:func:`translate.mt.cache.answers_only_before`); ``None`` = no restriction.
        retry_events: receives the repetition-retry pass's
            :class:`~translate.events.RetryStarted` and
            :class:`~translate.events.SegmentsRetried` (see :func:`process_resilient`).

    Raises:
        ModelNotFoundError, ModelLoadError, ConfigError: a model cannot be loaded.
    """
    from translate.mt.cache import answers_only_before

    checked = False
    with contextlib.ExitStack() as stack:
        for group in fill_groups(prepared, group_sentences, group_of):
            if isinstance(group, Outcome):
                yield group
                continue
            if not checked:
                pipeline.check_models()
                checked = True
                stack.enter_context(answers_only_before(pipeline.translator, cache_before))
                if on_models_ready is not None:
                    on_models_ready()
            yield from finish_group(pipeline, group, out_dir, progress, retry_events)
            if on_group_done is not None:
                on_group_done()


def run_group(
    pipeline: "Pipeline",
    items: Sequence[WorkItem],
    out_dir: str | os.PathLike[str],
    settings_key: str,
    *,
    group_sentences: int = DEFAULT_GROUP_SENTENCES,
    progress: ProgressFn | None = None,
    cache_before: float | None = None,
) -> list[Outcome]:
    """Read, segment, translate (batched across documents), finish and write ``items``: one translation group.

    The function an engine runs wherever it runs: sentences of all the
    documents share translation batches (in groups of about
    ``group_sentences``), each document is written atomically into OUT, and
    any per-document error becomes a failed :class:`Outcome` with its
    one-line reason.

    Args:
        pipeline: a pipeline (e.g. :meth:`PipelineSpec.build`).
        items: the files to do.
        out_dir: the output folder OUT (must be the same path for every engine).
        settings_key: the run's settings key (recorded by the driver; kept in
            the signature so that an engine may check it).
        group_sentences: see :data:`DEFAULT_GROUP_SENTENCES`.
        progress: called with the number of sentences just translated.
        cache_before: see :func:`process_stream`.

    Returns:
        One :class:`Outcome` per item, in item order.

    Raises:
        ModelNotFoundError, ModelLoadError, ConfigError: the models cannot be
            loaded (a run-wide problem, not a per-file one).
    """
    del settings_key  # recorded by the driver, identical for every engine
    out_path = Path(out_dir)
    outcomes = {
        o.relative: o
        for o in process_stream(
            pipeline,
            (prepare(pipeline, item) for item in items),
            out_path,
            group_sentences=group_sentences,
            progress=progress,
            cache_before=cache_before,
        )
    }
    return [outcomes[item.relative] for item in items]
