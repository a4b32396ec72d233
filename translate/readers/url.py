"""URLs: fetched with httpx, refused with one line when they cannot be.

Rules: only ``http`` and ``https`` (a ``file://``, ``ftp://`` or any other
scheme is refused: give a local file as a path); a ``User-Agent`` naming dewire
and its version; a timeout per network step (connect, read, write, pool:
``timeout`` seconds) and an overall deadline for the whole fetch
(``deadline``, :data:`FETCH_DEADLINE` = 60 s by default, checked as each piece
of the body arrives: a server dripping one byte every few seconds is cut
off); at most :data:`MAX_REDIRECTS` redirects, each of them
http/https too; at most ``max_bytes`` bytes, checked against
``Content-Length`` and while streaming; status codes of 400 and above, DNS,
connection, TLS and timeout failures become one-line
:class:`~translate.errors.InputError` messages naming the URL. Nothing else
is fetched: readers never load a page's images, frames, scripts or styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from translate import __version__
from translate.errors import InputError

MAX_REDIRECTS = 5
"""Redirects followed before giving up."""

FETCH_DEADLINE = 60.0
"""Seconds a whole fetch (redirects, headers and body) may take."""

USER_AGENT = f"dewire/{__version__} (German news reader; +https://github.com/dewire)"
"""The ``User-Agent`` header sent with every request."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched URL: the final address (after redirects), its bytes and ``Content-Type``."""

    url: str
    data: bytes
    content_type: str | None


def check_url(url: str) -> str:
    """Refuse anything but an http/https URL with a host.

    Returns:
        ``url`` unchanged.

    Raises:
        InputError: another scheme (``file://`` …) or no host.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as err:  # "Invalid IPv6 URL", a bad port
        raise InputError(f"{url}: not a valid address ({_short(str(err))})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"{url}: only http:// and https:// addresses are fetched; give a local file as a path, not a {scheme}:// URL")
    if not host:
        raise InputError(f"{url}: no host name in this address")
    return url


def _limit(n: int) -> str:
    from translate.reading import _limit_text

    return _limit_text(n)


def fetch(url: str, *, max_bytes: int | None = 50_000_000, timeout: float = 20.0, deadline: float = FETCH_DEADLINE) -> Fetched:
    """Download ``url`` (see the module docstring for the rules).

    Args:
        url: an http/https address.
        max_bytes: the most bytes accepted (``None``: no limit).
        timeout: seconds per network step.
        deadline: seconds for the whole fetch, redirects included.

    Returns:
        The final URL, the body and its ``Content-Type``.

    Raises:
        InputError: a refused scheme, DNS/connection/TLS/timeout failure, too
            many redirects, an HTTP status of 400 or more, or a body over
            ``max_bytes``, a fetch past ``deadline``, an address that cannot be
            parsed (``http://[::1``, ``http://a..b/``) — one line naming the URL.
    """
    import time

    import httpx

    check_url(url)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain;q=0.8,*/*;q=0.5"}
    current = url
    end = time.monotonic() + deadline
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, headers=headers, trust_env=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise InputError(f"{url}: HTTP {response.status_code} redirect without a Location header")
                        target = str(response.url.join(location))
                        try:
                            scheme = urlsplit(target).scheme.lower()
                        except ValueError:
                            raise InputError(f"{url}: redirected to an invalid address ({_short(target)})") from None
                        if scheme not in ("http", "https"):
                            raise InputError(f"{url}: redirected to {target}, but only http:// and https:// addresses are fetched")
                        current = target
                        continue
                    if response.status_code >= 400:
                        reason = response.reason_phrase or ""
                        raise InputError(f"{url}: HTTP {response.status_code} {reason}".rstrip())
                    length = response.headers.get("content-length")
                    if max_bytes is not None and length and length.isdigit() and int(length) > max_bytes:
                        raise InputError(f"{url} is {int(length):,} bytes, over the {_limit(max_bytes)} limit (--max-bytes)")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if max_bytes is not None and size > max_bytes:
                            raise InputError(f"{url} is over the {_limit(max_bytes)} limit (--max-bytes)")
                        chunks.append(chunk)
                        if time.monotonic() > end:
                            raise InputError(f"{url}: timed out, the page took longer than {deadline:g} s to arrive")
                    return Fetched(url=str(response.url), data=b"".join(chunks), content_type=response.headers.get("content-type"))
            raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects")
    except InputError:
        raise
    except httpx.TimeoutException:
        raise InputError(f"{url}: timed out after {timeout:g} s") from None
    except httpx.ConnectError as err:
        text = str(err)
        if re.search(r"name or service not known|nodename nor servname|getaddrinfo|no address|temporary failure in name resolution", text, re.I):
            raise InputError(f"{url}: host {urlsplit(url).hostname} not found (DNS)") from None
        raise InputError(f"{url}: cannot connect ({_short(text)})") from None
    except httpx.TooManyRedirects:
        raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except (httpx.HTTPError, httpx.InvalidURL) as err:
        raise InputError(f"{url}: {type(err).__name__}: {_short(str(err))}") from None
    except (UnicodeError, ValueError) as err:  # host names IDNA cannot encode (http://a..b/), bad IPv6 literals
        raise InputError(f"{url}: not a valid address ({_short(str(err))})") from None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text[:160] or "no details"


_UNSAFE = re.compile(r"[^\w.-]+")


def url_stem(url: str) -> str:
    """The output stem for a URL: its last path segment, decoded and made safe.

    ``https://www.rnz.de/nachrichten/witzel-buchpreis.html`` → ``witzel-buchpreis``;
    a URL without a path segment uses the host (``www.rnz.de``). Characters
    other than letters, digits, ``.``, ``_`` and ``-`` become ``-``; leading
    dots are dropped (no hidden files); at most 80 characters.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "page"
    segments = [s for s in unquote(parts.path).split("/") if s]
    name = segments[-1] if segments else (parts.hostname or "page")
    for suffix in (".html", ".htm", ".xhtml", ".php", ".aspx", ".asp", ".jsp", ".shtml", ".docx", ".txt", ".md"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    name = _UNSAFE.sub("-", name).strip("-.")[:80].strip("-.")
    return name or (parts.hostname or "page").strip(".") or "page"
