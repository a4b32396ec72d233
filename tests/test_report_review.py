"""Review mode of the report (issue 17): correcting the English in place, in a real browser.

A corrected sentence is kept in ``localStorage`` under the report's own key,
survives a reload, is marked, and goes into the downloads the page builds
itself (Blob + download link, no server, no network): ``en.txt``,
``aligned.jsonl`` (every record plus ``"edited"``) and TMX 1.4b (the
correction as target, the machine output in a ``<note>``). What the user
types is text, escaped exactly once wherever it goes: ``<b>&amp;"x"</b>``
stays those 14 characters in the page, the JSONL and the TMX. Without
corrections, the downloads are byte for byte what dewire's own writers
make (JSONL: plus ``"edited": false``), for the sample and for the hostile
document. Needs ``/usr/bin/chromium`` and playwright.
"""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.test_report_browser import ARTIFACTS, Watched, build_putin_kim_doc
from tests.test_writers import build_hostile_doc, build_sample_doc
from translate.document import Document
from translate.writers import render, write_outputs
from translate.writers.html import storage_key

pytestmark = pytest.mark.browser

TYPED = '<b>&amp;"x"</b>'
CLIPBOARD_SPY = """
(() => {
  window.__copied = [];
  const spy = { writeText: (t) => { window.__copied.push(t); return Promise.resolve(); } };
  Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => spy, configurable: true });
})();
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Document]]:
    out = tmp_path_factory.mktemp("review")
    found = {}
    for doc in (build_sample_doc(), build_hostile_doc(), build_putin_kim_doc()):
        (path,) = write_outputs(doc, out, ["html"])
        found[doc.name] = (path, doc)
    return found


@pytest.fixture()
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1, accept_downloads=True)
    ctx.add_init_script(CLIPBOARD_SPY)
    yield ctx
    ctx.close()


def _open(context: Any, path: Path) -> Watched:
    w = Watched(context.new_page())
    w.page.goto(path.as_uri())
    w.page.wait_for_load_state("load")
    return w


def _sentence_text(page: Any, selector: str) -> str:
    """The text of a report sentence without its flag marks and hidden reasons."""
    return page.eval_on_selector(
        selector,
        "el => Array.from(el.childNodes).filter(n => n.nodeType === 3 || (n.classList && n.classList.contains('dateline')))"
        ".map(n => n.textContent).join('')",
    )


def _download(page: Any, kind: str) -> tuple[str, str]:
    with page.expect_download() as info:
        page.click(f'button[data-download="{kind}"]')
    download = info.value
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")


def _corrected(doc: Document, sid: int, text: str) -> Document:
    return doc.with_targets({sid: dataclasses.replace(doc.sentence(sid), target=text)})


def _wait_copied(page: Any, n: int) -> None:
    """Wait until the clipboard spy holds ``n`` texts (polled: the page's CSP forbids evaluated strings)."""
    for _ in range(100):
        if page.evaluate("window.__copied.length") >= n:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"nothing copied after 5 s (expected {n})")


def _no_network(w: Watched, path: Path) -> None:
    assert [u for u in w.requests if u != path.as_uri() and not u.startswith("blob:")] == []


def test_downloads_without_corrections_are_dewires_own_outputs(context: Any, reports: dict[str, tuple[Path, Document]]) -> None:
    for name in ("sample", "hostile"):
        path, doc = reports[name]
        w = _open(context, path)
        page = w.page
        assert page.evaluate("window.dewireReview.enTxt()") == render(doc, "txt")[".en.txt"]
        assert page.evaluate("window.dewireReview.tmx()") == render(doc, "tmx")[".tmx"]
        lines = page.evaluate("window.dewireReview.alignedJsonl()").splitlines()
        expected = render(doc, "jsonl")[".aligned.jsonl"].splitlines()
        assert len(lines) == len(expected) == doc.n_sentences
        for got, want in zip(lines, expected):
            assert got == want[:-1] + ', "edited": false}'
        assert w.errors == []
        _no_network(w, path)


def test_edit_persist_download_and_escape(context: Any, reports: dict[str, tuple[Path, Document]]) -> None:
    path, doc = reports["sample"]
    w = _open(context, path)
    page = w.page
    machine = doc.sentence(4).target
    assert not page.is_visible("#review-panel")
    page.focus("#de4")
    page.keyboard.press("r")  # review mode
    assert page.is_visible("#review-panel")
    assert page.get_attribute("#review-toggle", "aria-pressed") == "true"
    page.keyboard.press("Enter")  # Enter on the German edits its English partner; the German stays read-only
    assert page.evaluate("document.activeElement.id") == "en4"
    assert page.get_attribute("#en4", "contenteditable") in ("plaintext-only", "true")
    assert page.get_attribute("#de4", "contenteditable") is None
    page.keyboard.type("Sales rose by 12 percent " + TYPED)
    page.keyboard.press("Escape")  # cancel: nothing changes
    assert _sentence_text(page, "#en4") == machine
    assert page.get_attribute("#en4", "contenteditable") is None
    page.keyboard.press("e")
    page.keyboard.type(TYPED)  # the editor opens with the text selected: typing replaces it
    page.keyboard.press("Enter")
    assert page.get_attribute("#en4", "contenteditable") is None
    assert _sentence_text(page, "#en4") == TYPED
    assert page.eval_on_selector("#en4", "el => el.querySelector('b')") is None  # text, not markup
    assert "edited" in page.eval_on_selector("#en4", "el => Array.from(el.classList)")
    assert page.is_visible("#en4 .edit-mark") and page.is_visible("#corrected-note")
    assert "machine translation: " + machine in page.get_attribute("#en4", "title")
    assert page.inner_text("#edit-count") == "1 correction"
    # Ctrl+Enter saves too
    page.focus("#en6")
    page.keyboard.press("e")
    page.keyboard.type("The earth is round.")
    page.keyboard.press("Control+Enter")
    assert _sentence_text(page, "#en6") == "The earth is round."
    stored = json.loads(page.evaluate(f"localStorage.getItem({json.dumps(storage_key(doc))})"))
    assert stored["edits"]["4"]["text"] == TYPED and stored["edits"]["4"]["machine"] == machine

    # a reload keeps the corrections (and review mode)
    page.reload()
    page.wait_for_load_state("load")
    assert _sentence_text(page, "#en4") == TYPED and _sentence_text(page, "#en6") == "The earth is round."
    assert "edited" in page.eval_on_selector("#en4", "el => Array.from(el.classList)")
    assert page.is_visible("#review-panel")
    ARTIFACTS.mkdir(exist_ok=True)
    page.focus("#en4")
    page.wait_for_timeout(250)
    page.screenshot(path=str(ARTIFACTS / "report-review.png"))

    expected_doc = _corrected(_corrected(doc, 4, TYPED), 6, "The earth is round.")
    name, text = _download(page, "txt")
    assert name == "sample.corrected.en.txt"
    assert text == render(expected_doc, "txt")[".en.txt"]

    name, text = _download(page, "jsonl")
    assert name == "sample.corrected.aligned.jsonl"
    records = [json.loads(line) for line in text.splitlines()]
    expected = [json.loads(line) for line in render(expected_doc, "jsonl")[".aligned.jsonl"].splitlines()]
    assert [r.pop("edited") for r in records] == [s.id in (4, 6) for s in doc.sentences()]
    assert records == expected
    assert records[4]["target"] == TYPED
    assert json.dumps(TYPED, ensure_ascii=False) in text  # escaped once, by JSON only

    name, text = _download(page, "tmx")
    assert name == "sample.corrected.tmx"
    root = ET.fromstring(text.encode("utf-8"))
    tus = root.findall("body/tu")
    assert len(tus) == doc.n_sentences
    assert tus[4].findall("tuv")[1].findtext("seg") == TYPED
    assert tus[4].findtext("note") == "machine translation: " + machine
    assert tus[4].findall("tuv")[0].findtext("seg") == doc.sentence(4).source
    assert tus[3].find("note") is None and tus[3].findall("tuv")[1].findtext("seg") == doc.sentence(3).target
    assert "&lt;b&gt;&amp;amp;\"x\"&lt;/b&gt;" in text and "&amp;amp;amp;" not in text
    # apart from the note and the change date, the TMX is the writer's own for the corrected text
    plain = "\n".join(
        line.replace(f' changedate="{tus[4].findall("tuv")[1].get("changedate")}"', "").replace(
            f' changedate="{tus[6].findall("tuv")[1].get("changedate")}"', ""
        )
        for line in text.splitlines()
        if "<note>" not in line
    )
    assert plain + "\n" == render(expected_doc, "tmx")[".tmx"]

    # undo one correction
    page.focus("#en6")
    page.keyboard.press("u")
    assert _sentence_text(page, "#en6") == doc.sentence(6).target
    assert page.inner_text("#edit-count") == "1 correction"
    assert w.errors == [] and w.dialogs == []
    _no_network(w, path)


def test_empty_correction_is_refused_and_clear_needs_two_clicks(context: Any, reports: dict[str, tuple[Path, Document]]) -> None:
    path, doc = reports["sample"]
    w = _open(context, path)
    page = w.page
    page.evaluate("localStorage.clear()")
    page.reload()
    page.click("#review-toggle")
    page.focus("#en3")
    page.keyboard.press("e")
    page.keyboard.press("Delete")
    page.keyboard.press("Enter")
    assert page.get_attribute("#en3", "contenteditable") is not None  # still editing
    assert "empty" in page.inner_text("#toast")
    page.keyboard.type("Fixed.")
    page.keyboard.press("Enter")
    assert _sentence_text(page, "#en3") == "Fixed."
    page.click("#clear-edits")
    assert _sentence_text(page, "#en3") == "Fixed."  # armed, not yet cleared
    page.click("#clear-edits")
    assert _sentence_text(page, "#en3") == doc.sentence(3).target
    assert page.inner_text("#edit-count") == "0 corrections"
    assert w.errors == [] and w.dialogs == []


def test_copy_with_german_original(context: Any, reports: dict[str, tuple[Path, Document]]) -> None:
    path, doc = reports["sample"]
    w = _open(context, path)
    page = w.page
    page.focus("#en5")
    page.keyboard.press("c")
    _wait_copied(page, 1)
    copied = page.evaluate("window.__copied[0]")
    s = doc.sentence(5)
    assert copied.splitlines() == [s.target, "German original: " + s.source, "(machine translation by dewire)"]
    # from the review panel, after a correction
    page.click("#review-toggle")
    page.focus("#en5")
    page.keyboard.press("e")
    page.keyboard.type(TYPED)
    page.keyboard.press("Enter")
    page.click("#copy-current")
    _wait_copied(page, 2)
    copied = page.evaluate("window.__copied[1]")
    assert copied.splitlines() == [TYPED, "German original: " + s.source, "(machine translation by dewire, corrected by hand)"]
    assert w.errors == []


def test_reports_keep_their_corrections_apart(context: Any, reports: dict[str, tuple[Path, Document]]) -> None:
    sample, doc = reports["sample"]
    other, other_doc = reports["putin-kim"]
    assert storage_key(doc) != storage_key(other_doc)
    w = _open(context, sample)
    w.page.focus("#en2")
    w.page.keyboard.press("e")
    w.page.keyboard.type("Only in the sample.")
    w.page.keyboard.press("Enter")
    w2 = _open(context, other)
    assert _sentence_text(w2.page, "#en2") == other_doc.sentence(2).target
    assert w2.page.is_hidden("#corrected-note")
