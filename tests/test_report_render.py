"""The report's page model without a browser: long paragraphs, flag details, the review data and its key."""

from __future__ import annotations

import dataclasses
import json

import pytest
from lxml import html as lxml_html

from tests.test_report_long import build_long_doc, with_details
from tests.test_writers import build_hostile_doc, build_sample_doc, make_doc
from translate.writers import render
from translate.writers.html import LONG_PARAGRAPH_SENTENCES, is_long, review_data, sentence_details, storage_key
from translate.writers.jsonl import record


def _tree(doc):  # type: ignore[no-untyped-def]
    return lxml_html.fromstring(render(doc, "html")[".report.html"])


def test_long_paragraphs_are_marked() -> None:
    doc = build_long_doc()
    assert [is_long(p) for p in doc.paragraphs] == [False, True]
    rows = _tree(doc).xpath('//main/section[contains(@class, "row")]')
    assert ["long" in r.get("class").split() for r in rows] == [False, True]
    short = make_doc([("body", [(f"Satz {i}.", f"Sentence {i}.") for i in range(LONG_PARAGRAPH_SENTENCES - 1)])])
    assert not is_long(short.paragraphs[0])
    one = make_doc([("body", [("Ein Satz. " * 100, "One sentence. " * 100)])])
    assert not is_long(one.paragraphs[0])  # a single sentence has nothing to pair


def test_flag_details_in_the_page() -> None:
    doc = with_details(build_sample_doc(), {4: (("low-confidence", "score −1.84 < −1.5"),), 6: (("split", ""), ("bad",))})  # type: ignore[arg-type]
    assert sentence_details(doc.sentence(4)) == (("low-confidence", "score −1.84 < −1.5"),)
    assert sentence_details(doc.sentence(6)) == ()  # empty or malformed details are skipped
    assert sentence_details(doc.sentence(0)) == ()
    tree = _tree(doc)
    why = tree.get_element_by_id("why4").text_content()
    assert why == "low-confidence: score −1.84 < −1.5"
    assert "score −1.84 < −1.5" in tree.get_element_by_id("en4").get("title")
    assert "has-flag" in tree.get_element_by_id("p3").get("class")
    assert "has-flag" not in tree.get_element_by_id("p0").get("class")


@pytest.mark.parametrize("build", [build_sample_doc, build_hostile_doc])
def test_review_data_round_trips_the_records(build) -> None:  # type: ignore[no-untyped-def]
    doc = build()
    tree = _tree(doc)
    (holder,) = tree.xpath('//div[@id="review-data"]')
    data = json.loads(holder.get("data-json"))
    expected = json.loads(json.dumps(review_data(doc)))
    assert data == expected
    assert data["records"] == [json.loads(json.dumps(record(p, s))) for p in doc.paragraphs for s in p.sentences]
    assert data["key"] == storage_key(doc) and data["key"].startswith("dewire-review:")
    assert data["tmx_head"].endswith("  <body>\n") and data["tmx_tail"] == "  </body>\n</tmx>\n"


def test_storage_key_depends_on_text_and_machine_output() -> None:
    doc = build_sample_doc()
    assert storage_key(doc) == storage_key(build_sample_doc())
    other = doc.with_targets({3: dataclasses.replace(doc.sentence(3), target="Else.")})
    assert storage_key(other) != storage_key(doc)


def test_empty_document_renders() -> None:
    from translate.document import Document

    html = render(Document(name="empty", path=None, text=""), "html")[".report.html"]
    data = json.loads(lxml_html.fromstring(html).xpath('//div[@id="review-data"]')[0].get("data-json"))
    assert data["records"] == [] and "<tmx" in data["tmx_head"]
