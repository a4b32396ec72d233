"""Batch engines: where the work runs. Everything else (discovery, resume, manifest, digest) is shared.

An engine implements :class:`Executor`: it runs the translation groups of
:meth:`Work.groups` (the one partition of the files every engine uses, so
that all engines write the same bytes; :mod:`translate.batch.work`), each
through :func:`~translate.batch.work.run_group` or the same
:func:`~translate.batch.work.process_stream`, and ``run(work)`` yields one
:class:`~translate.batch.work.Outcome` per :class:`~translate.batch.work.WorkItem`
in ``work.items``, in any order, and never writes the manifest. It reports
progress through ``work.events``: :class:`~translate.events.ModelsReady` when
translation starts, :class:`~translate.events.DocumentRead` for each document
read (optional: it lets a display know the run's sentence total early), :class:`~translate.events.SentencesTranslated` as
sentences are done, :class:`~translate.events.RetryStarted` and
:class:`~translate.events.SegmentsRetried` during a repetition-retry pass
(optional: the in-process engine sends them; the others report per finished
task), and :class:`~translate.events.GroupCommitted` after the
outcomes of each group have been yielded (the driver then saves the
manifest). A model that cannot be loaded is raised (the run stops once);
any other per-file problem is a failed outcome. When the consumer stops
iterating (an interrupt), closing the iterator must stop the work promptly.

Engines are chosen by name from :data:`ENGINES` (``local``: in this process
for one job, a process pool for several; ``ray``: imported only when chosen,
so that ``dewire --help`` never imports Ray).

The process pool runs one translation group per task on ``jobs`` spawned workers, each with its own
:class:`~translate.pipeline.Pipeline` rebuilt from the
:class:`~translate.batch.work.PipelineSpec` (so its own model replica, with
``cores // jobs`` threads unless ``--threads`` is given). Every worker holds
another copy of the models, so it pays only with spare cores and memory and a
small model; ``benchmarks/batch_speed.py`` measures it, and the default is 1.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Protocol, Sequence

from translate.batch.work import (
    DEFAULT_GROUP_DOCS,
    DEFAULT_GROUP_SENTENCES,
    STATUS_DONE,
    Outcome,
    PipelineSpec,
    Prepared,
    WorkItem,
    failed,
    failure_reason,
    plan_groups,
    prepare,
    process_stream,
    run_group,
)
from translate.errors import ConfigError
from translate.events import DocumentRead, EventFn, GroupCommitted, ModelsReady, SentencesTranslated, emit

if TYPE_CHECKING:
    from translate.pipeline import Pipeline

TERMINATE_GRACE_S = 5.0
"""Seconds interrupted workers get to exit after SIGTERM before SIGKILL."""

READ_AHEAD = 64
"""Documents read and segmented ahead of translation by the in-process engine (bounds memory)."""


@dataclass(slots=True)
class Work:
    """What an engine is asked to do.

    Attributes:
        items: the files still to do (already filtered by the manifest), in order.
        spec: how to build the pipeline wherever the work runs.
        out_dir: the output folder OUT.
        settings_key: the run's settings key.
        group_sentences: sentences per translation group.
        events: the progress callback (see the module docstring).
        pipeline: the driver's own pipeline, for engines that run in this
            process (its loaded models are reused); ``None`` = build from ``spec``.
        group_docs: files per translation group (:func:`~translate.batch.work.plan_groups`).
        cache_before: the run's start, seconds since the epoch: the
            translation cache answers only from entries stored before it
            (:func:`translate.mt.cache.answers_only_before`); ``None`` = no restriction.
    """

    items: tuple[WorkItem, ...]
    spec: PipelineSpec
    out_dir: Path
    settings_key: str
    group_sentences: int = DEFAULT_GROUP_SENTENCES
    events: EventFn | None = None
    pipeline: "Pipeline | None" = None
    group_docs: int = DEFAULT_GROUP_DOCS
    cache_before: float | None = None

    def groups(self) -> list[tuple[WorkItem, ...]]:
        """The run's translation groups (:func:`~translate.batch.work.plan_groups` of :attr:`items`)."""
        return plan_groups(self.items, self.group_docs)

    def emit(self, event: Any) -> None:
        """Send ``event`` to :attr:`events`, if any."""
        emit(self.events, event)


class Executor(Protocol):
    """A batch engine (see the module docstring for the contract)."""

    def run(self, work: Work) -> Iterator[Outcome]:
        """Do ``work``; yield one outcome per item.

        Raises:
            ModelNotFoundError, ModelLoadError, ConfigError: a model cannot be loaded.
        """
        ...


# -- in this process --------------------------------------------------------------------
_END = object()


class _Reader:
    """Reads and segments files ahead of translation in a background thread.

    The queue holds at most :data:`READ_AHEAD` prepared files, so memory stays
    bounded however many files there are. Leaving the ``with`` block makes the
    thread finish promptly (also on interrupt).
    """

    def __init__(self, prepare_one: Callable[[WorkItem], Prepared | Outcome], items: Sequence[WorkItem]) -> None:
        self._prepare = prepare_one
        self._items = items
        self._queue: queue.Queue[object] = queue.Queue(maxsize=READ_AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dewire-reader", daemon=True)

    def __enter__(self) -> "_Reader":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()
        self._thread.join(timeout=5)

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self._items:
                if self._stop.is_set() or not self._put(self._prepare(item)):
                    return
        except BaseException as err:  # noqa: BLE001 - handed to the consumer, which re-raises
            self._put(err)
        finally:
            self._put(_END)

    def __iter__(self) -> Iterator[Prepared | Outcome]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]


class InProcessExecutor:
    """One process: a reader thread prepares files while this thread translates groups."""

    def run(self, work: Work) -> Iterator[Outcome]:
        """See :class:`Executor`."""
        if not work.items:
            return
        pipeline = work.pipeline if work.pipeline is not None else work.spec.build()
        group_index = {item.relative: n for n, group in enumerate(work.groups()) for item in group}
        with _Reader(lambda item: prepare(pipeline, item), work.items) as reader:
            yield from process_stream(
                pipeline,
                _announced(reader, work),
                work.out_dir,
                group_sentences=work.group_sentences,
                progress=lambda n: work.emit(SentencesTranslated(n)),
                on_models_ready=lambda: work.emit(ModelsReady()),
                on_group_done=lambda: work.emit(GroupCommitted()),
                group_of=lambda item: group_index[item.relative],
                cache_before=work.cache_before,
                retry_events=work.emit,  # the retry pass, so that the bar shows it instead of pausing
            )


def _announced(prepared: Iterable[Prepared | Outcome], work: Work) -> Iterator[Prepared | Outcome]:
    """``prepared`` as it is, sending :class:`~translate.events.DocumentRead` for each document read
    (in the consuming thread), so that a display can count the run's sentences before they are translated."""
    for entry in prepared:
        if isinstance(entry, Prepared):
            work.emit(DocumentRead(entry.doc))
        yield entry


# -- a pool of worker processes ----------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _worker_init(spec: PipelineSpec) -> None:
    """Process-pool initializer: build this worker's Pipeline; ignore Ctrl-C (the parent handles it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["pipeline"] = spec.build()


def _worker_run(items: Sequence[WorkItem], out_dir: str, key: str, group_sentences: int, cache_before: float | None = None) -> list[Outcome]:
    """Worker task: :func:`run_group` on this worker's pipeline (``items`` = one translation group)."""
    pipeline: Pipeline = _WORKER["pipeline"]
    pipeline.check_models()
    return run_group(pipeline, items, out_dir, key, group_sentences=group_sentences, cache_before=cache_before)


class ProcessPoolExecutor:
    """``jobs`` spawned worker processes, a few files per task; the parent loads no model.

    A model that cannot be loaded fails the run once (the first worker's
    :class:`~translate.errors.DewireError` is re-raised); any other crash of
    a task fails that task's files with the reason. When the iterator is
    closed or interrupted, every worker is terminated (SIGTERM, then SIGKILL
    after :data:`TERMINATE_GRACE_S`) and reaped.

    Args:
        jobs: worker processes (at least 1).
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, int(jobs))

    def run(self, work: Work) -> Iterator[Outcome]:
        """See :class:`Executor`."""
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures import ProcessPoolExecutor as Pool

        from translate.errors import ModelLoadError, ModelNotFoundError

        if not work.items:
            return
        spec = work.spec.with_threads((os.cpu_count() or 1) // self.jobs)
        context = multiprocessing.get_context("spawn")
        earlier_children = set(multiprocessing.active_children())
        pool = Pool(max_workers=self.jobs, mp_context=context, initializer=_worker_init, initargs=(spec,))
        try:
            tasks = {
                pool.submit(_worker_run, group, str(work.out_dir), work.settings_key, work.group_sentences, work.cache_before): group
                for group in work.groups()  # one translation group per task: the same batches as every engine
            }
            pending = set(tasks)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        outcomes = future.result()
                    except (ModelNotFoundError, ModelLoadError, ConfigError):
                        raise
                    except Exception as err:  # noqa: BLE001 - a crashed task fails its files, not the run
                        outcomes = [failed(item, failure_reason(err)) for item in tasks[future]]
                    for outcome in outcomes:
                        if outcome.status == STATUS_DONE:
                            work.emit(SentencesTranslated(outcome.sentences))
                        yield outcome
                    work.emit(GroupCommitted())
        except BaseException:
            # Interrupted, closed, or a model error: stop now rather than after the tasks in flight.
            # Workers write atomically, so a killed worker leaves at most a temporary file.
            pool.shutdown(wait=False, cancel_futures=True)
            # Every child born since the pool was made is one of its workers, also one the
            # pool was still starting (its own list can miss those; measured in CI).
            workers = [c for c in multiprocessing.active_children() if c not in earlier_children]
            _terminate(pool, workers)
            raise
        pool.shutdown(wait=True)


def _terminate(pool: Any, processes: Sequence[Any]) -> None:
    """Terminate a pool's workers: ``terminate_workers()`` on Python 3.14+, then each process.

    Each gets SIGTERM, then SIGKILL if still alive after
    :data:`TERMINATE_GRACE_S` seconds, and is reaped, so no worker outlives an
    interrupted run.
    """
    terminate = getattr(pool, "terminate_workers", None)
    if callable(terminate):
        with contextlib.suppress(Exception):
            terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            if process.is_alive():
                process.terminate()
    deadline = time.monotonic() + TERMINATE_GRACE_S
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=max(0.0, deadline - time.monotonic()))
            if process.is_alive():  # SIGTERM not acted on in time (e.g. still starting up): SIGKILL
                process.kill()
                process.join(timeout=5)


# -- the registry -------------------------------------------------------------------------
def _local(jobs: int = 1, **_: Any) -> Executor:
    return InProcessExecutor() if jobs <= 1 else ProcessPoolExecutor(jobs)


def _lazy(module: str, name: str) -> Callable[..., Executor]:
    """A factory that imports ``module`` only when the engine is chosen, then calls ``module.name(**kwargs)``."""

    def factory(**kwargs: Any) -> Executor:
        try:
            cls = getattr(importlib.import_module(module), name)
        except ImportError as err:
            raise ConfigError(f"batch engine needs {err.name or module}, which is not installed") from err
        return cls(**kwargs)

    return factory


ENGINES: dict[str, Callable[..., Executor]] = {
    "local": _local,
    "ray": _lazy("translate.batch.ray_engine", "RayExecutor"),
}
"""Engine name → factory called with keyword arguments (``jobs`` …) returning an :class:`Executor`."""


def make_executor(engine: str = "local", **kwargs: Any) -> Executor:
    """The executor for ``engine`` (a key of :data:`ENGINES`).

    Raises:
        ConfigError: unknown engine, or its package is not installed.
    """
    factory = ENGINES.get(engine)
    if factory is None:
        raise ConfigError(f"unknown batch engine {engine!r} (choose from {', '.join(sorted(ENGINES))})")
    return factory(**kwargs)
