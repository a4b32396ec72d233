"""Machine translation: backends behind one protocol, plus the translate stage.

Importing this package is light: torch, transformers and ctranslate2 are
imported only when :func:`load_translator` builds a backend.

Modules:
    base: the :class:`Translator` protocol, :class:`Hypothesis`, decoding rules.
    loading: model directory resolution (local → HF cache → hub).
    backends: the backend registry and ``backend: auto`` resolution.
    hf: Hugging Face helpers shared by the backends and the summarizer.
    transformers_backend: the reference backend (PyTorch ``generate``).
    ctranslate2_backend: the fast backend (``dewire[fast]``), ``auto``'s first choice.
    batching: token-budget batch planning (backend-independent).
    splitting: clause-boundary splitting of over-long sentences.
    flags: quality flags.
    cache: the persistent SQLite translation cache.
    engine: :func:`translate_documents`, the translate stage.
    echo: a deterministic test translator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from translate.mt.backends import BACKENDS
from translate.mt.base import Hypothesis, Translator

if TYPE_CHECKING:
    from translate.config import TranslatorConfig

__all__ = ["Hypothesis", "Translator", "BACKENDS", "load_translator", "translate_documents"]


def load_translator(
    name: str,
    cfg: "TranslatorConfig",
    *,
    use_cache: bool = True,
    device: str | None = None,
    threads: int | None = None,
    backend: str | None = None,
) -> Translator:
    """Build the translator for one models.yaml entry (or a ``--model`` override).

    Args:
        name: the models.yaml name (used in the "how to download" hint), or
            the hub id / path given with ``--model``.
        cfg: its settings; ``cfg.model`` is resolved with
            :func:`translate.mt.loading.resolve_model_dir`.
        use_cache: wrap in :class:`~translate.mt.cache.CachedTranslator`
            (``--no-cache`` passes ``False``).
        device: ``auto``/``cpu``/``cuda``/``mps``; ``None`` uses ``cfg.device``.
        threads: CPU threads; ``None`` uses ``cfg.threads`` or a default.
        backend: ``auto``, ``transformers`` or ``ctranslate2``; ``None`` uses
            ``cfg.backend``. ``auto`` is resolved here
            (:func:`translate.mt.backends.resolve_backend`).

    Returns:
        A :class:`Translator`.

    Raises:
        ConfigError: unknown backend name.
        ModelNotFoundError: the model is not available locally and cannot be downloaded.
        ModelLoadError: the model directory is incomplete or cannot be loaded,
            the device is unavailable, or the backend's package is missing.
    """
    from translate.mt.backends import resolve_config
    from translate.mt.loading import is_path_like, resolve_model_dir

    if backend is not None and backend != cfg.backend:
        from translate.config import AUTO, translator_settings
        from translate.errors import ConfigError
        from translate.mt.backends import BACKEND_CHOICES

        if backend not in BACKEND_CHOICES:
            raise ConfigError(f"unknown translation backend {backend!r} (known: {', '.join(BACKEND_CHOICES)})")

        cfg = translator_settings({**cfg.model_dump(), "backend": backend, "compute_type": AUTO})
    if device is not None:
        cfg = cfg.model_copy(update={"device": device})
    cfg = resolve_config(cfg)
    factory = BACKENDS[cfg.backend].factory()
    config_name = None if name in (cfg.model, "") or is_path_like(name) else name
    model_dir = resolve_model_dir(cfg.model, cfg.revision, what="translation model", config_name=config_name)
    translator = factory(cfg, model_dir, device=cfg.device, threads=threads or cfg.threads)
    if use_cache:
        from translate.mt.cache import CachedTranslator

        translator = CachedTranslator(translator)
    return translator


def __getattr__(name: str) -> Any:
    if name == "translate_documents":
        from translate.mt.engine import translate_documents

        return translate_documents
    raise AttributeError(f"module 'translate.mt' has no attribute {name!r}")
