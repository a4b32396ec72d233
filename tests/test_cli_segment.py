"""``dewire segment --text`` prints the normalized text that every ``source_span`` indexes."""

from __future__ import annotations

import json

from translate.cli import main

# A hard-wrapped, hyphenated, CRLF, NFD input: normalization changes offsets, so the spans
# must be read against the normalized text, never the raw bytes.
RAW = (
    "Das Verteidigungs-\r\nministerium in Berlin teilte am 13. September mit,\r\n"
    "dass die U\u0308bung abgeschlossen sei. Weitere Details\r\nnannte es nicht.\r\n\r\n\r\n\r\nZweiter Absatz.\r\n"
)


def test_spans_index_the_printed_normalized_text(tmp_path, capsys) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_bytes(RAW.encode("utf-8"))
    assert main(["segment", str(path), "--text"]) == 0
    text = capsys.readouterr().out
    assert "Verteidigungsministerium" in text and "Übung" in text and "\r" not in text
    assert main(["segment", str(path)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["source"] for r in records] == [
        "Das Verteidigungsministerium in Berlin teilte am 13. September mit, dass die Übung abgeschlossen sei.",
        "Weitere Details nannte es nicht.",
        "Zweiter Absatz.",
    ]
    for r in records:
        start, end = r["source_span"]
        assert text[start:end] == r["source"]
        assert r["passthrough"] is False
