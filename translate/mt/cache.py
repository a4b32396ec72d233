"""A persistent translation cache in SQLite, wrapped around any Translator.

Re-running a document, or resuming a folder, never translates a sentence
twice: :class:`CachedTranslator` looks every source up by
``sha256(signature JSON + retry mode + source)`` and sends only the misses to
the wrapped backend. The signature holds the model id, revision, beam size,
backend and dewire version, so a different model or setting never reuses an
entry.

The database lives at ``$DEWIRE_HOME/translations.sqlite`` (default
``platformdirs.user_cache_dir("dewire")``); the directory is created on the
first write, never at import. SQLite in WAL mode with short transactions and a
busy timeout lets several dewire processes share the file. A cache that
cannot be opened (read-only or corrupt file) is switched off with a warning
in :attr:`CachedTranslator.warnings` rather than stopping the translation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence, TypeVar

from translate.mt.base import Hypothesis, ProgressFn, ScaledProgress, Translator
from translate.mt.batching import MIN_CHUNK, chunk_size, length_chunks

CACHE_FILENAME = "translations.sqlite"
SCHEMA_VERSION = 1
_BUSY_TIMEOUT_MS = 30_000
_LOOKUP_CHUNK = 500  # SQLite's default limit is 999 host parameters (older builds)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    score REAL,
    n_tokens INTEGER NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


_T = TypeVar("_T")


def _is_busy(err: sqlite3.Error) -> bool:
    """True for SQLITE_BUSY / SQLITE_LOCKED: another process holds the lock."""
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED (https://www.sqlite.org/rescode.html)
    text = str(err).lower()
    return "locked" in text or "busy" in text


def _retry_busy(fn: Callable[[], _T], *, budget_s: float = _BUSY_TIMEOUT_MS / 1000) -> _T:
    """Run ``fn`` again, with backoff, while SQLite answers busy/locked, for up to ``budget_s`` seconds.

    SQLite's busy handler is not consulted for every lock conflict: switching a
    fresh file to WAL while another process opens it, and upgrading a stale WAL
    read snapshot (``SQLITE_BUSY_SNAPSHOT``), fail at once with "database is
    locked" (https://www.sqlite.org/wal.html#sometimes_queries_return_sqlite_busy_in_wal_mode).
    Two dewire processes starting on one new cache file hit exactly that.

    Raises:
        sqlite3.Error: the last error, when it is not busy/locked or the budget is spent.
    """
    deadline = time.monotonic() + budget_s
    delay = 0.005
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as err:
            if not _is_busy(err) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


def _set_up(conn: sqlite3.Connection) -> None:
    """WAL mode, schema and schema version on a new connection (idempotent)."""
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if str(mode).lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.executescript(_SCHEMA)
    conn.execute("INSERT OR IGNORE INTO meta(name, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))


def dewire_home() -> Path:
    """dewire's cache directory: ``$DEWIRE_HOME``, else ``platformdirs.user_cache_dir("dewire")`` (not created)."""
    env = os.environ.get("DEWIRE_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("dewire"))


def default_cache_path() -> Path:
    """``dewire_home() / "translations.sqlite"``."""
    return dewire_home() / CACHE_FILENAME


def cache_key(signature: Mapping[str, str], source: str, *, retry: bool = False) -> str:
    """The cache key of one source: hex SHA-256 of signature JSON, retry mode and source.

    A local model directory is keyed by its content revision (``local-`` +
    hash, :func:`translate.mt.loading.model_revision`), not by the path as
    typed: ``--model ./tiny``, ``--model tiny/`` and the absolute path share
    their entries, and a changed model in the same folder gets new ones.
    """
    fields = dict(signature)
    if str(fields.get("revision", "")).startswith("local-"):
        fields["model"] = "local"
    sig = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    mode = "retry" if retry else "first"
    return hashlib.sha256(f"{sig}\0{mode}\0{source}".encode("utf-8")).hexdigest()


class CachedTranslator:
    """A :class:`~translate.mt.base.Translator` that remembers every translation on disk.

    Args:
        inner: the backend that does the translating.
        path: the SQLite file (default :func:`default_cache_path`, resolved
            when first used).

    Attributes:
        hits: sources answered from the cache (cumulative).
        misses: sources sent to ``inner`` (cumulative; duplicates in one call count once).
        warnings: problems met (cache switched off), for ``doc.meta.warnings``.
        answers_before: when set (seconds since the epoch), only entries stored
            before that moment are answered from the cache; newer ones are
            translated again (and stored again). Batch mode sets it to the
            run's start (:func:`answers_only_before`), so that every
            translation group of a run is translated as a unit, exactly as an
            engine without the cache translates it.
    """

    def __init__(self, inner: Translator, path: Path | None = None) -> None:
        self.inner = inner
        self._path = Path(path) if path is not None else None
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._disabled = False
        self.hits = 0
        self.misses = 0
        self.warnings: list[str] = []
        self.answers_before: float | None = None

    # -- Translator protocol ----------------------------------------------
    @property
    def name(self) -> str:  # type: ignore[override]
        return self.inner.name

    @property
    def max_input_tokens(self) -> int:  # type: ignore[override]
        return self.inner.max_input_tokens

    @property
    def signature(self) -> Mapping[str, str]:
        return self.inner.signature

    @property
    def model_calls(self) -> int | None:
        """The inner backend's ``model_calls`` (``None`` if it does not count)."""
        return getattr(self.inner, "model_calls", None)

    @property
    def path(self) -> Path:
        """The SQLite file."""
        if self._path is None:
            self._path = default_cache_path()
        return self._path

    def count_tokens(self, sources: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(sources)

    def translate_batch(
        self,
        sources: Sequence[str],
        *,
        retry: bool = False,
        progress: ProgressFn | None = None,
    ) -> list[Hypothesis]:
        """Answer from the cache where possible; translate and store the rest.

        Returns:
            ``list[Hypothesis]`` of length ``len(sources)``, in order.
        """
        if not sources:
            return []
        sig = dict(self.inner.signature)
        keys = [cache_key(sig, s, retry=retry) for s in sources]
        found = self._lookup(keys)
        out: list[Hypothesis | None] = [found.get(k) for k in keys]
        todo: dict[str, str] = {}  # key -> source, first occurrence
        for k, s, h in zip(keys, sources, out):
            if h is None and k not in todo:
                todo[k] = s
        n_hit = sum(h is not None for h in out)
        self.hits += n_hit
        self.misses += len(todo)
        if progress is not None and n_hit:
            progress(n_hit)
        if todo:
            miss_keys = list(todo)
            # Duplicates of a miss finish with it: report them in proportion.
            dup = len(sources) - n_hit - len(todo)
            inner_progress = progress
            if progress is not None and dup:
                inner_progress = ScaledProgress(progress, len(todo), len(todo) + dup)
            fresh: dict[str, Hypothesis] = {}
            for chunk in self._chunks(miss_keys, todo):
                chunk_sources = [todo[k] for k in chunk]
                hyps = self.inner.translate_batch(chunk_sources, retry=retry, progress=inner_progress)
                if len(hyps) != len(chunk_sources):
                    raise RuntimeError(f"backend returned {len(hyps)} hypotheses for {len(chunk_sources)} sources")
                done = dict(zip(chunk, hyps))
                self._store(done)  # stored per chunk: an interrupted call keeps what it finished
                fresh.update(done)
            out = [h if h is not None else fresh[k] for k, h in zip(keys, out)]
            if isinstance(inner_progress, ScaledProgress):
                inner_progress.finish()
        return [h for h in out if h is not None]

    @property
    def chunk_size(self) -> int:
        """Most misses sent to the backend in one call: ``max(64, 8 × max_batch_sentences)``
        (:func:`translate.mt.batching.chunk_size`).

        Each call's results are stored before the next call, so an interrupt,
        a crash or a kill loses at most one chunk of work (8 model batches),
        and a resumed run finds the rest in the cache. Chunks are cut from the
        misses sorted by token length, so the backend's length-sorted batches
        are the same as in one big call except at chunk edges. The translate
        stage (:func:`translate.mt.engine.translate_documents`) already sends
        calls of this size, with or without the cache, so that the model sees
        the same batches either way; this cut only serves other callers.
        """
        cfg = getattr(self.inner, "cfg", None)
        return chunk_size(getattr(cfg, "max_batch_sentences", None))

    def _chunks(self, keys: Sequence[str], sources: Mapping[str, str]) -> list[list[str]]:
        """``keys`` in backend calls of at most :attr:`chunk_size`, sorted by source token length."""
        size = self.chunk_size
        if len(keys) <= size:
            return [list(keys)]
        lengths = self.inner.count_tokens([sources[k] for k in keys])
        return [[keys[i] for i in chunk] for chunk in length_chunks(lengths, size)]

    # -- storage -------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection | None:
        if self._disabled:
            return None
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=_BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None)
            try:
                _retry_busy(lambda: _set_up(conn))
            except sqlite3.Error:
                conn.close()
                raise
        except (sqlite3.Error, OSError) as err:
            self._disable(f"translation cache {path} cannot be used ({err.__class__.__name__}: {err}); translating without it")
            return None
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _disable(self, message: str) -> None:
        self._disabled = True
        self.warnings.append(message)
        self._conn = None

    def _lookup(self, keys: Sequence[str]) -> dict[str, Hypothesis]:
        with self._lock:
            conn = self._connect()
            if conn is None:
                return {}
            found: dict[str, Hypothesis] = {}
            unique = list(dict.fromkeys(keys))
            try:
                for i in range(0, len(unique), _LOOKUP_CHUNK):
                    chunk = unique[i : i + _LOOKUP_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    query = f"SELECT key, target, score, n_tokens FROM translations WHERE key IN ({marks})"
                    params: list[object] = list(chunk)
                    if self.answers_before is not None:
                        query += " AND created < ?"
                        params.append(self.answers_before)
                    rows = _retry_busy(lambda: conn.execute(query, params).fetchall())
                    for key, target, score, n_tokens in rows:
                        found[key] = Hypothesis(text=target, score=score, n_tokens=int(n_tokens))
            except sqlite3.Error as err:
                self._disable(f"translation cache {self.path} cannot be read ({err}); translating without it")
                return {}
            return found

    def _store(self, entries: Mapping[str, Hypothesis]) -> None:
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            now = time.time()
            rows = [(k, h.text, h.score, h.n_tokens, now) for k, h in entries.items()]

            def write() -> None:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.executemany(
                        "INSERT OR REPLACE INTO translations(key, target, score, n_tokens, created) VALUES (?, ?, ?, ?, ?)",
                        rows,
                    )
                    conn.execute("COMMIT")
                except sqlite3.Error:
                    if conn.in_transaction:
                        try:
                            conn.execute("ROLLBACK")
                        except sqlite3.Error:
                            pass
                    raise

            try:
                _retry_busy(write)
            except sqlite3.Error as err:
                self._disable(f"translation cache {self.path} cannot be written ({err}); translating without it")

    def __len__(self) -> int:
        """Number of entries in the cache file (0 if it cannot be opened)."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                return 0
            return int(conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0])

    def close(self) -> None:
        """Close the database connection (reopened on next use)."""
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None



@contextlib.contextmanager
def answers_only_before(translator: object, moment: float | None) -> Iterator[None]:
    """While the block runs, ``translator`` (if a :class:`CachedTranslator`) answers only from entries stored before ``moment``.

    Batch mode wraps a run in it with the run's start time (seconds since
    the epoch): the cache then serves what earlier runs stored (a resumed or
    repeated run) but never what this run stored in an earlier translation
    group. A group's batches, and so its outputs to the last bit, are then
    the same whether the cache is on or off and whatever ran before in this
    process: the Ray engine (cache off) and the local engine (cache on, a
    fresh cache) give the same bytes. A nested call keeps the earlier moment.
    Any other translator (no cache) is left alone.

    Args:
        translator: the pipeline's translator.
        moment: seconds since the epoch; ``None`` = no restriction (a no-op).
    """
    if moment is None or not isinstance(translator, CachedTranslator):
        yield
        return
    previous = translator.answers_before
    translator.answers_before = moment if previous is None else min(previous, moment)
    try:
        yield
    finally:
        translator.answers_before = previous
