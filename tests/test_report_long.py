"""Long paragraphs in the report keep sentence-level alignment (issue 17), in a real browser.

All 108 10kGNAD articles are one long paragraph. The report shows such a
paragraph as sentence-pair rows (German sentence k and English sentence k in
one grid row; on a phone, stacked), and scrolls a partner that is off screen
into view. Checked on a 53-sentence single-paragraph article run through the
real pipeline (read, segment, translate with the tiny random-weight model,
summarize, write), at 1280 and 390 px: after focusing any sentence, it and its
partner are both inside the viewport (below the sticky bar). Keyboard: j/k
walk the sentences, n/p the flagged ones (a synthetic 50-sentence paragraph
with known flags). Needs ``/usr/bin/chromium`` and playwright, like
``tests/test_report_browser.py``; screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.test_report_browser import ARTIFACTS, Watched
from tests.test_writers import make_doc
from translate.document import Document, Sentence
from translate.writers import write_outputs

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO.parent / "shared" / "corpus" / "articles" / "10kgnad" / "panorama_0008.txt"


def with_details(doc: Document, details: dict[int, tuple[tuple[str, str], ...]]) -> Document:
    """``doc`` with ``Sentence.details`` set (the field the checks add; a stand-in subclass until then)."""
    if "details" in Sentence.__dataclass_fields__:
        return doc.with_targets({sid: dataclasses.replace(doc.sentence(sid), details=d) for sid, d in details.items()})

    @dataclasses.dataclass(frozen=True, slots=True)
    class DetailedSentence(Sentence):
        details: tuple[tuple[str, str], ...] = ()

    updates = {}
    for sid, d in details.items():
        s = doc.sentence(sid)
        fields = {f.name: getattr(s, f.name) for f in dataclasses.fields(Sentence)}
        updates[sid] = DetailedSentence(**fields, details=d)
    return doc.with_targets(updates)


FLAGGED = {7: ("number-mismatch",), 23: ("name-mismatch", "low-confidence"), 41: ("omission",)}


def build_long_doc(n: int = 50) -> Document:
    """A headline, then one paragraph of ``n`` sentences of varied length (ids 1..n).

    Body sentences 7, 23 and 41 (ids 8, 24, 42) are flagged, two of them with details.
    """
    specs = []
    for i in range(n):
        words = 4 + (i * 7) % 23
        source = f"Satz {i + 1}: " + " ".join(f"Wort{j}" for j in range(words)) + "."
        target = f"Sentence {i + 1}: " + " ".join(f"word{j}" for j in range(max(2, words + (i % 5) - 2))) + "."
        specs.append((source, target, FLAGGED.get(i, ()), -0.3))
    doc = make_doc([("headline", [("Ein langer Absatz", "One long paragraph")]), ("body", specs)], name="long")
    return with_details(
        doc, {8: (("number-mismatch", "14 → 41"),), 24: (("name-mismatch", "name 'Schmuckenschlager' not in the English"),)}
    )


@pytest.fixture(scope="module")
def pipeline_report(tiny_marian_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Document]:
    if not ARTICLE.exists():
        pytest.skip(f"{ARTICLE} is missing")
    from translate.config import load_config
    from translate.pipeline import Options, Pipeline

    options = Options(model=str(tiny_marian_dir), threads=1, formats=("html",), use_cache=False)
    result = Pipeline(load_config(), options).run(ARTICLE, tmp_path_factory.mktemp("long"))
    (path,) = result.outputs
    return path, result.document


@pytest.fixture(scope="module")
def synthetic_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    (path,) = write_outputs(build_long_doc(), tmp_path_factory.mktemp("synthetic"), ["html"])
    return path


@pytest.fixture()
def open_page(browser: Any) -> Iterator[Any]:
    contexts = []

    def _open(path: Path, width: int = 1280, height: int = 900, **options: Any) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1, **options)
        contexts.append(context)
        watched = Watched(context.new_page())
        watched.page.goto(path.as_uri())
        watched.page.wait_for_load_state("load")
        return watched

    yield _open
    for context in contexts:
        context.close()


IN_VIEW = """ids => ids.map(id => {
  const r = document.getElementById(id).getBoundingClientRect();
  const bar = document.querySelector('.bar').getBoundingClientRect();
  const top = bar.top <= 1 ? bar.bottom : 0;
  return r.top >= top - 1 && r.bottom <= window.innerHeight + 1 && r.height > 0;
})"""


PAIR_FITS = """ids => {
  const [a, b] = ids.map(id => document.getElementById(id).getBoundingClientRect());
  const bar = document.querySelector('.bar').getBoundingClientRect();
  return Math.max(a.bottom, b.bottom) - Math.min(a.top, b.top) <= window.innerHeight - bar.height - 8;
}"""


def _in_view(page: Any, *ids: str) -> list[bool]:
    return page.evaluate(IN_VIEW, list(ids))


def _tops(page: Any, selector: str) -> list[float]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getBoundingClientRect().top + window.scrollY)")


def test_real_article_is_one_long_paragraph(pipeline_report: tuple[Path, Document]) -> None:
    _, doc = pipeline_report
    assert len(doc.paragraphs) == 1 and doc.n_sentences >= 50


@pytest.mark.parametrize("width", [1280, 390])
def test_partner_in_view_after_focus(open_page: Any, pipeline_report: tuple[Path, Document], width: int) -> None:
    path, doc = pipeline_report
    w = open_page(path, width=width, height=800)
    page = w.page
    assert "long" in page.get_attribute("#p0", "class").split()
    ids = [s.id for s in doc.sentences()]
    for side, other in (("de", "en"), ("en", "de")):
        for sid in ids:
            page.focus(f"#{side}{sid}")
            focused, partner = _in_view(page, f"{side}{sid}", f"{other}{sid}")
            assert partner, (width, side, sid)  # the partner is always brought into view
            if page.evaluate(PAIR_FITS, [f"de{sid}", f"en{sid}"]):
                assert focused, (width, side, sid)  # and the focused sentence stays, where both fit
            assert sorted(page.eval_on_selector_all(".s.hl", "els => els.map(e => e.id)")) == sorted([f"de{sid}", f"en{sid}"])
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert w.errors == []


def test_sentence_rows_pair_up(open_page: Any, pipeline_report: tuple[Path, Document]) -> None:
    path, doc = pipeline_report
    ids = [s.id for s in doc.sentences()]
    wide = open_page(path, width=1280).page
    de, en = _tops(wide, "main .de .s"), _tops(wide, "main .en .s")
    assert len(de) == len(en) == len(ids)
    assert all(abs(a - b) < 1 for a, b in zip(de, en))  # sentence k on both sides starts at the same height
    assert all(b > a for a, b in zip(de, de[1:]))  # one row per pair, in order
    narrow = open_page(path, width=390, height=800).page
    boxes = narrow.eval_on_selector_all(
        "main .s", "els => Object.fromEntries(els.map(e => { const r = e.getBoundingClientRect(); return [e.id, [r.top, r.bottom, r.left]]; }))"
    )
    for a, b in zip(ids, ids[1:]):
        assert boxes[f"en{a}"][0] >= boxes[f"de{a}"][1] - 1  # English k right below German k
        assert boxes[f"de{b}"][0] >= boxes[f"en{a}"][1] - 1  # then the next pair
        assert boxes[f"en{a}"][0] - boxes[f"de{a}"][1] < 40
    ARTIFACTS.mkdir(exist_ok=True)
    wide.focus(f"#de{ids[30]}")
    wide.wait_for_timeout(250)
    wide.screenshot(path=str(ARTIFACTS / "report-long-paragraph.png"))
    narrow.focus(f"#en{ids[30]}")
    narrow.wait_for_timeout(250)
    narrow.screenshot(path=str(ARTIFACTS / "report-long-paragraph-390.png"))


def test_layout_toggle(open_page: Any, synthetic_report: Path) -> None:
    w = open_page(synthetic_report)
    page = w.page
    assert page.eval_on_selector("body", "b => b.dataset.layout") == "auto"
    page.check('input[name="layout"][value="paragraphs"]', force=True)
    de, en = _tops(page, "#p1 .de .s"), _tops(page, "#p1 .en .s")
    assert sum(abs(a - b) > 1 for a, b in zip(de, en)) > 10  # running text: the pairs drift apart
    page.focus("#de40")  # still: the partner is brought into view
    assert _in_view(page, "de40", "en40") == [True, True] or _in_view(page, "en40") == [True]
    page.check('input[name="layout"][value="sentences"]', force=True)
    de, en = _tops(page, "main .de .s"), _tops(page, "main .en .s")
    assert all(abs(a - b) < 1 for a, b in zip(de, en))  # every paragraph, short ones too, in pairs
    page.check('input[name="view"][value="en"]', force=True)  # one language: plain running text
    assert not page.is_visible("#de5") and page.is_visible("#en5")
    assert page.eval_on_selector("#p1 .en p", "p => getComputedStyle(p).display") == "block"
    assert w.errors == []


def test_keyboard_sentence_and_flag_navigation(open_page: Any, synthetic_report: Path) -> None:
    w = open_page(synthetic_report, width=1280, height=700)
    page = w.page
    page.keyboard.press("j")  # from nowhere: the first sentence
    assert page.evaluate("document.activeElement.id") == "de0"
    for expected in ("de1", "de2", "de3"):
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == expected
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == "de2"
    flagged = [f"de{sid + 1}" for sid in sorted(FLAGGED)]
    for expected in flagged:
        page.keyboard.press("n")
        assert page.evaluate("document.activeElement.id") == expected
        sid = expected[2:]
        assert _in_view(page, f"de{sid}", f"en{sid}") == [True, True]
    page.keyboard.press("n")  # no further flagged sentence: stays
    assert page.evaluate("document.activeElement.id") == flagged[-1]
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.id") == flagged[-2]
    page.focus("#en30")  # on the English side, j/k stay on the English side
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == "en31"
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.id") == "en24"
    # the flag's detail is shown on focus, next to the description of the flag
    assert page.is_visible("#reason")
    assert "name 'Schmuckenschlager' not in the English" in page.inner_text("#reason")
    # the keys are documented in the page
    keys = page.eval_on_selector("#keys", "d => d.textContent")
    for key in ("j", "k", "n", "p", "next / previous flagged sentence"):
        assert key in keys
    page.keyboard.press("?")
    assert page.eval_on_selector("#keys", "d => d.open") is True
    assert w.errors == []


def test_hover_brings_partner_into_view(open_page: Any, synthetic_report: Path) -> None:
    w = open_page(synthetic_report, width=390, height=700)  # stacked columns: the partner is far away
    page = w.page
    page.check('input[name="layout"][value="paragraphs"]', force=True)
    page.evaluate("window.scrollTo(0, document.querySelector('#de45').getBoundingClientRect().top + scrollY - 300)")
    if _in_view(page, "en45") == [True]:
        pytest.skip("the partner is already on screen at this size")
    page.hover("#de45")
    # after a short dwell (450 ms) the partner is scrolled into view
    for _ in range(100):
        if _in_view(page, "en45") == [True]:
            break
        page.wait_for_timeout(100)
    assert _in_view(page, "en45") == [True]
    assert w.errors == []
