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


# -- 2. and 8. URLs ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://[::1", "http://a..b/", "https://[zz]/x"])
def test_unparsable_url_is_one_line_input_error(url: str) -> None:
    pytest.importorskip("httpx")
    with pytest.raises(InputError) as err:
        read_input(url)
    assert url in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("url", ["http://[::1", "http://a..b/"])
def test_cli_unparsable_url_exits_66(url: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-m", "translate", "translate", url, "-o", str(tmp_path)],
                          capture_output=True, text=True, cwd=root, timeout=300)
    assert proc.returncode == 66, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


@pytest.fixture()
def drip_server():
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    stop = threading.Event()

    class Drip(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/weird":
                self.send_response(302)
                self.send_header("Location", "http://[::1")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                while not stop.is_set():
                    self.wfile.write(b"1\r\n \r\n")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


def test_dripping_server_hits_the_overall_deadline(drip_server: str) -> None:
    from translate.readers.url import FETCH_DEADLINE, fetch

    assert FETCH_DEADLINE == 60.0
    # each byte arrives well within the per-step timeout, so only the overall deadline stops it
    with pytest.raises(InputError, match="longer than 1 s"):
        fetch(drip_server + "/drip", timeout=5.0, deadline=1.0)


def test_redirect_to_invalid_address_is_one_line(drip_server: str) -> None:
    from translate.readers.url import fetch

    with pytest.raises(InputError) as err:
        fetch(drip_server + "/weird")
    assert "/weird" in str(err.value) and "\n" not in str(err.value)


# -- 3. Markdown ---------------------------------------------------------------------------


def _md(tmp_path: Path, text: str):
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    return read_input(path)


@pytest.mark.parametrize("marker", ["- ", "> ", "1. "])
@pytest.mark.parametrize("depth", [10, 25, 60])
def test_deeply_nested_markdown_loses_no_text(tmp_path: Path, marker: str, depth: int) -> None:
    source = _md(tmp_path, f"Erster Absatz des Artikels.\n\n{marker * depth}Tief drin.\n\nDieser letzte Absatz geht nicht verloren.\n")
    assert source.text.split("\n\n") == ["Erster Absatz des Artikels.", "Tief drin.", "Dieser letzte Absatz geht nicht verloren."]


def test_markdown_opening_with_a_deep_list_is_not_empty(tmp_path: Path) -> None:
    source = _md(tmp_path, "- - - - - - - - - - Liste.\n\nDanach ein Satz.\n")
    assert "Liste." in source.text and "Danach ein Satz." in source.text


def test_markdown_too_deep_for_the_parser_is_read_as_plain_text_with_a_warning(tmp_path: Path) -> None:
    source = _md(tmp_path, "Erster Absatz.\n\n" + "> " * 3000 + "Zitat.\n\nLetzter Absatz.\n")
    assert "Erster Absatz." in source.text and "Zitat." in source.text and "Letzter Absatz." in source.text
    assert any("plain text" in w for w in source.warnings)


@pytest.mark.parametrize("link", ["[Gesetz](javascript:alert(1))", "[Gesetz](vbscript:x)", "[Gesetz](https://example.org)"])
def test_markdown_link_keeps_only_its_text_whatever_the_target(tmp_path: Path, link: str) -> None:
    source = _md(tmp_path, f"Das {link} gilt ab Montag. ![Bild](javascript:alert(2)) Ende.\n")
    assert source.text == "Das Gesetz gilt ab Montag.  Ende." or source.text == "Das Gesetz gilt ab Montag. Ende."


# -- 4. and 5. DOCX ------------------------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(tmp_path: Path, body_xml: str, *, prefix: bytes = b"", utf16: bool = False) -> Path:
    """A real .docx (python-docx's template) whose word/document.xml body is ``body_xml``."""
    import io
    import zipfile

    docx = pytest.importorskip("docx")
    buf = io.BytesIO()
    docx.Document().save(buf)
    xml = f'<w:document xmlns:w="{_W_NS}"><w:body>{body_xml}</w:body></w:document>'
    if utf16:
        data = ('<?xml version="1.0" encoding="UTF-16"?>' + prefix.decode() + xml).encode("utf-16")
    else:
        data = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + prefix + xml.encode("utf-8")
    out = tmp_path / "doc.docx"
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == "word/document.xml" else src.read(info.filename))
    return out


def _p(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_docx_reads_content_controls_insertions_fields_and_skips_deletions(tmp_path: Path) -> None:
    body = (
        f"<w:sdt><w:sdtPr/><w:sdtContent>{_p(_r('Absatz im Inhaltssteuerelement.'))}</w:sdtContent></w:sdt>"
        + _p(_r("Vorher ") + f'<w:ins w:id="1" w:author="A">{_r("eingefügter Text")}</w:ins>' + _r(" nachher.")
             + f'<w:del w:id="2" w:author="A"><w:r><w:delText>gelöscht</w:delText></w:r></w:del>')
        + _p(_r("Start ") + f"<w:sdt><w:sdtContent>{_r('Inline-Steuerelement')}</w:sdtContent></w:sdt>" + _r(" Ende."))
        + _p(_r("Feld: ") + f'<w:fldSimple w:instr="AUTHOR">{_r("Max Muster")}</w:fldSimple>' + _r(" schreibt."))
        + f"<w:sdt><w:sdtContent><w:tbl><w:tr><w:tc>{_p(_r('Zelle im Steuerelement.'))}</w:tc></w:tr></w:tbl></w:sdtContent></w:sdt>"
        + _p(_r("Letzter Absatz."))
    )
    source = read_input(_docx(tmp_path, body))
    assert source.text.split("\n\n") == [
        "Absatz im Inhaltssteuerelement.",
        "Vorher eingefügter Text nachher.",
        "Start Inline-Steuerelement Ende.",
        "Feld: Max Muster schreibt.",
        "Zelle im Steuerelement.",
        "Letzter Absatz.",
    ]
    assert "gelöscht" not in source.text


@pytest.mark.parametrize("utf16", [False, True])
def test_docx_dtd_after_a_long_comment_is_refused(tmp_path: Path, utf16: bool) -> None:
    prefix = b"<!--" + b"x" * 5000 + b'-->\n<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    path = _docx(tmp_path, _p(_r("&x;Die Bundesregierung hat ein Gesetz beschlossen.")), prefix=prefix, utf16=utf16)
    with pytest.raises(InputError, match="DTD"):
        read_input(path)


def test_legacy_doc_renamed_docx_gets_the_legacy_hint(tmp_path: Path) -> None:
    path = tmp_path / "alt.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputError, match="legacy Word .doc"):
        read_input(path)


# -- 6. deep HTML, control characters ------------------------------------------------------

_P1 = "<p>Die Bundesregierung hat am Dienstag in Berlin ein neues Gesetz zur Förderung der Windkraft beschlossen. Es soll viele Arbeitsplätze schaffen.</p>"
_END = "<p>Schlusssatz ausserhalb der Verschachtelung steht hier am Ende des Artikels.</p>"


@pytest.mark.parametrize("depth", [260, 300, 1500])
@pytest.mark.parametrize("all_text", [False, True])
def test_deeply_nested_page_keeps_its_article(tmp_path: Path, depth: int, all_text: bool) -> None:
    body = "<article><h1>Neues Gesetz</h1>" + "<div>" * depth + _P1 * 2 + "</div>" * depth + _END + "</article>"
    path = tmp_path / "deep.html"
    path.write_bytes(_page(body))
    source = read_input(path, all_text=all_text)
    assert "Förderung der Windkraft beschlossen" in source.text
    assert "Schlusssatz ausserhalb der Verschachtelung" in source.text
    assert any("nested more than" in w for w in source.warnings)


def test_page_deeper_than_the_parser_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "deeper.html"
    path.write_bytes(_page("<article><h1>Neues Gesetz</h1>" + "<div>" * 3000 + _P1 + "</div>" * 3000 + _END + "</article>"))
    with pytest.raises(InputError, match="nested more than 2048") as err:
        read_input(path)
    assert "deeper.html" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("control", ["&#1;", "&#x1F;", "\x01", "&#127;"])
def test_control_character_does_not_hide_the_article(tmp_path: Path, control: str) -> None:
    body = f"<article><h1>Neues Gesetz</h1>{_P1}<p>Die Regierung hat ein Gesetz beschlossen. {control} Ein Steuerzeichen steht hier im Text drin.</p></article>"
    path = tmp_path / "ctl.html"
    path.write_bytes(_page(body))
    source = read_input(path)
    assert "Ein Steuerzeichen steht hier im Text drin." in source.text
    assert any("control character" in w for w in source.warnings)


# -- 7. metadata ---------------------------------------------------------------------------


def test_escaped_ampersand_title_matches_the_h1_once(tmp_path: Path) -> None:
    body = ARTICLE.replace("<h1>Bundestag beschließt neues Gesetz</h1>", "<h1>Fragen &amp;amp; Antworten</h1>")
    path = tmp_path / "amp.html"
    path.write_bytes(_page(body, head="<title>Fragen &amp;amp; Antworten</title>"))
    source = read_input(path)
    assert source.text.split("\n\n")[0] == "Fragen &amp; Antworten"
    assert source.text.count("Antworten") == 1
    assert source.info.title == "Fragen &amp; Antworten"


def test_date_is_never_guessed_from_body_text(tmp_path: Path) -> None:
    body = ARTICLE.replace("in Kraft treten", "2025 in Kraft treten")
    path = tmp_path / "nodate.html"
    path.write_bytes(_page(body))
    assert read_input(path).info.date is None


@pytest.mark.parametrize("head, body_extra", [
    ("<meta property='article:published_time' content='2024-03-05T10:00:00Z'>", ""),
    ("", "<time datetime='2024-03-05'>5. März 2024</time>"),
])
def test_date_from_metadata_is_kept(tmp_path: Path, head: str, body_extra: str) -> None:
    body = ARTICLE.replace("<h1>", body_extra + "<h1>").replace("in Kraft treten", "2025 in Kraft treten")
    path = tmp_path / "date.html"
    path.write_bytes(_page(body, head=head + "<title>Testseite</title>"))
    assert read_input(path).info.date == "2024-03-05"
