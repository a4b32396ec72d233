"""A batch run killed from outside (SIGTERM, SIGKILL) leaves only whole files and resumes (issue 7).

The run happens in a child process with a slow echo translator (one document
per group), so the signal lands while later documents are being translated
or written; the parent then checks what is on disk and resumes in-process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.test_batch_helpers import make_pipeline, tmp_files, write_articles
from translate.batch import MANIFEST_NAME, translate_folder

REPO = Path(__file__).resolve().parent.parent
SUFFIXES = (".report.html", ".aligned.jsonl", ".en.txt", ".brief.md", ".brief.json")

CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {repo!r})
    from tests.test_batch_helpers import CountingTranslator, make_pipeline
    from translate.batch import translate_folder

    class Slow(CountingTranslator):
        def translate_batch(self, sources, **kw):
            time.sleep(0.2)
            return super().translate_batch(sources, **kw)

    try:
        translate_folder({src!r}, {out!r}, pipeline=make_pipeline(Slow()), quiet=True, group_sentences=1)
    except KeyboardInterrupt:
        sys.exit(130)
    """
)


def _done(out: Path) -> set[str]:
    """Files the record shows done: the manifest snapshot with its journal replayed (the journal is what a run appends to)."""
    from translate.batch.manifest import Manifest

    return {rel for rel, entry in Manifest.load(out / MANIFEST_NAME).files.items() if entry.status == "done"}


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_run_leaves_whole_files_and_resumes(tmp_path: Path, sig: signal.Signals) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    names = [f"doc{i:02d}.txt" for i in range(12)]
    write_articles(src, names)
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(repo=str(REPO), src=str(src), out=str(out)), encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while len(_done(out)) < 2:
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
            assert time.monotonic() < deadline, "the child made no progress"
            time.sleep(0.05)
        child.send_signal(sig)
        code = child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert code == (130 if sig == signal.SIGTERM else -signal.SIGKILL)
    if sig == signal.SIGTERM:
        assert not tmp_files(out)  # stopped between writes

    finished = _done(out)
    assert 2 <= len(finished) < len(names)
    for name in names:
        stem = name[:-4]
        present = [s for s in SUFFIXES if (out / f"{stem}{s}").exists()]
        if name in finished:
            assert present == list(SUFFIXES)
        for suffix in present:  # whatever exists is whole
            text = (out / f"{stem}{suffix}").read_text(encoding="utf-8")
            if suffix == ".aligned.jsonl":
                [json.loads(line) for line in text.splitlines()]
            elif suffix == ".report.html":
                assert text.rstrip().endswith("</html>")
            elif suffix == ".brief.json":
                json.loads(text)

    pipeline = make_pipeline()
    report = translate_folder(src, out, pipeline=pipeline, quiet=True)
    assert report.ok
    statuses = {i.relative: i.status for i in report.items}
    assert {n for n, s in statuses.items() if s == "skipped"} == finished
    assert {n for n, s in statuses.items() if s == "done"} == set(names) - finished
    assert not tmp_files(out)
    # Finished documents never reached the model again.
    assert len(pipeline.translator.seen) == sum(i.sentences for i in report.items if i.status == "done")
