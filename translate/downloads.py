"""``dewire models download``: which model a name means, and whether anything needs fetching.

:func:`resolve_download` turns a name given on the command line (a
translator or summarizer name in models.yaml, or a Hugging Face hub id) into
a :class:`DownloadPlan`; the CLI prints the plan's message or calls
:func:`translate.mt.loading.download_model`. Nothing here needs the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translate.config import Config
from translate.errors import ConfigError, ModelNotFoundError

BUILT_IN = "built-in"
LOCAL = "local"
CACHED = "cached"
FETCH = "fetch"


@dataclass(frozen=True, slots=True)
class DownloadPlan:
    """What ``models download NAME`` will do.

    Attributes:
        name: the name as given.
        action: ``built-in`` (nothing to fetch), ``local`` (a local
            directory), ``cached`` (already in the Hugging Face cache) or ``fetch``.
        model: the hub id or directory (``None`` for a built-in summarizer).
        revision: the hub revision (branch, tag or commit).
        what: ``translation model``, ``summarization model`` or ``model`` (for messages).
    """

    name: str
    action: str
    model: str | None = None
    revision: str = "main"
    what: str = "model"

    @property
    def message(self) -> str:
        """One line for the user when there is nothing to fetch."""
        if self.action == BUILT_IN:
            return f"{self.name}: built in, nothing to download"
        if self.action == LOCAL:
            return f"{self.name}: {self.model} is a local directory, nothing to download"
        if self.action == CACHED:
            return f"{self.name}: {self.model} is already in the Hugging Face cache"
        return f"{self.name}: {self.model} will be downloaded"


def resolve_download(config: Config, name: str) -> DownloadPlan:
    """The plan for ``name``: a translator or summarizer in ``config``, or a hub id such as ``Helsinki-NLP/opus-mt-de-fr``.

    Raises:
        ConfigError: ``name`` is neither in ``config`` nor a hub id.
        ModelNotFoundError: it names a local directory that does not exist.
    """
    from translate.mt.loading import is_available_locally, is_path_like

    if name in config.translators:
        model, revision, what = config.translators[name].model, config.translators[name].revision, "translation model"
    elif name in config.summarizers and config.summarizers[name].model:
        model, revision, what = config.summarizers[name].model, config.summarizers[name].revision, "summarization model"
    elif name in config.summarizers:
        return DownloadPlan(name, BUILT_IN)
    elif "/" in name and not is_path_like(name):
        model, revision, what = name, "main", "model"
    else:
        known = ", ".join([*config.translators, *config.summarizers])
        raise ConfigError(f"no model named {name!r} in {config.source} (known: {known}; or give a Hugging Face id such as Helsinki-NLP/opus-mt-de-en)")
    assert model is not None
    if is_path_like(model) or Path(model).expanduser().is_dir():
        if not Path(model).expanduser().is_dir():
            raise ModelNotFoundError(f"{what} directory '{model}' ({name} in {config.source}) does not exist; nothing to download for a local path")
        return DownloadPlan(name, LOCAL, model, revision, what)
    if is_available_locally(model, revision):
        return DownloadPlan(name, CACHED, model, revision, what)
    return DownloadPlan(name, FETCH, model, revision, what)
