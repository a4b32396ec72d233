"""dewire: read German news in English.

Public API (importing this package is light; torch and transformers load only
when a model is first used)::

    from translate import translate_file, load_config, Pipeline, Options
    result = translate_file("samples/putin-kim.de.txt", "dewire-out")
    result.document.brief.bullets

Names: :func:`translate_file`, :func:`translate_folder`, :func:`read_document`,
:class:`Pipeline`, :class:`Options`, :class:`Result`, :func:`load_config`,
:class:`Config`, :class:`Document`, :class:`DocMeta`, :class:`Paragraph`, :class:`Sentence`,
:class:`Brief`, :func:`check_alignment`, :class:`DewireError`.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "translate_file": "translate.pipeline",
    "read_document": "translate.pipeline",
    "Pipeline": "translate.pipeline",
    "Options": "translate.pipeline",
    "Result": "translate.pipeline",
    "translate_folder": "translate.batch",
    "load_config": "translate.config",
    "Config": "translate.config",
    "Document": "translate.document",
    "DocMeta": "translate.document",
    "Paragraph": "translate.document",
    "Sentence": "translate.document",
    "Piece": "translate.document",
    "Brief": "translate.document",
    "BriefBullet": "translate.document",
    "check_alignment": "translate.document",
    "DewireError": "translate.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'translate' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
