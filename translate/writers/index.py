"""``OUT/index.html``: the digest page of a batch run (issue 7).

One row per input file of the run: its name linking to its report (a
relative ``href``, so the folder can be moved or zipped), the English title
and the brief's bullets, the sentence and flag counts, the input file's
modification time and the seconds spent; failed files are listed too, with
their one-line reason, and ignored ones (symlinks out of the folder …) with
theirs. The table sorts by name, time (modification time or seconds), flags
or sentences with a few lines of inline script (rows without a value, such
as failed files, stay at the bottom in both directions); without script it
keeps the order given (the batch gives it sorted by name).

Each row shows the English title with the German headline under it, and
the warnings themselves. On a phone (under 700 px) the table becomes a list
of cards: one card per file, the sort buttons a row of chips above them,
each number labelled, nothing wider than the screen.

Self-contained like the reports (:mod:`translate.writers.html`): rendered by
Jinja2 with autoescaping from ``templates/index.html.j2``; the inline
stylesheet and script are allowed by their SHA-256 hashes in a
Content-Security-Policy meta tag that allows nothing else (no network, no
other script). Written atomically (:func:`translate.writers.atomic.atomic_write_text`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from translate.writers.atomic import atomic_write_text

STATUSES: tuple[str, ...] = ("done", "skipped", "failed")


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One row of the digest.

    Attributes:
        name: the input's path relative to the input folder (``/``-separated).
        status: ``done`` (translated, now or in an earlier run), ``failed``,
            or ``skipped`` (not taken; ``reason`` says why).
        reason: one line for a failed or skipped file.
        href: the report's path relative to OUT (``/``-separated, unquoted),
            or ``None`` when there is none.
        title: the English title from the brief.
        title_de: the German headline (:func:`translate.writers.html.german_title`), shown
            under the English one.
        bullets: the brief's bullets (English text).
        sentences: source sentences.
        flags: sentences flagged for review.
        seconds: seconds spent translating the file.
        modified: the input's modification time (seconds since the epoch), if known.
        warnings: number of reading/translation warnings.
        warning_texts: the warnings themselves (one line each), listed in the row.
    """

    name: str
    status: str
    reason: str | None = None
    href: str | None = None
    title: str | None = None
    bullets: tuple[str, ...] = ()
    sentences: int = 0
    flags: int = 0
    seconds: float = 0.0
    modified: float | None = None
    warnings: int = 0
    title_de: str | None = None
    warning_texts: tuple[str, ...] = ()


_JS = """\
(function () {
  "use strict";
  var table = document.getElementById("docs");
  if (!table) { return; }
  var body = table.tBodies[0];
  function value(row, key, numeric) {
    var v = row.getAttribute("data-" + key) || "";
    if (numeric) { var n = parseFloat(v); return isNaN(n) ? null : n; }
    return v;
  }
  Array.prototype.forEach.call(table.querySelectorAll("th button[data-key]"), function (button) {
    button.addEventListener("click", function () {
      var key = button.getAttribute("data-key");
      var numeric = button.getAttribute("data-type") === "number";
      var th = button.parentNode;
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = value(a, key, numeric), y = value(b, key, numeric);
        if (x === null || y === null) {
          if (x !== y) { return x === null ? 1 : -1; }
          return value(a, "name", false).localeCompare(value(b, "name", false));
        }
        var c = numeric ? x - y : String(x).localeCompare(String(y));
        if (c === 0) { c = value(a, "name", false).localeCompare(value(b, "name", false)); }
        return ascending ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(table.querySelectorAll("th[aria-sort]"), function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    });
  });
})();
"""


def _resource(name: str) -> str:
    return resources.files("translate.writers").joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _css() -> str:
    return _resource("index.css")


@lru_cache(maxsize=1)
def _template() -> Any:
    import jinja2

    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.from_string(_resource("index.html.j2"))


def _clean(text: str | None) -> str:
    """Text safe for HTML: undecodable bytes of file names (lone surrogates) → U+FFFD, XML-illegal characters removed."""
    from translate.writers.tmx import strip_xml_illegal

    if not text:
        return ""
    fixed = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return strip_xml_illegal(fixed)


def _href(path: str | None) -> str | None:
    """A relative URL for an OUT-relative path: each segment percent-encoded (RFC 3986), never absolute."""
    if not path:
        return None
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if not parts:
        return None
    return "/".join(quote(_clean(p), safe="") for p in parts)


def _when(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return ""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def render_index(entries: Sequence[IndexEntry], *, title: str = "dewire digest", generated: datetime | None = None) -> str:
    """Render the digest page.

    Args:
        entries: the rows, in the order shown before any sorting (by name is
            the natural order; the caller's order is kept).
        title: the page heading.
        generated: the time shown as "generated" (default: now, UTC).

    Returns:
        The complete HTML document (UTF-8 text).
    """
    from markupsafe import Markup

    from translate.writers.html import content_security_policy

    generated = generated or datetime.now(timezone.utc)
    rows: list[dict[str, Any]] = []
    for e in entries:
        status = e.status if e.status in STATUSES else "failed"
        rows.append(
            {
                "name": _clean(e.name),
                "sort_name": _clean(e.name).casefold(),
                "status": status,
                "reason": _clean(e.reason),
                "href": _href(e.href) if status == "done" else None,
                "title": _clean(e.title),
                "title_de": _clean(e.title_de),
                "bullets": [_clean(b) for b in e.bullets if b and b.strip()],
                "sentences": e.sentences,
                "flags": e.flags,
                "seconds": f"{e.seconds:.2f}" if status == "done" else "",
                "sort_seconds": f"{e.seconds:.3f}" if status == "done" else "",
                "modified": _when(e.modified),
                "sort_modified": f"{e.modified:.0f}" if e.modified is not None and math.isfinite(e.modified) else "",
                "warnings": max(e.warnings, len(e.warning_texts)),
                "warning_texts": [_clean(w) for w in e.warning_texts if w and w.strip()],
            }
        )
    done = [e for e in entries if e.status == "done"]
    facts = {
        "documents": len(done),
        "failed": sum(1 for r in rows if r["status"] == "failed"),
        "skipped": sum(1 for r in rows if r["status"] == "skipped"),
        "sentences": sum(e.sentences for e in done),
        "flags": sum(e.flags for e in done),
        "generated": generated.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    from translate import __version__

    return _template().render(
        title=title,
        rows=rows,
        facts=facts,
        version=__version__,
        css=Markup(_css()),
        js=Markup(_JS),
        csp=content_security_policy(_css(), _JS),
    )


def write_index(path: Path, entries: Sequence[IndexEntry], *, title: str = "dewire digest", force: bool = False) -> Path:
    """Render the digest and write it atomically to ``path``.

    An existing ``path`` dewire did not write (a site's own ``index.html``) is
    replaced only with ``force`` (:mod:`translate.ownership`).

    Returns:
        ``path``.

    Raises:
        ForeignFileError: ``path`` exists and dewire did not write it.
        OutputError: the file cannot be written (the old one stays intact).
    """
    atomic_write_text(path, render_index(entries, title=title), force=force)
    return path


__all__ = ["IndexEntry", "render_index", "write_index"]
