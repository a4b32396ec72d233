"""The HTML report in a real browser (headless Debian Chromium through Playwright).

Needs ``/usr/bin/chromium`` and the ``playwright`` Python package (CI installs
both; the browser is never downloaded: no ``playwright install``). Checks: no
console errors and no network requests, sentence k on the left lights
sentence k on the right (hover and keyboard focus), a brief bullet lights its
support, the columns stack at 400 px, the language toggle hides a column, the
hostile document's scripts never run, list items sit on lines of their own,
the dateline lead is set like body text. Screenshots go to ``test-artifacts/``.

Two kinds of report are opened. :func:`test_report_of_the_real_pipeline`
opens the report the real pipeline makes of ``samples/putin-kim.de.txt``
(read, segment, translate with the tiny random-weight test model, summarize,
write): its English is noise, but its structure is exactly what users get.
The other tests use hand-built documents (``tests/test_writers.py``), and the
screenshots a hand-built one of the same article (split naively at blank
lines and sentence punctuation) with hand-written English targets, so that
they show the page as it reads with a real translation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.test_writers import build_hostile_doc, build_sample_doc, make_doc
from translate.document import Brief, BriefBullet, Document
from translate.writers import write_outputs

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
SAMPLE_ARTICLE = REPO / "samples" / "putin-kim.de.txt"

# ---------------------------------------------------------------------------
# the realistic screenshot document

PUTIN_KIM_EN = [
    "Analysis: Putin and North Korea's Kim send their rivals a warning despite defiant summit, by Reuters",
    "© Reuters.",
    "Russian President Vladimir Putin and North Korean leader Kim Jong Un attend a meeting at the Vostochny "
    "Cosmodrome in the far eastern Amur region of Russia on 13 September 2023.",
    "This picture was released by North Korea's Korean Central News Agency.",
    "KCNA via R",
    "By Josh Smith",
    "SEOUL (Reuters) – Whatever practical cooperation emerges from this week's summit between Russian President "
    "Vladimir Putin and North Korean leader Kim Jong Un, their deepening relationship is aimed at sending a warning "
    "to their rivals, analysts said.",
    "The men called each other \"comrades\" and toasted their friendship on Wednesday after Putin had shown Kim "
    "around Russia's most modern space launch facility and they had held talks with their defence ministers.",
    "Both countries have an interest in showing that, despite their geopolitical isolation, they have partners "
    "they can fall back on.",
    "And both aim to weaken the US-led sanctions and pressure campaigns against Russia over the war in Ukraine "
    "and against North Korea over its nuclear weapons and missile programmes, analysts said.",
    "\"Putin and Kim would both benefit from a transaction, but they would also benefit geopolitically by giving "
    "the impression that their nuclear states are cooperating militarily, and by warning America's allies and "
    "like-minded partners who support Ukraine of possible consequences,\" said Duyeon Kim of the Center for a "
    "New American Security.",
    "\"Kim would also signal to Washington, Seoul and Tokyo that Russia has Northeast Asia's back.\"",
    "Both Russia and North Korea have rejected US claims that they plan to supply each other with weapons, but "
    "the leaders promised to deepen defence cooperation, and Putin said Russia would help the North build satellites.",
    "If they merely wanted a secret arms deal, the two leaders would not have to meet in person, said Leif-Eric "
    "Easley, a professor at Ewha University in Seoul.",
    "\"Putin's and Kim's diplomatic performance is meant to proclaim success in challenging the US-led "
    "international order, avoid excessive dependence on China and increase pressure on rivals in Ukraine and "
    "South Korea,\" he said.",
    "Discussions about an open violation of UN Security Council resolutions on North Korea would signal that "
    "major international organisations are being paralysed, said Andrei Lankov, a Korea expert at Kookmin "
    "University in Seoul.",
    "The summit was an indicator that Security Council resolutions relating to North Korea were dead, as were all "
    "attempts to stop North Korea or punish it for its nuclear programme, he said.",
    "\"It sets an important precedent that is likely to be used not only by Russia but by pretty much every major "
    "international player: if you don't like a UN Security Council resolution, you simply ignore it,\" Lankov said.",
    "UKRAINE FACTOR",
    "Lankov also said that Russia was unlikely to supply North Korea with advanced technology over which it "
    "could ultimately lose control.",
    "But its \"exaggerated\" signals on defence cooperation allow it to send a strong message to South Korea not "
    "to provide direct military aid to Ukraine, he said.",
    "Despite pressure from Kyiv and Washington, South Korea has given Ukraine only non-lethal aid, sold large "
    "quantities of weapons to neighbouring Poland and supplied the United States with artillery shells to "
    "replenish dwindling stocks, but insists it has no plans to provide lethal aid.",
    "If Russia, North Korea and China feel threatened, it makes sense that they would try to support each other "
    "through partnerships or even alliances to counter the United States.",
    "But each country has a limited history of making such relationships work, said Mason Richey, a professor "
    "at Hankuk University of Foreign Studies in Seoul.",
    "\"I just find it hard to imagine that Xi Jinping, Kim Jong Un and Vladimir Putin can trust each other enough "
    "to form a truly long-term, concerted alliance,\" he said.",
    "\"It could be in their interest… () It is just difficult for dictators to cooperate with each other.\"",
    "source site-20",
]

_PARAGRAPH_KINDS = {0: "headline", 1: "caption", 2: "byline", 3: "dateline", 14: "heading", 19: "caption"}
_FLAGS = {4: ("length-ratio",), 10: ("split",), 25: ("low-confidence",), 26: ("untranslated",)}
_SCORES = {4: -1.2, 10: -0.52, 25: -1.93, 26: -2.4}
_SENTENCE_END = re.compile(r"(?<=[^\d\s][.!?])\s+(?=[„A-ZÄÖÜ])|(?<=[.!?]“)\s+(?=[„A-ZÄÖÜ])")


def build_putin_kim_doc() -> Document:
    """The sample article, split naively, with the stand-in English targets above."""
    text = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    split = [[s for s in _SENTENCE_END.split(block) if s] for block in blocks]
    n = sum(len(s) for s in split)
    targets = PUTIN_KIM_EN if n == len(PUTIN_KIM_EN) else [f"[en] {s}" for b in split for s in b]
    paragraphs: list[tuple[str, list[tuple[Any, ...]]]] = []
    sid = 0
    for index, sentences in enumerate(split):
        specs: list[tuple[Any, ...]] = []
        for source in sentences:
            target = targets[sid]
            pieces: list[tuple[str, str]] = []
            if sid == 10 and ", indem " in source and ", by giving" in target:
                cut, tcut = source.index(", indem "), target.index(", by giving")
                pieces = [(source[: cut + 1], target[: tcut + 1]), (source[cut + 2 :], target[tcut + 2 :])]
            specs.append((source, target, _FLAGS.get(sid, ()), _SCORES.get(sid, -0.35), pieces))
            sid += 1
        paragraphs.append((_PARAGRAPH_KINDS.get(index, "body"), specs))
    support = [s for s in (6, 9, 12, 16) if s < sid]
    brief = Brief(
        title=targets[0].removesuffix(", by Reuters"),
        bullets=tuple(BriefBullet(targets[s], (s,)) for s in support),
        summarizer="extractive",
    )
    meta = {
        "version": "0.1.0",
        "models": {"translator": "Helsinki-NLP/opus-mt-de-en", "translator_revision": "main", "summarizer": "extractive"},
        "settings": {"beams": 4, "backend": "transformers", "device": "cpu"},
        "timings": {"read": 0.01, "segment": 0.08, "translate": 38.4, "summarize": 0.2, "total": 38.7},
        "warnings": [],
        "segmenter": "dewire-seg-1",
    }
    return make_doc(paragraphs, name="putin-kim", brief=brief, meta=meta, path="samples/putin-kim.de.txt")


# ---------------------------------------------------------------------------
# browser fixtures


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    paths = {}
    for doc in (build_sample_doc(), build_hostile_doc(), build_putin_kim_doc()):
        (path,) = write_outputs(doc, out, ["html"])
        paths[doc.name] = path
    return paths


class Watched:
    """A page with every console message, page error, request and dialog recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture()
def open_report(browser: Any, reports: dict[str, Path]) -> Iterator[Any]:
    contexts = []

    def _open(name: str, width: int = 1280, height: int = 900, **options: Any) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1, **options)
        contexts.append(context)
        watched = Watched(context.new_page())
        watched.page.goto(reports[name].as_uri())
        return watched

    yield _open
    for context in contexts:
        context.close()


def _classes(page: Any, selector: str) -> list[str]:
    return page.eval_on_selector(selector, "el => Array.from(el.classList)")


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box


# ---------------------------------------------------------------------------
# tests


def test_loads_clean_without_network(open_report: Any, reports: dict[str, Path]) -> None:
    w = open_report("sample")
    w.page.wait_for_load_state("load")
    assert w.errors == []
    assert w.requests == [reports["sample"].as_uri()]
    assert w.page.title() == "Cologne companies report record sales · dewire"


def test_hover_highlights_partner(open_report: Any) -> None:
    w = open_report("sample")
    page = w.page
    for k in (3, 6, 10):
        page.hover(f"#de{k}")
        assert "hl" in _classes(page, f"#en{k}")
        assert "hl" in _classes(page, f"#de{k}")
        others = page.eval_on_selector_all(".s.hl", "els => els.map(e => e.id)")
        assert sorted(others) == sorted([f"de{k}", f"en{k}"])
    page.hover("#en4")
    assert "hl" in _classes(page, "#de4") and "hl" not in _classes(page, "#de10")
    page.mouse.move(5, 5)
    assert page.eval_on_selector_all(".s.hl", "els => els.length") == 0
    assert w.errors == []


def test_keyboard_focus_highlights_partner(open_report: Any) -> None:
    w = open_report("sample")
    page = w.page
    page.focus("#de2")
    assert "hl" in _classes(page, "#en2")
    page.keyboard.press("Tab")  # the next focusable element is the partner on the right
    assert page.evaluate("document.activeElement.id") == "en2"
    assert "hl" in _classes(page, "#de2")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "de3"
    assert "hl" in _classes(page, "#en3") and "hl" not in _classes(page, "#en2")
    # a flagged sentence shows its reason when focused (and when its partner is)
    assert not page.is_visible("#reason")
    page.focus("#en4")
    assert page.is_visible("#reason")
    assert "unsure" in page.inner_text("#reason")
    page.focus("#de4")
    assert "low-confidence" in page.inner_text("#reason")
    page.keyboard.press("Escape")
    assert page.eval_on_selector_all(".s.hl", "els => els.length") == 0
    assert not page.is_visible("#reason")
    assert w.errors == []


def test_tap_highlights_partner(open_report: Any) -> None:
    w = open_report("sample", width=400, height=800, has_touch=True, is_mobile=True)
    page = w.page
    page.tap("#de3")
    assert "hl" in _classes(page, "#en3")
    page.tap("#en6")
    assert "hl" in _classes(page, "#de6") and "hl" not in _classes(page, "#en3")
    assert w.errors == []


def test_brief_bullet_highlights_support(open_report: Any) -> None:
    w = open_report("sample")
    page = w.page
    page.hover(".bullet >> nth=1")
    assert "sup" in _classes(page, "#de4") and "sup" in _classes(page, "#en4")
    assert page.eval_on_selector_all(".s.sup", "els => els.map(e => e.id)") == ["de4", "en4"]
    assert "on" in _classes(page, ".bullet >> nth=1")
    page.mouse.move(5, 5)
    page.focus(".bullet >> nth=0")
    assert page.eval_on_selector_all(".s.sup", "els => els.map(e => e.id)") == ["de3", "en3"]
    page.keyboard.press("Enter")  # jumps to the support
    assert page.evaluate("document.activeElement.id") == "en3"
    assert "unsupported" in _classes(page, ".bullet >> nth=2")
    assert page.is_visible(".bullet >> nth=2 >> .chip")
    assert w.errors == []


def test_narrow_screen_stacks_columns(open_report: Any) -> None:
    w = open_report("sample", width=400, height=800)
    page = w.page
    de, en = _box(page, "#p3 > .de"), _box(page, "#p3 > .en")
    assert en["y"] >= de["y"] + de["height"] - 1  # English below German
    assert abs(en["x"] - de["x"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scrolling
    wide = open_report("sample", width=1280).page
    de, en = _box(wide, "#p3 > .de"), _box(wide, "#p3 > .en")
    assert abs(en["y"] - de["y"]) < 1 and en["x"] > de["x"] + de["width"]  # side by side, same height


def test_rows_start_at_the_same_height(open_report: Any) -> None:
    page = open_report("putin-kim").page
    tops = page.eval_on_selector_all(
        "main .row",
        "rows => rows.map(r => [r.querySelector('.de').getBoundingClientRect().top,"
        " r.querySelector('.en').getBoundingClientRect().top])",
    )
    assert len(tops) > 10
    assert all(abs(de - en) < 1 for de, en in tops)


def test_toggle_hides_a_column(open_report: Any) -> None:
    w = open_report("sample")
    page = w.page
    page.click("text=English >> nth=-1")
    assert page.eval_on_selector("body", "b => b.dataset.view") == "en"
    assert not page.is_visible("#de3") and page.is_visible("#en3")
    page.check('input[name="view"][value="de"]', force=True)
    assert page.is_visible("#de3") and not page.is_visible("#en3")
    page.check('input[name="view"][value="both"]', force=True)
    assert page.is_visible("#de3") and page.is_visible("#en3")
    assert w.errors == []


def test_hostile_report_is_inert(open_report: Any, reports: dict[str, Path]) -> None:
    w = open_report("hostile")
    page = w.page
    page.wait_for_load_state("load")
    page.hover("#de1")
    page.focus("#en1")
    page.hover(".bullet >> nth=0")
    assert w.dialogs == []
    assert w.requests == [reports["hostile"].as_uri()]
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert "<script>alert(1)</script>" in page.inner_text("#de1")
    assert "<img src=x onerror=alert(1)>" in page.inner_text("#en1")
    assert page.title() == "<script>alert('title')</script> · dewire"
    assert "hl" not in _classes(page, "#de2")
    # bidi controls cannot leak out of a sentence: each one is an isolate
    assert page.eval_on_selector("#de1", "el => getComputedStyle(el).unicodeBidi") == "isolate"
    assert w.errors == []


def _style(page: Any, selector: str) -> dict[str, str]:
    return page.eval_on_selector(
        selector,
        "el => { const c = getComputedStyle(el); return {fontSize: c.fontSize, fontFamily: c.fontFamily,"
        " fontWeight: c.fontWeight, fontStyle: c.fontStyle, lineHeight: c.lineHeight, color: c.color,"
        " fontVariantCaps: c.fontVariantCaps}; }",
    )


def test_dateline_lead_is_set_like_body_text(open_report: Any) -> None:
    w = open_report("sample")
    page = w.page
    assert page.get_attribute("#p2", "data-kind") == "dateline" and page.get_attribute("#p3", "data-kind") == "body"
    for side in ("de", "en"):
        lead, body = _style(page, f"#p2 > .{side} > p"), _style(page, f"#p3 > .{side} > p")
        assert lead == body, side  # same size, face, weight, colour as a body paragraph
        mark = _style(page, f"#{side}2 > .dateline")
        # only the dateline itself is marked: bold and muted, never in (small) capitals (issue 17)
        assert mark["fontWeight"] == "700" and mark["color"] != lead["color"]
        assert mark["fontVariantCaps"] == "normal"
    assert page.inner_text("#de2 > .dateline") == "KÖLN (dpa) –"
    assert page.inner_text("#de2").startswith("KÖLN (dpa) – Die Kölner")
    page.hover("#de2 > .dateline")  # the mark is part of its sentence: hovering it lights the partner
    assert "hl" in _classes(page, "#en2")
    assert w.errors == []


def test_list_items_sit_on_lines_of_their_own(open_report: Any) -> None:
    page = open_report("sample").page
    for side in ("de", "en"):
        first, second = _box(page, f"#{side}10"), _box(page, f"#{side}11")
        assert second["y"] >= first["y"] + first["height"] - 1  # the second item starts below the first
        assert abs(second["x"] - first["x"]) < 1  # at the same left edge
    assert page.evaluate("getComputedStyle(document.querySelector('#p7 .de p')).fontSize") == page.evaluate(
        "getComputedStyle(document.querySelector('#p3 .de p')).fontSize"
    )


def test_report_of_the_real_pipeline(browser: Any, tiny_marian_dir: Path, tmp_path: Path) -> None:
    """The report ``Pipeline.run`` writes for the sample article (tiny model), opened from disk."""
    if not SAMPLE_ARTICLE.exists():
        pytest.skip(f"{SAMPLE_ARTICLE} is missing")
    from translate.config import load_config
    from translate.pipeline import Options, Pipeline

    options = Options(model=str(tiny_marian_dir), threads=1, formats=("html",), use_cache=False)
    result = Pipeline(load_config(), options).run(SAMPLE_ARTICLE, tmp_path / "out")
    (path,) = result.outputs
    assert path.name == "putin-kim.report.html"
    doc = result.document
    ids = [str(s.id) for s in doc.sentences()]
    assert len(ids) > 20

    context = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    try:
        w = Watched(context.new_page())
        page = w.page
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert w.requests == [path.as_uri()]  # nothing but the file itself
        # every sentence once per column, in document order, each row holding its paragraph's sentences
        for side in ("de", "en"):
            assert page.eval_on_selector_all(f"main .{side} .s", "els => els.map(e => e.dataset.sid)") == ids
            assert page.eval_on_selector_all(f"main .{side} .s", "els => els.map(e => e.id)") == [f"{side}{i}" for i in ids]
        rows = page.eval_on_selector_all("main .row", "rows => rows.map(r => [r.dataset.kind, r.querySelectorAll('.de .s').length])")
        assert rows == [[p.kind, len(p.sentences)] for p in doc.paragraphs]
        # hovering German sentence k lights English sentence k, and only that pair
        for k in ids:
            page.hover(f"#de{k}")
            assert sorted(page.eval_on_selector_all(".s.hl", "els => els.map(e => e.id)")) == sorted([f"de{k}", f"en{k}"]), k
        page.mouse.move(5, 5)
        # the lead (dateline) paragraph is set like body text; only "SEOUL (Reuters) –" is marked
        kinds = [p.kind for p in doc.paragraphs]
        lead, body = kinds.index("dateline"), kinds.index("body")
        for side in ("de", "en"):
            assert _style(page, f"#p{lead} > .{side} > p") == _style(page, f"#p{body} > .{side} > p")
        assert page.inner_text(f"#p{lead} .de .dateline") == "SEOUL (Reuters) –"
        first = doc.paragraphs[lead].sentences[0]
        assert page.inner_text(f"#de{first.id}") == first.source
        ARTIFACTS.mkdir(exist_ok=True)
        page.hover(f"#de{first.id}")
        page.wait_for_timeout(300)  # let the highlight transition finish
        shot = ARTIFACTS / "report-pipeline.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        assert w.errors == []
    finally:
        context.close()


def test_screenshots(open_report: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    w = open_report("putin-kim", width=1280, height=1500)
    page = w.page
    page.hover("#de7")
    page.wait_for_timeout(300)  # let the highlight transition finish
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    page.hover(".bullet >> nth=0")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "report-brief.png"))
    narrow = open_report("putin-kim", width=400, height=1400).page
    narrow.screenshot(path=str(ARTIFACTS / "report-narrow.png"))
    dark = open_report("putin-kim", width=1280, height=1100).page
    dark.emulate_media(color_scheme="dark")
    dark.focus("#en25")
    dark.wait_for_timeout(300)
    dark.screenshot(path=str(ARTIFACTS / "report-dark.png"), full_page=False)
    pdf_page = open_report("putin-kim").page
    pdf_page.emulate_media(media="print")
    pdf_page.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True)
    for name in ("report.png", "report-brief.png", "report-narrow.png", "report-dark.png", "report-print.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000
    assert w.errors == []


def test_screenshot_doc_is_the_sample() -> None:
    if not SAMPLE_ARTICLE.exists():
        pytest.skip(f"{SAMPLE_ARTICLE} is missing")
    doc = build_putin_kim_doc()
    assert doc.n_sentences == len(PUTIN_KIM_EN)  # the stand-in targets line up with the naive split
