"""Report and batch index layout faults found by a newcomer (issue 17), in a real browser.

1. Long unbreakable tokens (the tiny test model's gibberish; in real use long
   URLs and German compounds) never make a page scroll sideways: the batch
   ``index.html`` and the report at 1280 and 390 px, with a 200-character
   token in a title, a brief bullet, a file name and sentences; every column
   of the index (Modified included) stays on screen; the brief box stays
   inside the page.
2. One column grid: the "English" header label, the headline row and the
   sentence-pair rows of a long paragraph share the same column boundaries.
3. Transient messages (the toast, the flag-detail strip) cover no control:
   the Review button stays clickable while "Correction kept." shows, and the
   keyboard list opened with ``?`` stays readable while a flag detail shows.

Needs ``/usr/bin/chromium`` and playwright, like
``tests/test_report_browser.py``; screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.test_report_browser import ARTIFACTS, Watched
from tests.test_report_long import build_long_doc, with_details
from tests.test_writers import make_doc
from translate.document import Brief, BriefBullet, Document
from translate.writers import write_outputs
from translate.writers.index import IndexEntry, write_index

pytestmark = pytest.mark.browser

TOKEN = ("Donaudampfschifffahrtsgesellschaftskapitaensmuetzenherstellerverband" * 4)[:200]
assert len(TOKEN) == 200 and " " not in TOKEN
URL = "https://www.example.org/" + "a1b2c3d4e5" * 20


def build_token_doc() -> Document:
    """Headline, brief bullet and sentences (a long paragraph and a short one) with 200-character tokens."""
    body = []
    for i in range(8):
        source = f"Satz {i + 1} über die Lage." if i % 3 else f"Satz {i + 1}: {TOKEN}{i} steht hier."
        target = f"Sentence {i + 1} on the situation." if i % 3 else f"Sentence {i + 1}: {TOKEN}{i} is here."
        body.append((source, target, ("low-confidence",) if i == 4 else (), -0.4))
    doc = make_doc(
        [
            ("headline", [(f"Titel {TOKEN}", f"Title {TOKEN}")]),
            ("body", body),
            ("body", [(f"Quelle: {URL}", f"Source: {URL}"), ("Das ist kurz.", "That is short.", ("number-mismatch",), -0.4)]),
        ],
        name="token",
        brief=Brief(
            title=f"Title {TOKEN}",
            bullets=(BriefBullet(f"A bullet with {TOKEN} in it.", (1,)), BriefBullet(f"See {URL}.", (9,))),
            summarizer="extractive",
        ),
    )
    return with_details(doc, {10: (("number-mismatch", "drei → 3 missing"),)})


INDEX_ENTRIES = [
    IndexEntry(
        name=f"wirtschaft/{TOKEN}.txt",
        status="done",
        href=f"wirtschaft/{TOKEN}.report.html",
        title=f"Title {TOKEN}",
        title_de=f"Titel {TOKEN}",
        bullets=(f"A bullet with {TOKEN} in it.", f"See {URL}."),
        sentences=34, flags=3, seconds=12.5, modified=1_700_000_300,
        warnings=1, warning_texts=(f"odd byte in {TOKEN}",),
    ),
    IndexEntry(name="sport/kurz.txt", status="done", href="sport/kurz.report.html", title="Short", title_de="Kurz",
               sentences=3, flags=0, seconds=0.4, modified=1_700_000_900),
    IndexEntry(name=f"{TOKEN}.txt", status="failed", reason=f"{TOKEN}.txt: binary file (NUL bytes), not text"),
]

WIDTHS = [(1280, 900), (390, 844)]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("fit")
    paths = {}
    for doc in (build_token_doc(), build_long_doc()):
        (path,) = write_outputs(doc, out, ["html"])
        paths[doc.name] = path
    paths["index"] = write_index(out / "index.html", INDEX_ENTRIES)
    return paths


@pytest.fixture()
def open_page(browser: Any) -> Iterator[Any]:
    contexts = []

    def _open(path: Path, width: int = 1280, height: int = 900) -> Watched:
        mobile = width < 700
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=1, is_mobile=mobile, has_touch=mobile
        )
        contexts.append(context)
        watched = Watched(context.new_page())
        watched.page.goto(path.as_uri())
        watched.page.wait_for_load_state("load")
        return watched

    yield _open
    for context in contexts:
        context.close()


def _scroll_width(page: Any) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def _overflowing(page: Any, selector: str, width: int) -> list[str]:
    """Visible elements matching ``selector`` whose box reaches past the viewport's right edge."""
    return page.eval_on_selector_all(
        selector,
        f"els => els.filter(e => {{ const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > {width} + 0.5 || r.left < -0.5); }})"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))",
    )


# ---------------------------------------------------------------------------
# 1. no sideways scrolling


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_index_with_long_tokens_fits(open_page: Any, reports: dict[str, Path], width: int, height: int) -> None:
    w = open_page(reports["index"], width, height)
    page = w.page
    assert _scroll_width(page) <= width
    assert _overflowing(page, "body *", width) == []
    if width > 700:  # every column's header and cells are on screen, the last ones (Modified, Seconds, Status) too
        for th in page.eval_on_selector_all("#docs thead th", "els => els.map(e => e.getBoundingClientRect().right)"):
            assert th <= width
        when = page.locator("tbody tr:first-child td.when").bounding_box()
        assert when["x"] + when["width"] <= width and when["width"] > 60
    assert page.is_visible("text=binary file")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"fit-index-{width}.png"), full_page=True)
    assert w.errors == []


@pytest.mark.parametrize("layout", ["auto", "sentences", "paragraphs"])
@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_report_with_long_tokens_fits(open_page: Any, reports: dict[str, Path], width: int, height: int, layout: str) -> None:
    w = open_page(reports["token"], width, height)
    page = w.page
    page.check(f'input[name="layout"][value="{layout}"]', force=True)
    assert page.get_attribute("body", "data-layout") == layout
    assert _scroll_width(page) <= width
    assert _overflowing(page, "h1, .title-de, .brief, .bullet, .btext, main .s, main .row, .bar, .facts", width) == []
    page.click("#review-toggle")  # the review panel too
    page.focus("#en1")
    assert _scroll_width(page) <= width
    if layout == "auto":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"fit-report-{width}.png"), full_page=False)
    assert w.errors == []


# ---------------------------------------------------------------------------
# 2. one column grid


@pytest.mark.parametrize("name", ["long", "token"])
@pytest.mark.parametrize("layout", ["auto", "sentences", "paragraphs"])
def test_header_labels_sit_over_their_columns(open_page: Any, reports: dict[str, Path], name: str, layout: str) -> None:
    page = open_page(reports[name], 1280, 900).page
    page.check(f'input[name="layout"][value="{layout}"]', force=True)
    en_label = page.locator(".col-en").bounding_box()["x"]
    de_label = page.locator(".col-de").bounding_box()["x"]
    # every sentence that starts a line at its column's edge: the first of each row, and in sentence rows each one
    starts = page.evaluate(
        "layout => Array.from(document.querySelectorAll('main .row .s')).filter(e => e.getClientRects().length"
        " && (e.matches(':first-child') || layout === 'sentences' || (layout === 'auto' && e.closest('.row.long'))))"
        ".map(e => [e.id, e.getBoundingClientRect().left])",
        layout,
    )
    assert len(starts) >= 3
    for sid, x in starts:
        assert abs(x - (en_label if sid.startswith("en") else de_label)) <= 2, (sid, x, en_label, de_label)
    # the headline row and the long paragraph's rows have the same column boundaries
    head, body = page.locator("#en0").bounding_box(), page.locator("#p1 .en .s").first.bounding_box()
    assert abs(head["x"] - body["x"]) <= 2


# ---------------------------------------------------------------------------
# 3. transient messages cover no control


def _hit(page: Any, selector: str) -> bool:
    """Whether the element at the centre of ``selector``'s box is that element or inside it."""
    return bool(
        page.eval_on_selector(
            selector,
            "e => { const r = e.getBoundingClientRect();"
            " const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
            " return !!hit && (hit === e || e.contains(hit)); }",
        )
    )


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_toast_leaves_the_review_button_free(open_page: Any, reports: dict[str, Path], width: int, height: int) -> None:
    w = open_page(reports["token"], width, height)
    page = w.page
    page.focus("#de2")
    page.keyboard.press("r")
    page.keyboard.press("e")
    page.keyboard.type("A corrected sentence.")
    page.keyboard.press("Enter")
    assert page.is_visible("#toast") and "Correction kept." in page.inner_text("#toast")
    page.locator("#review-toggle").scroll_into_view_if_needed()
    assert page.is_visible("#toast")
    assert _hit(page, "#review-toggle")
    for button in ("#edit-current", "#copy-current", 'button[data-download="txt"]', "#clear-edits", "#only-flagged"):
        if page.is_visible(button):
            assert _hit(page, button), button
    if width > 700:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "fit-review-toast.png"))
    assert w.errors == []


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_flag_detail_leaves_the_keys_list_readable(open_page: Any, reports: dict[str, Path], width: int, height: int) -> None:
    w = open_page(reports["token"], width, height)
    page = w.page
    page.focus("#en10")  # flagged, with a detail
    assert page.is_visible("#reason") and "drei → 3 missing" in page.inner_text("#reason")
    page.keyboard.press("?")
    assert page.eval_on_selector("#keys", "d => d.open") is True
    assert page.is_visible("#reason")
    rows = page.eval_on_selector_all("#keys dl > div", "els => els.length")
    for i in range(rows):
        row = f"#keys dl > div:nth-child({i + 1})"
        page.locator(row).scroll_into_view_if_needed()
        assert _hit(page, row), page.inner_text(row)
    page.locator("#keys dl > div:last-child").scroll_into_view_if_needed()
    for key in ("u", "Esc", "c"):
        row = page.locator("#keys dl > div", has=page.locator(f"kbd:text-is('{key}')")).first
        box = row.bounding_box()
        assert box is not None
        hit = page.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y); return e ? e.closest('#keys') !== null : false; }",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit, key
    page.locator("#review-toggle").scroll_into_view_if_needed()  # on a phone the controls scroll sideways
    assert page.is_visible("#reason") and _hit(page, "#review-toggle")
    if width > 700:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "fit-keys-reason.png"))
    assert w.errors == []
