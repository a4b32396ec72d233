"""Shared helpers for the batch-mode tests (imported by tests/test_batch*.py; holds no tests).

Articles are built from ``tests/data/newstest2014-origde-head.de`` (the first
80 lines of WMT14 newstest, original-German subset; see
``../shared/corpus/SOURCES.md``): article ``i`` is a headline line, a blank
line, and a few sentence lines of that file.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import time
from pathlib import Path
from typing import Callable, Sequence

import pytest

from translate.config import load_config
from translate.mt.base import Hypothesis
from translate.mt.echo import EchoTranslator
from translate.pipeline import Options, Pipeline
from translate.summarize.extractive import ExtractiveSummarizer

DATA = Path(__file__).resolve().parent / "data"
LINES = [line for line in (DATA / "newstest2014-origde-head.de").read_text(encoding="utf-8").splitlines() if line.strip()]


def article(i: int, sentences: int = 5) -> str:
    """German article number ``i``: a headline, a blank line, ``sentences`` sentence lines."""
    start = (i * (sentences + 1)) % (len(LINES) - sentences - 1)
    head = LINES[start]
    body = LINES[start + 1 : start + 1 + sentences]
    return f"{head}\n\n" + "\n".join(body) + "\n"


def write_articles(folder: Path, names: Sequence[str], sentences: int = 5) -> list[Path]:
    """Write one article per name (relative paths allowed) under ``folder``."""
    paths = []
    for i, name in enumerate(names):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(i, sentences), encoding="utf-8")
        paths.append(path)
    return paths


class CountingTranslator(EchoTranslator):
    """An :class:`EchoTranslator` that can fail on command.

    Args:
        raise_on_call: ``(n, exc)``: raise ``exc`` on the ``n``-th non-empty
            ``translate_batch`` call (1-based) instead of translating.
        oom_over: raise an out-of-memory ``RuntimeError`` for any batch of more
            than this many sources (a model that runs out of memory on big batches).
        delay: seconds to sleep in each non-empty call (a slow model) …
        slow_marker: … or only in calls with a source containing this text.
    """

    def __init__(
        self,
        *,
        raise_on_call: tuple[int, BaseException] | None = None,
        oom_over: int | None = None,
        fn: Callable[[str, bool], str] | None = None,
        delay: float = 0.0,
        slow_marker: str | None = None,
    ) -> None:
        super().__init__(fn)
        self.delay = delay
        self.slow_marker = slow_marker
        self.raise_on_call = raise_on_call
        self.oom_over = oom_over
        self.calls_attempted = 0

    def translate_batch(self, sources, *, retry=False, progress=None) -> list[Hypothesis]:  # type: ignore[override]
        if sources:
            self.calls_attempted += 1
            if self.delay and (self.slow_marker is None or any(self.slow_marker in s for s in sources)):
                time.sleep(self.delay)
            if self.raise_on_call is not None and self.calls_attempted == self.raise_on_call[0]:
                raise self.raise_on_call[1]
            if self.oom_over is not None and len(sources) > self.oom_over:
                raise RuntimeError(f"CUDA out of memory. Tried to allocate 2.00 GiB for {len(sources)} sources")
        return super().translate_batch(sources, retry=retry, progress=progress)


class CallTaggingTranslator(EchoTranslator):
    """An echo whose every target carries a tag of the backend call it came from (a batch-sensitive model).

    ``s`` → ``"[en] s #TAG"``, TAG = the first 8 hex digits of the SHA-256 of
    the call's sources in order. A neural model's output can change in its
    last bits with the other sentences of its padded batch, and the batches
    are planned from a call's contents; this makes every such dependence
    visible: two runs write the same bytes only if they made the same calls.
    """

    def translate_batch(self, sources, *, retry=False, progress=None) -> list[Hypothesis]:  # type: ignore[override]
        import hashlib

        tag = hashlib.sha256("\n".join(sources).encode("utf-8")).hexdigest()[:8]
        out = super().translate_batch(sources, retry=retry, progress=progress)
        return [Hypothesis(text=f"{h.text} #{tag}", score=h.score, n_tokens=h.n_tokens + 1) for h in out]


def make_pipeline(translator: EchoTranslator | None = None, **options) -> Pipeline:
    """A Pipeline on the built-in config with an echo translator and the extractive summarizer."""
    config = load_config()
    opts = Options(**options)
    _, scfg = config.summarizer(opts.summarizer)
    return Pipeline(config, opts, translator=translator if translator is not None else CountingTranslator(), summarizer=ExtractiveSummarizer(scfg))


def manifest(out: Path) -> dict:
    return json.loads((out / ".dewire-manifest.json").read_text(encoding="utf-8"))


def tmp_files(out: Path) -> list[Path]:
    """Temporary files of atomic writes left anywhere under ``out``."""
    return [p for p in out.rglob("*") if p.name.endswith(".tmp")]


class Unreadable:
    """Makes chosen files unreadable, as ``chmod 000`` does for a normal user.

    The tests run as root, whom permission bits do not stop, so opening one of
    these files (``open``, ``io.open``, ``Path.open``/``read_bytes``, which
    all end in ``io.open``) raises ``PermissionError(EACCES)`` the way the
    operating system would; ``stat`` and listing still work, as they do for
    a real unreadable file. Undone by ``monkeypatch`` after the test.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: set[str] = set()
        real_open = io.open

        def guarded_open(file, *args, **kwargs):
            if isinstance(file, (str, bytes, os.PathLike)) and os.path.realpath(os.fsdecode(file)) in self.paths:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(io, "open", guarded_open)
        monkeypatch.setattr(builtins, "open", guarded_open)

    def add(self, path: Path) -> None:
        self.paths.add(os.path.realpath(path))

    def discard(self, path: Path) -> None:
        self.paths.discard(os.path.realpath(path))
