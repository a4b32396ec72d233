"""Translation groups: one partition of the files, shared by every engine, and a cache that changes no batch.

A neural model's output depends, in its last bits, on which sentences share
its padded batches. Batch mode therefore fixes the batches by construction:
the files still to do are cut into groups of ``group_docs`` files before any
is read (:func:`plan_groups`), every engine translates each group as a unit,
the translate stage cuts the same backend calls with or without the cache,
and the cache answers only from entries older than the run. The tests use a
batch-sensitive echo (:class:`CallTaggingTranslator`: every target carries a
tag of its backend call), so two runs write the same bytes only if they made
the same calls.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.test_batch_helpers import CallTaggingTranslator, make_pipeline, write_articles
from translate.batch import InProcessExecutor, ProcessPoolExecutor, WorkItem, translate_folder
from translate.batch.work import DEFAULT_GROUP_DOCS, Outcome, Prepared, fill_groups, plan_groups
from translate.config import TranslatorConfig
from translate.document import Document
from translate.errors import ConfigError
from translate.mt.cache import CachedTranslator, answers_only_before
from translate.mt.engine import translate_documents
from translate.mt.echo import EchoTranslator
from translate.segment import segment


def _doc(text: str, name: str) -> Document:
    return Document(name=name, path=None, text=text, paragraphs=segment(text))


def _items(names: list[str]) -> list[WorkItem]:
    return [WorkItem(path=Path(n), relative=n, out_parent=".", stem=Path(n).stem) for n in names]


def _tree(out: Path) -> dict[str, bytes]:
    """Every output file (manifest, digest and report.html aside: they hold times)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".") and p.name != "index.html" and not p.name.endswith(".report.html")
    }


def test_plan_groups_cuts_the_files_in_order() -> None:
    items = _items([f"{i:02d}.txt" for i in range(7)])
    groups = plan_groups(items, 3)
    assert [[i.relative for i in g] for g in groups] == [["00.txt", "01.txt", "02.txt"], ["03.txt", "04.txt", "05.txt"], ["06.txt"]]
    assert plan_groups(items, 100) == [tuple(items)]
    assert plan_groups([], 3) == []
    assert len(plan_groups(_items([f"{i}.txt" for i in range(2 * DEFAULT_GROUP_DOCS + 1)]), DEFAULT_GROUP_DOCS)) == 3
    with pytest.raises(ValueError):
        plan_groups(items, 0)


def test_fill_groups_never_crosses_a_group_edge() -> None:
    """Runs of sentences close at ``group_sentences`` and at every group edge; failed outcomes pass through."""
    items = _items(["a.txt", "b.txt", "c.txt", "d.txt"])
    docs = [_doc("Ein Satz. Noch einer.", i.relative) for i in items]
    prepared: list[Prepared | Outcome] = [Prepared(i, "0", d, 0.0, 0.0) for i, d in zip(items, docs)]
    prepared.insert(1, Outcome(relative="bad.txt", status="failed", reason="binary"))
    group = {"a.txt": 0, "b.txt": 0, "c.txt": 1, "d.txt": 1}
    runs = list(fill_groups(prepared, 1000, lambda item: group[item.relative]))
    assert isinstance(runs[0], Outcome)
    assert [[p.item.relative for p in r] for r in runs[1:]] == [["a.txt", "b.txt"], ["c.txt", "d.txt"]]  # type: ignore[union-attr]
    runs = list(fill_groups(prepared, 3, lambda item: group[item.relative]))  # 2 sentences each: closes at 4 ≥ 3
    assert [[p.item.relative for p in r] for r in runs if not isinstance(r, Outcome)] == [["a.txt", "b.txt"], ["c.txt", "d.txt"]]
    assert [[p.item.relative for p in r] for r in fill_groups(prepared, 1000) if not isinstance(r, Outcome)] == [["a.txt", "b.txt", "c.txt", "d.txt"]]


def test_the_cache_answers_only_from_entries_older_than_the_run(tmp_path: Path) -> None:
    inner = EchoTranslator()
    cache = CachedTranslator(inner, tmp_path / "cache.sqlite")
    cache.translate_batch(["Alt."])  # an earlier run's entry
    time.sleep(0.01)
    started = time.time()
    with answers_only_before(cache, started):
        cache.translate_batch(["Neu."])
        assert cache.answers_before == started
        inner.seen.clear()
        cache.translate_batch(["Alt.", "Neu."])
        assert [s for s, _ in inner.seen] == ["Neu."]  # this run's entry is translated again; the older one answered
    assert cache.answers_before is None  # restored after the run
    inner.seen.clear()
    cache.translate_batch(["Alt.", "Neu."])
    assert inner.seen == []
    with answers_only_before(inner, started):  # no cache: nothing to do
        pass


def test_the_translate_stage_makes_the_same_calls_with_and_without_the_cache(tmp_path: Path) -> None:
    """More segments than one call holds are cut into the same length-sorted calls either way."""
    docs = [_doc(" ".join(f"Satz {i} hat {'sehr ' * (i % 7)}viele Wörter." for i in range(k * 50, k * 50 + 50)), f"{k}.txt") for k in range(4)]
    cfg = TranslatorConfig(model="echo")
    plain, inner = CallTaggingTranslator(), CallTaggingTranslator()
    a = translate_documents(docs, plain, cfg)
    b = translate_documents(docs, CachedTranslator(inner, tmp_path / "c.sqlite"), cfg)
    assert plain.model_calls == inner.model_calls == 2  # 200 segments, calls of at most 128
    assert [s.target for d in a for s in d.sentences()] == [s.target for d in b for s in d.sentences()]


GROUPS = 16
"""``group_docs`` for the 40-file folder: three groups."""


def _folder(src: Path) -> Path:
    """40 articles of 10 sentences (with ``group_docs=GROUPS``: three groups of 16, 16 and 8), some sentences shared between groups."""
    write_articles(src, [f"{i:02d}.txt" for i in range(38)] + ["sub/a.txt", "sub/b.txt"], sentences=10)
    for name in ("00.txt", "17.txt", "35.txt"):  # the same line in three groups: the cache could answer it
        (src / name).write_text((src / name).read_text(encoding="utf-8") + "Alle Angaben ohne Gewähr.\n", encoding="utf-8")
    return src


def test_engines_and_the_cache_write_the_same_bytes(tmp_path: Path) -> None:
    """Local with a fresh cache, local without, and a process pool: the same calls, the same bytes."""
    src = _folder(tmp_path / "in")
    formats = ("jsonl", "txt", "tmx")
    cached = make_pipeline(CachedTranslator(CallTaggingTranslator(), tmp_path / "cache.sqlite"), formats=formats)  # type: ignore[arg-type]
    runs = {
        "cache": translate_folder(src, tmp_path / "cache", pipeline=cached, executor=InProcessExecutor(), group_docs=GROUPS),
        "plain": translate_folder(
            src, tmp_path / "plain", pipeline=make_pipeline(CallTaggingTranslator(), formats=formats), executor=InProcessExecutor(), group_docs=GROUPS
        ),
        "pool": translate_folder(
            src, tmp_path / "pool", pipeline=make_pipeline(CallTaggingTranslator(), formats=formats), executor=ProcessPoolExecutor(2), group_docs=GROUPS
        ),
    }
    assert all(r.ok for r in runs.values())
    trees = {name: _tree(tmp_path / name) for name in runs}
    assert len(trees["plain"]) == 3 * 40
    assert trees["cache"] == trees["plain"] == trees["pool"]
    # The tags are real: other groups give other calls, hence other bytes.
    other = translate_folder(src, tmp_path / "other", pipeline=make_pipeline(CallTaggingTranslator(), formats=formats), group_docs=5)
    assert other.ok and _tree(tmp_path / "other") != trees["plain"]


def test_within_a_run_the_cache_does_not_answer_another_groups_sentence(tmp_path: Path) -> None:
    """Without the run's snapshot the shared line would come from the first group's call in later groups."""
    src = _folder(tmp_path / "in")
    inner = CallTaggingTranslator()
    pipeline = make_pipeline(CachedTranslator(inner, tmp_path / "cache.sqlite"), formats=("txt",))  # type: ignore[arg-type]
    assert translate_folder(src, tmp_path / "out", pipeline=pipeline, group_docs=GROUPS).ok
    shared = [s for s, _ in inner.seen if s == "Alle Angaben ohne Gewähr."]
    assert len(shared) == 3  # translated in each of its three groups
    tags = {(tmp_path / "out" / f"{n}.en.txt").read_text(encoding="utf-8").splitlines()[-1].rsplit("#", 1)[1] for n in ("00", "17", "35")}
    assert len(tags) == 3


def test_group_docs_below_one_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, ["a.txt"])
    with pytest.raises(ConfigError, match="--group-docs must be at least 1"):
        translate_folder(src, tmp_path / "out", pipeline=make_pipeline(), group_docs=0)
