"""The Ray engine (issue 15): translate/batch/ray_engine.py and ``dewire translate DIR --engine ray``.

Two layers:

* without Ray running: the actor class (:class:`_DocumentWorker`) called
  directly — one task of whole documents, per-document failures, atomic
  writes, a model that cannot load — and the driver's handling of the stream
  of finished rows; the CLI's engine options. (``run_group`` itself, order,
  resume and the process pool are covered by tests/test_batch*.py.)
* marked ``ray`` (selected with ``-m ray``), on a loopback-only Ray: the CLI
  with ``--engine ray`` gives the local engine's bytes, lists the bad files
  and exits 1; a second run rewrites nothing; a worker killed with SIGKILL
  mid-run still yields every document; ``--address`` joins a
  ``ray start --head --node-ip-address=127.0.0.1`` cluster; no listener of
  any run is bound beyond loopback, and none is left after it.

Every Ray process here gets a temporary HOME (Ray writes its auth token to
``~/.ray``), a short temp dir and loopback-only settings (tests/ray_harness.py).
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from tests.ray_harness import MARKER, ListenerWatch, kill_marked, ray_env, ray_head, short_temp_dir, wait_for_no_listeners
from tests.faults import listing
from translate.ownership import RECORD_NAME
from tests.test_batch_helpers import CallTaggingTranslator, CountingTranslator, make_pipeline, tmp_files, write_articles
from translate.batch import MANIFEST_NAME, InProcessExecutor, PipelineSpec, Work, WorkItem, translate_folder
from translate.batch.manifest import Manifest
from translate.batch.work import Outcome
from translate.errors import ConfigError, ModelNotFoundError
from translate.events import GroupCommitted, ModelsReady, SentencesTranslated
from translate.mt.cache import CachedTranslator

REPO = Path(__file__).resolve().parent.parent

ray_engine = pytest.importorskip("translate.batch.ray_engine")
_DocumentWorker = ray_engine._DocumentWorker
RayExecutor = ray_engine.RayExecutor

HAVE_RAY = ray_engine.importlib.util.find_spec("ray") is not None
needs_ray = pytest.mark.skipif(not HAVE_RAY, reason="Ray is not installed (CI installs it: pip install -e '.[ray]')")

_TIMING = re.compile(r'<span(?: title="[^"]*")?>took [^<]*</span>')
"""The report's wall-clock line: the only bytes of the outputs that differ between runs."""


def _items(src: Path, names: list[str]) -> list[WorkItem]:
    return [WorkItem(path=src / n, relative=n, out_parent=".", stem=Path(n).stem) for n in names]


_NOT_OUTPUTS = (MANIFEST_NAME, "index.html", RECORD_NAME)
"""Run bookkeeping, not documents: the manifest, the digest and the ownership record (its temporaries' inodes differ per run)."""


def _tree(out: Path, suffixes: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """Every output under ``out`` (manifest and digest aside; the report's timing line masked)."""
    files = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.name in _NOT_OUTPUTS:
            continue
        if suffixes is not None and not path.name.endswith(suffixes):
            continue
        data = path.read_bytes()
        if path.name.endswith(".report.html"):
            data = _TIMING.sub("took …", data.decode("utf-8")).encode("utf-8")
        files[path.relative_to(out).as_posix()] = data
    return files


def _stamps(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of every output file: a rewrite (atomic replace) changes both."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(out.rglob("*")) if p.is_file() and p.name not in _NOT_OUTPUTS}


# -- without a running Ray ---------------------------------------------------------------
def test_actor_task_translates_whole_documents_and_keeps_per_document_failures(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, ["a.txt", "b.txt", "c.txt"])
    (src / "empty.txt").write_bytes(b"")
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    translator = CountingTranslator()
    spec = PipelineSpec.of(make_pipeline(translator, formats=("jsonl", "txt")))
    worker = _DocumentWorker(pickle.loads(pickle.dumps(spec)), str(out), "key", 512)  # the actor gets a pickled spec
    names = ["a.txt", "empty.txt", "b.txt", "image.txt", "c.txt"]

    outcomes, fatal = worker.process(_items(src, names))

    assert fatal is None
    assert [o.relative for o in outcomes] == names  # one outcome per document, in task order
    status = {o.relative: o.status for o in outcomes}
    assert status == {"a.txt": "done", "empty.txt": "failed", "b.txt": "done", "image.txt": "failed", "c.txt": "done"}
    reasons = {o.relative: o.reason for o in outcomes if o.status == "failed"}
    assert reasons["empty.txt"].endswith("is empty") and "PNG" in reasons["image.txt"]
    for outcome in outcomes:
        if outcome.status == "done":
            assert outcome.outputs == (f"{Path(outcome.relative).stem}.aligned.jsonl", f"{Path(outcome.relative).stem}.en.txt")
            for rel in outcome.outputs:
                assert (out / rel).is_file()
            lines = (out / outcome.outputs[0]).read_text(encoding="utf-8").splitlines()
            assert len(lines) == outcome.sentences and all(json.loads(line)["target"] for line in lines)
    assert tmp_files(out) == []  # written atomically: no temporary file left
    assert listing(out) == sorted(f"{s}{x}" for s in "abc" for x in (".aligned.jsonl", ".en.txt"))
    # the three good documents' sentences were translated together (one group), not one call per document
    assert worker.pipeline.loaded_translator.calls_attempted == 1


def test_actor_call_returns_one_arrow_row_per_document(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, ["a.txt", "b.txt"])
    worker = _DocumentWorker(PipelineSpec.of(make_pipeline(formats=("txt",))), str(out), "key", 512)
    rows = ray_engine._item_rows(_items(src, ["b.txt", "a.txt"]))
    assert all(Path(row["path"]).is_absolute() for row in rows)

    table = worker(pa.Table.from_pylist(rows))

    assert table.column_names == ["relative", "outcome", "fatal", "error"]
    got = table.to_pylist()
    assert [row["relative"] for row in got] == ["b.txt", "a.txt"]
    assert [row["fatal"] for row in got] == ["", ""]
    outcomes = [pickle.loads(row["outcome"]) for row in got]
    assert all(isinstance(o, Outcome) and o.status == "done" for o in outcomes)


def test_actor_isolates_an_unexpected_error_of_the_whole_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, ["a.txt", "bad.txt", "c.txt"])
    worker = _DocumentWorker(PipelineSpec.of(make_pipeline(formats=("txt",))), str(out), "key", 512)
    real = ray_engine.run_group

    def run_group(pipeline, items, *args, **kwargs):  # a bug that only one document triggers, raised out of run_group
        if any(item.relative == "bad.txt" for item in items):
            raise ValueError("boom")
        return real(pipeline, items, *args, **kwargs)

    monkeypatch.setattr(ray_engine, "run_group", run_group)
    outcomes, fatal = worker.process(_items(src, ["a.txt", "bad.txt", "c.txt"]))
    assert fatal is None
    assert [(o.relative, o.status) for o in outcomes] == [("a.txt", "done"), ("bad.txt", "failed"), ("c.txt", "done")]
    assert outcomes[1].reason == "internal error: ValueError: boom"


def test_a_model_that_cannot_load_is_one_fatal_error_on_the_driver(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, ["a.txt"])
    from translate.config import load_config
    from translate.pipeline import Options

    spec = PipelineSpec(load_config(), Options(model=str(tmp_path / "no-such-model")))
    worker = _DocumentWorker(spec, str(out), "key", 512)  # the constructor loads the model: it records the error
    assert worker.fatal is not None and worker.fatal[0] in ("ModelNotFoundError", "ModelLoadError")
    table = worker(pa.Table.from_pylist(ray_engine._item_rows(_items(src, ["a.txt"]))))
    (row,) = table.to_pylist()
    assert row["fatal"] == worker.fatal[0] and "no-such-model" in row["error"]
    assert not out.exists()  # nothing written

    if HAVE_RAY:  # the driver raises it, once, as the local engine does (exit 5)
        events: list[object] = []
        work = Work(tuple(_items(src, ["a.txt"])), spec, out, "key", events=events.append, group_docs=1)
        with pytest.raises((ModelNotFoundError, ray_engine.ModelLoadError), match="no-such-model"):
            list(RayExecutor()._collect(iter([row]), work, {"a.txt": work.items[0]}, time.perf_counter()))
        assert events == []


@needs_ray
def test_driver_turns_finished_rows_into_outcomes_progress_and_commits(tmp_path: Path) -> None:
    items = _items(tmp_path, [f"{i}.txt" for i in range(5)])
    outcomes = [Outcome(relative=i.relative, status="done", sentences=3) for i in items]
    rows = [{"relative": o.relative, "outcome": pickle.dumps(o), "fatal": "", "error": ""} for o in outcomes]
    rows.insert(2, dict(rows[1]))  # a retried task's duplicate row is settled once
    events: list[object] = []
    work = Work(tuple(items), PipelineSpec.of(make_pipeline()), tmp_path, "key", events=events.append, group_docs=2)
    got = list(RayExecutor(commit_interval_s=0)._collect(iter(rows), work, {i.relative: i for i in items}, time.perf_counter()))
    assert got == outcomes
    assert isinstance(events[0], ModelsReady)
    assert sum(e.count for e in events if isinstance(e, SentencesTranslated)) == 15
    assert sum(isinstance(e, GroupCommitted) for e in events) == 3  # after 2, 4 and the last outcome


@needs_ray
def test_a_failed_ray_job_fails_the_unfinished_documents_not_the_run(tmp_path: Path) -> None:
    import ray.exceptions

    items = _items(tmp_path, ["a.txt", "b.txt", "c.txt"])
    done = Outcome(relative="a.txt", status="done", sentences=1)

    def rows() -> Iterator[dict]:
        yield {"relative": "a.txt", "outcome": pickle.dumps(done), "fatal": "", "error": ""}
        raise ray.exceptions.RayTaskError("map_batches", "worker died 4 times", RuntimeError("worker died"))

    work = Work(tuple(items), PipelineSpec.of(make_pipeline()), tmp_path, "key")
    got = list(RayExecutor()._collect(rows(), work, {i.relative: i for i in items}, time.perf_counter()))
    assert [(o.relative, o.status) for o in got] == [("a.txt", "done"), ("b.txt", "failed"), ("c.txt", "failed")]
    assert got[1].reason.startswith("not finished: the Ray job stopped (")


def test_cli_ray_options_need_engine_ray(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from translate.cli import main

    src = tmp_path / "in"
    write_articles(src, ["a.txt"])
    for option in (["--workers", "2"], ["--address", "auto"], ["--gpus-per-worker", "1"]):
        assert main(["translate", str(src), "-o", str(tmp_path / "out"), *option]) == ConfigError.exit_code
        err = capsys.readouterr().err
        assert err == f"dewire: error: {option[0]} needs --engine ray\n"
    assert main(["translate", str(src / "a.txt"), "-o", str(tmp_path / "out"), "--engine", "ray"]) == ConfigError.exit_code
    assert capsys.readouterr().err == "dewire: error: --engine ray works in batch mode: INPUT must be a folder\n"
    assert not (tmp_path / "out").exists()


def test_cli_engine_ray_without_ray_installed_says_how_to_install(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.cli import main

    real = ray_engine.importlib.util.find_spec
    monkeypatch.setattr(ray_engine.importlib.util, "find_spec", lambda name, package=None: None if name == "ray" else real(name, package))
    src = tmp_path / "in"
    write_articles(src, ["a.txt"])
    assert main(["translate", str(src), "-o", str(tmp_path / "out"), "--engine", "ray"]) == ConfigError.exit_code
    assert capsys.readouterr().err == "dewire: error: --engine ray needs Ray (ray[data]==2.60.*): pip install 'dewire[ray]'\n"


def test_engine_choices_match_the_registry_and_help_imports_no_ray() -> None:
    from translate.batch import ENGINES
    from translate.cli import _ENGINES

    assert set(_ENGINES) == set(ENGINES)
    code = (
        "import sys\n"
        "from translate.cli import main\n"
        "try:\n    main(['translate', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('heavy=' + ','.join(m for m in ('ray', 'torch', 'pyarrow') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "--engine {local,ray}" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "heavy="


def test_ray_options_are_checked(tmp_path: Path) -> None:
    if not HAVE_RAY:
        pytest.skip("Ray is not installed")
    for kwargs, message in (
        ({"workers": 0}, "--workers must be at least 1"),
        ({"gpus_per_worker": 2}, "--gpus-per-worker must be 0 or 1"),
    ):
        with pytest.raises(ConfigError, match=message):
            RayExecutor(**kwargs)
    assert RayExecutor(jobs=3).workers == 3  # the engine-neutral --jobs sizes the pool unless --workers does
    assert ray_engine._is_loopback_address("127.0.0.1:6379") and ray_engine._is_loopback_address("localhost:1")
    assert not ray_engine._is_loopback_address("10.0.0.5:6379") and not ray_engine._is_loopback_address("auto")


# -- with Ray, on loopback -------------------------------------------------------------------
BAD = ("binary.txt", "empty.txt")
N_GOOD = 18


def _corpus(src: Path) -> Path:
    """~20 documents: 18 articles (two in a subfolder), a binary file and an empty file."""
    write_articles(src, [f"{i:02d}.txt" for i in range(N_GOOD - 2)] + ["sub/x.txt", "sub/y.txt"], sentences=2)
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (src / "empty.txt").write_bytes(b"")
    return src


def _cli(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "translate", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def ray_runs(tmp_path_factory: pytest.TempPathFactory, tiny_marian_dir: Path) -> Iterator[dict[str, object]]:
    """The tiny-model corpus through the CLI: the local engine, then ``--engine ray`` twice (same OUT), listeners watched."""
    if not HAVE_RAY:
        pytest.skip("Ray is not installed (CI installs it: pip install -e '.[ray]')")
    base = tmp_path_factory.mktemp("ray-cli")
    src = _corpus(base / "in")
    ray_tmp = short_temp_dir()
    env = ray_env(base / "home", ray_tmp, DEWIRE_HOME=str(base / "dewire"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    common = ["--model", str(tiny_marian_dir), "--format", "jsonl,txt,tmx,html", "--threads", "1", "-q"]
    runs: dict[str, object] = {"src": src, "local_out": base / "local", "ray_out": base / "ray", "env": env}
    try:
        # Default options on both engines: the same translation groups (one group of the default 64 files here;
        # several groups: the group_docs=3 tests below), the local engine with its translation cache on (a fresh
        # DEWIRE_HOME: the cache answers only from entries older than the run, so a fresh one changes nothing),
        # the Ray actors without it.
        runs["local"] = _cli(["translate", str(src), "-o", str(base / "local"), *common], env)
        ray_args = ["translate", str(src), "-o", str(base / "ray"), "--engine", "ray", *common]
        with ListenerWatch(env[MARKER]) as watch:
            runs["ray"] = _cli(ray_args, env)
        runs["listeners"] = watch
        runs["left_after_first"] = wait_for_no_listeners(env[MARKER])
        runs["stamps_before"] = _stamps(base / "ray")
        runs["manifest_before"] = json.loads((base / "ray" / MANIFEST_NAME).read_text(encoding="utf-8"))
        with ListenerWatch(env[MARKER]) as watch2:
            runs["again"] = _cli(ray_args, env)
        runs["listeners2"] = watch2
        runs["left_after_second"] = wait_for_no_listeners(env[MARKER])
        yield runs
    finally:
        kill_marked(env[MARKER])
        shutil.rmtree(ray_tmp, ignore_errors=True)


@pytest.mark.ray
def test_cli_engine_ray_gives_the_local_engines_bytes_lists_bad_files_and_exits_1(ray_runs: dict) -> None:
    local, ray_run = ray_runs["local"], ray_runs["ray"]
    assert local.returncode == 1, local.stderr
    assert ray_run.returncode == 1, ray_run.stderr
    for name in BAD:
        assert re.search(rf"^failed: {name}: ", ray_run.stderr, re.M), ray_run.stderr
    failed_lines = [line for line in ray_run.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed_lines) == 2 and "is empty" in ray_run.stderr and "PNG" in ray_run.stderr
    assert "Traceback" not in ray_run.stderr

    a, b = _tree(ray_runs["local_out"]), _tree(ray_runs["ray_out"])
    assert len(a) == 4 * N_GOOD  # aligned.jsonl, en.txt, tmx, report.html per good document
    assert sorted(a) == sorted(b)
    for name in a:  # byte for byte; in report.html the wall-clock line is masked (the TMX writer has no dates)
        assert a[name] == b[name], name
    manifest = json.loads((ray_runs["ray_out"] / MANIFEST_NAME).read_text(encoding="utf-8"))
    statuses = {rel: entry["status"] for rel, entry in manifest["files"].items()}
    assert statuses == {**{rel: "done" for rel in manifest["files"] if rel not in BAD}, "binary.txt": "failed", "empty.txt": "failed"}
    assert len(statuses) == N_GOOD + 2
    assert (ray_runs["ray_out"] / "index.html").is_file()


@pytest.mark.ray
def test_second_ray_run_rewrites_nothing(ray_runs: dict) -> None:
    again = ray_runs["again"]
    assert again.returncode == 1, again.stderr  # the two bad files fail again; nothing else is redone
    assert _stamps(ray_runs["ray_out"]) == ray_runs["stamps_before"]
    manifest = json.loads((ray_runs["ray_out"] / MANIFEST_NAME).read_text(encoding="utf-8"))
    before = ray_runs["manifest_before"]["files"]
    for rel, entry in manifest["files"].items():
        if rel not in BAD:
            assert entry == before[rel], rel  # done entries untouched (same "finished" time)
    assert sorted(line.split(":")[1].strip() for line in again.stderr.splitlines() if line.startswith("failed:")) == sorted(BAD)


@pytest.mark.ray
def test_ray_runs_listen_on_loopback_only_and_leave_no_listener(ray_runs: dict) -> None:
    for key, left in (("listeners", "left_after_first"), ("listeners2", "left_after_second")):
        watch = ray_runs[key]
        assert watch.seen, "no listener of the Ray run was seen: the watch is not looking at the run"
        assert {item.process for item in watch.seen} & {"gcs_server", "raylet"}
        assert watch.beyond_loopback() == []
        assert ray_runs[left] == []


@pytest.fixture(scope="module")
def ray_local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A loopback-only Ray instance in this (pytest) process, for library-level runs; shut down after the module."""
    if not HAVE_RAY:
        pytest.skip("Ray is not installed (CI installs it: pip install -e '.[ray]')")
    home = tmp_path_factory.mktemp("ray-home")
    ray_tmp = short_temp_dir()
    env = ray_env(home, ray_tmp)
    saved = {key: os.environ.get(key) for key in (*env, "RAY_AUTH_MODE")}  # ray.init sets RAY_AUTH_MODE itself
    os.environ.update({key: env[key] for key in ("HOME", "RAY_TMPDIR", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "RAY_USAGE_STATS_ENABLED", MARKER)})
    import logging

    import ray

    ray_engine.loopback_only(ray)  # Ray may have been imported by an earlier test, before the variable was set
    with ListenerWatch(env[MARKER]) as watch:
        ray.init(num_cpus=2, include_dashboard=False, object_store_memory=128 * 1024 * 1024, logging_level=logging.ERROR, log_to_driver=False)
        try:
            yield env
        finally:
            ray.shutdown()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        assert watch.beyond_loopback() == []
    finally:
        kill_marked(env[MARKER])
        shutil.rmtree(ray_tmp, ignore_errors=True)


class KillOnceTranslator(CountingTranslator):
    """An echo translator that, in the first process to meet ``marker``, writes its pid to ``pid_file`` and waits to be killed."""

    def __init__(self, marker: str, pid_file: str) -> None:
        super().__init__()
        self.marker = marker
        self.pid_file = pid_file

    def translate_batch(self, sources, *, retry=False, progress=None):  # type: ignore[override]
        if any(self.marker in s for s in sources):
            try:
                fd = os.open(self.pid_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                pass  # the retried task, in the restarted actor: go on
            else:
                os.write(fd, str(os.getpid()).encode())
                os.close(fd)
                time.sleep(120)  # killed here
        return super().translate_batch(sources, retry=retry, progress=progress)


@pytest.mark.ray
def test_a_worker_killed_mid_run_still_yields_every_document(ray_local: dict, tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    names = [f"{i:02d}.txt" for i in range(12)]
    write_articles(src, names)
    marker = "Killme Sentence Here."
    victim = src / "07.txt"
    victim.write_text(victim.read_text(encoding="utf-8") + marker + "\n", encoding="utf-8")
    pid_file = tmp_path / "victim.pid"
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if pid_file.exists() and pid_file.read_text():
                pid = int(pid_file.read_text())
                os.kill(pid, signal.SIGKILL)  # as the OOM killer would
                killed.append(pid)
                return
            time.sleep(0.1)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    pipeline = make_pipeline(KillOnceTranslator(marker, str(pid_file)), formats=("jsonl", "txt"))
    report = translate_folder(src, out, pipeline=pipeline, quiet=True, executor=RayExecutor(workers=1, threads_per_worker=1), group_docs=3)
    thread.join(timeout=5)

    assert killed, "the worker was never killed: the test did not test anything"
    assert report.ok, [(i.relative, i.reason) for i in report.items if i.status != "done"]
    assert [i.relative for i in report.items] == names and all(i.status == "done" for i in report.items)
    for name in names:
        lines = (out / f"{Path(name).stem}.aligned.jsonl").read_text(encoding="utf-8").splitlines()
        assert lines and all(json.loads(line)["target"] for line in lines)
    assert tmp_files(out) == []
    assert any(marker in line for line in (out / "07.aligned.jsonl").read_text(encoding="utf-8").splitlines())


@pytest.mark.ray
def test_ray_engine_matches_the_local_engine_across_many_small_tasks(ray_local: dict, tmp_path: Path) -> None:
    """Groups of 3 documents over two actors give the same files as the local engine's groups of 3.

    The echo tags every target with its backend call (:class:`CallTaggingTranslator`),
    so equal bytes mean equal calls: the same translation groups, the same
    batches (a neural model's output can depend on which sentences share its
    padded batches), and the same document assembly, names, briefs, manifest.
    The CLI test above runs the tiny neural model with default options.
    """
    src = tmp_path / "in"
    write_articles(src, [f"{i:02d}.txt" for i in range(10)] + ["sub/a.txt", "sub/b.txt"])
    # The local engine with a fresh translation cache, the Ray actors without one; a batch-sensitive echo.
    cached = make_pipeline(CachedTranslator(CallTaggingTranslator(), tmp_path / "cache.sqlite"))
    local = translate_folder(src, tmp_path / "local", pipeline=cached, quiet=True, executor=InProcessExecutor(), group_docs=3)
    events: list[object] = []
    remote = translate_folder(
        src, tmp_path / "ray", pipeline=make_pipeline(CallTaggingTranslator()), events=events.append,
        executor=RayExecutor(workers=2, threads_per_worker=1), group_docs=3,
    )
    assert local.ok and remote.ok
    assert _tree(tmp_path / "local") == _tree(tmp_path / "ray")
    assert [(i.relative, i.status, i.sentences, i.flags) for i in local.items] == [(i.relative, i.status, i.sentences, i.flags) for i in remote.items]
    assert sum(e.count for e in events if isinstance(e, SentencesTranslated)) == remote.sentences > 0


@pytest.mark.ray
def test_address_joins_a_ray_start_cluster_on_loopback(tmp_path: Path, tiny_marian_dir: Path) -> None:
    if not HAVE_RAY:
        pytest.skip("Ray is not installed")
    src = tmp_path / "in"
    write_articles(src, ["a.txt", "b.txt", "c.txt"])
    home = tmp_path / "home"
    with ray_head(home) as head:
        # The driver: same HOME (its auth token), and RAY_AUTH_MODE=token, which Ray 2.60 needs for an explicit address.
        own_tmp = short_temp_dir()
        env = ray_env(home, own_tmp, RAY_AUTH_MODE="token", DEWIRE_HOME=str(tmp_path / "dewire"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
        env[MARKER] = head.env[MARKER]
        drivers_before = head.driver_logs()
        with ListenerWatch(head.env[MARKER]) as watch:
            result = _cli(["translate", str(src), "-o", str(tmp_path / "out"), "--engine", "ray", "--address", head.address, "--model", str(tiny_marian_dir), "--format", "txt", "--threads", "1", "-q"], env)
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in (tmp_path / "out").glob("*.en.txt")) == ["a.en.txt", "b.en.txt", "c.en.txt"]
        assert len(head.driver_logs()) == len(drivers_before) + 1  # the run was a driver of this cluster …
        assert not list(own_tmp.glob("session_*"))  # … and started no Ray instance of its own
        assert head.process.poll() is None  # joining leaves the cluster running
        shutil.rmtree(own_tmp, ignore_errors=True)
        assert {item.process for item in watch.seen} & {"gcs_server", "raylet"}
        assert watch.beyond_loopback() == []
    assert wait_for_no_listeners(head.env[MARKER]) == []


@needs_ray
def test_pool_plan_workers_threads_device_and_cache_off() -> None:
    spec = PipelineSpec.of(make_pipeline())
    plan = RayExecutor()._plan
    workers, threads, local_spec = plan({"CPU": 2.0}, spec, local=True)
    assert (workers, threads) == (1, 2)  # one actor with every core of this machine …
    assert local_spec.options.use_cache is False and local_spec.options.threads is None  # … and the local engine's default threads
    assert spec.options.use_cache is True  # the driver's spec is left alone
    assert RayExecutor(workers=2)._plan({"CPU": 8.0}, spec, local=True)[:2] == (2, 4)
    assert plan({"CPU": 16.0}, spec, local=False)[:2] == (8, ray_engine.DEFAULT_CLUSTER_THREADS)  # a cluster: 2-thread actors
    assert RayExecutor(threads_per_worker=4)._plan({"CPU": 16.0}, spec, local=False)[:2] == (4, 4)
    gpu = RayExecutor(gpus_per_worker=1)
    workers, threads, gpu_spec = gpu._plan({"CPU": 32.0, "GPU": 4.0}, spec, local=False)
    assert (workers, threads, gpu_spec.options.device) == (4, 1, "cuda")  # one actor per GPU
    with pytest.raises(ConfigError, match="no GPU"):
        gpu._plan({"CPU": 2.0}, spec, local=True)


@pytest.mark.ray
def test_sigterm_mid_run_commits_finished_documents_and_stops_ray(tmp_path: Path, tiny_marian_dir: Path) -> None:
    """SIGTERM to the driver is an interrupt (exit 130), not Ray's abort: finished work is in the manifest, Ray is gone."""
    if not HAVE_RAY:
        pytest.skip("Ray is not installed")
    src, out = tmp_path / "in", tmp_path / "out"
    write_articles(src, [f"{i:02d}.txt" for i in range(30)], sentences=2)
    ray_tmp = short_temp_dir()
    env = ray_env(tmp_path / "home", ray_tmp, DEWIRE_HOME=str(tmp_path / "dewire"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    command = [sys.executable, "-m", "translate", "translate", str(src), "-o", str(out), "--engine", "ray", "--docs-per-task", "1", "--model", str(tiny_marian_dir), "--format", "txt", "--threads", "1", "-q"]
    try:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 240
        while not Manifest.load(out / MANIFEST_NAME).files:  # the first document is committed (to the manifest's journal)
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()[1][-2000:]
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 130, stderr[-2000:]
        last = stderr.splitlines()[-1]  # the batch interrupt line: what is written, and how to resume
        assert last.startswith("dewire: interrupted: ") and "documents finished and written to" in last and "--engine ray" in last
        assert "Aborted" not in stderr and "SIGTERM received" not in stderr
        done = {rel for rel, entry in json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"].items() if entry["status"] == "done"}
        assert 1 <= len(done) < 30
        assert all((out / f"{Path(rel).stem}.en.txt").is_file() for rel in done)
        assert wait_for_no_listeners(env[MARKER]) == []
    finally:
        kill_marked(env[MARKER])
        shutil.rmtree(ray_tmp, ignore_errors=True)


class KillAlwaysTranslator(CountingTranslator):
    """An echo translator whose process dies (SIGKILL, as an out-of-memory kill) on every batch holding ``marker``."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def translate_batch(self, sources, *, retry=False, progress=None):  # type: ignore[override]
        if any(self.marker in s for s in sources):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().translate_batch(sources, retry=retry, progress=progress)


@pytest.mark.ray
def test_a_document_that_kills_every_worker_ends_the_job_not_the_run(ray_local: dict, tmp_path: Path) -> None:
    """A poison document exhausts the task's retries: the run still ends normally, the rest are failed with the reason."""
    src, out = tmp_path / "in", tmp_path / "out"
    names = [f"{i:02d}.txt" for i in range(4)]
    write_articles(src, names)
    marker = "Poison Sentence Here."
    (src / "02.txt").write_text((src / "02.txt").read_text(encoding="utf-8") + marker + "\n", encoding="utf-8")
    pipeline = make_pipeline(KillAlwaysTranslator(marker), formats=("txt",))
    executor = RayExecutor(workers=1, threads_per_worker=1, task_retries=1)
    report = translate_folder(src, out, pipeline=pipeline, executor=executor, group_docs=1)
    items = {i.relative: i for i in report.items}
    assert report.ok is False and set(items) == set(names)
    assert items["02.txt"].status == "failed"
    assert items["02.txt"].reason.startswith("not finished: the Ray job stopped (")
    for name, item in items.items():  # every other document is either done (complete) or failed with the reason
        if item.status == "done":
            assert (out / f"{Path(name).stem}.en.txt").is_file()
        else:
            assert item.reason.startswith("not finished: the Ray job stopped (")
    # (Which of the others finished first depends on Ray's scheduling: rows a task produced but the driver
    # had not received when the job stopped are reported unfinished, and redone by the next run.)
