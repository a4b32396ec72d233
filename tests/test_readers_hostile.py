"""Hostile-tester findings on the readers: bogus charsets, URL parse errors, deep Markdown/HTML, DOCX
content controls and late DTDs, control characters, metadata (title escaping, guessed dates), slow URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.errors import InputError
from translate.readers import read_input
from translate.readers.html import decode_html

ARTICLE = (
    "<article><h1>Bundestag beschließt neues Gesetz</h1>"
    "<p>Berlin (dpa) - Der Bundestag hat am Freitag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
    "Die Abgeordneten stimmten mit großer Mehrheit für den Entwurf der Bundesregierung.</p>"
    "<p>Das Gesetz soll im kommenden Jahr in Kraft treten und die Genehmigung neuer Windräder deutlich beschleunigen. "
    "Kritiker bemängeln, dass der Naturschutz dabei zu kurz komme.</p>"
    "</article>"
)


def _page(body: str = ARTICLE, head: str = "<title>Testseite</title>") -> bytes:
    return f"<!DOCTYPE html><html lang='de'><head>{head}</head><body>{body}</body></html>".encode("utf-8")


# -- 1. charsets ---------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["rot13", "base64", "idna", "undefined", "punycode", "zlib", "hex"])
def test_bogus_meta_charset_is_ignored_with_a_warning(label: str, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_page(head=f'<meta charset="{label}"><title>Testseite</title>'))
    source = read_input(path)
    assert "Bundestag hat am Freitag" in source.text
    assert any(label in w and "ignored" in w for w in source.warnings)


@pytest.mark.parametrize("label", ["rot13", "base64", "idna", "undefined"])
def test_bogus_http_charset_is_ignored_with_a_warning(label: str) -> None:
    text, encoding, warnings = decode_html("Grüße".encode("utf-8"), "u", f"text/html; charset={label}")
    assert text == "Grüße" and encoding == "utf-8"
    assert any(label in w and "HTTP header" in w for w in warnings)


def test_utf16_meta_on_ascii_page_warning_names_the_declared_label() -> None:
    data = b'<html><head><meta charset="utf-16"></head><body><p>Gr\xfc\xdfe aus Berlin</p></body></html>'
    text, _, warnings = decode_html(data, "p.html")
    assert "Grüße" in text
    assert warnings and "utf-16" in warnings[0] and "declared UTF-8" not in warnings[0]
