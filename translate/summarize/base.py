"""The Summarizer protocol."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from translate.document import Brief, Document


@runtime_checkable
class Summarizer(Protocol):
    """Turns a translated :class:`Document` into a :class:`Brief`.

    Attributes:
        name: the summarizer's name as recorded in the brief and signature.
    """

    name: str

    def summarize(self, doc: Document, n_bullets: int | None = None) -> Brief:
        """Return the brief of ``doc`` (all sentences have targets).

        Args:
            doc: the translated document.
            n_bullets: number of bullets wanted (default from models.yaml);
                never more than the document has sentences.
        """
        ...
