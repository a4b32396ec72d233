"""Quality checks on a translated sentence pair: which lines a reader should read against the German.

Each check is a small function ``(source, target, context) -> [(flag, detail), …]``
in its own module, registered by name in :data:`CHECKS` (the idea of Okapi
CheckMate's independent QA checks; word lists and calibrations are data files
under ``data/``):

==================  ==========================================  ============================
flag                module                                      detail, e.g.
==================  ==========================================  ============================
``untranslated``    :mod:`translate.mt.flags` (wrapped here)    ``the English is the German``
``repetition``      :mod:`translate.mt.flags` (wrapped here)    ``'in the city' repeated``
``length-ratio``    :mod:`translate.mt.flags` (wrapped here)    ``English/German length 2.6``
``number-mismatch`` :mod:`translate.checks.numbers`             ``14 → 41``
``name-mismatch``   :mod:`translate.checks.names`               ``name 'Merkel' not in the English``
``omission``        :mod:`translate.checks.omission`            ``English 38 chars, expected ≥ 71 …``
``term-mismatch``   :mod:`translate.checks.terms`               ``'Bundesrat' should stay untranslated``
==================  ==========================================  ============================

``dewire translate`` computes ``untranslated``, ``repetition`` and
``length-ratio`` in :mod:`translate.mt.engine` and then calls
:func:`run_checks` once per document (the other checks, plus details for
every flag). ``dewire check`` calls :func:`check_pair` on any translation.

When a target is ``untranslated``, the content checks (numbers, names,
omission, terms) are skipped: the German copy would trip them all and say
nothing new. ``length-ratio``'s too-short side is folded into ``omission``:
when ``omission`` fires, ``length-ratio`` is dropped (the calibrated,
length-aware bound says it better); ``length-ratio`` remains for the
too-long side and for short sources that ``omission`` does not judge.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from translate.checks.names import NameMemory, check_names
from translate.checks.numbers import check_numbers
from translate.checks.omission import check_omission
from translate.checks.terms import Glossary, GlossaryError, check_terms, load_glossary, parse_glossary
from translate.document import (
    FLAG_LENGTH_RATIO,
    FLAG_NAME_MISMATCH,
    FLAG_NUMBER_MISMATCH,
    FLAG_OMISSION,
    FLAG_REPETITION,
    FLAG_TERM_MISMATCH,
    FLAG_UNTRANSLATED,
    Document,
    Sentence,
)

__all__ = [
    "CHECKS",
    "CONTENT_CHECKS",
    "CheckContext",
    "CheckResult",
    "Glossary",
    "NameMemory",
    "GlossaryError",
    "check_pair",
    "load_glossary",
    "parse_glossary",
    "run_checks",
]


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may know beyond the sentence pair.

    Attributes:
        glossary: the glossary for ``term-mismatch``, or ``None``.
        unsure: the model's own evidence says the hypothesis is doubtful
            (score below its ``low_confidence`` threshold); ``omission`` then
            uses its looser bounds.
        names: what the rest of the document's translation did with each
            capitalised German word (:class:`translate.checks.names.NameMemory`),
            for ``name-mismatch``; ``None`` judges the pair alone.
        index: the pair's position in the sentences ``names`` was built from.
    """

    glossary: Glossary | None = None
    unsure: bool = False
    names: NameMemory | None = None
    index: int = -1


Finding = tuple[str, str]
Check = Callable[[str, str, CheckContext], list[Finding]]


def _untranslated(source: str, target: str, context: CheckContext) -> list[Finding]:
    from translate.mt.flags import is_untranslated

    return [(FLAG_UNTRANSLATED, "the English is (almost) the German")] if is_untranslated(source, target) else []


def _repetition(source: str, target: str, context: CheckContext) -> list[Finding]:
    from translate.mt.flags import _tokens, has_repetition, longest_loop

    if not has_repetition(target, source):
        return []
    n, k = longest_loop(target)
    if n and k >= 2:
        toks = _tokens(target)
        for i in range(len(toks) - n * k + 1):
            if all(toks[i + j * n : i + (j + 1) * n] == toks[i : i + n] for j in range(k)):
                return [(FLAG_REPETITION, f"'{' '.join(toks[i : i + n])}' repeated {k} times")]
    return [(FLAG_REPETITION, "a run of repeated characters")]


def _length_ratio(source: str, target: str, context: CheckContext) -> list[Finding]:
    from translate.mt.flags import length_ratio_off

    if not length_ratio_off(source, target):
        return []
    ratio = len(target.strip()) / max(len(source.strip()), 1)
    return [(FLAG_LENGTH_RATIO, f"English/German length {ratio:.2f}")]


CHECKS: Mapping[str, Check] = {
    FLAG_UNTRANSLATED: _untranslated,
    FLAG_REPETITION: _repetition,
    FLAG_LENGTH_RATIO: _length_ratio,
    FLAG_NUMBER_MISMATCH: check_numbers,
    FLAG_NAME_MISMATCH: check_names,
    FLAG_OMISSION: check_omission,
    FLAG_TERM_MISMATCH: check_terms,
}
"""Every check by name (the name is the flag it sets), in the order flags are listed."""

CONTENT_CHECKS: tuple[str, ...] = (FLAG_NUMBER_MISMATCH, FLAG_NAME_MISMATCH, FLAG_OMISSION, FLAG_TERM_MISMATCH)
"""The checks skipped for an ``untranslated`` target, and the ones :func:`run_checks` adds in ``translate``."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of all checks on one pair.

    Attributes:
        flags: flag names in :data:`CHECKS` order.
        details: ``{flag: detail}`` for each flag.
    """

    flags: tuple[str, ...]
    details: Mapping[str, str]


def check_pair(
    source: str,
    target: str,
    context: CheckContext | None = None,
    *,
    names: Sequence[str] | None = None,
) -> CheckResult:
    """Run the checks on one sentence pair.

    Args:
        source: German text.
        target: English text.
        context: glossary and model evidence (default: none).
        names: which checks to run (default: all of :data:`CHECKS`).

    Returns:
        :class:`CheckResult`; empty for a blank source; ``omission`` alone
        for a blank target of a source with two words or more.

    Raises:
        KeyError: an unknown check name.
    """
    context = context or CheckContext()
    chosen = list(CHECKS) if names is None else [n for n in CHECKS if n in names]
    for name in names or ():
        CHECKS[name]  # noqa: B018 - raise KeyError for unknown names
    details: dict[str, str] = {}
    if not source.strip():
        return CheckResult((), {})
    if not target.strip():
        # An empty English line for a German sentence: everything was dropped.
        if FLAG_OMISSION in chosen and len(source.split()) >= 2:
            return CheckResult((FLAG_OMISSION,), {FLAG_OMISSION: "the English is empty"})
        return CheckResult((), {})
    untranslated = FLAG_UNTRANSLATED in chosen and bool(CHECKS[FLAG_UNTRANSLATED](source, target, context))
    for name in chosen:
        if untranslated and name in CONTENT_CHECKS:
            continue
        for flag, detail in CHECKS[name](source, target, context):
            details.setdefault(flag, detail)
    if FLAG_OMISSION in details and FLAG_LENGTH_RATIO in details:
        del details[FLAG_LENGTH_RATIO]  # too short: omission says it, with a calibrated bound
    return CheckResult(tuple(f for f in CHECKS if f in details), details)


def run_checks(doc: Document, *, glossary: Glossary | None = None, low_confidence: float | None = None) -> Document:
    """Add the content checks' flags and every flag's detail to a translated document.

    Called once per document by :func:`translate.mt.engine.translate_documents`
    right after the engine's own flags (``untranslated``, ``repetition``,
    ``length-ratio``, ``low-confidence``, ``split``, ``passthrough``).
    Passthrough sentences and sentences without a target are left alone.

    Args:
        doc: a translated document.
        glossary: for ``term-mismatch``.
        low_confidence: the model's threshold; a sentence scored below it
            counts as model evidence for ``omission``.

    Returns:
        A new document; sentences gain flags (appended after the engine's, in
        :data:`CHECKS` order) and ``details``.
    """
    updates: dict[int, Sentence] = {}
    sentences = list(doc.sentences())
    # Machine output: a name lost in every sentence is the error to catch, not a translator's choice.
    memory = NameMemory(((s.source, None if s.passthrough else s.target) for s in sentences), trust_drops=False)
    for index, s in enumerate(sentences):
        if s.passthrough or not s.target:
            continue
        unsure = s.score is not None and low_confidence is not None and s.score < low_confidence
        context = CheckContext(glossary=glossary, unsure=unsure, names=memory, index=index)
        engine_flags = [f for f in (FLAG_UNTRANSLATED, FLAG_REPETITION, FLAG_LENGTH_RATIO) if f in s.flags]
        names = [*engine_flags, *([] if FLAG_UNTRANSLATED in s.flags else CONTENT_CHECKS)]
        result = check_pair(s.source, s.target, context, names=names)
        new_flags = [f for f in result.flags if f in CONTENT_CHECKS and f not in s.flags]
        kept = s.flags
        if FLAG_OMISSION in result.flags and FLAG_LENGTH_RATIO in kept:
            kept = tuple(f for f in kept if f != FLAG_LENGTH_RATIO)
        details = {flag: detail for flag, detail in s.details if flag in kept}
        for flag, detail in result.details.items():
            if flag in kept or flag in new_flags:
                details.setdefault(flag, detail)
        if new_flags or kept != s.flags or details != dict(s.details):
            updates[s.id] = dataclasses.replace(s, flags=(*kept, *new_flags), details=tuple(details.items()))
    return doc.with_targets(updates) if updates else doc
