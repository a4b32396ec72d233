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
        bullets: the brief's bullets (English text).
        sentences: source sentences.
        flags: sentences flagged for review.
        seconds: seconds spent translating the file.
        modified: the input's modification time (seconds since the epoch), if known.
        warnings: number of reading/translation warnings.
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


_CSS = """\
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5d5d5d;--bg:#fff;--line:#d9d9d9;--bad:#a40e26;--warn:#8a5a00;--link:#0b57d0}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--muted:#a8a8a8;--bg:#141414;--line:#3a3a3a;--bad:#ff8a9a;--warn:#f0c36a;--link:#8ab4f8}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1.5rem 1rem 3rem;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.6rem;margin:0 0 .25rem}
.facts{color:var(--muted);margin:0 0 1rem}
a{color:var(--link)}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;vertical-align:top;padding:.5rem .4rem;border-bottom:1px solid var(--line)}
th{position:sticky;top:0;background:var(--bg);white-space:nowrap}
th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer}
th button::after{content:"";display:inline-block;width:1em;color:var(--muted)}
th[aria-sort=ascending] button::after{content:"\\2191"}
th[aria-sort=descending] button::after{content:"\\2193"}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.file{word-break:break-all;font-size:.9rem}
.file,.title,li,.reason{unicode-bidi:isolate}
.title{font-weight:600;margin:0}
ul{margin:.25rem 0 0;padding-left:1.2rem}
li{margin:.1rem 0}
tr.failed .reason{color:var(--bad)}
tr.skipped .reason{color:var(--muted)}
.status-failed{color:var(--bad);font-weight:600}
.status-skipped{color:var(--muted)}
.flags-some{color:var(--warn);font-weight:600}
.warn{color:var(--warn);font-size:.85rem}
"""

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
                "bullets": [_clean(b) for b in e.bullets if b and b.strip()],
                "sentences": e.sentences,
                "flags": e.flags,
                "seconds": f"{e.seconds:.2f}" if status == "done" else "",
                "sort_seconds": f"{e.seconds:.3f}" if status == "done" else "",
                "modified": _when(e.modified),
                "sort_modified": f"{e.modified:.0f}" if e.modified is not None and math.isfinite(e.modified) else "",
                "warnings": e.warnings,
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
        css=Markup(_CSS),
        js=Markup(_JS),
        csp=content_security_policy(_CSS, _JS),
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
