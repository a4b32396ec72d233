"""The translation backend registry: names, compute types, availability, and ``auto``.

Everything that names a backend derives from :data:`BACKENDS`: the config
schema (:mod:`translate.config` builds one settings class per entry, keyed on
``backend``), the ``--backend`` choices (:data:`BACKEND_CHOICES`), and
:func:`translate.mt.load_translator`. Adding a backend is one entry here and
one module. This module is light: it imports no backend package at import time.

``backend: auto`` (the default) is resolved once, by :func:`resolve_backend`:
CTranslate2 when the ``ctranslate2`` package imports — ``int8`` on CPU,
``float16`` on CUDA — else transformers (``float32`` on CPU and MPS,
``float16`` on CUDA). transformers stays the reference backend
(``--backend transformers``). The resolved backend and compute type are what
the signature, the translation cache key and the batch settings key record.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from translate.config import Config, TranslatorConfig
    from translate.mt.base import Translator

AUTO = "auto"
"""The backend name that picks the fastest installed backend (:func:`resolve_backend`)."""


@dataclass(frozen=True, slots=True)
class BackendSpec:
    """One translation backend.

    Attributes:
        name: the models.yaml / ``--backend`` name.
        module: the module holding the translator class (imported on use only).
        cls: the class name, built as ``cls(cfg, model_dir, *, device, threads)``.
        package: the Python package the backend needs (checked by :meth:`available`).
        install: how to get ``package``, for error messages.
        runtime: what resolves ``device: auto`` (see :func:`translate.mt.hf.resolve_device`).
        compute_types: the numeric formats it accepts besides ``auto``.
        cpu_compute: what ``compute_type: auto`` means on CPU (and MPS).
        gpu_compute: what ``compute_type: auto`` means on CUDA.
    """

    name: str
    module: str
    cls: str
    package: str
    install: str
    runtime: str
    compute_types: tuple[str, ...]
    cpu_compute: str
    gpu_compute: str

    def available(self) -> bool:
        """Whether :attr:`package` imports (a broken install counts as missing)."""
        try:
            importlib.import_module(self.package)
        except Exception:  # ImportError, or a broken binary wheel (OSError …)
            return False
        return True

    def compute_type(self, requested: str, device: str) -> str:
        """``requested`` with ``auto`` resolved for ``device`` (``cpu``, ``cuda``, ``mps``)."""
        if requested != AUTO:
            return requested
        return self.gpu_compute if device == "cuda" else self.cpu_compute

    def factory(self) -> Callable[..., "Translator"]:
        """The translator class (imports the backend module)."""
        from translate.errors import ModelLoadError

        if not self.available():
            raise ModelLoadError(f"backend '{self.name}' needs the {self.package} package: {self.install}")
        return getattr(importlib.import_module(self.module), self.cls)  # type: ignore[no-any-return]


BACKENDS: dict[str, BackendSpec] = {
    "transformers": BackendSpec(
        name="transformers",
        module="translate.mt.transformers_backend",
        cls="TransformersTranslator",
        package="torch",
        install="pip install torch (or use --backend ctranslate2)",
        runtime="torch",
        compute_types=("float32", "float16", "bfloat16"),
        cpu_compute="float32",
        gpu_compute="float16",
    ),
    "ctranslate2": BackendSpec(
        name="ctranslate2",
        module="translate.mt.ctranslate2_backend",
        cls="CTranslate2Translator",
        package="ctranslate2",
        install="pip install 'dewire[fast]' (or use --backend transformers)",
        runtime="ctranslate2",
        # Quantizations TransformersConverter.convert accepts (CTranslate2 4.x).
        compute_types=("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32"),
        cpu_compute="int8",
        gpu_compute="float16",
    ),
}
"""Backend name → :class:`BackendSpec` (``auto`` tries them in :data:`AUTO_ORDER`)."""

AUTO_ORDER: tuple[str, ...] = ("ctranslate2", "transformers")
"""Backends ``auto`` tries, fastest first (CTranslate2 int8 measured 2.8–3.8× the transformers path on CPU)."""

BACKEND_CHOICES: tuple[str, ...] = (AUTO, *BACKENDS)
"""Every value ``backend`` / ``--backend`` accepts."""


@dataclass(frozen=True, slots=True)
class ResolvedBackend:
    """What a translator will run with on this machine.

    Attributes:
        backend: a key of :data:`BACKENDS`.
        device: ``cpu``, ``cuda`` or ``mps``.
        compute_type: the numeric format (``int8``, ``float16``, ``float32`` …).
    """

    backend: str
    device: str
    compute_type: str


def resolve_backend(backend: str, device: str = "auto", compute_type: str = AUTO) -> ResolvedBackend:
    """Resolve ``auto`` backend, device and compute type for this machine.

    ``auto`` picks the first of :data:`AUTO_ORDER` whose package imports and
    that can use ``device`` (CTranslate2 has no Apple MPS support, so
    ``device: mps`` gives transformers; ``device: cuda`` where CTranslate2
    sees no GPU but PyTorch does gives transformers too). Imports ``ctranslate2`` (≈ 40 ms)
    or, for the transformers backend with ``device: auto``, torch.

    Raises:
        ConfigError: unknown backend name.
        ModelLoadError: no backend is installed, or a named device is unavailable.
    """
    from translate.errors import ConfigError, ModelLoadError
    from translate.mt.hf import resolve_device

    if backend == AUTO:
        candidates = [n for n in AUTO_ORDER if not (n == "ctranslate2" and device == "mps")]
        chosen = next((n for n in candidates if BACKENDS[n].available() and _can_use(n, device)), None)
        if chosen is None:
            raise ModelLoadError("no translation backend is installed: pip install 'dewire[fast]' (CTranslate2) or torch")
        backend = chosen
    spec = BACKENDS.get(backend)
    if spec is None:
        raise ConfigError(f"unknown translation backend {backend!r} (known: {', '.join(BACKEND_CHOICES)})")
    if not spec.available():
        raise ModelLoadError(f"backend '{backend}' needs the {spec.package} package: {spec.install}")
    resolved_device = resolve_device(device, runtime=spec.runtime)
    return ResolvedBackend(backend, resolved_device, spec.compute_type(compute_type, resolved_device))


def _can_use(backend: str, device: str) -> bool:
    """Whether ``backend`` can run on an explicitly requested ``device`` (``auto`` and ``cpu``: always)."""
    if device in ("auto", "cpu"):
        return True
    from translate.errors import ModelLoadError
    from translate.mt.hf import resolve_device

    try:
        resolve_device(device, runtime=BACKENDS[backend].runtime)
    except ModelLoadError:
        return backend == AUTO_ORDER[-1]  # the last resort reports its own error
    return True


def resolve_config(cfg: "TranslatorConfig") -> "TranslatorConfig":
    """``cfg`` with ``backend`` and ``compute_type`` resolved (see :func:`resolve_backend`).

    Device stays as configured (it changes speed, not output). The result is
    what the pipeline records in the signature and the batch settings key.

    Raises:
        ConfigError, ModelLoadError: as :func:`resolve_backend`.
    """
    if cfg.backend != AUTO and cfg.compute_type != AUTO:
        return cfg
    r = resolve_backend(cfg.backend, cfg.device, cfg.compute_type)
    from translate.config import translator_settings

    return translator_settings({**cfg.model_dump(), "backend": r.backend, "compute_type": r.compute_type})


@dataclass(frozen=True, slots=True)
class ModelStatus:
    """One translator of models.yaml as it would run here (``dewire models list``).

    Attributes:
        name: the models.yaml name.
        model: hub id or directory.
        backend: the resolved backend, or the configured one with ``(not installed)``.
        compute_type: the resolved compute type (``?`` if unresolvable).
        local: the model files are on this machine (local folder or HF cache).
        converted: for CTranslate2: ``yes`` (conversion cached), ``no``
            (converted on first use), ``-`` for other backends or unknown.
        problem: why it cannot run here, else ``None``.
    """

    name: str
    model: str
    backend: str
    compute_type: str
    local: bool
    converted: str
    problem: str | None = None


def model_status(config: "Config") -> list[ModelStatus]:
    """What each translator of ``config`` would run with on this machine; no model is loaded.

    Returns:
        One :class:`ModelStatus` per ``config.translators`` entry, in order.
    """
    from translate.errors import DewireError
    from translate.mt.loading import is_available_locally, local_model_dir

    out = []
    for name, t in config.translators.items():
        local = is_available_locally(t.model, t.revision)
        try:
            r = resolve_backend(t.backend, t.device, t.compute_type)
        except DewireError as err:
            out.append(ModelStatus(name, t.model, t.backend, "?", local, "-", str(err)))
            continue
        converted = "-"
        if r.backend == "ctranslate2":
            converted = "no"
            model_dir = local_model_dir(t.model, t.revision) if local else None
            if model_dir is not None:
                converted = "yes" if _ct2_converted(t.model, model_dir, r.compute_type) else "no"
        out.append(ModelStatus(name, t.model, r.backend, r.compute_type, local, converted))
    return out


def _ct2_converted(model: str, model_dir: Path, compute_type: str) -> bool:
    from translate.mt.ctranslate2_backend import converted_dir, is_converted
    from translate.mt.loading import model_revision

    try:
        return is_converted(converted_dir(model, model_dir, model_revision(model_dir), compute_type))
    except OSError:
        return False


def describe(resolved: Any) -> str:
    """``"ctranslate2 int8 on cpu"`` for a :class:`ResolvedBackend`."""
    return f"{resolved.backend} {resolved.compute_type} on {resolved.device}"
