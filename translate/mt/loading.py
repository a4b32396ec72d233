"""Find a model on disk: local directory → local Hugging Face cache → hub download.

Used for the translation model and the abstractive summarizer alike. Nothing
here imports torch or transformers; ``huggingface_hub`` is imported only when
the cache or the hub is consulted.

Resolution order (:func:`resolve_model_dir`):

1. ``model`` names an existing directory: it must hold ``config.json``,
   weights (``model.safetensors`` or ``pytorch_model.bin``, or a sharded
   index) and the tokenizer files of its model type (Marian: ``source.spm``,
   ``target.spm``, ``vocab.json``), else :class:`~translate.errors.ModelLoadError`
   names the missing file. A path-like string (with a path separator, or
   starting with ``.`` or ``~``) that does not exist is a
   :class:`~translate.errors.ModelNotFoundError`.
2. ``model`` is a hub id in the local Hugging Face cache
   (``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, else ``~/.cache/huggingface/hub``),
   read with ``local_files_only=True``: no network.
3. Unless ``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE`` is set, a download
   from the hub — after a connectivity check of at most
   :data:`HUB_TIMEOUT_S` seconds (``$DEWIRE_HUB_TIMEOUT``), so a machine
   without network fails in seconds instead of retrying for minutes.

Otherwise :class:`~translate.errors.ModelNotFoundError` with one line saying
how to get the model.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import threading
from pathlib import Path
from urllib.parse import urlparse

from translate.errors import ModelLoadError, ModelNotFoundError

HUB_TIMEOUT_S = 5.0
"""Seconds the hub connectivity check (and each metadata request) may take."""

WEIGHT_FILES: tuple[str, ...] = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
"""Accepted PyTorch weight files, preferred first (safetensors never runs pickled code)."""

TOKENIZER_FILES: dict[str, tuple[tuple[str, ...], ...]] = {
    # Each inner tuple lists alternatives; every group must be satisfied.
    "marian": (("source.spm",), ("target.spm",), ("vocab.json",)),
    "bart": (("tokenizer.json", "vocab.json"), ("tokenizer.json", "merges.txt")),
}
"""Tokenizer files required per ``config.json`` ``model_type``."""

GENERIC_TOKENIZER_FILES: tuple[str, ...] = (
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.json",
    "spiece.model",
    "sentencepiece.bpe.model",
    "tokenizer.model",
    "source.spm",
)
"""For other model types: at least one of these must exist."""

IGNORE_PATTERNS: tuple[str, ...] = (
    "*.h5",
    "*.msgpack",
    "*.ot",
    "*.onnx",
    "*.tflite",
    "onnx/*",
    "tf_model*",
    "flax_model*",
    "rust_model*",
    "*.md",
    ".gitattributes",
)
"""Hub files never downloaded: TensorFlow, Flax, Rust and ONNX weights, docs."""

_HEX40 = re.compile(r"[0-9a-f]{40}")


def _option_for(what: str) -> str:
    return "--summarizer" if "summar" in what else "--model"


_HUB_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)?")


def is_path_like(model: str) -> bool:
    """Whether ``model`` is meant as a filesystem path rather than a hub id.

    Path-like: absolute, starting with ``.`` or ``~``, ending with a
    separator, or not of the hub id form ``name`` / ``owner/name`` (letters,
    digits, ``_ . -``; a hub id has at most one ``/``, so ``models/opus`` is
    taken as a hub id when no such directory exists).
    """
    if model.startswith((".", "~")) or Path(model).is_absolute() or model.endswith(("/", os.sep)):
        return True
    if os.altsep and os.altsep != "/" and os.altsep in model:
        return True
    if os.sep != "/" and os.sep in model:
        return True
    return _HUB_ID.fullmatch(model) is None


def hub_offline() -> bool:
    """Whether ``HF_HUB_OFFLINE`` or ``TRANSFORMERS_OFFLINE`` is set to a true value (read now, not at import)."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(var, "").strip().upper() in ("1", "ON", "YES", "TRUE"):
            return True
    return False


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache directory, from the environment as it is now.

    Order: ``$HF_HUB_CACHE``; ``$HF_HOME/hub``; ``$XDG_CACHE_HOME/huggingface/hub``;
    ``~/.cache/huggingface/hub`` (huggingface_hub's own rules, re-read at call
    time because huggingface_hub reads them once at import).
    """
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(xdg).expanduser() / "huggingface" / "hub"


def _timeout() -> float:
    try:
        return float(os.environ.get("DEWIRE_HUB_TIMEOUT", HUB_TIMEOUT_S))
    except ValueError:
        return HUB_TIMEOUT_S


def hub_reachable(timeout: float | None = None) -> bool:
    """Whether a TCP connection to the hub endpoint opens within ``timeout`` seconds.

    The check (name lookup included) runs in a daemon thread, so a hanging
    DNS lookup cannot hold the caller longer than ``timeout``.
    """
    timeout = _timeout() if timeout is None else timeout
    url = urlparse(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    host = url.hostname or "huggingface.co"
    port = url.port or (80 if url.scheme == "http" else 443)
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=probe, daemon=True, name="dewire-hub-probe")
    thread.start()
    thread.join(timeout)
    return bool(result and result[0])


def _read_model_type(model_dir: Path, what: str) -> str:
    config = model_dir / "config.json"
    if not config.is_file():
        raise ModelLoadError(f"{what} directory '{model_dir}' is missing config.json (expected a directory written by save_pretrained)")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelLoadError(f"{what} directory '{model_dir}': config.json is not valid JSON ({err.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise ModelLoadError(f"{what} directory '{model_dir}': config.json is not a JSON object")
    return str(data.get("model_type", ""))


def check_model_dir(model_dir: Path, what: str = "translation model") -> None:
    """Check that ``model_dir`` looks like a complete ``save_pretrained`` directory.

    Args:
        model_dir: the directory.
        what: what the model is for, used in the error message.

    Raises:
        ModelLoadError: naming the first missing file (``config.json``, the
            weights, or a tokenizer file of the model type, see
            :data:`TOKENIZER_FILES`), an unreadable ``config.json``, or a file
            this process may not read.
    """
    model_type = _read_model_type(model_dir, what)
    try:
        unreadable = [f.name for f in sorted(model_dir.iterdir()) if f.is_file() and not os.access(f, os.R_OK)]
    except OSError as err:
        raise ModelLoadError(f"{what} directory '{model_dir}' cannot be listed ({err.__class__.__name__})") from None
    if unreadable:
        raise ModelLoadError(f"{what} directory '{model_dir}': {unreadable[0]} is not readable (permission denied)")
    if not any((model_dir / name).is_file() for name in WEIGHT_FILES):
        raise ModelLoadError(
            f"{what} directory '{model_dir}' is missing model.safetensors (no weights: expected one of {', '.join(WEIGHT_FILES)})"
        )
    groups = TOKENIZER_FILES.get(model_type, (GENERIC_TOKENIZER_FILES,))
    for group in groups:
        if not any((model_dir / name).is_file() for name in group):
            missing = group[-1] if len(group) > 1 and model_type in TOKENIZER_FILES else group[0]
            raise ModelLoadError(f"{what} directory '{model_dir}' is missing {missing} (tokenizer file for model type '{model_type or 'unknown'}')")


def _not_available(model: str, what: str, config_name: str | None, reason: str = "is not available offline") -> ModelNotFoundError:
    name = config_name or model  # `models download` takes a models.yaml name or a hub id
    return ModelNotFoundError(
        f"{what} '{model}' {reason}: run 'dewire models download {name}' on a connected machine, "
        f"or pass {_option_for(what)} PATH (a directory written by save_pretrained)"
    )


def _cached_snapshot(model: str, revision: str) -> Path | None:
    try:
        from huggingface_hub import snapshot_download
    except ImportError:  # pragma: no cover - huggingface_hub comes with transformers
        return None
    try:
        path = snapshot_download(model, revision=revision, cache_dir=str(hf_cache_dir()), local_files_only=True)
    except Exception:  # LocalEntryNotFoundError, IncompleteSnapshotError, HFValidationError …
        return None
    p = Path(path)
    try:
        check_model_dir(p)
    except ModelLoadError:
        return None
    return p


def is_available_locally(model: str, revision: str = "main") -> bool:
    """Whether :func:`resolve_model_dir` would succeed without network.

    A local directory counts if it passes :func:`check_model_dir`; a hub id if
    a complete snapshot of ``revision`` is in the Hugging Face cache.
    """
    p = Path(model).expanduser()
    if p.is_dir():
        try:
            check_model_dir(p)
        except ModelLoadError:
            return False
        return True
    if is_path_like(model):
        return False
    return _cached_snapshot(model, revision) is not None


def local_model_dir(model: str, revision: str = "main") -> Path | None:
    """The directory :func:`resolve_model_dir` would use, if it is on this machine (no network); else ``None``."""
    p = Path(model).expanduser()
    if p.is_dir():
        return p
    if is_path_like(model):
        return None
    return _cached_snapshot(model, revision)


def download_model(model: str, revision: str = "main", *, what: str = "model", config_name: str | None = None) -> Path:
    """Download a hub model into the Hugging Face cache (with progress bars on stderr).

    Only PyTorch files are fetched (:data:`IGNORE_PATTERNS` skips TensorFlow,
    Flax, Rust and ONNX weights); when the repository has safetensors weights,
    ``*.bin`` weights are skipped too.

    Args:
        model: hub id, e.g. ``Helsinki-NLP/opus-mt-de-en``.
        revision: branch, tag or commit.
        what: what the model is for, used in error messages.
        config_name: the models.yaml name, used in error messages.

    Returns:
        The snapshot directory in the cache.

    Raises:
        ModelNotFoundError: offline, the hub unreachable, or no such model or revision.
    """
    if hub_offline() or not hub_reachable():
        why = "HF_HUB_OFFLINE is set" if hub_offline() else "the Hugging Face hub is unreachable from this machine"
        raise ModelNotFoundError(
            f"cannot download {what} '{model}': {why}; download it on a connected machine "
            f"(dewire models download, or copy its Hugging Face cache folder), "
            f"or pass {_option_for(what)} PATH (a directory written by save_pretrained)"
        )
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.utils import HfHubHTTPError, RepositoryNotFoundError, RevisionNotFoundError

    ignore = list(IGNORE_PATTERNS)
    try:
        files = HfApi().list_repo_files(model, revision=revision)
        if any(f.endswith(".safetensors") for f in files):
            ignore.append("*.bin")
        path = snapshot_download(
            model,
            revision=revision,
            cache_dir=str(hf_cache_dir()),
            ignore_patterns=ignore,
            etag_timeout=_timeout(),
        )
    except RevisionNotFoundError:
        raise ModelNotFoundError(f"{what} '{model}' has no revision '{revision}' on the Hugging Face hub") from None
    except RepositoryNotFoundError:
        raise ModelNotFoundError(f"{what} '{model}' does not exist on the Hugging Face hub (or needs a login)") from None
    except (HfHubHTTPError, OSError, ValueError) as err:
        raise _not_available(model, what, config_name, f"could not be downloaded ({err.__class__.__name__})") from None
    p = Path(path)
    check_model_dir(p, what)
    return p


def resolve_model_dir(
    model: str,
    revision: str = "main",
    *,
    what: str = "translation model",
    config_name: str | None = None,
) -> Path:
    """Return a local directory holding ``model`` (see the module docstring for the order).

    Args:
        model: a hub id (``Helsinki-NLP/opus-mt-de-en``) or a directory.
        revision: hub revision (ignored for directories).
        what: ``translation model`` or ``summarization model`` (for messages;
            a summarization model's message suggests ``--summarizer PATH``).
        config_name: the models.yaml name, for the ``dewire models download``
            hint (default: the last part of the hub id).

    Returns:
        The model directory.

    Raises:
        ModelNotFoundError: a path that does not exist, or a hub id that is
            not cached and cannot be downloaded (one line saying how to get it).
        ModelLoadError: the directory exists but lacks a needed file.
    """
    p = Path(model).expanduser()
    if p.exists():
        if not p.is_dir():
            raise ModelLoadError(f"{what} '{model}' is a file, not a directory written by save_pretrained")
        check_model_dir(p, what)
        return p
    if is_path_like(model):
        raise ModelNotFoundError(f"{what} directory '{model}' does not exist")
    cached = _cached_snapshot(model, revision)
    if cached is not None:
        return cached
    if hub_offline():
        raise _not_available(model, what, config_name)
    if not hub_reachable():
        raise _not_available(model, what, config_name, "is not available offline and the Hugging Face hub is unreachable")
    return download_model(model, revision, what=what, config_name=config_name)


def model_revision(model_dir: Path) -> str:
    """A revision string for the files in ``model_dir``, for signatures and the cache key.

    A Hugging Face cache snapshot (``…/snapshots/<40-hex commit>``) gives its
    commit hash. Any other directory gives ``local-`` + 12 hex digits of a
    SHA-256 over ``config.json``, ``generation_config.json``, the tokenizer
    files (all < 10 MB), and the size plus first and last MiB of each weight
    file — cheap for a 300 MB model, and it changes when the weights change.

    Raises:
        ModelLoadError: a file of the directory cannot be read (exit code 5).
    """
    model_dir = Path(model_dir)
    if model_dir.parent.name == "snapshots" and _HEX40.fullmatch(model_dir.name):
        return model_dir.name
    try:
        return _content_revision(model_dir)
    except OSError as err:
        why = "permission denied" if isinstance(err, PermissionError) else err.__class__.__name__
        name = Path(err.filename).name if getattr(err, "filename", None) else str(model_dir)
        raise ModelLoadError(f"model directory '{model_dir}': cannot read {name} ({why})") from None


def _content_revision(model_dir: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(model_dir.iterdir()):
        if not path.is_file():
            continue
        size = path.stat().st_size
        h.update(f"{path.name}\0{size}\0".encode())
        with path.open("rb") as fh:
            if path.name in WEIGHT_FILES or size >= 10 * 2**20:
                h.update(fh.read(2**20))
                if size > 2**21:
                    fh.seek(-(2**20), os.SEEK_END)
                    h.update(fh.read(2**20))
            else:
                h.update(fh.read())
    return "local-" + h.hexdigest()[:12]
