"""dewire: read German news in English.

Public API (imports are light; torch/transformers load only when a model is used)::

    from translate import translate_file, translate_folder, load_config, Document
"""

from __future__ import annotations

__version__ = "0.1.0"
