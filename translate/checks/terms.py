"""``term-mismatch``: glossary terms of the source are rendered as the glossary requires.

A glossary is a UTF-8 TSV file, one entry a line::

    # German term <TAB> required English rendering(s)
    Landeshauptmann	state governor|governor
    Bundesrat	=

* ``#`` starts a comment line; blank lines are ignored.
* Several accepted renderings are separated by ``|``.
* ``=`` means *do not translate*: the English must contain the German term itself.
* A term may be several words (``Rotes Kreuz``).

Matching: a German term matches any inflection — each of its words matches a
source word that starts with the word's stem (the word without a final
``e``/``en``/``er``/``es``/``n``/``s``) followed by at most four more letters,
case-insensitively (``Landeshauptmann`` matches ``Landeshauptmannes``;
``Landeshauptleute`` does not: irregular plurals need their own line). An
English rendering matches case-insensitively, with an optional plural or
possessive ending (``s``, ``es``, ``'s``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from translate.document import FLAG_TERM_MISMATCH
from translate.errors import InputError

_STEM_ENDINGS = ("en", "er", "es", "e", "n", "s")


class GlossaryError(InputError):
    """The glossary file cannot be read or has a malformed line (names file and line).

    Exit code 66 (sysexits ``EX_NOINPUT``), as for any unreadable input of ``dewire check``.
    """

    exit_code = 66


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary entry.

    Attributes:
        german: the German term as written in the glossary.
        english: accepted English renderings (the German term itself for ``=``).
        keep: ``True`` for a do-not-translate entry (``=``).
    """

    german: str
    english: tuple[str, ...]
    keep: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        """Regex matching the German term in any inflection."""
        parts = []
        for word in self.german.split():
            stem = word
            for ending in _STEM_ENDINGS:
                if word.casefold().endswith(ending) and len(word) - len(ending) >= 4:
                    stem = word[: -len(ending)]
                    break
            parts.append(re.escape(stem) + r"\w{0,4}")
        return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.I)


@dataclass(frozen=True, slots=True)
class Glossary:
    """A parsed glossary.

    Attributes:
        path: the file it was read from (``""`` when built in code).
        terms: the entries in file order.
    """

    path: str
    terms: tuple[Term, ...]


def parse_glossary(text: str, path: str = "") -> Glossary:
    """Parse glossary text (format in the module docstring).

    Args:
        text: the file content.
        path: file name for error messages.

    Returns:
        The :class:`Glossary`.

    Raises:
        GlossaryError: a line without a tab, or with an empty side (message
            names ``path:line``).
    """
    terms: list[Term] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" not in line:
            raise GlossaryError(f"{path or 'glossary'}:{number}: expected 'German term<TAB>English' but found no tab")
        german, english = (part.strip() for part in line.split("\t", 1))
        if not german or not english:
            raise GlossaryError(f"{path or 'glossary'}:{number}: empty German term or English rendering")
        if english == "=":
            terms.append(Term(german, (german,), keep=True))
        else:
            renderings = tuple(e.strip() for e in english.split("|") if e.strip())
            if not renderings:
                raise GlossaryError(f"{path or 'glossary'}:{number}: no English rendering for {german!r} (only '|')")
            terms.append(Term(german, renderings))
    return Glossary(path, tuple(terms))


def load_glossary(path: str | Path) -> Glossary:
    """Read and parse a glossary file.

    Raises:
        GlossaryError: missing, unreadable, not UTF-8, or malformed (one line naming the file).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise GlossaryError(f"cannot read glossary {path}: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GlossaryError(f"glossary {path} is not UTF-8 text") from None
    return parse_glossary(text, str(path))


def _rendered(rendering: str, target: str) -> bool:
    words = [re.escape(w) for w in rendering.split()]
    pattern = r"(?<!\w)" + r"[\s-]+".join(words) + r"(?:s|es|['’]s|['’])?(?!\w)"
    return re.search(pattern, target, re.I) is not None


def check_terms(source: str, target: str, context: object = None) -> list[tuple[str, str]]:
    """The ``term-mismatch`` check.

    Args:
        source: German sentence.
        target: English sentence.
        context: a :class:`translate.checks.CheckContext` whose ``glossary``
            is used; no glossary, no finding.

    Returns:
        ``[]`` or ``[("term-mismatch", "'Landeshauptmann' should be 'state governor'")]``.
    """
    glossary: Glossary | None = getattr(context, "glossary", None)
    if glossary is None:
        return []
    problems = []
    for term in glossary.terms:
        if term.pattern.search(source) and not any(_rendered(e, target) for e in term.english):
            wanted = " or ".join(f"'{e}'" for e in term.english)
            problems.append(f"'{term.german}' kept as is" if term.keep else f"'{term.german}' should be {wanted}")
    if not problems:
        return []
    return [(FLAG_TERM_MISMATCH, "; ".join(p for p in problems[:4]).replace(" kept as is", " should stay untranslated"))]
