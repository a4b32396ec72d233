"""The batch digest ``OUT/index.html`` (translate/writers/index.py): content, escaping, sorting in a browser.

The browser test needs ``/usr/bin/chromium`` and the playwright package (CI
installs both) and skips cleanly without them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from translate.writers.index import IndexEntry, render_index, write_index


ENTRIES = [
    IndexEntry(name="b.txt", status="done", href="b.report.html", title="Bee", bullets=("One.", "Two."), sentences=10, flags=3, seconds=2.5, modified=1_700_000_300),
    IndexEntry(name="a.txt", status="done", href="a.report.html", title="Ay", bullets=("Alpha.",), sentences=4, flags=0, seconds=0.5, modified=1_700_000_900),
    IndexEntry(name="sub dir/ü & <x>.txt", status="done", href="sub dir/ü & _x_.report.html", title="<i>Hostile</i> & co", bullets=("<script>alert(1)</script>",), sentences=7, flags=1, seconds=1.0, modified=1_700_000_100),
    IndexEntry(name="broken.txt", status="failed", reason="broken.txt: binary file (NUL bytes), not text"),
    IndexEntry(name="leak.txt", status="skipped", reason="symlink to a file outside the input folder: not followed"),
]


def page_tree(entries=ENTRIES):
    return lxml_html.fromstring(render_index(entries, generated=datetime(2024, 1, 2, 3, 4, tzinfo=timezone.utc)))


def test_rows_links_and_facts() -> None:
    tree = page_tree()
    rows = tree.xpath("//table[@id='docs']/tbody/tr")
    assert [r.get("data-name") for r in rows] == ["b.txt", "a.txt", "sub dir/ü & <x>.txt", "broken.txt", "leak.txt"]
    hostile = rows[2]
    assert hostile.xpath(".//a/@href")[0] == "sub%20dir/%C3%BC%20%26%20_x_.report.html"
    assert "<i>Hostile</i> & co" in hostile.text_content() and not hostile.xpath(".//i")
    assert not tree.xpath("//li/script")
    assert "binary file" in rows[3].text_content() and rows[3].get("class") == "failed" and not rows[3].xpath(".//a")
    assert rows[4].get("class") == "skipped"
    facts = " ".join(tree.xpath("//p[@class='facts']")[0].text_content().split())
    assert facts.startswith("3 documents translated, 21 sentences, 4 flagged for review; 1 failed; 1 not taken.")
    assert "2024-01-02 03:04 UTC" in facts


def test_self_contained() -> None:
    page = render_index(ENTRIES)
    tree = lxml_html.fromstring(page)
    csp = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    assert csp.startswith("default-src 'none'; style-src 'sha256-") and "script-src 'sha256-" in csp
    assert "http://" not in page and "https://" not in page
    assert len(tree.xpath("//script")) == 1 and not tree.xpath("//script/@src")


def test_href_never_leaves_out() -> None:
    tree = page_tree([IndexEntry(name="x.txt", status="done", href="../../etc/passwd", title="t"), IndexEntry(name="y.txt", status="done", href="/abs/y.report.html", title="u")])
    assert tree.xpath("//a/@href") == ["etc/passwd", "etc/passwd", "abs/y.report.html", "abs/y.report.html"]


def test_write_index_is_atomic(tmp_path: Path) -> None:
    path = write_index(tmp_path / "index.html", ENTRIES)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name != ".dewire-owned.jsonl"] == ["index.html"]


@pytest.mark.browser
def test_sorting_in_a_browser(browser: Any, tmp_path: Path) -> None:
    path = write_index(tmp_path / "index.html", ENTRIES)
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("request", lambda r: requests.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())

    def order() -> list[str]:
        return page.eval_on_selector_all("#docs tbody tr", "rows => rows.map(r => r.dataset.name)")

    page.click("button[data-key=flags]")
    assert order()[:3] == ["a.txt", "sub dir/ü & <x>.txt", "b.txt"]
    assert page.get_attribute("th:has(button[data-key=flags])", "aria-sort") == "ascending"
    page.click("button[data-key=flags]")
    assert order()[:3] == ["b.txt", "sub dir/ü & <x>.txt", "a.txt"]
    page.click("button[data-key=modified]")
    assert order() == ["sub dir/ü & <x>.txt", "b.txt", "a.txt", "broken.txt", "leak.txt"]
    page.click("button[data-key=name]")
    assert order() == ["a.txt", "b.txt", "broken.txt", "leak.txt", "sub dir/ü & <x>.txt"]
    page.click("button[data-key=name]")
    assert order() == ["sub dir/ü & <x>.txt", "leak.txt", "broken.txt", "b.txt", "a.txt"]
    assert errors == [] and dialogs == []
    assert all(url.startswith("file://") for url in requests)
    page.close()
