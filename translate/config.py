"""models.yaml → validated configuration objects.

The file is read with ``yaml.safe_load`` and validated by pydantic models that
forbid unknown keys, so a typo is an error naming the key, never ignored.
Backends and summarizer kinds are chosen from name registries in code
(:data:`TRANSLATOR_BACKENDS`, :data:`SUMMARIZER_KINDS`), never from an import
path in YAML.

Example (the shipped ``models.yaml``)::

    defaults: {translator: opus-mt-de-en, summarizer: extractive}
    translators:
      opus-mt-de-en:
        model: Helsinki-NLP/opus-mt-de-en
        max_input_tokens: 512
    summarizers:
      extractive: {kind: extractive}
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from translate.errors import ConfigError

TRANSLATOR_BACKENDS: tuple[str, ...] = ("transformers", "ctranslate2")
"""Translation backends known to dewire (see :mod:`translate.mt`)."""

SUMMARIZER_KINDS: tuple[str, ...] = ("extractive", "abstractive")
"""Summarizer kinds known to dewire (see :mod:`translate.summarize`)."""

DEVICES: tuple[str, ...] = ("auto", "cpu", "cuda", "mps")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


MAX_THREADS = 256
"""The most CPU threads a translator may be given: beyond this OpenMP fails to
create threads or the process crashes (measured: 20,000 threads made libgomp
fail, 100,000 segfaulted); no CPU dewire targets has more cores."""


class TranslatorConfig(_Strict):
    """Settings of one translation model.

    Attributes:
        model: Hugging Face hub id (``Helsinki-NLP/opus-mt-de-en``) or a local
            directory written by ``save_pretrained``.
        revision: hub revision (branch, tag or commit) to load.
        backend: ``transformers`` (default) or ``ctranslate2``.
        max_input_tokens: the model's input limit in source tokens (512 for
            opus-mt, from its ``max_position_embeddings``).
        split_tokens: sentences longer than this many tokens are split at
            clause boundaries before translation (quality of opus-mt drops
            well before 512 tokens; 200 is a conservative cut).
        beams: beam size for decoding (opus-mt's model card uses 4… 6; 4 is
            the common default).
        batch_tokens: token budget per batch (source tokens incl. padding).
        max_batch_sentences: upper bound on sentences per batch.
        device: ``auto`` (CUDA, then MPS, then CPU), ``cpu``, ``cuda``, ``mps``.
        threads: CPU threads for inference; ``None`` = number of cores.
        low_confidence: a hypothesis whose mean log-probability per token is
            below this is flagged ``low-confidence``.
        compute_type: CTranslate2 compute type; ``auto`` = int8 on CPU,
            float16 on GPU.
    """

    model: str
    revision: str = "main"
    backend: Literal["transformers", "ctranslate2"] = "transformers"
    max_input_tokens: int = Field(512, gt=8)
    split_tokens: int = Field(200, gt=4)
    beams: int = Field(4, ge=1, le=16)
    batch_tokens: int = Field(1024, gt=0)
    max_batch_sentences: int = Field(16, gt=0)
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    threads: int | None = Field(None, gt=0, le=MAX_THREADS)
    low_confidence: float = -1.5
    compute_type: str = "auto"

    @model_validator(mode="after")
    def _split_below_limit(self) -> "TranslatorConfig":
        if self.split_tokens >= self.max_input_tokens:
            raise ValueError(
                f"split_tokens ({self.split_tokens}) must be below max_input_tokens ({self.max_input_tokens})"
            )
        return self


MAX_BRIEF_SENTENCES = 20
"""The most bullets a brief may have (models.yaml ``sentences``, ``--brief-sentences``)."""

MIN_BRIEF_WORDS = 5
"""The smallest word budget (``words``, ``--brief-words``): below it no news sentence fits."""


class SummarizerConfig(_Strict):
    """Settings of one summarizer.

    Attributes:
        kind: ``extractive`` (built in, no weights) or ``abstractive``
            (a BART-style seq2seq model).
        model: hub id or local directory (abstractive only).
        revision: hub revision (abstractive only).
        sentences: number of brief bullets (3–5 recommended); with ``words``
            set, the most bullets.
        words: optional word budget of the brief's bullets (title excluded):
            bullets are taken best-first while their total word count stays
            within it (``--brief-words``); ``None`` means no budget.
        max_input_tokens: the model's input limit (1024 for BART); longer
            articles are summarized by chunks of whole paragraphs.
        beams: beam size (abstractive only).
        device: as for translators.
        lead_bias: weight of the news lead bias in extractive ranking (0–1).
    """

    kind: Literal["extractive", "abstractive"]
    model: str | None = None
    revision: str = "main"
    sentences: int = Field(4, ge=1, le=MAX_BRIEF_SENTENCES)
    words: int | None = Field(None, ge=MIN_BRIEF_WORDS, le=1000)
    max_input_tokens: int = Field(1024, gt=16)
    beams: int = Field(4, ge=1, le=16)
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    lead_bias: float = Field(0.3, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _model_for_abstractive(self) -> "SummarizerConfig":
        if self.kind == "abstractive" and not self.model:
            raise ValueError("an abstractive summarizer needs 'model' (a hub id or a local directory)")
        return self


class Defaults(_Strict):
    """Which translator and summarizer are used when none is named."""

    translator: str
    summarizer: str = "extractive"


class Config(_Strict):
    """The whole models.yaml.

    Attributes:
        defaults: default translator and summarizer names.
        translators: name → :class:`TranslatorConfig`.
        summarizers: name → :class:`SummarizerConfig`.
        source: the file the config was read from (``None`` for built-in).
    """

    defaults: Defaults
    translators: dict[str, TranslatorConfig]
    summarizers: dict[str, SummarizerConfig] = Field(default_factory=lambda: {"extractive": SummarizerConfig(kind="extractive")})
    source: str | None = None

    @model_validator(mode="after")
    def _defaults_exist(self) -> "Config":
        if self.defaults.translator not in self.translators:
            raise ValueError(f"defaults.translator names {self.defaults.translator!r}, which is not under 'translators'")
        if self.defaults.summarizer not in self.summarizers:
            raise ValueError(f"defaults.summarizer names {self.defaults.summarizer!r}, which is not under 'summarizers'")
        return self

    def translator(self, name_or_path: str | None = None) -> tuple[str, TranslatorConfig]:
        """Resolve a translator by models.yaml name, hub id or local path.

        Args:
            name_or_path: a key of ``translators``; otherwise a hub id or a
                directory, which gets the default translator's settings with
                ``model`` replaced. ``None`` selects the default.

        Returns:
            ``(name, config)``.
        """
        if name_or_path is None:
            name_or_path = self.defaults.translator
        if name_or_path in self.translators:
            return name_or_path, self.translators[name_or_path]
        base = self.translators[self.defaults.translator]
        return name_or_path, base.model_copy(update={"model": name_or_path, "revision": "main"})

    def summarizer(self, name_or_path: str | None = None) -> tuple[str, SummarizerConfig]:
        """Resolve a summarizer by models.yaml name, hub id or local path.

        A name that is not in ``summarizers`` is taken as an abstractive model
        (hub id or directory) with the settings of the first abstractive entry.
        """
        if name_or_path is None:
            name_or_path = self.defaults.summarizer
        if name_or_path in self.summarizers:
            return name_or_path, self.summarizers[name_or_path]
        base = next((s for s in self.summarizers.values() if s.kind == "abstractive"), None)
        if base is None:
            return name_or_path, SummarizerConfig(kind="abstractive", model=name_or_path)
        return name_or_path, base.model_copy(update={"model": name_or_path, "revision": "main"})


def _format_validation_error(err: ValidationError, source: str) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    kind = first["type"]
    if kind == "extra_forbidden":
        return f"{source}: unknown key '{loc}'"
    if kind == "missing":
        return f"{source}: missing key '{loc}'"
    msg = first["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    got = first.get("input")
    if kind != "value_error" and not isinstance(got, (dict, list)):
        return f"{source}: '{loc}': {msg} (got {got!r})"
    return f"{source}: '{loc}': {msg}" if loc != "(top level)" else f"{source}: {msg}"


_M = TypeVar("_M", bound=BaseModel)


def override_settings(
    cls: type[_M], base: _M, updates: dict[str, Any], what: str, options: dict[str, str] | None = None
) -> _M:
    """``base`` with ``updates`` (command-line options) applied and validated again.

    Args:
        cls: the settings class (:class:`TranslatorConfig`, :class:`SummarizerConfig`).
        base: the settings from models.yaml.
        updates: field → new value; empty returns ``base``.
        what: names the settings in errors, e.g. ``translator 'opus-mt-de-en'``.
        options: field → the command-line option that set it (named in errors).

    Raises:
        ConfigError: one line naming the option and the allowed range, e.g.
            ``--beams: Input should be less than or equal to 16 (got 99; translator 'opus-mt-de-en')``.
    """
    if not updates:
        return base
    try:
        return cls.model_validate({**base.model_dump(), **updates})
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        option = (options or {}).get(field, f"'{field}'")
        msg = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{option}: {msg} (got {first.get('input')!r}; {what})") from None


def parse_config(data: Any, source: str = "models.yaml") -> Config:
    """Validate an already-parsed YAML mapping.

    Raises:
        ConfigError: one line naming the offending key and what is expected.
    """
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level, got {type(data).__name__}")
    try:
        return Config.model_validate({**data, "source": source})
    except ValidationError as err:
        raise ConfigError(_format_validation_error(err, source)) from None


def default_config_path() -> Path:
    """Where models.yaml is looked up when ``--config`` is not given.

    Order: ``$DEWIRE_CONFIG``; ``./models.yaml``; the copy shipped inside the
    package (``translate/models.yaml``, identical to the repository's).
    """
    env = os.environ.get("DEWIRE_CONFIG")
    if env:
        return Path(env)
    cwd = Path("models.yaml")
    if cwd.is_file():
        return cwd
    return Path(__file__).with_name("models.yaml")


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate models.yaml.

    Args:
        path: the file; ``None`` uses :func:`default_config_path`.

    Returns:
        The validated :class:`Config`.

    Raises:
        ConfigError: the file is missing, not valid YAML, or fails validation
            (an unknown key, a wrong type, a missing model …).
    """
    import yaml

    p = Path(path) if path is not None else default_config_path()
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: config file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{p}: cannot read config file ({err.__class__.__name__}: {err})") from None
    try:
        data = yaml.load(raw, Loader=_unique_keys_loader())  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as err:
        raise ConfigError(f"{p}: {err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{p}: not valid YAML{where}") from None
    return parse_config(data, str(p))


class _DuplicateKey(Exception):
    """A mapping in models.yaml names the same key twice."""


def _unique_keys_loader() -> type:
    """``yaml.SafeLoader`` that refuses duplicate keys in a mapping.

    YAML 1.2 requires keys to be unique, but PyYAML keeps the last value
    silently: two ``opus-mt-de-en:`` entries would make the first one vanish.
    Built on ``SafeLoader``, so no Python object can be constructed.
    """
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise _DuplicateKey(
                        f"key '{key}' appears twice (lines {seen[key] + 1} and {key_node.start_mark.line + 1})"
                    )
                seen[key] = key_node.start_mark.line
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader
