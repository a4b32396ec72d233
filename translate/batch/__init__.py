"""Folder mode: translate every German text file under a folder, resumably.

``dewire translate DIR -o OUT`` calls :func:`translate_folder`, which

1. **discovers** the inputs and gives each a safe output folder and stem
   inside OUT (:mod:`translate.batch.discovery`);
2. **skips** every file the manifest ``OUT/.dewire-manifest.json`` shows
   finished, unchanged, with the same settings and outputs present
   (:mod:`translate.batch.manifest`), without touching a model;
3. cuts the rest, in order, into **translation groups** of ``group_docs``
   files (:func:`~translate.batch.work.plan_groups`) and hands them to an
   **engine** (:mod:`translate.batch.executors`: in this process, a process
   pool, Ray …), which reads, translates each group as a unit (the same
   batches on every engine, so the same bytes), finishes and writes each document atomically
   (:mod:`translate.batch.work`) and yields one outcome per file;
4. **records** each outcome in the manifest (appended to its journal after
   every group, so an interrupt loses at most the group in flight, and
   compacted into ``.dewire-manifest.json`` at the end) — a failure per file
   with its one-line reason, never the whole run;
5. writes the **digest** ``OUT/index.html`` (:mod:`translate.batch.digest`).

Resume, manifest, per-file failures and the digest are the same for every
engine. Progress and warnings go to the ``events`` callback
(:mod:`translate.events`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from translate.batch.digest import INDEX_NAME, write_digest
from translate.batch.discovery import DEFAULT_PATTERNS, Discovery, Ignored, SourceFile, discover, safe_component
from translate.batch.executors import ENGINES, Executor, InProcessExecutor, ProcessPoolExecutor, Work, make_executor
from translate.batch.manifest import MANIFEST_NAME, Manifest, ManifestEntry, settings_detail, settings_key
from translate.batch.report import BatchItem, BatchReport
from translate.batch.work import (
    DEFAULT_GROUP_DOCS,
    DEFAULT_GROUP_SENTENCES,
    STATUS_DONE,
    STATUS_FAILED,
    STATUS_SKIPPED,
    Outcome,
    PipelineSpec,
    WorkItem,
    count_flags,
    failed,
    plan_groups,
    run_group,
    sha256_file,
)
from translate import ownership
from translate.config import Config
from translate.errors import ConfigError, InputError, ModelLoadError, ModelNotFoundError, OutputError
from translate.events import BatchStarted, EventFn, GroupCommitted, ItemSettled, Notice
from translate.mt.memory import is_out_of_memory
from translate.pipeline import Options, Pipeline
from translate.terminal import printable

DEFAULT_OUT = "dewire-out"
"""Output folder used when ``out_dir`` is ``None`` (relative to the current directory, as in the CLI)."""



def translate_folder(
    source: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None,
    *,
    config: Config | None = None,
    options: Options | None = None,
    patterns: tuple[str, ...] = DEFAULT_PATTERNS,
    force: bool = False,
    jobs: int = 1,
    engine: str = "local",
    executor: Executor | None = None,
    quiet: bool = False,
    pipeline: Pipeline | None = None,
    events: EventFn | None = None,
    group_sentences: int = DEFAULT_GROUP_SENTENCES,
    on_item: Callable[[BatchItem], None] | None = None,
    group_docs: int = DEFAULT_GROUP_DOCS,
) -> BatchReport:
    """Translate every matching file under ``source`` into ``out_dir``, resumably.

    Example::

        from translate.batch import translate_folder
        report = translate_folder("today/", "today-en/")
        print(report.ok, report.index)

    Args:
        source: the input folder DIR.
        out_dir: the output folder OUT (created if missing); ``None`` = ``dewire-out``.
        config: models.yaml config (default: :func:`translate.config.load_config`).
        options: run options (model, formats, max_bytes …).
        patterns: file-name patterns (``fnmatch``, case-insensitive).
        force: redo every file, even unchanged finished ones.
        jobs: parallel workers for the engine (``local``: ``1`` = in this process).
        engine: a key of :data:`ENGINES` (ignored when ``executor`` is given).
        executor: an :class:`Executor` to use instead of ``engine``/``jobs``.
        quiet: accepted for callers of dewire 0.1; the library never prints
            either way (pass ``events`` to see progress and warnings).
        pipeline: an already-built :class:`Pipeline` (tests, embedding).
        events: receives progress, warning and per-file events
            (:mod:`translate.events`; the CLI's display is one such callback).
        group_sentences: most sentences translated together inside a translation group.
        on_item: called with each file's :class:`BatchItem` as soon as it is
            settled (done, skipped or failed), in this process.
        group_docs: files per translation group (``--group-docs``): the files
            still to do are cut, in order, into groups of this many, and every
            engine translates each group as a unit (a Ray task is one group),
            so that every engine writes the same bytes
            (:mod:`translate.batch.work`).

    Outputs do not depend on the engine, ``jobs`` or the Ray workers: every
    engine translates the same groups with the same batches, and the
    translation cache answers only from entries stored before this run
    started, so that it never changes a group's batches within the run
    (:func:`translate.mt.cache.answers_only_before`). Entries from earlier
    runs (a resumed or repeated run) are used; those were translated in other
    batches, so their last bits may differ from a fresh translation's.

    Returns:
        :class:`BatchReport`; ``ok`` is ``False`` when any file failed.

    One run at a time writes into OUT: a second run (another process)
    waits for the first to finish, with an ``output-busy`` :class:`Notice`,
    then resumes from the manifest it left. A file whose output would replace
    an existing file dewire did not write (a human ``NAME.en.txt`` beside
    ``NAME.de.txt`` in place) fails with that reason, before any work, unless
    ``force``; ``force`` also redoes finished files.

    Raises:
        InputError: ``source`` is not a folder, or no file in it matches
            ``patterns`` (nothing to translate: exit 66).
        OutputError: OUT or its manifest cannot be written.
        ModelNotFoundError, ModelLoadError, ConfigError: a model cannot be
            loaded (checked once, before the first file is translated).
        KeyboardInterrupt: on Ctrl-C or SIGTERM, after the finished groups
            are committed; the next run resumes from there.
    """
    started = time.perf_counter()
    run_started = time.time()  # the translation cache answers only from entries older than this
    if group_docs < 1:
        raise ConfigError(f"--group-docs must be at least 1 (got {group_docs})")
    source_path = Path(source)
    if not source_path.is_dir():
        raise InputError(f"{source_path}: not a folder")
    out_path = Path(out_dir) if out_dir is not None else Path(DEFAULT_OUT)
    created_out = _make_output_folder(out_path)
    if pipeline is None:
        pipeline = Pipeline(config, options)
    if executor is None:
        executor = make_executor(engine, jobs=max(1, int(jobs)))

    del quiet  # the library never prints
    events = events or _ignore
    if force and not pipeline.options.overwrite:  # --force also replaces output files dewire did not write
        pipeline.options = dataclasses.replace(pipeline.options, overwrite=True)

    lock = _output_lock(out_path, events)
    lock.__enter__()  # one run per OUT: a second one waits here (released in the finally below)
    try:
        discovery = discover(source_path, out_path, patterns)
        if not discovery.files:
            shown = printable(os.fspath(source_path))
            raise InputError(
                f"{shown}: no file matches {' or '.join(repr(p) for p in patterns) or repr('*.txt')}"
                + (f" ({len(discovery.ignored)} ignored)" if discovery.ignored else "")
                + " — nothing to translate (choose files with --glob)"
            )
    except BaseException:
        lock.__exit__(None, None, None)
        if created_out:
            with contextlib.suppress(OSError):
                out_path.rmdir()
        raise
    manifest = Manifest.load(out_path / MANIFEST_NAME)  # under the lock: the previous run's entries are all there
    foreign = None
    if not manifest.signed and not ownership.is_owned(manifest.path):
        foreign = (manifest.path, "manifest")
    elif not manifest.journal_signed:
        foreign = (manifest.journal_path, "manifest journal")
    if foreign is not None and not force:
        lock.__exit__(None, None, None)
        from translate.errors import ForeignFileError
        from translate.writers.atomic import foreign_message

        raise ForeignFileError(f"{foreign_message(foreign[0])}; it is not a dewire {foreign[1]} ({manifest.warning})")
    key = settings_key(pipeline)
    manifest.settings = {key: settings_detail(pipeline)}
    _remove_stale_temporaries(out_path, discovery)

    report = BatchReport(ok=True, out_dir=out_path, jobs=max(1, int(jobs)))
    items: dict[str, BatchItem] = {}
    outcomes: dict[str, Outcome] = {}
    files = {f.relative: f for f in discovery.files}

    def settle(item: BatchItem) -> None:
        items[item.relative] = item
        if item.status == STATUS_DONE:
            report.sentences += item.sentences
        events(ItemSettled(item))
        if on_item is not None:
            on_item(item)

    def on_event(event: Any) -> None:
        if isinstance(event, GroupCommitted):
            manifest.save()
        else:
            events(event)

    events(BatchStarted(len(discovery.files)))
    if manifest.warning:
        events(Notice("manifest-ignored", manifest.warning))
    for ignored in discovery.ignored:
        events(Notice("input-ignored", ignored.reason, ignored.relative))

    model_missing = False
    with _sigterm_as_interrupt():
        try:
            todo = []
            for file in discovery.files:
                item = _work_item(file)
                entry = None if force or item.sha256 is None else manifest.done_entry(item, key, out_path)
                if entry is not None:
                    settle(_skipped_item(file, entry, out_path))
                elif (foreign := _foreign_output(out_path, item, pipeline)) is not None:
                    # refused before any work: an output would replace a file dewire did not write
                    outcome = failed(item, foreign, sha256=item.sha256)
                    outcomes[outcome.relative] = outcome
                    manifest.record(item, outcome, key)
                    settle(BatchItem.of(file.path, outcome, out_path))
                else:
                    todo.append(item)
            todo_by_name = {item.relative: item for item in todo}
            work = Work(
                tuple(todo),
                PipelineSpec.of(pipeline),
                out_path,
                key,
                group_sentences,
                on_event,
                pipeline,
                group_docs=group_docs,
                cache_before=run_started,
            )
            results = executor.run(work)
            try:
                for outcome in results:
                    outcomes[outcome.relative] = outcome
                    manifest.record(todo_by_name[outcome.relative], outcome, key)
                    settle(BatchItem.of(files[outcome.relative].path, outcome, out_path))
            finally:
                close = getattr(results, "close", None)
                if callable(close):
                    close()  # an interrupt stops the engine's work now (a generator's cleanup runs here)
        except (ModelNotFoundError, ModelLoadError):
            model_missing = not any(o.status == STATUS_DONE for o in outcomes.values())
            raise
        finally:
            if model_missing:
                # Nothing was translated: leave no manifest or digest behind (and no new empty folder).
                lock.__exit__(None, None, None)  # removes the lock file, so that the folder is empty
                if created_out:
                    with contextlib.suppress(OSError):
                        out_path.rmdir()
            else:
                # Commit what is finished (also on interrupt): the journal compacted into the snapshot; then the digest.
                with contextlib.suppress(OutputError):
                    manifest.compact()
                settled = [items[f.relative] for f in discovery.files if f.relative in items]
                settled.extend(BatchItem(path=i.path, relative=i.relative, status=STATUS_SKIPPED, reason=i.reason) for i in discovery.ignored)
                report.items = sorted(settled, key=lambda item: item.relative)
                report.index = write_digest(out_path, discovery, manifest, outcomes, force=force)
                if report.index is None and (out_path / INDEX_NAME).exists() and not ownership.is_owned(out_path / INDEX_NAME):
                    from translate.writers.atomic import foreign_message

                    events(Notice("digest-not-written", foreign_message(out_path / INDEX_NAME)))
                lock.__exit__(None, None, None)
        report.ok = report.count(STATUS_FAILED) == 0
        report.seconds = time.perf_counter() - started
    return report


# -- steps of the page above ------------------------------------------------------------------
def _ignore(event: Any) -> None:
    """The events callback when the caller gave none."""


def _make_output_folder(out_path: Path) -> bool:
    """Create OUT if needed and check that it is a writable folder; whether it was created now.

    Raises:
        OutputError: it cannot be created or written.
    """
    created = not out_path.exists()
    try:
        out_path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output folder '{out_path}': {err.strerror or err}") from err
    if not out_path.is_dir():
        raise OutputError(f"cannot create output folder '{out_path}': not a folder")
    if not os.access(out_path, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to output folder '{out_path}': permission denied")
    return created


def _work_item(file: SourceFile, sha256: str | None = None) -> WorkItem:
    """The work item for ``file``, with its content hash (``None`` if it cannot be read now)."""
    if sha256 is None:
        try:
            sha256 = sha256_file(file.path)
        except OSError:
            sha256 = None  # the engine reports the read error
    return WorkItem(path=file.path, relative=file.relative, out_parent=file.out_parent, stem=file.stem, sha256=sha256)


def _skipped_item(file: SourceFile, entry: ManifestEntry, out_dir: Path) -> BatchItem:
    return BatchItem(
        path=file.path,
        relative=file.relative,
        status=STATUS_SKIPPED,
        reason=entry.reason,
        sentences=entry.sentences,
        flags=entry.flags,
        seconds=entry.seconds,
        outputs=tuple(out_dir / rel for rel in entry.outputs),
        warnings=entry.warnings,
        title=entry.title,
    )


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM (``kill``) into ``KeyboardInterrupt`` while a batch runs (main thread only),
    so a killed run stops between writes exactly as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):  # pragma: no cover - no signals here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _remove_stale_temporaries(out_dir: Path, discovery: Discovery) -> None:
    """Delete the temporaries a killed dewire run left in OUT and in the output folders of this run's files.

    Only files that are provably dewire's and whose writer is gone
    (:func:`translate.ownership.remove_stale_temporaries`: the
    ``.dewire-XXXXXXXX.tmp`` name, recorded in that folder's ownership record,
    and locked by no live process) — never a user's ``.kapitel3.20240101.tmp``,
    never another live run's, never in a folder that holds no record.
    """
    folders = {out_dir} | {out_dir.joinpath(*f.out_parent.split("/")) for f in discovery.files if f.out_parent != "."}
    for folder in sorted(folders):
        ownership.remove_stale_temporaries(folder)


class _output_lock:
    """:func:`translate.ownership.run_lock` on OUT, reporting a wait as a :class:`Notice` (enter/exit once each)."""

    def __init__(self, out_dir: Path, events: EventFn) -> None:
        def on_wait(holder: str) -> None:
            events(Notice("output-busy", f"another dewire run ({holder}) is writing into this folder; waiting for it to finish", printable(os.fspath(out_dir))))

        self._context = ownership.run_lock(out_dir, on_wait)
        self._held = False

    def __enter__(self) -> None:
        try:
            self._context.__enter__()
        except OSError as err:
            raise OutputError(f"cannot lock output folder: {err.strerror or err}") from err
        self._held = True

    def __exit__(self, *exc: object) -> None:
        if self._held:
            self._held = False
            self._context.__exit__(None, None, None)


def _foreign_output(out_dir: Path, item: WorkItem, pipeline: Pipeline) -> str | None:
    """Why ``item`` must not be written (an output exists that dewire did not write), or ``None``."""
    from translate.errors import ForeignFileError
    from translate.writers import output_paths
    from translate.writers.atomic import check_destination

    folder = out_dir if item.out_parent == "." else out_dir.joinpath(*item.out_parent.split("/"))
    try:
        for path in output_paths(folder, item.stem, pipeline.options.formats):
            check_destination(path, force=pipeline.options.overwrite)
    except ForeignFileError as err:
        return str(err)
    except OutputError:
        return None  # reported when the file is written
    return None


__all__ = [
    "BatchItem",
    "BatchReport",
    "DEFAULT_GROUP_DOCS",
    "DEFAULT_GROUP_SENTENCES",
    "DEFAULT_OUT",
    "DEFAULT_PATTERNS",
    "Discovery",
    "ENGINES",
    "Executor",
    "INDEX_NAME",
    "Ignored",
    "InProcessExecutor",
    "MANIFEST_NAME",
    "Manifest",
    "ManifestEntry",
    "Outcome",
    "PipelineSpec",
    "ProcessPoolExecutor",
    "STATUS_DONE",
    "STATUS_FAILED",
    "STATUS_SKIPPED",
    "SourceFile",
    "Work",
    "WorkItem",
    "count_flags",
    "discover",
    "is_out_of_memory",
    "make_executor",
    "plan_groups",
    "run_group",
    "safe_component",
    "settings_detail",
    "settings_key",
    "translate_folder",
]
