"""models.yaml → validated configuration objects.

The file is read with a ``yaml.SafeLoader`` that refuses duplicate keys and
validated by pydantic models that forbid unknown keys, so a typo is an error
naming the key, never ignored. Translators are a discriminated union keyed on
``backend`` (one settings class per entry of the backend registry,
:data:`translate.mt.backends.BACKENDS`, plus ``auto``), summarizers one keyed
on ``kind``: an option a backend or kind does not take (``compute_type: int8``
for transformers, ``model`` for the extractive summarizer) is an error at
load, never an import path from YAML.

Example (the shipped ``models.yaml``)::

    defaults: {translator: opus-mt-de-en, summarizer: extractive}
    translators:
      opus-mt-de-en:
        model: Helsinki-NLP/opus-mt-de-en
        backend: auto
        max_input_tokens: 512
    summarizers:
      extractive: {kind: extractive}
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from translate.errors import ConfigError
from translate.mt.backends import AUTO, BACKEND_CHOICES, BACKENDS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


MAX_THREADS = 256
"""The most CPU threads a translator may be given: beyond this OpenMP fails to
create threads or the process crashes (measured: 20,000 threads made libgomp
fail, 100,000 segfaulted); no CPU dewire targets has more cores."""

Device = Literal["auto", "cpu", "cuda", "mps"]


def _no_bool(value: Any) -> Any:
    """Refuse YAML booleans where a number is expected (``beams: true`` would be 1)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, not {str(value).lower()}")
    return value


class TranslatorConfig(_Strict):
    """Settings of one translation model (common to every backend).

    models.yaml entries are validated as the backend's own subclass
    (:func:`translator_settings`); this base class stays constructible for
    library callers and accepts any registered backend.

    Attributes:
        model: Hugging Face hub id (``Helsinki-NLP/opus-mt-de-en``) or a local
            directory written by ``save_pretrained``.
        revision: hub revision (branch, tag or commit) to load.
        backend: ``auto`` (default: CTranslate2 when installed, else
            transformers; see :mod:`translate.mt.backends`), ``transformers``
            or ``ctranslate2``.
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
            below this is flagged ``low-confidence`` (a finite number).
        compute_type: numeric format; ``auto`` = the backend's choice for the
            device (CTranslate2: int8 on CPU, float16 on CUDA; transformers:
            float32 on CPU, float16 on CUDA). Allowed values per backend:
            :attr:`translate.mt.backends.BackendSpec.compute_types`.
    """

    model: str
    revision: str = "main"
    backend: str = AUTO
    max_input_tokens: int = Field(512, gt=8)
    split_tokens: int = Field(200, gt=4)
    beams: int = Field(4, ge=1, le=16)
    batch_tokens: int = Field(1024, gt=0)
    max_batch_sentences: int = Field(16, gt=0)
    device: Device = "auto"
    threads: int | None = Field(None, gt=0, le=MAX_THREADS)
    low_confidence: float = Field(-1.5, allow_inf_nan=False)
    compute_type: str = AUTO

    _no_bools = field_validator(
        "max_input_tokens", "split_tokens", "beams", "batch_tokens", "max_batch_sentences", "threads", "low_confidence", mode="before"
    )(_no_bool)

    @model_validator(mode="after")
    def _check(self) -> "TranslatorConfig":
        if self.split_tokens >= self.max_input_tokens:
            raise ValueError(
                f"split_tokens ({self.split_tokens}) must be below max_input_tokens ({self.max_input_tokens})"
            )
        if self.backend not in BACKEND_CHOICES:
            raise ValueError(f"unknown backend {self.backend!r} (known: {', '.join(BACKEND_CHOICES)})")
        allowed = (AUTO,) if self.backend == AUTO else (AUTO, *BACKENDS[self.backend].compute_types)
        if self.compute_type not in allowed:
            raise ValueError(
                f"compute_type {self.compute_type!r} is not one backend {self.backend!r} takes (use one of: {', '.join(allowed)})"
            )
        return self


def _backend_class(name: str) -> type[TranslatorConfig]:
    """The settings class of one backend: ``backend`` and ``compute_type`` narrowed to its values."""
    compute = (AUTO,) if name == AUTO else (AUTO, *BACKENDS[name].compute_types)
    title = "Auto" if name == AUTO else name.capitalize()
    cls: type[TranslatorConfig] = create_model(  # type: ignore[call-overload]
        f"{title}TranslatorConfig",
        __base__=TranslatorConfig,
        __doc__=f"Translator settings for backend {name!r}.",
        backend=(Literal[name], AUTO if name == AUTO else ...),  # type: ignore[valid-type]
        compute_type=(Literal[compute], AUTO),  # type: ignore[valid-type]
    )
    return cls


TRANSLATOR_CLASSES: dict[str, type[TranslatorConfig]] = {name: _backend_class(name) for name in BACKEND_CHOICES}
"""``backend`` value → its settings class, derived from the backend registry."""

for _cls in TRANSLATOR_CLASSES.values():  # module attributes, so pickle (batch --jobs, Ray workers) finds the classes
    _cls.__module__ = __name__
    globals()[_cls.__name__] = _cls
del _cls


def _tag(field: str, default: str | None) -> Any:
    def tag(value: Any) -> Any:
        if isinstance(value, dict):
            return value.get(field, default)
        return getattr(value, field, default)

    return tag


TranslatorSettings = Annotated[
    Union[tuple(Annotated[cls, Tag(name)] for name, cls in TRANSLATOR_CLASSES.items())],  # type: ignore[misc]
    Discriminator(_tag("backend", AUTO)),
]
"""models.yaml translator entry: a discriminated union keyed on ``backend`` (missing = ``auto``)."""


MAX_BRIEF_SENTENCES = 20
"""The most bullets a brief may have (models.yaml ``sentences``, ``--brief-sentences``)."""

MIN_BRIEF_WORDS = 5
"""The smallest word budget (``words``, ``--brief-words``): below it no news sentence fits."""


class SummarizerConfig(_Strict):
    """Settings of one summarizer (every field; models.yaml entries are validated per ``kind``).

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
            articles are summarized by chunks of whole paragraphs (abstractive only).
        beams: beam size (abstractive only).
        device: as for translators (abstractive only).
        lead_bias: weight of the news lead bias in extractive ranking (0–1; extractive only).
    """

    kind: Literal["extractive", "abstractive"]
    model: str | None = None
    revision: str = "main"
    sentences: int = Field(4, ge=1, le=MAX_BRIEF_SENTENCES)
    words: int | None = Field(None, ge=MIN_BRIEF_WORDS, le=1000)
    max_input_tokens: int = Field(1024, gt=16)
    beams: int = Field(4, ge=1, le=16)
    device: Device = "auto"
    lead_bias: float = Field(0.3, ge=0.0, le=1.0)

    _no_bools = field_validator("sentences", "words", "max_input_tokens", "beams", "lead_bias", mode="before")(_no_bool)

    @model_validator(mode="after")
    def _model_for_abstractive(self) -> "SummarizerConfig":
        if self.kind == "abstractive" and not self.model:
            raise ValueError("an abstractive summarizer needs 'model' (a hub id or a local directory)")
        return self


_ABSTRACTIVE_ONLY = ("model", "revision", "max_input_tokens", "beams", "device")


class ExtractiveSummarizerConfig(SummarizerConfig):
    """``kind: extractive``: no model; the abstractive-only keys are refused."""

    kind: Literal["extractive"]

    @model_validator(mode="after")
    def _only_extractive_keys(self) -> "ExtractiveSummarizerConfig":
        given = [k for k in _ABSTRACTIVE_ONLY if k in self.model_fields_set]
        if given:
            raise ValueError(f"'{given[0]}' is for abstractive summarizers; kind 'extractive' has no model")
        return self


class AbstractiveSummarizerConfig(SummarizerConfig):
    """``kind: abstractive``: a seq2seq model; ``lead_bias`` is refused."""

    kind: Literal["abstractive"]

    @model_validator(mode="after")
    def _only_abstractive_keys(self) -> "AbstractiveSummarizerConfig":
        if "lead_bias" in self.model_fields_set:
            raise ValueError("'lead_bias' is for the extractive summarizer")
        return self


SummarizerSettings = Annotated[
    Union[
        Annotated[ExtractiveSummarizerConfig, Tag("extractive")],
        Annotated[AbstractiveSummarizerConfig, Tag("abstractive")],
    ],
    Discriminator(_tag("kind", None)),
]
"""models.yaml summarizer entry: a discriminated union keyed on ``kind``."""

_TRANSLATOR_ADAPTER: TypeAdapter[Any] = TypeAdapter(TranslatorSettings)
_SUMMARIZER_ADAPTER: TypeAdapter[Any] = TypeAdapter(SummarizerSettings)
_TAGS = frozenset({*BACKEND_CHOICES, "extractive", "abstractive"})


def translator_settings(data: dict[str, Any]) -> TranslatorConfig:
    """Validate one translator entry as its backend's settings class.

    Raises:
        pydantic.ValidationError: as for models.yaml.
    """
    return _TRANSLATOR_ADAPTER.validate_python(data)  # type: ignore[no-any-return]


def summarizer_settings(data: dict[str, Any]) -> SummarizerConfig:
    """Validate one summarizer entry as its kind's settings class."""
    return _SUMMARIZER_ADAPTER.validate_python(data)  # type: ignore[no-any-return]


class Defaults(_Strict):
    """Which translator and summarizer are used when none is named, and the newsroom glossary.

    Attributes:
        translator: a key of ``translators``.
        summarizer: a key of ``summarizers``.
        glossary: a glossary TSV for the ``term-mismatch`` check
            (:mod:`translate.checks.terms`); a relative path is taken from the
            folder of the models.yaml that names it. ``--glossary`` overrides it.
    """

    translator: str
    summarizer: str = "extractive"
    glossary: str | None = None


class Config(_Strict):
    """The whole models.yaml.

    Attributes:
        defaults: default translator and summarizer names.
        translators: name → :class:`TranslatorConfig`.
        summarizers: name → :class:`SummarizerConfig`.
        source: the file the config was read from (``None`` for built-in).
    """

    defaults: Defaults
    translators: dict[str, TranslatorSettings]
    summarizers: dict[str, SummarizerSettings] = Field(
        default_factory=lambda: {"extractive": ExtractiveSummarizerConfig(kind="extractive")}
    )
    source: str | None = None

    def glossary_path(self) -> str | None:
        """``defaults.glossary`` resolved against the folder of the file it came from (``None`` when unset)."""
        name = self.defaults.glossary
        if not name:
            return None
        path = Path(name).expanduser()
        if not path.is_absolute() and self.source:
            path = Path(self.source).parent / path
        return str(path)

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
            return name_or_path, AbstractiveSummarizerConfig(kind="abstractive", model=name_or_path)
        return name_or_path, base.model_copy(update={"model": name_or_path, "revision": "main"})


def _loc(parts: tuple[Any, ...], *, tagged_at: int = 2) -> str:
    """Dotted location with the discriminated union's tag (at ``tagged_at``, under ``translators``/``summarizers``) left out."""
    out = [str(p) for p in parts]
    if tagged_at == 0 and out and out[0] in _TAGS:
        out = out[1:]
    elif tagged_at == 2 and len(out) > 2 and out[0] in ("translators", "summarizers") and out[2] in _TAGS:
        del out[2]
    return ".".join(out)


def _error_text(first: Any) -> tuple[str, str]:
    """``(location, message)`` of a pydantic error, in dewire's words."""
    loc = _loc(tuple(first["loc"]))
    kind = first["type"]
    msg = first["msg"]
    if kind == "union_tag_invalid":
        tag = first.get("ctx", {}).get("tag", "?")
        field = "backend" if "backend" in str(first.get("ctx", {}).get("discriminator", "")) or first["loc"][:1] == ("translators",) else "kind"
        known = ", ".join(BACKEND_CHOICES) if field == "backend" else "extractive, abstractive"
        return (f"{loc}.{field}" if loc else field), f"unknown {field} {tag!r} (known: {known})"
    if kind == "union_tag_not_found":
        return (f"{loc}.kind" if loc else "kind"), "missing key (extractive or abstractive)"
    msg = msg.removeprefix("Value error, ")
    got = first.get("input")
    if kind not in ("value_error",) and not isinstance(got, (dict, list)) and kind not in ("extra_forbidden", "missing"):
        msg = f"{msg} (got {got!r})"
    return loc, msg


def _format_validation_error(err: ValidationError, source: str) -> str:
    first = err.errors()[0]
    loc, msg = _error_text(first)
    loc = loc or "(top level)"
    kind = first["type"]
    if kind == "extra_forbidden":
        return f"{source}: unknown key '{loc}'"
    if kind == "missing":
        return f"{source}: missing key '{loc}'"
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
    data = {**base.model_dump(exclude_unset=False), **updates}
    if "backend" in updates and updates["backend"] != getattr(base, "backend", None) and "compute_type" not in updates:
        data["compute_type"] = AUTO  # compute types are per backend: the new one picks its own
    try:
        if issubclass(cls, TranslatorConfig):
            return translator_settings(data)  # type: ignore[return-value]
        if issubclass(cls, SummarizerConfig):
            fields = base.model_fields_set | set(updates)
            return summarizer_settings({k: v for k, v in data.items() if k in fields or k == "kind"})  # type: ignore[return-value]
        return cls.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = _loc(tuple(first["loc"]), tagged_at=0)
        msg = first["msg"].removeprefix("Value error, ")
        got = first.get("input")
        if first["type"] == "union_tag_invalid":
            loc, msg = _error_text(first)
            got = first.get("ctx", {}).get("tag")
        option = (options or {}).get(loc.rsplit(".", 1)[-1], f"'{loc}'")
        raise ConfigError(f"{option}: {msg} (got {got!r}; {what})") from None


EXTENSION_PREFIX = "x-"
"""Top-level models.yaml keys with this prefix are ignored: a place for anchors shared by merge keys."""


def parse_config(data: Any, source: str = "models.yaml") -> Config:
    """Validate an already-parsed YAML mapping.

    Raises:
        ConfigError: one line naming the offending key and what is expected.
    """
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level, got {type(data).__name__}")
    # Top-level keys starting with ``x-`` hold YAML anchors for merge keys (``<<: *base``),
    # as in Compose files' extension fields; they are not settings.
    data = {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith(EXTENSION_PREFIX))}
    try:
        return Config.model_validate({**data, "source": source})
    except ValidationError as err:
        raise ConfigError(_format_validation_error(err, source)) from None
    except RecursionError:
        raise ConfigError(f"{source}: nested too deeply (models.yaml needs a few levels)") from None


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
    except RecursionError:
        raise ConfigError(f"{p}: nested too deeply (models.yaml needs a few levels)") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{p}: not valid YAML{where}") from None
    return parse_config(data, str(p))


class _DuplicateKey(Exception):
    """A mapping in models.yaml names the same key twice, or a key that cannot be one (a list or a map)."""


def _unique_keys_loader() -> type:
    """``yaml.SafeLoader`` that refuses duplicate and unhashable keys in a mapping.

    YAML 1.2 requires keys to be unique, but PyYAML keeps the last value
    silently: two ``opus-mt-de-en:`` entries would make the first one vanish.
    Merge keys (``<<: *base``, YAML 1.1's merge type) are accepted: a key
    given beside the merge overrides the merged one, as the merge type
    specifies; only keys written twice in the same mapping are refused.
    Built on ``SafeLoader``, so no Python object can be constructed.
    """
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            if isinstance(node, yaml.MappingNode):
                seen: dict[Any, int] = {}
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    line = key_node.start_mark.line + 1
                    if isinstance(key_node, (yaml.SequenceNode, yaml.MappingNode)):
                        kind = "list" if isinstance(key_node, yaml.SequenceNode) else "map"
                        raise _DuplicateKey(f"a {kind} cannot be a key (line {line})")
                    key = self.construct_object(key_node, deep=deep)
                    try:
                        hash(key)
                    except TypeError:
                        raise _DuplicateKey(f"a key must be a plain value (line {line})") from None
                    if key in seen:
                        raise _DuplicateKey(f"key '{key}' appears twice (lines {seen[key]} and {line})")
                    seen[key] = line
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader
