"""The reproducibility signature carried by every dewire output.

Modelled on sacrebleu's metric signatures (``nrefs:1|case:mixed|tok:13a|
smooth:exp|version:2.4.0``): a single line of ``key:value`` fields joined by
``|`` that names everything that determines the output, so two outputs with
the same signature were produced the same way. dewire's fields, in this order:

==========  =============================================================
``dewire``  dewire version (``doc.meta.version``, else the package's)
``model``   translation model id or path, ``@revision`` when known
``backend`` ``transformers`` or ``ctranslate2`` (``doc.meta.settings``)
``beam``    beam size used for decoding
``seg``     segmenter name and version (``doc.meta.segmenter``)
``brief``   summarizer name (``doc.brief.summarizer``, else ``meta``)
==========  =============================================================

Example: ``dewire:0.1.0|model:Helsinki-NLP/opus-mt-de-en@main|backend:transformers|beam:4|seg:dewire-seg-1|brief:extractive``.

A field whose value the metadata lacks is written as ``?`` so the set of
fields never changes. Values are made safe for the one-line format: ``%``,
``|``, and whitespace/control characters are percent-encoded (``%7C`` …), so
``str.split("|")`` always recovers the fields (:func:`parse_signature`).

Where it appears: the HTML report (facts line and a ``<meta
name="dewire-signature">``), the TMX header (``<prop
type="x-dewire-signature">``), ``NAME.brief.json`` (``"signature"``), and the
footer of ``NAME.brief.md`` and ``NAME.en.md``. ``NAME.aligned.jsonl``,
``NAME.aligned.tsv`` and ``NAME.en.txt`` carry none: every line of those is a
record or text, and a header line would break tools that read them.
"""

from __future__ import annotations

from translate.document import Document, ModelInfo, RunSettings

SIGNATURE_FIELDS: tuple[str, ...] = ("dewire", "model", "backend", "beam", "seg", "brief")
"""Field names of the signature, in output order."""

UNKNOWN = "?"
"""Value written for a field the document's metadata does not provide."""


def _quote(value: str) -> str:
    """Percent-encode ``%``, ``|`` and whitespace/control characters."""
    out = []
    for ch in value:
        if ch in "%|" or ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def signature_fields(doc: Document) -> dict[str, str]:
    """The signature's fields for ``doc``, unquoted.

    Args:
        doc: any document; every field of its ``meta`` is optional.

    Returns:
        ``dict`` with exactly the keys of :data:`SIGNATURE_FIELDS`, in order;
        missing values are :data:`UNKNOWN`.
    """
    meta = doc.meta
    models = meta.models or ModelInfo()
    settings = meta.settings or RunSettings()

    version = meta.version
    if not version:
        from translate import __version__

        version = __version__

    model = models.translator or None
    revision = models.translator_revision or None
    if model is None:
        model_field = UNKNOWN
    elif revision is None:
        model_field = str(model)
    else:
        model_field = f"{model}@{revision}"

    summarizer = doc.brief.summarizer if doc.brief is not None and doc.brief.summarizer else models.summarizer

    values = {
        "dewire": version,
        "model": model_field,
        "backend": settings.backend or None,
        "beam": settings.beams,
        "seg": meta.segmenter or None,
        "brief": summarizer or None,
    }
    return {key: UNKNOWN if value is None else str(value) for key, value in values.items()}


def signature(doc: Document) -> str:
    """The one-line reproducibility signature of ``doc``.

    Args:
        doc: the document (typically translated and summarized).

    Returns:
        ``"dewire:0.1.0|model:<id>@<rev>|backend:<name>|beam:<n>|seg:<name>|brief:<name>"``;
        see the module docstring for the fields and their sources.
    """
    return "|".join(f"{key}:{_quote(value)}" for key, value in signature_fields(doc).items())


def parse_signature(text: str) -> dict[str, str]:
    """Parse a signature back into its (unquoted) fields.

    Args:
        text: a string produced by :func:`signature`.

    Returns:
        ``dict`` field → value, in the order found.

    Raises:
        ValueError: if a field has no ``key:`` prefix.
    """
    from urllib.parse import unquote

    fields: dict[str, str] = {}
    for part in text.split("|"):
        key, sep, value = part.partition(":")
        if not sep:
            raise ValueError(f"signature field {part!r} has no 'key:' prefix")
        fields[key] = unquote(value)
    return fields
