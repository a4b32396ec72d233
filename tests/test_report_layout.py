"""German typography, news layouts, the source line, the flagged-only filter and phone widths (issues 14, 17).

In a real browser: no element of the report is case-transformed (``ß`` and
noun capitals survive in headings); the paragraph kinds ``kicker``,
``timestamp``, ``byline``, ``quote`` and ``boilerplate`` are rendered and
stay aligned (boilerplate dimmed and folded, never dropped); the source
(``Document.source``: title, author, date, site, URL) is shown escaped, with
a link only for http/https; "flagged only" leaves just the flagged sentences
and the checks' details show on focus; at 390 px neither the report (long
headline, long compounds) nor the batch ``index.html`` scrolls sideways, the
index shows the German headline and the warnings. Screenshots go to
``test-artifacts/``. Parts without a browser run without one.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from lxml import html as lxml_html

from tests.test_report_browser import ARTIFACTS, Watched, build_putin_kim_doc
from tests.test_report_long import build_long_doc, open_page, with_details  # noqa: F401 - open_page is a fixture
from tests.test_writers import build_sample_doc, make_doc
from translate.document import Document
from translate.writers import render, write_outputs
from translate.writers.html import safe_url
from translate.writers.index import IndexEntry, write_index

from translate.readers.base import SourceInfo


def with_source(doc: Document, info: Any) -> Document:
    """``doc`` with ``Document.source`` set."""
    return dataclasses.replace(doc, source=info)


LONG_TITLE_DE = "Donaudampfschifffahrtsgesellschaftskapitänsmützenherstellerverband: Große Straßenbaupläne für Gießen"
LONG_TITLE_EN = "Danubesteamshipcompanycaptainshatmakersassociation: big road-building plans for Giessen"


def build_news_doc(url: str = "https://www.example.org/politik/a?id=1&x=<2>") -> Document:
    """A web-style article: kicker, title, timestamp, byline, lead, body, quote, heading, boilerplate."""
    doc = make_doc(
        [
            ("kicker", [("Tourismusattraktion in England", "Tourist attraction in England")]),
            ("headline", [(LONG_TITLE_DE, LONG_TITLE_EN)]),
            ("timestamp", [("Stand: 08.09.2023 14:32 Uhr", "As of: 08.09.2023 14:32")]),
            ("byline", [("Von Anna Weiß", "By Anna Weiß")]),
            ("body", [("Die Straße wird gesperrt.", "The road is being closed."), ("Das ärgert viele.", "That annoys many.")]),
            ("quote", [("„Wir sind froh“, sagte die Bürgermeisterin.", "\"We are glad,\" said the mayor.")]),
            ("heading", [("GROẞE PLÄNE FÜR DIE STRAßE", "BIG PLANS FOR THE ROAD")]),
            ("body", [("Die Arbeiten dauern drei Jahre.", "The work will take three years.", ("number-mismatch",), -0.4)]),
            ("boilerplate", [("Mehr zum Thema", "More on the subject", ("passthrough",), None)]),
            ("boilerplate", [("Foto: dpa/Max Mustermann", "Photo: dpa/Max Mustermann", ("passthrough",), None)]),
        ],
        name="news",
    )
    doc = with_details(doc, {8: (("number-mismatch", "drei → 3 missing: 'three' ≠ '3'"),)})
    info = SourceInfo(
        format="html",
        title="Große Pläne <script>alert(1)</script>",
        author="Anna Weiß & Co",
        date="2023-09-08",
        site="Beispiel <Zeitung>",
        url=url,
    )
    return with_source(doc, info)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("layout")
    paths = {}
    for doc in (build_news_doc(), build_sample_doc(), build_putin_kim_doc(), build_long_doc()):
        (path,) = write_outputs(doc, out, ["html"])
        paths[doc.name] = path
    return paths


# ---------------------------------------------------------------------------
# without a browser


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
        ("  http://example.org/  ", "http://example.org/"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org/x", None),
        ("/relative/path", None),
        ("https://exa mple.org/", None),
        ("https://example.org/\nx", None),
        ("http:///nohost", None),
        (None, None),
        (42, None),
    ],
)
def test_safe_url(url: Any, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_source_line_is_escaped_and_linked_only_for_http() -> None:
    tree = lxml_html.fromstring(render(build_news_doc(), "html")[".report.html"])
    (line,) = tree.xpath('//p[@class="source"]')
    text = line.text_content()
    assert "Große Pläne <script>alert(1)</script>" in text and "Anna Weiß & Co" in text and "2023-09-08" in text
    assert line.xpath(".//a/@href") == ["https://www.example.org/politik/a?id=1&x=<2>"]
    assert line.xpath(".//a")[0].text == "Beispiel <Zeitung>"
    assert not tree.xpath("//header//script")
    hostile = lxml_html.fromstring(render(build_news_doc(url="javascript:alert(1)"), "html")[".report.html"])
    (line,) = hostile.xpath('//p[@class="source"]')
    assert line.xpath(".//a") == [] and not hostile.xpath('//a[starts-with(@href, "javascript")]')  # shown as text at most
    assert "Beispiel <Zeitung>" in line.text_content()


def test_kinds_and_headline() -> None:
    doc = build_news_doc()
    tree = lxml_html.fromstring(render(doc, "html")[".report.html"])
    assert tree.xpath("//h1")[0].text == LONG_TITLE_EN  # the title, not the kicker, is the headline
    assert tree.xpath('//p[@class="label-kicker"]')[0].text == "Tourist attraction in England"
    assert tree.xpath('//p[@class="title-de"]')[0].text == LONG_TITLE_DE
    kinds = [row.get("data-kind") for row in tree.xpath('//main/section[contains(@class, "row")]')]
    assert kinds == [p.kind for p in doc.paragraphs]  # every paragraph kept, boilerplate included
    for kind in ("kicker", "timestamp", "byline", "quote", "boilerplate"):
        assert tree.xpath(f'//section[contains(@class, "k-{kind}")]'), kind


def test_no_case_transform_in_the_stylesheets() -> None:
    from importlib import resources

    for name in ("report.css", "index.css"):
        css = resources.files("translate.writers").joinpath("templates", name).read_text(encoding="utf-8")
        assert "text-transform" not in css and "small-caps" not in css and "font-variant-caps" not in css, name


# ---------------------------------------------------------------------------
# in a browser


def test_no_case_transforms_and_sharp_s_survives(open_page: Any, reports: dict[str, Path]) -> None:
    w = open_page(reports["news"])
    page = w.page
    transformed = page.evaluate(
        "Array.from(document.querySelectorAll('*')).filter(e => { const c = getComputedStyle(e);"
        " return c.textTransform !== 'none' || c.fontVariantCaps !== 'normal'; }).map(e => e.tagName + '.' + e.className)"
    )
    assert transformed == []
    assert page.inner_text("#de7") == "GROẞE PLÄNE FÜR DIE STRAßE"  # innerText applies any text-transform
    assert page.inner_text("#de0") == "Tourismusattraktion in England"
    assert page.inner_text("h1") == LONG_TITLE_EN
    assert page.inner_text(".title-de") == LONG_TITLE_DE
    assert "In brief" in page.inner_text(".brief h2")
    assert w.errors == []


def test_news_kinds_in_the_browser(open_page: Any, reports: dict[str, Path]) -> None:
    w = open_page(reports["news"])
    page = w.page
    # the kicker is a small label above the headline
    kicker, h1 = page.locator(".label-kicker").bounding_box(), page.locator("h1").bounding_box()
    assert kicker["y"] + kicker["height"] <= h1["y"] + 1
    assert float(page.eval_on_selector(".label-kicker", "e => parseFloat(getComputedStyle(e).fontSize)")) < float(
        page.eval_on_selector("h1", "e => parseFloat(getComputedStyle(e).fontSize)")
    )
    # boilerplate: present, aligned, dimmed, folded to one line until focused
    assert page.is_visible("#de10") and page.is_visible("#en10")
    assert float(page.eval_on_selector("#p9", "e => getComputedStyle(e).opacity")) < 1
    assert page.eval_on_selector("#p9 .de p", "e => getComputedStyle(e).whiteSpace") == "nowrap"
    page.focus("#de10")
    assert "hl" in page.eval_on_selector("#en10", "e => Array.from(e.classList)")
    assert page.eval_on_selector("#p9 .de p", "e => getComputedStyle(e).whiteSpace") == "normal"
    de, en = page.locator("#p9 > .de").bounding_box(), page.locator("#p9 > .en").bounding_box()
    assert abs(de["y"] - en["y"]) < 1
    # the quote is a block quote: indented with a rule
    assert page.eval_on_selector("#p5 .de p", "e => getComputedStyle(e).borderLeftStyle") == "solid"
    # the source line, escaped, with its link
    assert page.get_attribute(".source a", "href") == "https://www.example.org/politik/a?id=1&x=<2>"
    assert "Große Pläne <script>alert(1)</script>" in page.inner_text(".source")
    assert w.dialogs == [] and w.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-news-kinds.png"), full_page=True)


def test_flagged_only_filter_and_details(open_page: Any, reports: dict[str, Path]) -> None:
    w = open_page(reports["sample"])
    page = w.page
    flagged = page.eval_on_selector_all("main .en .s.flagged", "els => els.map(e => e.id)")
    assert flagged == ["en4", "en6", "en7", "en8"]
    assert "(4)" in page.inner_text("label.toggle")
    page.check("#only-flagged")
    shown = page.eval_on_selector_all("main .s", "els => els.filter(e => e.getClientRects().length).map(e => e.id)")
    assert sorted(shown) == sorted(flagged + [f.replace("en", "de") for f in flagged])
    assert not page.is_visible("#p0")  # rows without a flagged sentence go too
    page.keyboard.press("f")  # the key toggles it back
    assert page.is_visible("#de0") and page.is_visible("#de3")
    assert w.errors == []
    news = open_page(reports["news"]).page
    news.focus("#de8")
    assert "drei → 3 missing" in news.inner_text("#reason")  # the check's detail
    assert "number-mismatch" in news.inner_text("#reason")
    news.hover("#en8")
    assert "drei → 3 missing" in news.get_attribute("#en8", "title")
    # the legend lists the flag
    assert "number-mismatch" in news.eval_on_selector(".legend", "e => e.textContent")


@pytest.mark.parametrize("name", ["news", "sample", "putin-kim", "long"])
def test_report_fits_390px(open_page: Any, reports: dict[str, Path], name: str) -> None:
    w = open_page(reports[name], width=390, height=844, has_touch=True, is_mobile=True)
    page = w.page
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    h1 = page.locator("h1").bounding_box()
    assert h1["x"] >= 0 and h1["x"] + h1["width"] <= 390
    page.click("#review-toggle")  # the review panel wraps too
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.click("#review-toggle")
    if name == "news":
        assert page.eval_on_selector("h1", "e => e.getClientRects().length") >= 1
        assert page.evaluate("document.querySelector('h1').getBoundingClientRect().height") > 60  # it wraps
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-390.png"), full_page=False)
    assert w.errors == []


def test_wide_screenshot(open_page: Any, reports: dict[str, Path]) -> None:
    page = open_page(reports["news"], width=1280, height=1100).page
    page.hover("#de4")
    page.wait_for_timeout(250)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-wide.png"))


INDEX_ENTRIES = [
    IndexEntry(
        name="wirtschaft/2024-03-01-donaudampfschifffahrtsgesellschaft-bilanz.txt",
        status="done",
        href="wirtschaft/2024-03-01-donaudampfschifffahrtsgesellschaft-bilanz.report.html",
        title="Danube steamship company reports a record year",
        title_de="Donaudampfschifffahrtsgesellschaft meldet Rekordjahr",
        bullets=("Sales rose by 12 percent.", "The company plans 400 new jobs by 2026."),
        sentences=34, flags=3, seconds=12.5, modified=1_700_000_300,
        warnings=2,
        warning_texts=("invalid UTF-8 byte at offset 1234 replaced with U+FFFD", "text looks like German mixed with Dutch"),
    ),
    IndexEntry(name="sport/kurz.txt", status="done", href="sport/kurz.report.html", title="Short", title_de="Kurz & <knapp>",
               sentences=3, flags=0, seconds=0.4, modified=1_700_000_900),
    IndexEntry(name="kaputt.txt", status="failed", reason="kaputt.txt: binary file (NUL bytes), not text"),
]


def test_index_usable_at_390px(browser: Any, tmp_path: Path) -> None:
    path = write_index(tmp_path / "index.html", INDEX_ENTRIES)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        w = Watched(context.new_page())
        page = w.page
        page.goto(path.as_uri())
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        # the file name breaks like words, not letter by letter: few lines, full width
        box = page.locator("tbody tr:first-child td.file a").bounding_box()
        assert box["width"] > 250 and box["height"] < 80
        assert page.is_visible("text=Donaudampfschifffahrtsgesellschaft meldet Rekordjahr")
        assert page.is_visible("text=Danube steamship company reports a record year")
        assert page.is_visible("text=Kurz & <knapp>")
        assert page.is_visible("text=text looks like German mixed with Dutch")  # warnings are shown
        assert page.is_visible("text=kaputt.txt: binary file")
        page.click("button[data-key=flags]")  # sorting still works from the chips
        assert page.eval_on_selector_all("#docs tbody tr", "rows => rows.map(r => r.dataset.name)")[0] == "sport/kurz.txt"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "index-390.png"), full_page=True)
        wide = context.new_page()
        wide.set_viewport_size({"width": 1280, "height": 800})
        wide.goto(path.as_uri())
        assert wide.evaluate("document.scrollingElement.scrollWidth") <= 1280
        box = wide.locator("tbody tr:first-child td.file a").bounding_box()
        assert box["height"] < 80 and box["width"] > 140  # no letter-by-letter column on a wide screen either
        assert w.errors == [] and [u for u in w.requests if not u.startswith("file://")] == []
    finally:
        context.close()


def test_index_html_has_german_title_and_warnings() -> None:
    from translate.writers.index import render_index

    tree = lxml_html.fromstring(render_index(INDEX_ENTRIES, generated=datetime(2024, 1, 2, tzinfo=timezone.utc)))
    rows = tree.xpath("//table[@id='docs']/tbody/tr")
    assert rows[0].xpath('.//p[@class="title-de"]')[0].text == "Donaudampfschifffahrtsgesellschaft meldet Rekordjahr"
    assert rows[0].xpath('.//p[@class="title-de"]/@lang') == ["de"]
    assert [li.text for li in rows[0].xpath('.//ul[@class="warn"]/li')] == list(INDEX_ENTRIES[0].warning_texts)
    assert rows[1].xpath('.//p[@class="title-de"]')[0].text == "Kurz & <knapp>"
