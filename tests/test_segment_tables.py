"""Digit-only lines in tables and paragraphs (newcomer test): a year, score, date or page number is no separator.

A Word table row ``2021 | 10 Euro`` reaches the segmenter as one ``body`` block with one line per cell; the
``2021`` cell used to become a ``separator`` paragraph that split the row in two (and the report spaced it out
like a ``* * *`` divider). Now the row stays one paragraph; the letterless cell is still pass-through.
"""

from __future__ import annotations

from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from translate.document import check_alignment  # noqa: E402
from translate.pipeline import read_document  # noqa: E402


def _build(path: Path, rows: list[list[str]]) -> Path:
    d = docx.Document()
    d.add_paragraph("Die Tabelle zeigt die Preise der letzten Jahre.")
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    d.add_paragraph("Danach folgt der Text des Artikels.")
    d.save(path)
    return path


def test_docx_table_rows_with_digit_cells_stay_whole(tmp_path: Path) -> None:
    rows = [["Jahr", "Preis"], ["2021", "10 Euro"], ["08.09.2023", "12,50 Euro"], ["3:1", "2022"]]
    doc = read_document(_build(tmp_path / "preise.docx", rows))
    check_alignment(doc, require_targets=False)
    assert [(p.kind, [s.source for s in p.sentences]) for p in doc.paragraphs] == [
        ("body", ["Die Tabelle zeigt die Preise der letzten Jahre."]),
        *[("body", row) for row in rows],
        ("body", ["Danach folgt der Text des Artikels."]),
    ]
    assert "separator" not in [p.kind for p in doc.paragraphs]
    passthrough = {s.source: s.passthrough for s in doc.sentences()}
    assert passthrough["2021"] and passthrough["3:1"] and passthrough["08.09.2023"] and passthrough["2022"]
    assert not passthrough["10 Euro"] and not passthrough["Jahr"]


def test_plain_text_newcomer_case_through_read_document(tmp_path: Path) -> None:
    path = tmp_path / "score.txt"
    path.write_text("Erster Absatz hier.\n\n3:1\n\nZweiter Absatz.\n\n2021\n\nDritter Absatz.\n", encoding="utf-8")
    doc = read_document(path)
    assert [(p.kind, [s.source for s in p.sentences]) for p in doc.paragraphs] == [
        ("body", ["Erster Absatz hier."]),
        ("body", ["3:1"]),
        ("body", ["Zweiter Absatz."]),
        ("body", ["2021"]),
        ("body", ["Dritter Absatz."]),
    ]
    assert [s.passthrough for s in doc.sentences()] == [False, True, False, True, False]
