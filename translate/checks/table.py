"""``dewire check`` as a library: check every pair of an input and render the findings.

The CLI prints what these functions return (the library never prints).
"""

from __future__ import annotations

import dataclasses

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from translate.checks import CheckContext, CheckResult, NameMemory, check_pair
from translate.checks.inputs import Pair, read_pairs


@dataclass(frozen=True, slots=True)
class CheckedLine:
    """One input pair with the checks' outcome."""

    pair: Pair
    result: CheckResult


def check_pairs(pairs: Sequence[Pair], context: CheckContext | None = None) -> list[CheckedLine]:
    """Run every check on every pair, in order.

    The input is taken for one document: ``name-mismatch`` consults what the
    other pairs' English does with each name (:class:`translate.checks.NameMemory`).
    """
    base = context or CheckContext()
    memory = NameMemory((p.source, p.target) for p in pairs)
    return [
        CheckedLine(p, check_pair(p.source, p.target, dataclasses.replace(base, names=memory, index=i)))
        for i, p in enumerate(pairs)
    ]


def check_files(source: str | Path, target: str | Path | None = None, context: CheckContext | None = None) -> list[CheckedLine]:
    """Read an input (:func:`translate.checks.inputs.read_pairs`) and check it.

    Raises:
        CheckInputError, MisalignedError: see :mod:`translate.checks.inputs`.
    """
    return check_pairs(read_pairs(source, target), context)


def jsonl(lines: Sequence[CheckedLine]) -> str:
    """One JSON object per input pair, flagged or not: ``{"line": N, "flags": [...], "details": {...}}``."""
    return "".join(
        json.dumps({"line": c.pair.line, "flags": list(c.result.flags), "details": dict(c.result.details)}, ensure_ascii=False) + "\n"
        for c in lines
    )


def _excerpt(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(lines: Sequence[CheckedLine], *, width: int = 100) -> str:
    """A plain-text table of the flagged lines (line, flag, detail, source and target excerpts)."""
    out: list[str] = []
    flagged = [c for c in lines if c.result.flags]
    if not flagged:
        return ""
    excerpt = max(30, width - 8)
    for c in flagged:
        out.append(f"line {c.pair.line}:")
        for flag in c.result.flags:
            out.append(f"  {flag}: {c.result.details.get(flag, '')}".rstrip())
        out.append(f"    DE  {_excerpt(c.pair.source, excerpt)}")
        out.append(f"    EN  {_excerpt(c.pair.target, excerpt)}")
    return "\n".join(out) + "\n"


def summary(lines: Sequence[CheckedLine]) -> str:
    """One line: how many pairs were checked and flagged, and the count of each flag."""
    counts = Counter(f for c in lines for f in c.result.flags)
    flagged = sum(bool(c.result.flags) for c in lines)
    text = f"{len(lines)} lines checked, {flagged} flagged"
    if counts:
        text += ": " + ", ".join(f"{flag} {n}" for flag, n in counts.most_common())
    return text
