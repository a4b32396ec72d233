"""``NAME.en.txt``: the English text, paragraph structure kept.

Paragraphs are separated by one blank line. Inside a paragraph the sentence
targets are joined by a single space, or by a line break where the source had
a line break between the two sentences (list items, verse-like layouts): the
writer looks at the source text *between* the sentence spans; it never
re-splits anything. Text is written as-is (a literal ``&``, no escaping),
except that control characters other than line feed and tab are dropped
(:func:`translate.writers.controls.drop_controls`); the file ends with one
newline.
"""

from __future__ import annotations

from translate.document import Document, Paragraph
from translate.writers.controls import drop_controls

SUFFIX = ".en.txt"


def paragraph_target(doc: Document, paragraph: Paragraph) -> str:
    """The English text of one paragraph.

    Args:
        doc: the document (for the source text between sentence spans).
        paragraph: one of ``doc.paragraphs``.

    Returns:
        The paragraph's sentence targets, control characters dropped and
        stripped, joined by ``" "`` or ``"\\n"`` (when the source gap
        between the two sentences holds a line break: one line per list
        item); empty targets are skipped.
    """
    parts: list[str] = []
    previous_end: int | None = None
    for sentence in paragraph.sentences:
        target = drop_controls(sentence.target or "").strip()
        if target:
            if parts:
                gap = doc.text[previous_end : sentence.span[0]] if previous_end is not None else " "
                parts.append("\n" if "\n" in gap else " ")
            parts.append(target)
        previous_end = sentence.span[1]
    return "".join(parts)


def render(doc: Document) -> dict[str, str]:
    """Render the English text of ``doc``.

    Args:
        doc: a translated document.

    Returns:
        ``{".en.txt": text}``; an empty document gives ``""``.
    """
    blocks = [paragraph_target(doc, p) for p in doc.paragraphs]
    blocks = [b for b in blocks if b]
    return {SUFFIX: "\n\n".join(blocks) + "\n" if blocks else ""}
