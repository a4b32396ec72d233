"""The single read entry point: a path, standard input or a URL → :class:`~translate.reading.SourceText`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from translate.errors import InputError
from translate.readers.base import ReadOptions, format_of, get_reader, is_url

if TYPE_CHECKING:  # pragma: no cover
    from translate.reading import SourceText


def read_input(
    path: str | os.PathLike[str],
    *,
    data: bytes | None = None,
    max_bytes: int | None = 50_000_000,
    all_text: bool = False,
    timeout: float = 20.0,
    content_type: str | None = None,
) -> "SourceText":
    """Read one input with the reader its format needs.

    Args:
        path: a local file, ``"-"`` (standard input, bytes in ``data`` or
            read from ``sys.stdin.buffer``), or an ``http``/``https`` URL
            (fetched by :func:`translate.readers.url.fetch`).
        data: the raw bytes, when the caller has them already (``path`` then
            only names the input and, by its extension, the format).
        max_bytes: the largest input accepted, in bytes (``None``: no limit).
        all_text: HTML: keep every visible text block (``--all-text``).
        timeout: seconds per network step of a URL fetch.
        content_type: the HTTP ``Content-Type`` of ``data`` when it was
            fetched by the caller.

    Returns:
        The normalized text with encoding, warnings, source information and
        block kinds (:class:`~translate.reading.SourceText`).

    Raises:
        InputError: one line naming the input: unreadable, empty, binary,
            too big, a legacy ``.doc``, a page without an article, a URL that
            cannot be fetched or a scheme other than http/https.
    """
    from translate.reading import display_name, read_bytes, too_big_message

    source = os.fspath(path)
    url = None
    if data is None and is_url(source):
        from translate.readers.url import fetch

        fetched = fetch(source, max_bytes=max_bytes, timeout=timeout)
        data, content_type, url = fetched.data, fetched.content_type, fetched.url
        name = source
        format_name: str | None = urlsplit(fetched.url).path or None
    else:
        name = display_name(path)
        if data is None:
            data = read_bytes(path, name, max_bytes)
        format_name = source
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(too_big_message(name, max_bytes, len(data)))
    if not data:
        raise InputError(f"{name} is empty")
    fmt = format_of(format_name, data, content_type)
    if fmt == "doc":
        raise InputError(
            f"{name} is a legacy Word .doc file, which dewire cannot read; convert it to .docx first "
            "(e.g. libreoffice --headless --convert-to docx FILE)"
        )
    options = ReadOptions(max_bytes=max_bytes, all_text=all_text, content_type=content_type, url=url, timeout=timeout)
    return get_reader(fmt)(data, name, options)
