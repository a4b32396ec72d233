"""Output writers: render a translated :class:`~translate.document.Document` to files.

Each format is one small module with a pure ``render(doc) -> dict[str, str]``
mapping an output file suffix to its content (no I/O, no re-splitting: the
writers only render the model). :func:`write_outputs` checks the document's
alignment once, renders every requested format, then writes each file
atomically (:mod:`translate.writers.atomic`).

========  ==========================================  ===========================
format    files                                       module
========  ==========================================  ===========================
html      ``NAME.report.html``                        :mod:`~translate.writers.html`
jsonl     ``NAME.aligned.jsonl``                      :mod:`~translate.writers.jsonl`
txt       ``NAME.en.txt``                             :mod:`~translate.writers.txt`
brief     ``NAME.brief.md``, ``NAME.brief.json``      :mod:`~translate.writers.brief`
tsv       ``NAME.aligned.tsv``                        :mod:`~translate.writers.tsv`
tmx       ``NAME.tmx``                                :mod:`~translate.writers.tmx`
md        ``NAME.en.md``                              :mod:`~translate.writers.md`
========  ==========================================  ===========================
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path

from translate.document import Document, check_alignment
from translate.errors import ConfigError, OutputError
from translate.writers.atomic import StagedFiles, atomic_write_text

FORMATS: tuple[str, ...] = ("html", "jsonl", "txt", "brief", "tsv", "tmx", "md")
"""Every output format, in the order files are written."""

DEFAULT_FORMATS: tuple[str, ...] = ("html", "jsonl", "txt", "brief")
"""Formats written when ``--format`` is not given: the report, the aligned records, the English text and the brief."""

SUFFIXES: dict[str, tuple[str, ...]] = {
    "html": (".report.html",),
    "jsonl": (".aligned.jsonl",),
    "txt": (".en.txt",),
    "brief": (".brief.md", ".brief.json"),
    "tsv": (".aligned.tsv",),
    "tmx": (".tmx",),
    "md": (".en.md",),
}
"""Output file suffixes of each format (appended to the stem)."""


def parse_formats(spec: str) -> tuple[str, ...]:
    """Parse a ``--format`` value such as ``"html,tsv, tmx"``.

    Args:
        spec: comma-separated format names; case and surrounding spaces are
            ignored, duplicates are dropped (first occurrence kept).

    Returns:
        The format names in the order given.

    Raises:
        ConfigError: for an unknown or empty name, naming it and listing the
            valid ones.
    """
    formats: list[str] = []
    for raw in spec.split(","):
        name = raw.strip().lower()
        if name not in FORMATS:
            shown = repr(raw.strip()) if raw.strip() else "an empty name"
            raise ConfigError(f"unknown output format {shown} in --format {spec!r}; valid formats: {', '.join(FORMATS)}")
        if name not in formats:
            formats.append(name)
    return tuple(formats)


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    return fmt


def _render_unchecked(doc: Document, fmt: str) -> dict[str, str]:
    module = importlib.import_module(f"translate.writers.{_check_format(fmt)}")
    rendered: dict[str, str] = module.render(doc)
    return rendered


def render(doc: Document, fmt: str) -> dict[str, str]:
    """Render ``doc`` in one format, without writing anything.

    Args:
        doc: a translated document (every sentence has a target).
        fmt: one of :data:`FORMATS`.

    Returns:
        ``dict`` output suffix → file content, e.g. ``{".report.html": "<!doctype html>…"}``
        (two entries for ``brief``).

    Raises:
        ConfigError: for an unknown format.
        AlignmentError: if the document breaks the model's invariants
            (:func:`translate.document.check_alignment`).
    """
    _check_format(fmt)
    check_alignment(doc)
    return _render_unchecked(doc, fmt)


def _check_stem(stem: str) -> str:
    if (
        not stem
        or stem in (".", "..")
        or "/" in stem
        or "\\" in stem
        or "\x00" in stem
        or Path(stem).name != stem
    ):
        raise OutputError(f"output name {stem!r} is not a plain file name")
    return stem


def output_paths(out_dir: Path | str, stem: str, formats: Sequence[str]) -> list[Path]:
    """The files :func:`write_outputs` would write for ``stem`` in ``formats``, in order.

    Raises:
        ConfigError: for an unknown format.
        OutputError: ``stem`` is not a plain file name.
    """
    name = _check_stem(stem)
    wanted = [_check_format(f) for f in dict.fromkeys(formats)]
    return [Path(out_dir) / f"{name}{suffix}" for fmt in wanted for suffix in SUFFIXES[fmt]]


def check_output_folder(out_dir: Path | str, stem: str, formats: Sequence[str], *, force: bool = False) -> list[Path]:
    """Check, before any translation, that the outputs for ``stem`` can be written into ``out_dir``.

    Nothing is created. ``out_dir`` must be a folder, or not exist yet with
    its nearest existing ancestor a writable folder (it is created when the
    files are written); each output file must be absent, a device/FIFO, or a
    file dewire provably wrote (:mod:`translate.ownership`), unless ``force``.
    Temporaries a killed dewire run left in ``out_dir`` are removed.

    Returns:
        The output paths (:func:`output_paths`).

    Raises:
        ForeignFileError: an output file exists that dewire did not write.
        OutputError: ``out_dir`` is a file, lies under a file, is not
            writable, or an output path is a folder/socket/disk.
        ConfigError: an unknown format.
    """
    import os

    from translate import ownership
    from translate.terminal import printable
    from translate.writers.atomic import check_destination

    out_dir = Path(out_dir)
    paths = output_paths(out_dir, stem, formats)
    shown = printable(os.fspath(out_dir))
    probe = out_dir
    try:
        while not os.path.lexists(probe):
            if probe.parent == probe:
                break
            probe = probe.parent
        if not probe.is_dir():
            if probe == out_dir and not probe.is_file():  # /dev/null, a FIFO …: -o names a folder here
                raise OutputError(f"-o {shown} is not a folder: translate writes several files into an output folder (-o - writes the English to stdout)")
            what = "a file of that name exists" if probe == out_dir else f"'{printable(os.fspath(probe))}' is not a folder"
            raise OutputError(f"cannot create output folder '{shown}': {what}")
    except OSError as error:
        raise OutputError(f"cannot use output folder '{shown}': {error.strerror or error}") from error
    if not os.access(probe, os.W_OK | os.X_OK):
        verb = "write to" if probe == out_dir else "create"
        raise OutputError(f"cannot {verb} output folder '{shown}': permission denied")
    if probe == out_dir:
        ownership.remove_stale_temporaries(out_dir)
        for path in paths:
            check_destination(path, force=force)
    return paths


def write_outputs(
    doc: Document,
    out_dir: Path,
    formats: Sequence[str],
    *,
    stem: str | None = None,
    force: bool = False,
) -> list[Path]:
    """Render ``doc`` in ``formats`` and write the files into ``out_dir``.

    Every format is rendered and written to a temporary file (flushed,
    ``fsync``-ed) before any output is replaced; then all are renamed over
    their destinations (:class:`~translate.writers.atomic.StagedFiles`). A
    rendering error, a full disk or a permission problem therefore replaces
    no file: the previous outputs stay intact as a set, and no temporary
    file is left. Formats are rendered one at a time and dropped once
    staged, so peak memory is that of the largest single output.

    Args:
        doc: a translated document.
        out_dir: output folder; created (with parents) if missing.
        formats: format names from :data:`FORMATS` (duplicates ignored).
        stem: file name stem, ``doc.name`` by default; must be a plain file
            name (no folder parts), so outputs never land outside ``out_dir``.
        force: replace existing files even if dewire did not write them
            (default: such a file stops the write, see
            :mod:`translate.ownership`); devices and FIFOs are written in place.

    Returns:
        The paths written, in format order (``NAME.report.html``, …).

    Raises:
        ConfigError: for an unknown format.
        AlignmentError: if ``doc`` breaks the model's invariants.
        ForeignFileError: an output file exists that dewire did not write
            (nothing is replaced).
        OutputError: if ``out_dir`` cannot be created or a file cannot be
            written (one line naming the path and the reason).
    """
    wanted = [_check_format(f) for f in dict.fromkeys(formats)]
    name = _check_stem(doc.name if stem is None else stem)
    check_alignment(doc)

    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        raise OutputError(f"cannot create output folder '{out_dir}': a file of that name exists") from error
    except OSError as error:
        raise OutputError(f"cannot create output folder '{out_dir}': {error.strerror or error}") from error
    if not out_dir.is_dir():
        raise OutputError(f"cannot create output folder '{out_dir}': not a folder")

    written: list[Path] = []
    with StagedFiles() as staged:
        for fmt in wanted:
            # one format at a time: its text is staged to disk and dropped before the next is rendered
            for suffix, content in _render_unchecked(doc, fmt).items():
                path = out_dir / f"{name}{suffix}"
                staged.add(path, content, force=force)
                written.append(path)
            content = ""  # drop the last rendered text before the next format is rendered
        staged.commit()
    return written


__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "SUFFIXES",
    "StagedFiles",
    "atomic_write_text",
    "check_output_folder",
    "output_paths",
    "parse_formats",
    "render",
    "write_outputs",
]
