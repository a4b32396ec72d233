"""Batch engines (translate/batch/executors.py): every engine gives the same bytes; the seam's plain data.

The translator is the deterministic echo translator of tests/test_batch_helpers.py: these tests are
about where the work runs, not the model.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from tests.test_batch_helpers import make_pipeline, write_articles
from translate.batch import (
    ENGINES,
    MANIFEST_NAME,
    InProcessExecutor,
    Outcome,
    PipelineSpec,
    ProcessPoolExecutor,
    WorkItem,
    make_executor,
    run_group,
    translate_folder,
)
from translate.errors import ConfigError

NAMES = ["a.txt", "b.txt", "sub/c.de.txt", "sub/deeper/d.txt", "e.txt", "f.txt"]

_TIMING = re.compile(r'<span(?: title="[^"]*")?>took [^<]*</span>')
"""The report's wall-clock line ("took 0.1 s", stage times in its title): the only bytes that differ between runs."""


def _tree(out: Path) -> dict[str, bytes]:
    """Every output file under ``out`` (manifest and digest aside), timing line of reports masked."""
    files = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.name in (MANIFEST_NAME, "index.html", ".dewire-owned.jsonl"):
            continue
        data = path.read_bytes()
        if path.name.endswith(".report.html"):
            data = _TIMING.sub("took …", data.decode("utf-8")).encode("utf-8")
        files[path.relative_to(out).as_posix()] = data
    return files


def test_in_process_and_process_pool_write_identical_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_articles(src, NAMES)
    one = translate_folder(src, tmp_path / "one", pipeline=make_pipeline(), quiet=True, executor=InProcessExecutor())
    pool = translate_folder(src, tmp_path / "pool", pipeline=make_pipeline(), quiet=True, executor=ProcessPoolExecutor(2), group_sentences=8)
    assert one.ok and pool.ok
    a, b = _tree(tmp_path / "one"), _tree(tmp_path / "pool")
    assert len(a) == 5 * len(NAMES)  # html, jsonl, txt, brief.md, brief.json per document
    assert a == b
    for path in (tmp_path / "one").rglob("*.report.html"):  # the mask hid exactly one line per report
        assert len(_TIMING.findall(path.read_text(encoding="utf-8"))) == 1
    assert [(i.relative, i.status, i.sentences, i.flags) for i in one.items] == [(i.relative, i.status, i.sentences, i.flags) for i in pool.items]


def test_seam_data_is_picklable_and_run_group_never_raises_per_file(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    good, empty = write_articles(src, ["good.txt", "empty.txt"])
    empty.write_bytes(b"")
    items = [WorkItem(path=p, relative=p.name, out_parent=".", stem=p.stem) for p in (good, empty)]
    pipeline = make_pipeline()
    spec = PipelineSpec.of(pipeline)
    rebuilt = pickle.loads(pickle.dumps(spec)).build()
    assert pickle.loads(pickle.dumps(items)) == items
    outcomes = run_group(rebuilt, items, out, "key")
    assert [o.relative for o in outcomes] == ["good.txt", "empty.txt"]
    assert outcomes[0].status == "done" and outcomes[0].outputs and all((out / rel).is_file() for rel in outcomes[0].outputs)
    assert outcomes[1].status == "failed" and "empty" in (outcomes[1].reason or "")
    assert pickle.loads(pickle.dumps(outcomes)) == outcomes and isinstance(outcomes[0], Outcome)


def test_engine_registry() -> None:
    assert {"local", "ray"} <= set(ENGINES)
    assert isinstance(make_executor("local", jobs=1), InProcessExecutor)
    assert isinstance(make_executor("local", jobs=3), ProcessPoolExecutor)
    with pytest.raises(ConfigError, match="unknown batch engine 'dask'"):
        make_executor("dask")
