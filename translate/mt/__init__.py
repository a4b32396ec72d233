"""Machine translation: backends behind one protocol, plus the translate stage.

Importing this package is light: torch, transformers and ctranslate2 are
imported only when :func:`load_translator` builds a backend.

Modules:
    base: the :class:`Translator` protocol, :class:`Hypothesis`, decoding rules.
    loading: model directory resolution (local → HF cache → hub).
    transformers_backend: the default backend (PyTorch ``generate``).
    ctranslate2_backend: the optional CTranslate2 backend (``dewire[fast]``).
    batching: token-budget batch planning (backend-independent).
    splitting: clause-boundary splitting of over-long sentences.
    flags: quality flags.
    cache: the persistent SQLite translation cache.
    engine: :func:`translate_documents`, the translate stage.
    echo: a deterministic test translator.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from translate.mt.base import Hypothesis, Translator

if TYPE_CHECKING:
    from translate.config import TranslatorConfig

__all__ = ["Hypothesis", "Translator", "BACKENDS", "load_translator", "translate_documents"]


def _transformers(cfg: "TranslatorConfig", model_dir: Path, *, device: str, threads: int | None) -> Translator:
    from translate.mt.transformers_backend import TransformersTranslator

    return TransformersTranslator(cfg, model_dir, device=device, threads=threads)


def _ctranslate2(cfg: "TranslatorConfig", model_dir: Path, *, device: str, threads: int | None) -> Translator:
    from translate.errors import ModelLoadError

    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        raise ModelLoadError(
            "backend 'ctranslate2' needs the ctranslate2 package: pip install 'dewire[fast]' (or use --backend transformers)"
        ) from None
    from translate.mt.ctranslate2_backend import CTranslate2Translator

    return CTranslate2Translator(cfg, model_dir, device=device, threads=threads)


BACKENDS: dict[str, Callable[..., Translator]] = {
    "transformers": _transformers,
    "ctranslate2": _ctranslate2,
}
"""Backend name → factory ``(cfg, model_dir, *, device, threads) -> Translator``."""


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
        backend: ``transformers`` or ``ctranslate2``; ``None`` uses ``cfg.backend``.

    Returns:
        A :class:`Translator`.

    Raises:
        ConfigError: unknown backend name.
        ModelNotFoundError: the model is not available locally and cannot be downloaded.
        ModelLoadError: the model directory is incomplete or cannot be loaded,
            the device is unavailable, or the backend's package is missing.
    """
    from translate.errors import ConfigError
    from translate.mt.loading import is_path_like, resolve_model_dir

    backend_name = backend or cfg.backend
    factory = BACKENDS.get(backend_name)
    if factory is None:
        raise ConfigError(f"unknown translation backend {backend_name!r} (known: {', '.join(BACKENDS)})")
    config_name = None if name in (cfg.model, "") or is_path_like(name) else name
    model_dir = resolve_model_dir(cfg.model, cfg.revision, what="translation model", config_name=config_name)
    translator = factory(cfg, model_dir, device=device or cfg.device, threads=threads or cfg.threads)
    if use_cache:
        from translate.mt.cache import CachedTranslator

        translator = CachedTranslator(translator)
    return translator


def __getattr__(name: str) -> Any:
    if name == "translate_documents":
        from translate.mt.engine import translate_documents

        return translate_documents
    raise AttributeError(f"module 'translate.mt' has no attribute {name!r}")
