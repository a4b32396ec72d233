"""Discovery: which files under DIR are inputs, and where each one's outputs go inside OUT.

:func:`discover` walks DIR and returns :class:`SourceFile` records, each with
a sanitized output folder and stem that mirror the input's relative path, so
that no input name can make dewire write outside OUT. Rules are in
:func:`discover`'s docstring; the tests are tests/test_batch_paths.py.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from translate import ownership
from translate.errors import InputError
from translate.pipeline import document_name

DEFAULT_PATTERNS: tuple[str, ...] = ("*.txt",)
"""What ``--glob`` matches by default. Markdown is opt-in (``--glob '*.txt,*.md'``) because news
folders often hold a README.md or notes next to the articles."""

_MAX_NAME_BYTES = 200
"""Longest output stem or folder name, in UTF-8 bytes: 255 (ext4, APFS, NTFS) less room for ``.aligned.jsonl``."""

_UNSAFE_CHARS = frozenset('<>:"/\\|?*') | frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Characters replaced in output names: path separators, the ones Windows forbids, and the
Unicode bidi controls (which can make ``txt.exe`` display as ``exe.txt``; Unicode TR #36 §2.1)."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input found by :func:`discover`.

    Attributes:
        path: the file as found under DIR.
        relative: its path relative to DIR, ``/``-separated (the manifest key).
        out_parent: the output folder relative to OUT (sanitized mirror of
            the input's folder; ``.`` for the top level).
        stem: the output stem, unique (case-insensitively) within ``out_parent``.
    """

    path: Path
    relative: str
    out_parent: str
    stem: str


@dataclass(frozen=True, slots=True)
class Ignored:
    """A matching path that discovery did not take, with the reason (one line)."""

    path: Path
    relative: str
    reason: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """What :func:`discover` found.

    Attributes:
        files: inputs to translate, sorted by relative path.
        ignored: matching entries left out (symlinks to outside DIR, broken
            symlinks, FIFOs/devices), sorted by relative path.
    """

    files: tuple[SourceFile, ...]
    ignored: tuple[Ignored, ...] = ()



def safe_component(name: str) -> str:
    """Make one file or folder name safe to create inside OUT.

    Replaces path separators, the characters Windows forbids (``<>:"|?*``),
    bidi controls (U+200E/F, U+202A–E, U+2066–9), C0/C1 control characters and lone surrogates (the undecodable bytes of a
    non-UTF-8 name, see PEP 383) with ``_``; normalizes to NFC; strips leading
    dots and surrounding spaces (so the result is neither hidden, ``.`` nor
    ``..``); truncates to 200 UTF-8 bytes. Spaces, umlauts and other letters
    are kept.

    Args:
        name: one path component (no ``/``).

    Returns:
        A non-empty plain file name (``_`` if nothing usable is left).
    """
    chars = []
    for ch in name:
        code = ord(ch)
        if ch in _UNSAFE_CHARS or code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code <= 0xDFFF:
            chars.append("_")
        else:
            chars.append(ch)
    cleaned = unicodedata.normalize("NFC", "".join(chars)).strip().lstrip(".").strip()
    encoded = cleaned.encode("utf-8")
    if len(encoded) > _MAX_NAME_BYTES:
        cleaned = encoded[:_MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip()
    return cleaned or "_"


def _matches(name: str, relative: str, patterns: Sequence[str]) -> bool:
    """Whether a file matches: patterns without ``/`` match the name, others the relative path (case-insensitive)."""
    lname, lrel = name.lower(), relative.lower()
    for pattern in patterns:
        lp = pattern.lower()
        if fnmatch.fnmatchcase(lrel if "/" in lp else lname, lp):
            return True
    return False


def is_within(path: Path, root: Path) -> bool:
    """Whether the (resolved) ``path`` is ``root`` or lies under it."""
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def discover(
    source: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = None,
    patterns: Sequence[str] = DEFAULT_PATTERNS,
) -> Discovery:
    """Find the input files under ``source``.

    Rules: names are matched case-insensitively against ``patterns`` (a
    pattern containing ``/`` is matched against the relative path); hidden
    files and folders (name starting with ``.``) are skipped; the folder
    ``out_dir`` is skipped wherever it lies; symlinked folders are not
    followed (no loops, no escaping DIR); a symlinked file is taken when its
    target is a regular file inside DIR and ignored otherwise (target outside
    DIR, or dangling); a matching name that is not a regular file (FIFO,
    socket, device) is ignored, since reading it could block for ever.
    Unreadable folders are ignored with their reason. When OUT is DIR itself
    (or DIR lies inside OUT), files in OUT whose names end in a dewire output
    suffix (``.en.txt``, ``.brief.md`` …, :data:`translate.writers.SUFFIXES`)
    are dewire's own outputs and are not taken as inputs, nor is any file
    OUT's ownership record lists (:mod:`translate.ownership`: reports, the
    digest ``index.html``, whatever ``--glob`` says) or ``OUT/index.html``.

    Output names mirror the relative path, each component passed through
    :func:`safe_component`; the stem is :func:`translate.pipeline.document_name`
    of the file name. When two inputs would share an output folder and stem
    (``a.txt`` and ``a.md``; names equal after sanitizing or up to case), each
    of them uses its full sanitized file name as stem (``a.txt``, ``a.md``),
    and any remaining clash gets ``-2``, ``-3`` … in sorted order.

    Args:
        source: the folder DIR.
        out_dir: the output folder OUT (skipped if inside DIR), or ``None``.
        patterns: ``fnmatch`` patterns such as ``("*.txt", "*.md")``.

    Returns:
        :class:`Discovery`, files sorted by relative path.

    Raises:
        InputError: ``source`` is not a folder, or cannot be listed (permission denied).
    """
    root = Path(source)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder")
    root_real = root.resolve()
    out_real = Path(out_dir).resolve() if out_dir is not None else None
    patterns = tuple(p for p in patterns if p) or DEFAULT_PATTERNS
    from translate.writers import SUFFIXES

    output_suffixes = tuple(sorted({suffix for group in SUFFIXES.values() for suffix in group}))

    found: list[tuple[Path, str, tuple[str, ...]]] = []  # path, relative, relative parts
    ignored: list[Ignored] = []
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, parts = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as err:
            if not parts:  # DIR itself: nothing can be found, and "no file matches" would hide why
                raise InputError(f"{root}: cannot list folder: {err.strerror or err}") from None
            rel = "/".join(parts)
            ignored.append(Ignored(folder, rel, f"cannot list folder: {err.strerror or err}"))
            continue
        subfolders: list[tuple[Path, tuple[str, ...]]] = []
        in_out = out_real is not None and is_within(folder.resolve(), out_real)
        # Files dewire wrote here (its ownership record) are never inputs, whatever --glob says (issue 12).
        written = ownership.recorded_names(folder) if in_out else frozenset()
        at_out_root = in_out and folder.resolve() == out_real
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            entry_parts = (*parts, name)
            relative = "/".join(entry_parts)
            path = Path(entry.path)
            try:
                is_link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=False):
                    if out_real is not None and path.resolve() == out_real:
                        continue
                    subfolders.append((path, entry_parts))
                    continue
            except OSError:
                continue
            if not _matches(name, relative, patterns):
                continue
            if in_out and (name.lower().endswith(output_suffixes) or name in written or (at_out_root and name == "index.html")):
                continue  # dewire's own output or digest (OUT is DIR, or DIR lies inside OUT)
            if is_link:
                try:
                    target = path.resolve(strict=True)
                    target_stat = target.stat()
                except (OSError, RuntimeError):
                    ignored.append(Ignored(path, relative, "broken symlink (or a symlink loop): not followed"))
                    continue
                if stat.S_ISDIR(target_stat.st_mode):
                    continue  # a symlinked folder whose name matches: folders are never followed
                if not is_within(target, root_real) or (out_real is not None and is_within(target, out_real)):
                    ignored.append(Ignored(path, relative, "symlink to a file outside the input folder: not followed"))
                    continue
                mode = target_stat.st_mode
            else:
                try:
                    mode = entry.stat(follow_symlinks=False).st_mode
                except OSError as err:
                    ignored.append(Ignored(path, relative, f"cannot stat: {err.strerror or err}"))
                    continue
            if not stat.S_ISREG(mode):
                ignored.append(Ignored(path, relative, "not a regular file (FIFO, socket or device): not read"))
                continue
            found.append((path, relative, entry_parts))
        stack.extend(reversed(subfolders))

    found.sort(key=lambda f: f[1])
    ignored.sort(key=lambda i: i.relative)
    return Discovery(files=_assign_outputs(found), ignored=tuple(ignored))


def _assign_outputs(found: Sequence[tuple[Path, str, tuple[str, ...]]]) -> tuple[SourceFile, ...]:
    """Give every input a unique (output folder, stem) pair; see :func:`discover`."""
    planned: list[tuple[Path, str, str, str, str]] = []  # path, relative, out_parent, stem, full-name stem
    for path, relative, parts in found:
        out_parent = "/".join(safe_component(p) for p in parts[:-1]) or "."
        stem = safe_component(document_name(parts[-1]))
        planned.append((path, relative, out_parent, stem, safe_component(parts[-1])))

    def key(parent: str, stem: str) -> tuple[str, str]:
        return (parent.casefold(), stem.casefold())

    counts: dict[tuple[str, str], int] = {}
    for _, _, parent, stem, _ in planned:
        counts[key(parent, stem)] = counts.get(key(parent, stem), 0) + 1
    taken: set[tuple[str, str]] = set()
    out: list[SourceFile] = []
    for path, relative, parent, stem, full in planned:
        if counts[key(parent, stem)] > 1:
            stem = full
        candidate, n = stem, 1
        while key(parent, candidate) in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(key(parent, candidate))
        out.append(SourceFile(path=path, relative=relative, out_parent=parent, stem=candidate))
    return tuple(out)

