"""German sentence-boundary cases: each input with its expected sentences.

The table lives in ``tests/data/segmentation/sentences.txt`` (one rule per
section; every failure kind found with ``benchmarks/segmentation.py
--errors`` has a case there).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.document import Document, check_alignment
from translate.segment import segment

CASES_FILE = Path(__file__).parent / "data" / "segmentation" / "sentences.txt"


def _load_cases() -> list[pytest.ParameterSet]:
    cases: list[pytest.ParameterSet] = []
    rule = "?"
    text: str | None = None
    expected: list[str] = []

    def flush() -> None:
        nonlocal text, expected
        if text is not None:
            cases.append(pytest.param(text, tuple(expected), id=f"{rule}: {text[:40]}"))
        text, expected = None, []

    for raw in CASES_FILE.read_text(encoding="utf-8").split("\n"):
        if raw.startswith("## "):
            flush()
            rule = raw[3:].strip()
        elif raw.startswith("#"):
            continue
        elif not raw.strip():
            flush()
        elif raw.startswith("=> "):
            expected.append(raw[3:])
        else:
            flush()
            text = raw
    flush()
    return cases


CASES = _load_cases()


def test_case_table_is_substantial() -> None:
    assert len(CASES) >= 60
    for case in CASES:
        text, expected = case.values
        assert expected, f"case without expected sentences: {text!r}"


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sentences(text: str, expected: tuple[str, ...]) -> None:
    paragraphs = segment(text)
    got = tuple(s.source for p in paragraphs for s in p.sentences)
    assert got == expected
    check_alignment(Document(name="case", path=None, text=text, paragraphs=paragraphs), require_targets=False)
