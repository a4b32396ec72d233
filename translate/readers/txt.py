"""Plain text: :func:`translate.reading.read_source` (encoding detection, unwrapping, de-hyphenation) behind the reader seam."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from translate.readers.base import ReadOptions, SourceInfo

if TYPE_CHECKING:  # pragma: no cover
    from translate.reading import SourceText


def read(data: bytes, name: str, options: ReadOptions) -> "SourceText":
    """Read plain text (the :class:`~translate.readers.base.Reader` for ``txt``).

    No block kinds are given: the segmenter decides every kind from the text.

    Raises:
        InputError: binary or empty input (see :func:`translate.reading.read_source`).
    """
    from translate.reading import read_source

    source = read_source(name, data=data, max_bytes=options.max_bytes)
    return dataclasses.replace(source, info=SourceInfo(format="txt", url=options.url))
