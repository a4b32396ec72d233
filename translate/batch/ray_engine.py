"""The Ray engine: batch mode on a Ray cluster with Ray Data (``--engine ray``, issue 15).

The same work as the local engine, run by a pool of Ray actors::

    driver (dewire translate DIR -o OUT --engine ray)
      discovery · manifest · resume filter · translation groups   (shared code, translate/batch/)
      ray.data.from_items(one row per translation group of the files still to do)
        .map_batches(_DocumentWorker, batch_size=1 group, compute=ActorPoolStrategy(size=N))
          actor __init__: Pipeline from the PipelineSpec, models loaded once
          actor __call__: run_group(the group's documents) → outputs written atomically into OUT
        .iter_rows() → one Outcome per document → manifest, progress, digest (driver only)

* **Document groups, not sentence rows.** A row is one translation group
  (:meth:`~translate.batch.executors.Work.groups`: ``--group-docs`` whole
  input files in discovery order, each given by its path, relative name,
  output folder and stem, hash), and a task is exactly one group, whose
  sentences the actor translates batched together by
  :func:`~translate.batch.work.run_group`, exactly as the local engine
  translates that group. The partition is made on the driver from the list
  of files alone and is the local engine's too, so the model sees the same
  batches on both engines and the outputs are the same bytes. No shuffle or
  groupby is needed to reassemble documents.
* **One model per actor**, loaded in the actor's constructor through the same
  :class:`~translate.pipeline.Pipeline` code path as the local engine. CPU
  actors reserve ``num_cpus`` = their torch threads; GPU actors ``num_gpus=1``
  (and run on ``cuda`` unless ``--device`` says otherwise).
* **Per-document errors are caught inside the task**: ``run_group`` turns
  any per-document exception into a failed outcome with its one-line reason,
  and :meth:`_DocumentWorker.__call__` never raises, so Ray's error knobs
  are never relied on (``max_errored_blocks`` silently drops whole blocks, and
  ``actor_task_retry_on_errors`` with a deterministic error retries for ever,
  since Ray Data gives its actors infinite task retries). A model that cannot
  be loaded is sent back as a *fatal* row and raised once on the driver, as
  the local engine raises it.
* **Retries only for infrastructure failures**: an actor whose process dies
  (OOM kill, segfault, SIGKILL, a lost node) is restarted by Ray and its task
  retried (Ray Data's own retry list: ``RaySystemError``), at most
  :data:`DEFAULT_TASK_RETRIES` times per task. Outputs are written atomically
  and ``run_group`` is idempotent, so a retried task rewrites whole files. A
  task that kills its actor every time (a poison document) ends the Ray job;
  every document not finished by then is reported failed with the reason and
  is redone by the next run.
* **The manifest is written by the driver alone**, from the stream of
  finished rows, which also drives the progress bar; resume, per-file
  failures, digest and exit codes are the shared code's, identical for every
  engine. OUT (and DIR) must therefore be the same path on every node: on a
  real cluster, shared storage.
* **Translation cache: off** in the actors. The SQLite cache must never live
  on a network filesystem (home folders on clusters often are), and a
  per-node cache would rarely be hit again (a document lands on any node; a
  finished one is skipped by the manifest anyway). The local engine's cache
  changes nothing within a run (it answers only from entries stored before
  the run started, and the translate stage cuts the same calls with or
  without it), so a local run with a fresh cache writes the same bytes as
  this engine; a warm cache from earlier runs may differ in the last bits of
  a score or, rarely, a word (see README, "Running on a cluster").
* **Ray instance**: with ``address`` (or ``RAY_ADDRESS``) the run joins that
  cluster; without, it starts a local Ray instance for the run and shuts it
  down afterwards. A Ray session already initialized in this process (an
  embedding program, the tests) is used as it is and left running. The local
  instance binds to 127.0.0.1 only: ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` is
  set before Ray is imported, or its switch turned off if Ray was imported
  already (:func:`loopback_only`; measured with Ray 2.60: a plain ``ray.init()``
  listens on every interface and ``_node_ip_address="127.0.0.1"`` is silently
  replaced by the machine's address), and ``RAY_USAGE_STATS_ENABLED=0`` unless
  the user set them.

Ray is imported only inside :meth:`RayExecutor.run`, so ``dewire --help`` and
the local engine never import it (``pip install 'dewire[ray]'``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import ipaddress
import json
import logging
import os
import pickle
import signal
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Iterator, Sequence

from translate.batch.executors import Work
from translate.batch.work import STATUS_DONE, Outcome, PipelineSpec, WorkItem, failed, failure_reason, run_group
from translate.errors import ConfigError, DewireError, ModelLoadError, ModelNotFoundError
from translate.events import GroupCommitted, ModelsReady, SentencesTranslated

RAY_REQUIREMENT = "ray[data]==2.60.*"
"""The Ray version tested (the ``ray`` extra of pyproject.toml pins the same minor)."""

INSTALL_HINT = "pip install 'dewire[ray]'"


DEFAULT_TASK_RETRIES = 3
"""Times a task is retried after its actor died (process killed, node lost) before the job gives up."""

DEFAULT_CLUSTER_THREADS = 2
"""Torch threads (and reserved CPUs) per CPU actor on a joined cluster when ``--threads`` is not given.

Several small actors use a node's cores better than one wide one (MarianMT
decoding scales poorly past a few threads) at the cost of one model copy each
(about 0.9 GiB RSS per worker with the language detector, measured for ``--jobs``)."""

COMMIT_INTERVAL_S = 2.0
"""Least seconds between two manifest commits the engine asks for (see :meth:`RayExecutor._collect`)."""

COMMIT_OVERHEAD = 10.0
"""A commit is asked for at most once per this many times the last commit took (keeps saving ≤ ~10 % of the driver)."""

LOCAL_OBJECT_STORE_BYTES = 512 * 1024 * 1024
"""Object store of the local Ray instance: rows are small (paths and outcomes); Ray's default is 30 % of RAM."""

_FATAL_ERRORS: dict[str, type[DewireError]] = {
    "ModelNotFoundError": ModelNotFoundError,
    "ModelLoadError": ModelLoadError,
    "ConfigError": ConfigError,
}
"""Run-wide errors an actor sends back as a fatal row; the driver raises them (exit 5 or 4, as locally)."""

_LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})


# -- the actor ------------------------------------------------------------------------
def _item_rows(items: Sequence[WorkItem]) -> list[dict[str, str]]:
    """Dataset rows for ``items``: plain strings, paths made absolute (workers may run in another folder)."""
    return [
        {
            "path": os.path.abspath(item.path),
            "relative": item.relative,
            "out_parent": item.out_parent,
            "stem": item.stem,
            "sha256": item.sha256 or "",
        }
        for item in items
    ]


def _group_rows(groups: Sequence[Sequence[WorkItem]]) -> list[dict[str, str]]:
    """Dataset rows, one per translation group: ``items`` = the JSON list of its :func:`_item_rows`."""
    return [{"items": json.dumps(_item_rows(group), ensure_ascii=False)} for group in groups]


def _row_item(row: dict[str, Any]) -> WorkItem:
    """The :class:`WorkItem` of one dataset row (inverse of :func:`_item_rows`)."""
    return WorkItem(
        path=Path(row["path"]),
        relative=row["relative"],
        out_parent=row["out_parent"],
        stem=row["stem"],
        sha256=row["sha256"] or None,
    )


class _DocumentWorker:
    """A Ray Data actor: one :class:`~translate.pipeline.Pipeline` (one model copy) for many tasks.

    Plain Python (Ray is not imported here), so the tests call it directly.

    Args:
        spec: how to build the pipeline (the actor's options: cache off, threads, device).
        out_dir: OUT, absolute, the same path on every node.
        settings_key: the run's settings key.
        group_sentences: most sentences translated together inside a group.
        cache_before: see :func:`~translate.batch.work.process_stream` (the actors' cache is off: no effect then).
    """

    def __init__(self, spec: PipelineSpec, out_dir: str, settings_key: str, group_sentences: int, cache_before: float | None = None) -> None:
        self.out_dir = out_dir
        self.settings_key = settings_key
        self.group_sentences = group_sentences
        self.cache_before = cache_before
        self.fatal: tuple[str, str] | None = None
        self.pipeline: Any = None
        try:
            self.pipeline = spec.build()
            self.pipeline.check_models()  # load the models once, here, not in the first task
        except DewireError as err:
            self.fatal = (type(err).__name__, str(err))

    def __call__(self, batch: Any) -> Any:
        """Run one task: ``batch`` is a ``pyarrow.Table`` of group rows (:func:`_group_rows`; each
        group translated as a unit) or of item rows (:func:`_item_rows`: one group); returns one
        outcome row per document.

        Output columns: ``relative`` (str), ``outcome`` (bytes: the pickled
        :class:`Outcome`, or empty on a fatal row), ``fatal`` (the error class
        name, empty if none) and ``error`` (its message). Never raises.
        """
        import pyarrow as pa

        rows = batch.to_pylist()
        if rows and "items" in rows[0]:
            groups = [[_row_item(r) for r in json.loads(row["items"])] for row in rows]
        else:
            groups = [[_row_item(row) for row in rows]]
        items = [item for group in groups for item in group]
        outcomes: list[Outcome] = []
        fatal = None
        for group in groups:
            done, fatal = self.process(group)
            if fatal is not None:
                break
            outcomes.extend(done)
        if fatal is not None:
            kind, message = fatal
            return pa.table(
                {
                    "relative": pa.array([i.relative for i in items], pa.string()),
                    "outcome": pa.array([b""] * len(items), pa.binary()),
                    "fatal": pa.array([kind] * len(items), pa.string()),
                    "error": pa.array([message] * len(items), pa.string()),
                }
            )
        return pa.table(
            {
                "relative": pa.array([o.relative for o in outcomes], pa.string()),
                "outcome": pa.array([pickle.dumps(o, protocol=pickle.HIGHEST_PROTOCOL) for o in outcomes], pa.binary()),
                "fatal": pa.array([""] * len(outcomes), pa.string()),
                "error": pa.array([""] * len(outcomes), pa.string()),
            }
        )

    def process(self, items: Sequence[WorkItem]) -> tuple[list[Outcome], tuple[str, str] | None]:
        """Translate and write ``items``; one outcome per item in order, or a fatal (class name, message).

        Per-document errors are failed outcomes (from :func:`run_group`); an
        unexpected error of the whole group is retried document by document so
        that it fails only the document at fault.
        """
        if self.fatal is not None:
            return [], self.fatal
        try:
            return run_group(self.pipeline, items, self.out_dir, self.settings_key, group_sentences=self.group_sentences, cache_before=self.cache_before), None
        except (ModelNotFoundError, ModelLoadError, ConfigError) as err:
            return [], (type(err).__name__, str(err))
        except Exception:  # noqa: BLE001 - isolate the document at fault below
            pass
        outcomes = []
        for item in items:
            try:
                outcomes.extend(
                    run_group(self.pipeline, [item], self.out_dir, self.settings_key, group_sentences=self.group_sentences, cache_before=self.cache_before)
                )
            except (ModelNotFoundError, ModelLoadError, ConfigError) as err:
                return [], (type(err).__name__, str(err))
            except Exception as err:  # noqa: BLE001 - one bad file never stops the others
                outcomes.append(failed(item, failure_reason(err)))
        return outcomes, None


# -- the executor ---------------------------------------------------------------------
@contextlib.contextmanager
def _keep_sigterm_handler() -> Iterator[None]:
    """Give SIGTERM back to Python's handler after ``ray.init``.

    Ray's core worker installs a C++ failure-signal handler for SIGTERM in
    the driver that aborts the process (measured with Ray 2.60: "*** SIGTERM
    received … Aborted"), which would bypass the batch driver's interrupt
    handling (finished work committed to the manifest, exit 130). Python's
    handler of before the call is installed again (main thread only).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    try:
        yield
    finally:
        if previous is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signal.SIGTERM, previous)


def _is_loopback_address(address: str) -> bool:
    """Whether a Ray address (``HOST:PORT``, ``ray://HOST:PORT``) names this machine's loopback interface."""
    host = address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def loopback_only(ray: Any) -> None:
    """Make a Ray instance started by this process register and listen on 127.0.0.1 only.

    ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` (set by :meth:`RayExecutor._import_ray`
    and inherited by Ray's processes) does this, but Ray reads it once, at
    import; when Ray was imported earlier in this process the same switch
    (``ray._private.ray_constants.ENABLE_RAY_CLUSTER``, Ray 2.60) is turned
    off here. Without it Ray 2.60 listens on every interface (measured).
    """
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # for the processes Ray starts
    from ray._private import ray_constants

    ray_constants.ENABLE_RAY_CLUSTER = False


class RayExecutor:
    """Run the batch work on Ray Data actors (see the module docstring).

    Args:
        workers: actors in the pool (``--workers``); default: 1 on a local
            instance, and on a joined cluster its GPUs (with
            ``gpus_per_worker=1``) or its CPUs divided by the threads per actor.
        jobs: the engine-neutral ``--jobs``; used as ``workers`` when that is not given and ``jobs > 1``.
        address: a Ray cluster to join (``HOST:PORT``, ``auto``, ``ray://…``);
            default ``$RAY_ADDRESS``, else a local instance for this run.
        gpus_per_worker: 0 (CPU actors) or 1 (one GPU per actor).
        threads_per_worker: torch threads and reserved CPUs per CPU actor
            (default: ``--threads``, else the local cores divided by the
            workers, else :data:`DEFAULT_CLUSTER_THREADS` on a cluster).
        task_retries: retries of a task whose actor died (see :data:`DEFAULT_TASK_RETRIES`).
        commit_interval_s: least seconds between manifest commits (see :meth:`_collect`; 0 = after every task's worth).

    Raises:
        ConfigError: Ray is not installed, or a number is out of range.
    """

    def __init__(
        self,
        *,
        workers: int | None = None,
        jobs: int | None = None,
        address: str | None = None,
        gpus_per_worker: int = 0,
        threads_per_worker: int | None = None,
        task_retries: int = DEFAULT_TASK_RETRIES,
        commit_interval_s: float = COMMIT_INTERVAL_S,
    ) -> None:
        if importlib.util.find_spec("ray") is None:
            raise ConfigError(f"--engine ray needs Ray ({RAY_REQUIREMENT}): {INSTALL_HINT}")
        if workers is None and jobs is not None and jobs > 1:
            workers = jobs
        if workers is not None and workers < 1:
            raise ConfigError(f"--workers must be at least 1 (got {workers})")
        if gpus_per_worker not in (0, 1):
            raise ConfigError(f"--gpus-per-worker must be 0 or 1 (got {gpus_per_worker})")
        if threads_per_worker is not None and threads_per_worker < 1:
            raise ConfigError(f"threads per worker must be at least 1 (got {threads_per_worker})")
        self.workers = workers
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self.gpus_per_worker = gpus_per_worker
        self.threads_per_worker = threads_per_worker
        self.task_retries = max(0, task_retries)
        self.commit_interval_s = max(0.0, commit_interval_s)
        self.cluster: dict[str, Any] = {}
        """After a run: ``address`` joined (``None`` = local instance), ``resources``, ``workers``, ``threads``,
        and seconds: ``init_s`` (Ray started or joined), ``first_row_s`` (first document finished, from the
        start of the run), ``shutdown_s`` (Ray stopped; only when this run started or joined it)."""

    # -- Ray session ---------------------------------------------------------------
    def _import_ray(self) -> Any:
        """Import Ray, first setting the environment that keeps a local instance on loopback."""
        if self.address is None or _is_loopback_address(self.address):
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        # Ray's C++ core logs to the driver's stderr; at "fatal" it prints one line saying so, instead of
        # Ray Data 2.60's "E … constructor arguments in the object store" for every actor pool (ray#53727).
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
        import ray

        return ray

    def _connect(self, ray: Any) -> bool:
        """Join ``address`` or start a local instance, unless Ray is initialized already; whether to shut down after.

        The local instance gets this machine's cores, or more when the
        workers and threads asked for need more (oversubscribed, as asked).

        Raises:
            ConfigError: the cluster cannot be reached.
        """
        if ray.is_initialized():
            return False
        common: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False, "namespace": "dewire"}
        with _keep_sigterm_handler():
            self._init(ray, common)
        return True

    def _init(self, ray: Any, common: dict[str, Any]) -> None:
        """``ray.init`` for :meth:`_connect`."""
        import ray.exceptions

        try:
            if self.address is not None:
                ray.init(address=self.address, **common)
            else:
                loopback_only(ray)
                cores = os.cpu_count() or 1
                wanted = (self.workers or 1) * (self.threads_per_worker or 1) if not self.gpus_per_worker else 0
                ray.init(
                    num_cpus=max(cores, wanted),
                    include_dashboard=False,
                    object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                    **common,
                )
        except (ConnectionError, TimeoutError, RuntimeError, ValueError, ray.exceptions.RayError) as err:
            where = f"the Ray cluster at {self.address}" if self.address else "a local Ray instance"
            hint = " (a cluster with token auth needs RAY_AUTH_MODE=token and its token)" if self.address else ""
            message = " ".join(str(err).split())
            if len(message) > 300:
                message = message[:300] + " …"
            raise ConfigError(f"cannot connect to {where}: {type(err).__name__}: {message}{hint}") from err

    def _plan(self, resources: dict[str, float], spec: PipelineSpec, local: bool) -> tuple[int, int, PipelineSpec]:
        """Workers, threads (= reserved CPUs) per CPU actor, and the actors' pipeline spec (cache off, threads, device).

        Raises:
            ConfigError: GPU workers asked for, but this (local) Ray instance has no GPU.
        """
        cpus = max(1, int(resources.get("CPU", 1)))
        gpus = int(resources.get("GPU", 0))
        options = spec.options
        threads = self.threads_per_worker or options.threads
        if self.gpus_per_worker:
            if local and gpus < 1:
                raise ConfigError("--gpus-per-worker 1: this machine's Ray instance has no GPU (torch sees no CUDA device)")
            workers = self.workers or max(1, gpus)
            threads = threads or 1
            if options.device in (None, "auto"):
                options = dataclasses.replace(options, device="cuda")
        elif local:
            workers = self.workers or 1
            if threads is None and workers == 1:
                # One actor on this machine: every core reserved, and the backend's own default thread
                # count (physical cores), exactly as the local engine would choose it.
                options = dataclasses.replace(options, use_cache=False)
                return 1, cpus, dataclasses.replace(spec, options=options)
            threads = threads or max(1, cpus // workers)
        else:
            threads = threads or DEFAULT_CLUSTER_THREADS
            workers = self.workers or max(1, cpus // threads)
        options = dataclasses.replace(options, use_cache=False, threads=threads)
        return workers, int(threads), dataclasses.replace(spec, options=options)

    # -- the run ----------------------------------------------------------------------
    def run(self, work: Work) -> Iterator[Outcome]:
        """See :class:`~translate.batch.executors.Executor`: one outcome per item, in the order they finish.

        Raises:
            ModelNotFoundError, ModelLoadError, ConfigError: a model cannot be
                loaded on the workers, or the cluster cannot be reached.
        """
        if not work.items:
            return
        started = time.perf_counter()
        ray = self._import_ray()
        shutdown = self._connect(ray)
        self.cluster = {"address": self.address, "init_s": round(time.perf_counter() - started, 3)}
        pending = {item.relative: item for item in work.items}
        try:
            resources = dict(ray.cluster_resources())
            workers, threads, spec = self._plan(resources, work.spec, local=self.address is None)
            self.cluster.update(resources=resources, workers=workers, threads=threads)
            rows = self._dataset(ray, work, spec, workers, threads).iter_rows()
            yield from self._collect(rows, work, pending, started)
        finally:
            if shutdown:
                stopping = time.perf_counter()
                with contextlib.suppress(Exception):
                    ray.shutdown()
                self.cluster["shutdown_s"] = round(time.perf_counter() - stopping, 3)

    def _dataset(self, ray: Any, work: Work, spec: PipelineSpec, workers: int, threads: int) -> Any:
        """The lazy Ray dataset: item rows → actor pool → outcome rows."""
        import ray.data

        from ray.util.annotations import RayDeprecationWarning

        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # progress is the driver's, from the finished rows
        context.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        rows = _group_rows(work.groups())  # one row per translation group: a task is exactly one group
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
        with warnings.catch_warnings():
            # max_task_retries has no named parameter in 2.60; ``**ray_remote_args`` warns that it goes away in 2.64.
            warnings.simplefilter("ignore", RayDeprecationWarning)
            return dataset.map_batches(
                _DocumentWorker,
                fn_constructor_kwargs={
                    "spec": spec,
                    "out_dir": os.path.abspath(work.out_dir),
                    "settings_key": work.settings_key,
                    "group_sentences": work.group_sentences,
                    "cache_before": work.cache_before,
                },
                batch_size=1,
                batch_format="pyarrow",
                zero_copy_batch=True,
                compute=ray.data.ActorPoolStrategy(size=workers),
                num_cpus=1 if self.gpus_per_worker else threads,
                num_gpus=1 if self.gpus_per_worker else None,
                max_task_retries=self.task_retries,
            )

    def _collect(self, rows: Iterator[dict[str, Any]], work: Work, pending: dict[str, WorkItem], started: float) -> Iterator[Outcome]:
        """Turn the stream of finished rows into outcomes and progress events; settle what never finished.

        The driver commits the manifest on each :class:`GroupCommitted` (an
        fsync'd append to its journal, O(new entries); see
        :mod:`translate.batch.manifest`), so a commit is asked for after a
        task's worth of documents (``work.group_docs``), but at most every
        :attr:`commit_interval_s` seconds and every :data:`COMMIT_OVERHEAD`
        times the last commit's duration, so that with many workers the
        driver's fsyncs stay a small share of its time.
        An interrupt loses at most the documents finished since the last
        commit (their outputs are complete; the next run redoes them).
        """
        import ray.data.exceptions
        import ray.exceptions

        job_errors = (ray.exceptions.RayError, ray.data.exceptions.SystemException, ray.data.exceptions.ExecutionTimeoutError)
        first = True
        since_commit = 0
        last_commit = time.perf_counter()
        commit_cost = 0.0
        try:
            for row in rows:
                if row["fatal"]:
                    error = _FATAL_ERRORS.get(row["fatal"], DewireError)
                    raise error(row["error"])
                if first:
                    self.cluster["first_row_s"] = round(time.perf_counter() - started, 3)
                    work.emit(ModelsReady())
                    first = False
                outcome: Outcome = pickle.loads(row["outcome"])
                if pending.pop(outcome.relative, None) is None:
                    continue  # already settled (a retried task's duplicate row)
                if outcome.status == STATUS_DONE:
                    work.emit(SentencesTranslated(outcome.sentences))
                yield outcome
                since_commit += 1
                now = time.perf_counter()
                wait = max(self.commit_interval_s, COMMIT_OVERHEAD * commit_cost) if self.commit_interval_s else 0.0
                if since_commit >= work.group_docs and now - last_commit >= wait:
                    work.emit(GroupCommitted())
                    last_commit = time.perf_counter()
                    commit_cost = last_commit - now
                    since_commit = 0
        except job_errors as err:
            # The job itself failed (a task exhausted its retries, the cluster went away): every document
            # not finished is failed with the reason, so the run ends normally and the next run redoes them.
            reason = f"not finished: the Ray job stopped ({type(err).__name__}: {' '.join(str(err).split())[:300]})"
            for item in list(pending.values()):
                pending.pop(item.relative, None)
                yield failed(item, reason)
        if since_commit:
            work.emit(GroupCommitted())


__all__ = ["DEFAULT_TASK_RETRIES", "RAY_REQUIREMENT", "RayExecutor"]
