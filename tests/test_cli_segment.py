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


def test_text_output_ends_with_exactly_one_newline(tmp_path) -> None:
    """``dewire segment --text`` ends its output with one line end (added when the text has none, never doubled)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    cases = {
        "ohne.txt": "Erster Absatz.\n\nZweiter Absatz.",  # no final newline in the file
        "mit.txt": "Erster Absatz.\n\nZweiter Absatz.\n\n\n",  # trailing blank lines
        "notiz.md": "# Titel\n\nDer Bundestag hat das Gesetz am Freitag beschlossen.\n",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "translate", "segment", "--text", str(path)], cwd=root,
                             capture_output=True, check=False)
        assert run.returncode == 0, run.stderr
        out = run.stdout.decode("utf-8")
        assert out.endswith("\n") and not out.endswith("\n\n"), (name, out)
        assert out.rstrip("\n").endswith(("Zweiter Absatz.", "beschlossen."))
