"""CachedTranslator: a second run makes no model calls; keys separate models and retry mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from translate.config import TranslatorConfig
from translate.mt.cache import CachedTranslator, cache_key, default_cache_path
from translate.mt.echo import EchoTranslator
from translate.mt.engine import translate_documents

from tests.test_mt_engine import LONG, S1, S2, S3, make_doc

CFG = TranslatorConfig(model="echo", split_tokens=30, max_input_tokens=64)


def test_second_run_of_a_document_makes_zero_model_calls() -> None:
    echo = EchoTranslator(lambda s, retry: "la la la la la la" if (s == S1 and not retry) else f"EN {s}")
    doc = make_doc([[S1, S2, "***"], [LONG, S3]])
    first = translate_documents([doc], CachedTranslator(echo), CFG)
    calls = echo.model_calls
    assert calls == 2  # the batch and the repetition retry
    # A new process would build a new CachedTranslator on the same file.
    cached = CachedTranslator(echo)
    second = translate_documents([doc], cached, CFG)
    assert echo.model_calls == calls  # zero model calls
    assert cached.misses == 0 and cached.hits > 0
    assert [s for s in second[0].sentences()] == [s for s in first[0].sentences()]
    meta = second[0].meta.translation
    assert meta.model_calls == 0 and meta.cache_misses == 0


def test_cache_lives_under_dewire_home_and_is_created_lazily() -> None:
    path = default_cache_path()
    assert path == Path(os.environ["DEWIRE_HOME"]) / "translations.sqlite"
    cached = CachedTranslator(EchoTranslator())
    assert not path.parent.exists()  # nothing created before first use
    cached.translate_batch([S1])
    assert path.is_file() and len(cached) == 1


def test_only_misses_reach_the_model_and_duplicates_once(tmp_path: Path) -> None:
    echo = EchoTranslator()
    cached = CachedTranslator(echo, tmp_path / "c.sqlite")
    cached.translate_batch([S1, S2])
    echo.seen.clear()
    progress: list[int] = []
    out = cached.translate_batch([S2, S3, S3, S1, S3], progress=progress.append)
    assert [h.text for h in out] == [f"[en] {s}" for s in (S2, S3, S3, S1, S3)]
    assert echo.seen == [(S3, False)]
    assert (cached.hits, cached.misses) == (2, 3)  # cumulative: 2 misses before, then 2 hits + 1 miss
    assert sum(progress) == 5


def test_key_depends_on_signature_and_retry_mode(tmp_path: Path) -> None:
    class OtherModel(EchoTranslator):
        @property
        def signature(self):  # type: ignore[override]
            return {**super().signature, "model": "other"}

    path = tmp_path / "c.sqlite"
    echo, other = EchoTranslator(), OtherModel()
    CachedTranslator(echo, path).translate_batch([S1])
    CachedTranslator(other, path).translate_batch([S1])
    assert other.model_calls == 1  # another model never reuses an entry
    c = CachedTranslator(echo, path)
    c.translate_batch([S1], retry=True)
    assert echo.seen[-1] == (S1, True) and echo.model_calls == 2
    assert cache_key(echo.signature, S1) != cache_key(echo.signature, S1, retry=True)


def test_scores_and_token_counts_survive_the_round_trip(tmp_path: Path) -> None:
    echo = EchoTranslator(score=None)
    path = tmp_path / "c.sqlite"
    [h1] = CachedTranslator(echo, path).translate_batch([S2])
    [h2] = CachedTranslator(echo, path).translate_batch([S2])
    assert h1 == h2 and h2.score is None and h2.n_tokens == len(h1.text.split())
    echo2 = EchoTranslator(score=-0.123456)
    [h3] = CachedTranslator(echo2, tmp_path / "d.sqlite").translate_batch([S2])
    [h4] = CachedTranslator(echo2, tmp_path / "d.sqlite").translate_batch([S2])
    assert h3 == h4


def test_unusable_cache_file_degrades_with_a_warning(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not an sqlite database" * 100)
    echo = EchoTranslator()
    cached = CachedTranslator(echo, bad)
    [out] = translate_documents([make_doc([[S1]])], cached, CFG)
    assert out.sentence(0).target == f"[en] {S1}"
    assert echo.model_calls == 1
    assert any("cannot be used" in w or "cannot be read" in w for w in out.meta.warnings)
    assert str(bad) in out.meta.warnings[0]


WRITER = """
import sys
from pathlib import Path
from translate.mt.cache import CachedTranslator
from translate.mt.echo import EchoTranslator
tag, path = sys.argv[1], Path(sys.argv[2])
for i in range(0, 300, 30):
    cached = CachedTranslator(EchoTranslator(), path)
    cached.translate_batch([f"Satz {tag} {j}" for j in range(i, i + 30)])
    if cached.warnings:  # the cache switched itself off: a lost write
        sys.exit(f"process {tag}, batch {i}: {cached.warnings}")
"""


def test_two_processes_share_one_cache_file(tmp_path: Path) -> None:
    """Both processes start on one new file: the WAL switch and schema set-up race and must be retried."""
    path = tmp_path / "shared.sqlite"
    repo = Path(__file__).resolve().parent.parent
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, tag, str(path)], cwd=repo, stderr=subprocess.PIPE)
        for tag in ("a", "b")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    echo = EchoTranslator()
    cached = CachedTranslator(echo, path)
    assert len(cached) == 600
    cached.translate_batch([f"Satz {t} {j}" for t in "ab" for j in range(300)])
    assert echo.model_calls == 0


def test_busy_errors_are_retried_and_others_raised_at_once() -> None:
    import sqlite3

    import pytest

    from translate.mt.cache import _retry_busy

    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "ok"

    assert _retry_busy(flaky) == "ok" and len(calls) == 3

    def broken() -> None:
        calls.append(1)
        raise sqlite3.OperationalError("no such table: translations")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _retry_busy(broken)
    assert len(calls) == 1

    def always_locked() -> None:
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _retry_busy(always_locked, budget_s=0.05)


def test_an_interrupted_call_keeps_the_chunks_it_finished(tmp_path: Path) -> None:
    """Results are stored per chunk of misses, so a kill mid-call loses at most one chunk."""
    import pytest

    class Interrupted(EchoTranslator):
        def __init__(self, stop_at: int) -> None:
            super().__init__()
            self.stop_at = stop_at

        def translate_batch(self, sources, *, retry=False, progress=None):  # type: ignore[override]
            if self.model_calls + 1 == self.stop_at:
                raise KeyboardInterrupt
            return super().translate_batch(sources, retry=retry, progress=progress)

    path = tmp_path / "c.sqlite"
    sources = [f"Satz Nummer {i} mit " + "Wort " * (i % 7) for i in range(300)]
    first = CachedTranslator(Interrupted(stop_at=3), path)
    assert first.chunk_size == 128  # 8 × 16 (the echo has no cfg: the default max_batch_sentences)
    with pytest.raises(KeyboardInterrupt):
        first.translate_batch(sources)
    assert len(first) == 256  # the two chunks before the interrupt
    echo = EchoTranslator()
    second = CachedTranslator(echo, path)
    out = second.translate_batch(sources)
    assert (second.hits, second.misses) == (256, 44)
    assert [h.text for h in out] == [f"[en] {s}" for s in sources]
    assert len(echo.seen) == 44


def test_a_local_model_is_keyed_by_its_revision_not_its_spelling() -> None:
    base = {"backend": "transformers", "beams": "4", "revision": "local-891a7cb7ac2b"}
    keys = {cache_key({**base, "model": m}, "Ein Satz.") for m in ("/tmp/tiny", "tiny", "./tiny", "/tmp/tiny/")}
    assert len(keys) == 1
    assert cache_key({**base, "model": "tiny", "revision": "local-000000000000"}, "Ein Satz.") not in keys
    hub = {**base, "revision": "0123456789abcdef0123456789abcdef01234567"}
    assert cache_key({**hub, "model": "Helsinki-NLP/opus-mt-de-en"}, "x") != cache_key({**hub, "model": "Helsinki-NLP/opus-mt-de-fr"}, "x")
