"""Readers: one per input format (txt, md, html, docx) and URLs; see :mod:`translate.readers.base`."""

from translate.readers.base import READERS, ReadOptions, SourceInfo, format_of, get_reader, is_url
from translate.readers.entry import read_input

__all__ = ["READERS", "ReadOptions", "SourceInfo", "format_of", "get_reader", "is_url", "read_input"]
