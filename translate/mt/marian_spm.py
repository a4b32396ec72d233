"""A Marian tokenizer on ``sentencepiece`` alone, for the CTranslate2 path.

``import transformers`` costs seconds (its hub and httpx imports; about 7 s of a
12.5 s model load on a loaded 2-CPU machine, see ``benchmarks/RESULTS.md``)
and the CTranslate2 backend needs transformers only to tokenize. This module
reads the files ``MarianTokenizer`` reads — ``source.spm``, ``target.spm``,
``vocab.json`` and ``tokenizer_config.json`` of a ``save_pretrained``
directory — and reproduces its token ids and decoded text exactly, the way
CTranslate2's own Marian example tokenizes with ``sentencepiece`` directly.

Every rule below is transformers' own (``models/marian/tokenization_marian.py``
and the slow-tokenizer base ``tokenization_python.py``, transformers 5.x;
4.x differs only where noted); ``tests/test_marian_spm.py`` compares both
token for token on corpus sentences.

* **Encoding** (``tokenizer(texts, add_special_tokens=True)["input_ids"]``):
  the text is split on the added tokens (the special tokens ``</s>``,
  ``<unk>``, ``<pad>``, any extra special tokens, and ``added_tokens_decoder``
  of ``tokenizer_config.json``), leftmost longest match first, which are kept
  whole; each other piece loses a leading language code such as ``>>fr<<``
  (kept as one token) and is encoded by ``source.spm`` into pieces. Pieces
  map to ids through the added tokens, then ``vocab.json``, else the
  ``<unk>`` id (the Marian vocabulary is not aligned with SentencePiece ids).
  ``</s>`` is appended. No punctuation normalization: ``MarianTokenizer``
  defines ``normalize`` (sacremoses) but never calls it.
* **Decoding** (``decode(ids, skip_special_tokens=True)``): ids → tokens
  (added tokens, then the inverse of ``vocab.json``, else the SentencePiece
  piece of that id, else ``<unk>``), special ids dropped; runs of ordinary
  pieces are joined by SentencePiece ``decode_pieces``, a special token left
  in is appended followed by a space, ``▁`` becomes a space, the result is
  stripped; ``clean_up_tokenization_spaces`` (default off) as in
  ``PreTrainedTokenizerBase.clean_up_tokenization``. Which SentencePiece model
  decodes: transformers 5 decodes with ``source.spm`` when the vocabulary is
  shared (``default_use_source = not self.separate_vocabs``), transformers 4
  with ``target.spm``; the installed version decides, read from its package
  metadata without importing it.

Anything outside this layout — separate vocabularies, SentencePiece sampling
options, added tokens that strip whitespace, ``added_tokens.json``, a
``tokenizer.json``, an unknown ``tokenizer_config.json`` key — raises
:class:`NotMarianLayout` with the reason, and the backend loads
``MarianTokenizer`` instead (:func:`translate.mt.hf.load_tokenizer`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

from translate.errors import ModelLoadError

SPIECE_UNDERLINE = "▁"
"""SentencePiece's word-boundary mark (U+2581)."""

NAMED_SPECIAL_TOKENS: tuple[str, ...] = (
    "bos_token",
    "eos_token",
    "unk_token",
    "sep_token",
    "pad_token",
    "cls_token",
    "mask_token",
)
"""``PreTrainedTokenizerBase.SPECIAL_TOKENS_ATTRIBUTES`` in transformers' order (``all_special_tokens`` keeps it)."""

MARIAN_DEFAULTS = {"unk_token": "<unk>", "eos_token": "</s>", "pad_token": "<pad>"}
"""``MarianTokenizer.__init__`` defaults."""

KNOWN_CONFIG_KEYS = frozenset(
    {
        *NAMED_SPECIAL_TOKENS,
        "added_tokens_decoder",
        "additional_special_tokens",
        "extra_special_tokens",
        "backend",
        "clean_up_tokenization_spaces",
        "model_input_names",
        "model_max_length",
        "name_or_path",
        "padding_side",
        "truncation_side",
        "separate_vocabs",
        "source_lang",
        "target_lang",
        "sp_model_kwargs",
        "special_tokens_map_file",
        "split_special_tokens",
        "target_vocab_file",
        "tokenizer_class",
        "tokenizer_file",
        "use_fast",
    }
)
"""``tokenizer_config.json`` keys whose meaning this module reproduces (or that do not change tokens)."""


class Encoding(dict):  # type: ignore[type-arg]
    """``{"input_ids": …}`` that also reads as ``encoding.input_ids``, like transformers' ``BatchEncoding``."""

    @property
    def input_ids(self) -> Any:
        return self["input_ids"]


class NotMarianLayout(Exception):
    """The directory is not the plain Marian tokenizer layout this module reproduces; ``str(err)`` says why."""


def _token_text(value: Any, key: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("content"), str):
        if any(value.get(flag) for flag in ("lstrip", "rstrip", "single_word")):
            raise NotMarianLayout(f"special token {key} strips whitespace or matches single words")
        return value["content"]
    raise NotMarianLayout(f"special token {key} is not a string")


def _transformers_decodes_with_source() -> bool:
    """Whether the installed transformers decodes a shared-vocabulary Marian model with ``source.spm`` (major ≥ 5)."""
    from importlib import metadata

    try:
        major = int(metadata.version("transformers").split(".")[0])
    except (metadata.PackageNotFoundError, ValueError):
        return True
    return major >= 5


class MarianSpmTokenizer:
    """``MarianTokenizer``'s encoding and decoding on ``sentencepiece`` alone (rules: module docstring).

    Offers the part of the tokenizer API dewire's CTranslate2 backend uses:
    ``__call__`` (``input_ids`` only), :meth:`tokenize`,
    :meth:`convert_tokens_to_ids`, :meth:`convert_ids_to_tokens`,
    :meth:`decode`, and the special-token attributes.

    Args:
        model_dir: a ``save_pretrained`` Marian directory.

    Raises:
        NotMarianLayout: files or settings outside the plain Marian layout.
        ModelLoadError: the files are the Marian layout but cannot be read
            (bad JSON, a broken ``.spm``, ``<unk>`` missing from the vocabulary).
    """

    def __init__(self, model_dir: Path | str) -> None:
        self.model_dir = Path(model_dir)
        config = self._config()
        for name in ("source.spm", "target.spm", "vocab.json"):
            if not (self.model_dir / name).is_file():
                raise NotMarianLayout(f"no {name}")
        self.encoder: dict[str, int] = self._vocab()
        self.decoder: dict[int, str] = {v: k for k, v in self.encoder.items()}
        self.model_max_length = int(config.get("model_max_length") or 512)
        self.clean_up_tokenization_spaces = bool(config.get("clean_up_tokenization_spaces", False))
        self.split_special_tokens = bool(config.get("split_special_tokens", False))

        named = {key: _token_text(config[key], key) for key in NAMED_SPECIAL_TOKENS if config.get(key) is not None}
        for key, default in MARIAN_DEFAULTS.items():
            named.setdefault(key, default)
        extra = config.get("extra_special_tokens") or config.get("additional_special_tokens") or []
        if isinstance(extra, dict):
            raise NotMarianLayout("named extra_special_tokens")
        self.all_special_tokens: list[str] = []
        for token in [named[k] for k in NAMED_SPECIAL_TOKENS if k in named] + [_token_text(t, "extra") for t in extra]:
            if token not in self.all_special_tokens:
                self.all_special_tokens.append(token)
        self.unk_token, self.eos_token, self.pad_token = named["unk_token"], named["eos_token"], named["pad_token"]
        if self.unk_token not in self.encoder:
            raise ModelLoadError(f"translation model '{self.model_dir}': tokenizer cannot be loaded (<unk> token not in vocab.json)")

        # Added tokens: tokenizer_config's added_tokens_decoder, then every special token
        # (PreTrainedTokenizer.__init__ adds them, taking the vocabulary's id where there is one).
        self.added_encoder: dict[str, int] = {}
        for index, spec in (config.get("added_tokens_decoder") or {}).items():
            self.added_encoder[_token_text(spec, f"added token {index}")] = int(index)
        for token in self.all_special_tokens:
            if token in self.added_encoder:
                continue
            if token not in self.encoder:
                raise NotMarianLayout(f"special token {token!r} is not in vocab.json")
            self.added_encoder[token] = self.encoder[token]
        self.added_decoder: dict[int, str] = {v: k for k, v in self.added_encoder.items()}
        alternatives = sorted(self.added_encoder, key=len, reverse=True)
        self._added_re = re.compile("(" + "|".join(re.escape(t) for t in alternatives) + ")") if alternatives else None

        self.unk_token_id = self.convert_tokens_to_ids(self.unk_token)
        self.eos_token_id = self.convert_tokens_to_ids(self.eos_token)
        self.pad_token_id = self.convert_tokens_to_ids(self.pad_token)
        self.all_special_ids: list[int] = [self.convert_tokens_to_ids(t) for t in self.all_special_tokens]
        self._special_set = frozenset(self.all_special_tokens)
        self._special_id_set = frozenset(self.all_special_ids)

        import sentencepiece

        self.spm_source = self._spm(sentencepiece, "source.spm")
        self.spm_target = self._spm(sentencepiece, "target.spm")
        self.spm_decode = self.spm_source if _transformers_decodes_with_source() else self.spm_target

    # -- loading ---------------------------------------------------------------
    def _fail(self, what: str, err: BaseException) -> ModelLoadError:
        return ModelLoadError(
            f"translation model '{self.model_dir}': tokenizer cannot be loaded ({what}: {err.__class__.__name__})"
        )

    def _config(self) -> dict[str, Any]:
        for name in ("added_tokens.json", "tokenizer.json"):
            if (self.model_dir / name).exists():
                raise NotMarianLayout(f"{name} present")
        config: dict[str, Any] = {}
        path = self.model_dir / "tokenizer_config.json"
        if path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise self._fail("tokenizer_config.json", err) from None
            if not isinstance(loaded, dict):
                raise NotMarianLayout("tokenizer_config.json is not an object")
            config = loaded
        unknown = sorted(set(config) - KNOWN_CONFIG_KEYS)
        if unknown:
            raise NotMarianLayout(f"tokenizer_config.json key(s) {', '.join(unknown)}")
        if config.get("tokenizer_class") not in (None, "MarianTokenizer"):
            raise NotMarianLayout(f"tokenizer_class {config['tokenizer_class']!r}")
        if config.get("separate_vocabs") or config.get("target_vocab_file"):
            raise NotMarianLayout("separate source and target vocabularies")
        if config.get("sp_model_kwargs"):
            raise NotMarianLayout("sp_model_kwargs (SentencePiece sampling options)")
        special_map = self.model_dir / "special_tokens_map.json"
        if special_map.is_file():
            try:
                mapped = json.loads(special_map.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise self._fail("special_tokens_map.json", err) from None
            for key, value in (mapped if isinstance(mapped, dict) else {}).items():
                if key not in NAMED_SPECIAL_TOKENS:
                    raise NotMarianLayout(f"special_tokens_map.json key {key}")
                token = _token_text(value, key)
                if _token_text(config.get(key, MARIAN_DEFAULTS.get(key, token)), key) != token:
                    raise NotMarianLayout(f"special_tokens_map.json and tokenizer_config.json disagree on {key}")
                config.setdefault(key, token)
        return config

    def _vocab(self) -> dict[str, int]:
        try:
            vocab = json.loads((self.model_dir / "vocab.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise self._fail("vocab.json", err) from None
        if not isinstance(vocab, dict) or not all(isinstance(v, int) for v in vocab.values()):
            raise NotMarianLayout("vocab.json is not a token → id object")
        return vocab

    def _spm(self, sentencepiece: Any, name: str) -> Any:
        processor = sentencepiece.SentencePieceProcessor()
        try:
            processor.Load(str(self.model_dir / name))
        except (OSError, RuntimeError) as err:
            raise self._fail(name, err) from None
        return processor

    # -- encoding --------------------------------------------------------------
    def __call__(self, texts: str | Sequence[str], add_special_tokens: bool = True) -> Encoding:
        """``{"input_ids": ids}``: a list of ids for one text, a list of lists for a list of texts (EOS appended)."""
        if isinstance(texts, str):
            return Encoding(input_ids=self.encode(texts, add_special_tokens=add_special_tokens))
        return Encoding(input_ids=[self.encode(t, add_special_tokens=add_special_tokens) for t in texts])

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        """Token ids of ``text``, with ``</s>`` appended when ``add_special_tokens``."""
        ids = self.convert_tokens_to_ids(self.tokenize(text))
        return ids + [self.eos_token_id] if add_special_tokens else ids

    def tokenize(self, text: str) -> list[str]:
        """Pieces of ``text``: added tokens whole, language codes whole, the rest by ``source.spm``."""
        if self.split_special_tokens or self._added_re is None:
            return self._pieces(text)
        out: list[str] = []
        for part in self._added_re.split(text):
            if not part:
                continue
            if part in self.added_encoder:
                out.append(part)
            else:
                out.extend(self._pieces(part))
        return out

    def _pieces(self, text: str) -> list[str]:
        """``MarianTokenizer._tokenize``: a leading ``>>xx<<`` kept whole, the rest by ``source.spm``."""
        code: list[str] = []
        if text.startswith(">>") and (end := text.find("<<")) != -1:
            code.append(text[: end + 2])
            text = text[end + 2 :]
        return code + list(self.spm_source.encode(text, out_type=str))

    def convert_tokens_to_ids(self, tokens: str | Iterable[str]) -> Any:
        """Id of a token or ids of tokens: added tokens, then ``vocab.json``, else the ``<unk>`` id."""
        if isinstance(tokens, str):
            return self._token_id(tokens)
        return [self._token_id(t) for t in tokens]

    def _token_id(self, token: str) -> int:
        added = self.added_encoder.get(token)
        if added is not None:
            return added
        found = self.encoder.get(token)
        return found if found is not None else self.encoder[self.unk_token]

    # -- decoding --------------------------------------------------------------
    def convert_ids_to_tokens(self, ids: int | Iterable[int], skip_special_tokens: bool = False) -> Any:
        """Token of an id or tokens of ids (special ids dropped when ``skip_special_tokens``)."""
        if isinstance(ids, int):
            return self._id_token(ids, self.spm_target)
        skip = self._special_id_set if skip_special_tokens else frozenset()
        return [self._id_token(int(i), self.spm_target) for i in ids if int(i) not in skip]

    def _id_token(self, index: int, spm: Any) -> str:
        added = self.added_decoder.get(index)
        if added is not None:
            return added
        token = self.decoder.get(index)
        if token is not None:
            return token
        piece = spm.IdToPiece(index) if 0 <= index < spm.get_piece_size() else ""
        return piece or self.unk_token

    def decode(self, ids: Iterable[int], skip_special_tokens: bool = False) -> str:
        """The text of ``ids`` (target side), as ``MarianTokenizer.decode`` gives it."""
        skip = self._special_id_set if skip_special_tokens else frozenset()
        tokens = [self._id_token(int(i), self.spm_decode) for i in ids if int(i) not in skip]
        text = self.convert_tokens_to_string(tokens)
        return clean_up_tokenization(text) if self.clean_up_tokenization_spaces else text

    def convert_tokens_to_string(self, tokens: Sequence[str]) -> str:
        """``MarianTokenizer.convert_tokens_to_string`` with the decoding SentencePiece model."""
        out = ""
        run: list[str] = []
        for token in tokens:
            if token in self._special_set:
                out += self.spm_decode.decode_pieces(run) + token + " "
                run = []
            else:
                run.append(token)
        out += self.spm_decode.decode_pieces(run)
        return out.replace(SPIECE_UNDERLINE, " ").strip()


def clean_up_tokenization(text: str) -> str:
    """``PreTrainedTokenizerBase.clean_up_tokenization``: spaces before punctuation and English clitics removed."""
    for before, after in (
        (" .", "."),
        (" ?", "?"),
        (" !", "!"),
        (" ,", ","),
        (" ' ", "'"),
        (" n't", "n't"),
        (" 'm", "'m"),
        (" 's", "'s"),
        (" 've", "'ve"),
        (" 're", "'re"),
    ):
        text = text.replace(before, after)
    return text
