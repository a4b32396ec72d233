"""URL inputs against a local HTTP server bound to 127.0.0.1: fetch rules, errors, naming, and a translated web page's outputs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("httpx")

from translate.errors import InputError  # noqa: E402
from translate.readers import read_input  # noqa: E402
from translate.readers.url import USER_AGENT, fetch, url_stem  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = (Path(__file__).parent / "data" / "html" / "rnz.de.witzel.html").read_bytes()
SEEN_AGENTS: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        path = self.path.split("?")[0]
        if path == "/nachrichten/witzel-buchpreis.html":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/latin1.html":
            body = ("<html><head><title>T</title></head><body><article><p>" + "Größere Straßenbrücken über die Flüsse werden gebaut. " * 6 + "</p></article></body></html>").encode("latin-1")
            self._send(200, body, "text/html; charset=ISO-8859-1")
        elif path == "/fehlt.html":
            self._send(404, b"not here", "text/plain")
        elif path == "/kaputt.html":
            self._send(500, b"oops", "text/plain")
        elif path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/weiter":
            self.send_response(301)
            self.send_header("Location", "/nachrichten/witzel-buchpreis.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/zu-datei":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/gross.html":
            self._send(200, b"<html><body><p>" + b"x" * 200_000 + b"</p></body></html>", "text/html")
        else:
            self._send(404, b"no", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_reads_page_with_user_agent(server: str) -> None:
    source = read_input(f"{server}/nachrichten/witzel-buchpreis.html")
    assert source.text.startswith("Frank Witzel erhält Deutschen Buchpreis 2015\n\nFrankfurt/Main (dpa)")
    assert source.info is not None and source.info.url == f"{server}/nachrichten/witzel-buchpreis.html"
    assert SEEN_AGENTS and SEEN_AGENTS[-1] == USER_AGENT and "dewire" in USER_AGENT


def test_charset_from_http_header(server: str) -> None:
    assert "Größere Straßenbrücken über die Flüsse" in read_input(f"{server}/latin1.html").text


def test_redirect_followed_and_final_url_kept(server: str) -> None:
    source = read_input(f"{server}/weiter")
    assert source.info is not None and source.info.url.endswith("/nachrichten/witzel-buchpreis.html")


@pytest.mark.parametrize(
    ("path", "message"),
    [("/fehlt.html", "HTTP 404 Not Found"), ("/kaputt.html", "HTTP 500"), ("/loop", "more than 5 redirects"),
     ("/zu-datei", "only http:// and https://")],
)
def test_http_failures_are_one_line(server: str, path: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        read_input(server + path)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert str(err.value).startswith(server + path)


def test_max_bytes_limit(server: str) -> None:
    with pytest.raises(InputError, match=r"over the 100 kB limit \(--max-bytes\)"):
        fetch(f"{server}/gross.html", max_bytes=100_000)


def test_connection_refused_is_one_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match=rf"http://127.0.0.1:{port}/x.html: cannot connect"):
        fetch(f"http://127.0.0.1:{port}/x.html", timeout=5)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.txt", "javascript:alert(1)", "data:text/html,hi"])
def test_other_schemes_refused(url: str) -> None:
    if url.startswith(("javascript:", "data:")):
        # not URL-shaped (no "//"): read as a local path that does not exist
        with pytest.raises(InputError):
            read_input(url)
        return
    with pytest.raises(InputError, match="only http:// and https://"):
        read_input(url)


@pytest.mark.parametrize(
    ("url", "stem"),
    [("https://www.rnz.de/nachrichten/witzel-buchpreis.html", "witzel-buchpreis"),
     ("https://www.rnz.de/", "www.rnz.de"),
     ("https://x.de/a/..%2F..%2Fetc%2Fpasswd", "passwd"),
     ("https://x.de/artikel/Stra%C3%9Fe%20und%20Br%C3%BCcke?id=3", "Straße-und-Brücke"),
     ("https://x.de/.versteckt", "versteckt")],
)
def test_url_stem(url: str, stem: str) -> None:
    assert url_stem(url) == stem


def test_cli_translates_url_with_source_info_in_every_output(server: str, tiny_marian_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    url = f"{server}/nachrichten/witzel-buchpreis.html"
    run = subprocess.run(
        [sys.executable, "-m", "translate", "translate", url, "-o", str(out), "--model", str(tiny_marian_dir),
         "--threads", "1", "-q", "--format", "html,jsonl,brief,tmx"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ}, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "witzel-buchpreis.report.html" in names and "witzel-buchpreis.aligned.jsonl" in names
    records = [json.loads(line) for line in (out / "witzel-buchpreis.aligned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records[0]["kind"] == "headline" and records[0]["source"] == "Frank Witzel erhält Deutschen Buchpreis 2015"
    assert all(r["document"]["url"] == url and r["document"]["date"] == "2019-05-07" for r in records)
    brief = json.loads((out / "witzel-buchpreis.brief.json").read_text(encoding="utf-8"))
    assert brief["document"]["url"] == url
    tmx = (out / "witzel-buchpreis.tmx").read_text(encoding="utf-8")
    assert f'<prop type="x-dewire-url">{url}</prop>' in tmx and '<prop type="x-dewire-date">2019-05-07</prop>' in tmx
    report = (out / "witzel-buchpreis.report.html").read_text(encoding="utf-8")
    assert f'<a href="{url}" rel="noopener noreferrer external">rnz.de</a>' in report
    assert "<span>2019-05-07</span>" in report
    assert '<p class="title-de" lang="de">Frank Witzel erhält Deutschen Buchpreis 2015</p>' in report
