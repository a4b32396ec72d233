"""The abstractive summarizer: a BART-style seq2seq model, map-reduce over long articles.

Opt-in (models.yaml lists ``sshleifer/distilbart-cnn-12-6``,
``sshleifer/distilbart-cnn-6-6`` and ``facebook/bart-large-cnn``). The model
is loaded with ``AutoTokenizer`` + ``AutoModelForSeq2SeqLM`` (transformers 5
has no summarization pipeline); torch and transformers are imported only
when a summarizer is built.

Three steps, as in transformers' pipelines (preprocess / forward / postprocess):

1. **Chunk, never cut.** The model's input limit is
   ``min(cfg.max_input_tokens, the model's own limit)`` (1,024 tokens for
   BART: ``max_position_embeddings`` in its config.json). An article that does
   not fit is split into chunks of whole paragraphs (a paragraph longer than
   the limit by its sentences, a sentence longer than the limit by words), each
   under the limit; nothing is ever truncated.
2. **Map-reduce.** Each chunk is summarized; the chunk summaries, joined, are
   summarized again — recursively until they fit in one call — so the end of
   a long article counts as much as its start. Each chunk summary gets at
   most half its chunk's length and an equal share of the next call's input
   budget, so every level at least halves the text and the recursion ends.
3. **Bullets at sentence ends.** The final summary is split into sentences; a
   trailing fragment cut at the length limit is dropped; each bullet gets its
   supporting sentences and the ``unsupported`` flag from
   :mod:`translate.summarize.support`.

Length bounds are scaled to each call's input (see :func:`length_bounds`):
``min ≤ max`` always, the summary never longer than its input, and the
generation always bounded (``max_length``), so even a model that never emits
EOS (a random-weight test model) stops.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from translate.config import SummarizerConfig
from translate.document import Brief, BriefBullet, Document, Sentence
from translate.errors import ConfigError, DewireError, ModelLoadError
from translate.summarize.extractive import NEAR_DUPLICATE, headline_title, overlap_coefficient
from translate.summarize.support import SupportIndex
from translate.summarize.words import content_terms, count_words

INPUT_KINDS: frozenset[str] = frozenset({"body", "list", "dateline"})
"""Paragraph kinds fed to the model. The headline is the brief's title;
headings, bylines, captions and separators are not article prose (CNN/DailyMail,
which BART-cnn was fine-tuned on, has body text only)."""

SUMMARY_MAX_NEW_TOKENS = 142
SUMMARY_MIN_NEW_TOKENS = 56
"""Upper length bounds of one summary, in generated tokens: ``max_length`` 142
and ``min_length`` 56 of ``facebook/bart-large-cnn``'s config.json
(``task_specific_params.summarization``; distilbart-cnn uses the same)."""

TOKENS_PER_BULLET = 36
"""Room per requested bullet in the final summary (a BART-cnn summary sentence
is 20–35 tokens); the final call may use ``max(142, 36 * n_bullets)`` tokens."""

TOKENS_PER_WORD = 1.4
"""Generated tokens allowed per word of a ``--brief-words`` budget. BART uses
GPT-2's byte-level BPE, which averages about 1.3 tokens per English word
(OpenAI's rule of thumb: a token is about 0.75 words); 1.4 leaves room for
names and numbers, and bullets over the budget are dropped after generation."""

MAX_OUTPUT_RATIO = 0.75
"""A summary is at most this share of its input's tokens (a 2-sentence article
never gets a "summary" as long as itself, padded with invented content)."""

MAP_MIN_NEW_TOKENS = 48
"""Least room a chunk summary gets when the reduce budget is shared by many
chunks (below this a summary says little; more chunks mean another level)."""

MAX_LEVELS = 12
"""Safety bound on map-reduce levels (each level at least halves the text, so
12 levels cover inputs of 4 million tokens)."""

_TERMINAL_RE = re.compile(r"[.!?…](?:[\"'”’»)\]]*)$")


@dataclass(frozen=True, slots=True)
class GenerationCall:
    """One ``generate`` call of the last :meth:`AbstractiveSummarizer.summarize`.

    Attributes:
        level: 0 for chunks of the article, 1 and up for chunk summaries.
        index: the chunk's index within its level.
        final: ``True`` for the last call, whose output is the brief.
        text: the model input (joined paragraphs or chunk summaries).
        paragraphs: the article paragraph indices the input covers (at every
            level: a chunk summary covers its chunk's paragraphs).
        input_tokens: input length in tokens, special tokens included.
        min_new_tokens: least tokens generated (EOS blocked before).
        max_new_tokens: most tokens generated.
        output_tokens: tokens actually generated (forced BOS/EOS included).
        cut: ``True`` when generation stopped at ``max_new_tokens``.
        summary: the decoded output.
    """

    level: int
    index: int
    final: bool
    text: str
    paragraphs: tuple[int, ...]
    input_tokens: int
    min_new_tokens: int
    max_new_tokens: int
    output_tokens: int
    cut: bool
    summary: str


@dataclass(frozen=True, slots=True)
class _Unit:
    """A piece of model input: a paragraph, part of one, or a chunk summary."""

    text: str
    paragraphs: tuple[int, ...]
    tokens: int


def length_bounds(
    input_tokens: int,
    *,
    final: bool,
    n_bullets: int = 4,
    n_chunks: int = 1,
    budget: int = 1024,
    max_words: int | None = None,
) -> tuple[int, int]:
    """Generated-token bounds ``(min_new, max_new)`` for one call, scaled to its input.

    Final call (its output is the brief)::

        max_new = min(max(142, 36 * n_bullets), floor(0.75 * input_tokens))
        max_new = min(max_new, ceil(1.4 * max_words))        # with a word budget
        min_new = min(56, max_new // 2)

    Map call (one chunk of ``n_chunks``, whose summaries must fit ``budget``)::

        max_new = min(142, input_tokens // 2, max(48, budget // n_chunks - 2))
        min_new = min(56, max_new // 2)

    Args:
        input_tokens: the call's input length in tokens.
        final: whether this is the final call.
        n_bullets: bullets wanted (final call).
        n_chunks: chunks at this level (map call).
        budget: the model's input limit in tokens (map call).
        max_words: the brief's word budget (final call; ``None`` = none).

    Returns:
        ``(min_new, max_new)`` with ``0 ≤ min_new ≤ max_new``, ``1 ≤ max_new``
        and ``max_new < input_tokens`` whenever ``input_tokens ≥ 2``.
    """
    if final:
        cap = max(SUMMARY_MAX_NEW_TOKENS, TOKENS_PER_BULLET * max(n_bullets, 1))
        max_new = min(cap, math.floor(MAX_OUTPUT_RATIO * input_tokens))
        if max_words is not None:
            max_new = min(max_new, math.ceil(TOKENS_PER_WORD * max_words))
    else:
        share = max(MAP_MIN_NEW_TOKENS, budget // max(n_chunks, 1) - 2)
        max_new = min(SUMMARY_MAX_NEW_TOKENS, input_tokens // 2, share)
    max_new = max(1, max_new)
    min_new = min(SUMMARY_MIN_NEW_TOKENS, max_new // 2)
    return min_new, max_new


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with sentence-final punctuation (optionally followed by quotes/brackets)."""
    return bool(_TERMINAL_RE.search(text.strip()))


ABBREVIATIONS: frozenset[str] = frozenset(
    "mr mrs ms dr prof st sen rep gov gen lt col capt sgt jr sr inc co corp ltd vs etc no nos "
    "jan feb mar apr jun jul aug sep sept oct nov dec approx est dept fig".split()
)
"""Lower-cased English abbreviations after which a period does not end a sentence
(titles, company suffixes, months as news style abbreviates them, ``No.``)."""

_BOUNDARY_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """English sentences of ``text`` (a model's summary: clean prose).

    A sentence ends at ``. ! ? …`` (plus closing quotes or brackets) followed
    by whitespace and an upper-case letter, a digit or an opening quote —
    except after an abbreviation of :data:`ABBREVIATIONS`, a single letter
    (an initial, ``J. K. Rowling``) or a dotted acronym (``U.S.``, ``U.N.``).
    The trailing text after the last boundary is the last sentence (which may
    be a fragment; see :func:`summary_sentences`).

    Returns:
        The sentences, stripped, in order; ``[]`` for blank text.
    """
    out: list[str] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        if m.group(0).startswith(".") and not m.group(0).startswith(".."):
            word = text[start : m.start()].split()[-1:] or [""]
            last = word[0].lstrip("\"'“‘«([")
            if last.lower() in ABBREVIATIONS or (len(last) == 1 and last.isalpha()) or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", last):
                continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def clean_output(text: str) -> str:
    """Remove control characters and U+FFFD from decoded model output; collapse spaces."""
    kept = "".join(c for c in text if c != "\ufffd" and (unicodedata.category(c) != "Cc" or c in "\n\t"))
    return " ".join(kept.split())


def summary_sentences(text: str, *, cut: bool) -> tuple[list[str], bool]:
    """Split a summary into sentences, ending at a sentence end.

    When generation was ``cut`` at its length limit and the last sentence has
    no final punctuation, that trailing fragment is dropped. If the fragment
    is the whole summary, it is kept, ended at its last whole word with
    ``…`` (and the caller warns).

    Returns:
        ``(sentences, fragment_kept)``.
    """
    sentences = [s for s in split_sentences(clean_output(text)) if any(c.isalnum() for c in s)]
    if not cut or not sentences or ends_sentence(sentences[-1]):
        return sentences, False
    if len(sentences) > 1:
        return sentences[:-1], False
    words = sentences[0].split()
    if len(words) > 1:
        words = words[:-1]  # the last word may itself be cut
    return [" ".join(words).rstrip(",;:-–—") + " …"], True


class AbstractiveSummarizer:
    """A BART-style summarizer (``AutoModelForSeq2SeqLM``) with map-reduce over long input.

    Args:
        cfg: the summarizer's settings (``model``, ``revision``, ``sentences``,
            ``max_input_tokens``, ``beams``, ``device``).
        model_dir: a local model directory (``save_pretrained`` layout), as
            returned by ``translate.mt.loading.resolve_model_dir``.
        device: ``auto``/``cpu``/``cuda``/``mps``; ``None`` uses ``cfg.device``.
        name: the name recorded in the brief; default ``cfg.model``.

    Attributes:
        name: the summarizer's name (the model id by default).
        max_input_tokens: the effective input limit, special tokens included:
            ``min(cfg.max_input_tokens, the model's limit)``.
        device: the torch device used.
        last_calls: every ``generate`` call of the last :meth:`summarize`.
        last_warnings: warnings of the last :meth:`summarize`.

    Raises:
        ModelLoadError: the directory cannot be loaded, or holds no
            encoder-decoder model.
    """

    def __init__(self, cfg: SummarizerConfig, model_dir: str | Path, device: str | None = None, *, name: str | None = None) -> None:
        import torch  # noqa: F401  (fail early, before transformers)
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        from translate.mt.hf import first_line, quiet_loading, resolve_device

        self.cfg = cfg
        self.model_dir = Path(model_dir)
        self.name = name or cfg.model or str(model_dir)
        # Never run code shipped with a model (trust_remote_code); prefer safetensors
        # weights, which cannot execute code on load (pickled .bin weights can).
        kwargs: dict[str, Any] = {"trust_remote_code": False}
        if (self.model_dir / "model.safetensors").is_file() or (self.model_dir / "model.safetensors.index.json").is_file():
            kwargs["use_safetensors"] = True
        # transformers logs and draws a "Loading weights" progress bar on stderr
        # while loading; dewire shows its own progress (none with -q), so both
        # are silenced here, as the translation backends do, and restored after.
        try:
            with quiet_loading():
                self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir), trust_remote_code=False)
                self.model = AutoModelForSeq2SeqLM.from_pretrained(str(self.model_dir), **kwargs)
        except Exception as err:  # OSError (permission denied too), ValueError, KeyError, safetensors errors …
            raise ModelLoadError(f"summarization model {self.model_dir}: cannot load ({first_line(err)})") from None
        if not getattr(self.model.config, "is_encoder_decoder", False):
            raise ModelLoadError(f"summarization model {self.model_dir}: not an encoder-decoder (seq2seq) model")
        self.device = resolve_device(device or cfg.device)
        self.model.to(self.device)
        self.model.eval()
        self.max_input_tokens = min([cfg.max_input_tokens, *self._model_limits()])
        self.n_special = self.tokenizer.num_special_tokens_to_add(pair=False)
        self.budget = self.max_input_tokens - self.n_special
        if self.budget < 8:
            raise ModelLoadError(f"summarization model {self.model_dir}: input limit of {self.max_input_tokens} tokens is too small")
        self.last_calls: list[GenerationCall] = []
        self.last_warnings: tuple[str, ...] = ()

    def _model_limits(self) -> list[int]:
        limits: list[int] = []
        for attr in ("max_position_embeddings", "max_source_positions", "n_positions"):
            value = getattr(self.model.config, attr, None)
            if isinstance(value, int) and value > 0:
                limits.append(value)
        tml = getattr(self.tokenizer, "model_max_length", None)
        if isinstance(tml, int) and 0 < tml < 1_000_000:
            limits.append(tml)
        return limits

    @property
    def chunk_calls(self) -> int:
        """Number of ``generate`` calls in the last :meth:`summarize` (map and reduce)."""
        return len(self.last_calls)

    @property
    def signature(self) -> Mapping[str, str]:
        """Settings that determine the output (for the reproducibility signature)."""
        return {
            "summarizer": self.name,
            "kind": "abstractive",
            "model": str(self.cfg.model),
            "revision": self.cfg.revision,
            "beams": str(self.cfg.beams),
            "max_input_tokens": str(self.max_input_tokens),
        }

    # -- preprocess -------------------------------------------------------

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts without special tokens, one per text."""
        if not texts:
            return []
        ids = self.tokenizer(list(texts), add_special_tokens=False, verbose=False)["input_ids"]
        return [len(x) for x in ids]

    def _fit_pieces(self, text: str, tokens: int | None = None) -> list[str]:
        """Split ``text`` into pieces of at most :attr:`budget` tokens (sentences, then words)."""
        if tokens is None:
            tokens = self.count_tokens([text])[0]
        if tokens <= self.budget:
            return [text]
        parts = split_sentences(text)
        if len(parts) <= 1:
            words = text.split()
            if len(words) > 1:
                half = len(words) // 2
                parts = [" ".join(words[:half]), " ".join(words[half:])]
            else:
                half = len(text) // 2
                parts = [text[:half], text[half:]]
        out: list[str] = []
        for part, n in zip(parts, self.count_tokens(parts)):
            out.extend(self._fit_pieces(part, n))
        return out

    def article_units(self, doc: Document) -> list[_Unit]:
        """The article's paragraphs as model input units, each within the input limit.

        A paragraph over the limit becomes its sentences; a sentence over the
        limit becomes pieces of whole words. Headline, headings, bylines,
        captions, separators and pass-through sentences are left out.
        """
        paragraphs: list[tuple[int, list[str]]] = []
        for p in doc.paragraphs:
            if p.kind not in INPUT_KINDS:
                continue
            texts = [(s.target or "").strip() for s in p.sentences if _usable(s)]
            if texts:
                paragraphs.append((p.index, texts))
        joined = [" ".join(t) for _, t in paragraphs]
        units: list[_Unit] = []
        for (index, texts), text, n in zip(paragraphs, joined, self.count_tokens(joined)):
            if n <= self.budget:
                units.append(_Unit(text, (index,), n))
                continue
            for sentence in texts:
                for piece in self._fit_pieces(sentence):
                    units.append(_Unit(piece, (index,), self.count_tokens([piece])[0]))
        return units

    def pack(self, units: Sequence[_Unit]) -> list[list[_Unit]]:
        """Pack units in order into chunks whose joined text fits :attr:`budget`.

        Every unit goes into exactly one chunk; units are never split here
        (each is already within the budget). Chunks are balanced: with
        ``k = ceil(total / budget)`` chunks needed, a chunk is closed once it
        holds ``total / k`` tokens (or the next unit would not fit), so an
        article of 1.2 limits becomes two chunks of 0.6, not 1.0 + 0.2 (a tiny
        last chunk would get a tiny summary). Each chunk is re-tokenized as
        joined text to check the fit.
        """
        total = sum(u.tokens + 1 for u in units)
        target = math.ceil(total / max(1, math.ceil(total / self.budget)))
        chunks: list[list[_Unit]] = []
        current: list[_Unit] = []
        used = 0
        for unit in units:
            extra = unit.tokens + (1 if current else 0)
            if current and (used + extra > self.budget or used >= target):
                chunks.append(current)
                current, used, extra = [], 0, unit.tokens
            current.append(unit)
            used += extra
        if current:
            chunks.append(current)
        checked: list[list[_Unit]] = []
        for chunk in chunks:
            checked.extend(self._check_fit(chunk))
        return checked

    def _check_fit(self, chunk: list[_Unit]) -> list[list[_Unit]]:
        if len(chunk) == 1 or self.count_tokens([_join(chunk)])[0] <= self.budget:
            return [chunk]
        half = len(chunk) // 2
        return self._check_fit(chunk[:half]) + self._check_fit(chunk[half:])

    # -- forward ----------------------------------------------------------

    def _generate(self, text: str, min_new: int, max_new: int) -> tuple[str, int, int, bool]:
        """Summarize one input; returns ``(summary, input_tokens, output_tokens, cut)``."""
        import torch

        enc = self.tokenizer(text, return_tensors="pt", truncation=False)
        n_in = int(enc["input_ids"].shape[1])
        if n_in > self.max_input_tokens:  # pragma: no cover - guarded by pack()
            raise DewireError(f"summarizer {self.name}: internal error, a chunk of {n_in} tokens exceeds the limit of {self.max_input_tokens}")
        enc = {k: v.to(self.device) for k, v in enc.items()}
        # max_length/min_length count decoder tokens including the decoder
        # start token; passing them (not *_new_tokens) overrides the model's
        # generation_config bounds without transformers' conflict warnings.
        with torch.inference_mode():
            out = self.model.generate(
                **enc,
                num_beams=self.cfg.beams,
                max_length=max_new + 1,
                min_length=min_new + 1,
            )
        sequence = out[0]
        n_out = int(sequence.shape[0]) - 1  # batch of one: no padding
        summary = str(self.tokenizer.decode(sequence, skip_special_tokens=True, clean_up_tokenization_spaces=False))
        return clean_output(summary), n_in, n_out, n_out >= max_new

    def _fit_tokens(self, text: str, max_tokens: int) -> str:
        """Shorten a chunk summary to ``max_tokens`` (re-tokenized), at a sentence end if possible."""
        if self.count_tokens([text])[0] <= max_tokens:
            return text
        kept: list[str] = []
        for sentence in split_sentences(text):
            if self.count_tokens([" ".join([*kept, sentence])])[0] > max_tokens:
                break
            kept.append(sentence)
        if kept:
            return " ".join(kept)
        ids = self.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"][:max_tokens]
        cut = str(self.tokenizer.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)).rsplit(" ", 1)[0]
        return cut.strip()

    # -- the whole thing --------------------------------------------------

    def summarize(self, doc: Document, n_bullets: int | None = None) -> Brief:
        """Summarize ``doc``'s English side into a brief (map-reduce when it is long).

        Args:
            doc: a translated document.
            n_bullets: bullets wanted; ``None`` uses ``cfg.sentences``.

        Returns:
            A :class:`Brief` (title = translated headline) with at most
            ``n_bullets`` bullets (with a word budget ``cfg.words``: the
            leading summary sentences that fit in it, at least one), each with its supporting sentence ids
            (:func:`translate.summarize.support.find_support`) and the
            ``unsupported`` flag where its key terms are not in the article.

        Raises:
            ConfigError: ``n_bullets`` is below 1.
            DewireError: the map-reduce did not converge (a bug).
        """
        n = self.cfg.sentences if n_bullets is None else n_bullets
        if n < 1:
            raise ConfigError(f"summarizer {self.name!r}: the number of brief sentences must be at least 1 (got {n})")
        self.last_calls = []
        warnings: list[str] = []
        title = headline_title(doc)
        units = self.article_units(doc)
        if not units:
            self.last_warnings = (f"brief: the article has no body text for {self.name} to summarize",)
            return Brief(title=title, bullets=(), summarizer=self.name)

        level = 0
        while True:
            chunks = self.pack(units)
            if len(chunks) == 1:
                text = _join(chunks[0])
                min_new, max_new = length_bounds(self.count_tokens([text])[0] + self.n_special, final=True, n_bullets=n, max_words=self.cfg.words)
                summary, n_in, n_out, cut = self._generate(text, min_new, max_new)
                self.last_calls.append(
                    GenerationCall(level, 0, True, text, _paragraphs(chunks[0]), n_in, min_new, max_new, n_out, cut, summary)
                )
                break
            next_units: list[_Unit] = []
            for i, chunk in enumerate(chunks):
                text = _join(chunk)
                n_tokens = self.count_tokens([text])[0] + self.n_special
                min_new, max_new = length_bounds(n_tokens, final=False, n_chunks=len(chunks), budget=self.budget)
                summary, n_in, n_out, cut = self._generate(text, min_new, max_new)
                self.last_calls.append(
                    GenerationCall(level, i, False, text, _paragraphs(chunk), n_in, min_new, max_new, n_out, cut, summary)
                )
                sentences, fragment = summary_sentences(summary, cut=cut)
                kept = summary if fragment else " ".join(sentences)  # an intermediate text needs no '…'
                fitted = self._fit_tokens(kept, max_new)
                if fitted:
                    next_units.append(_Unit(fitted, _paragraphs(chunk), self.count_tokens([fitted])[0]))
            if not next_units:
                warnings.append(f"brief: {self.name} produced no text for any chunk")
                self.last_warnings = tuple(warnings)
                return Brief(title=title, bullets=(), summarizer=self.name)
            units = next_units
            level += 1
            if level > MAX_LEVELS:  # pragma: no cover - each level halves the text
                raise DewireError(f"summarizer {self.name}: chunk summaries still exceed {self.max_input_tokens} tokens after {MAX_LEVELS} levels")

        sentences, fragment = summary_sentences(summary, cut=cut)
        if fragment:
            warnings.append(f"brief: {self.name} stopped at its length limit mid-sentence; the bullet ends with '…'")
        index = SupportIndex(doc)
        bullets: list[BriefBullet] = []
        seen: list[frozenset[str]] = []
        budget, used = self.cfg.words, 0
        for sentence in sentences:
            if len(bullets) == n:
                break
            terms = frozenset(content_terms(sentence))
            if any(overlap_coefficient(terms, other) >= NEAR_DUPLICATE for other in seen):
                continue
            if budget is not None:
                words = count_words(sentence)
                if used + words > budget:
                    if bullets:
                        break  # the summary's sentences build on each other: stop, don't skip
                    warnings.append(f"brief: the first summary sentence has {words} words, over the budget of {budget}")
                used += words
            seen.append(terms)
            support = index.find_support(sentence)
            bullets.append(BriefBullet(text=sentence, support=support, flags=index.flags(sentence, support)))
        self.last_warnings = tuple(warnings)
        return Brief(title=title, bullets=tuple(bullets), summarizer=self.name)


def _usable(s: Sentence) -> bool:
    return bool(s.target and s.target.strip()) and not s.passthrough


def _join(units: Sequence[_Unit]) -> str:
    return " ".join(u.text for u in units)


def _paragraphs(units: Sequence[_Unit]) -> tuple[int, ...]:
    seen: dict[int, None] = {}
    for u in units:
        for p in u.paragraphs:
            seen.setdefault(p, None)
    return tuple(seen)


def describe_calls(calls: Sequence[GenerationCall]) -> list[dict[str, Any]]:
    """The calls as plain dicts without the texts (for ``doc.meta`` and benchmarks)."""
    return [
        {
            "level": c.level,
            "index": c.index,
            "final": c.final,
            "paragraphs": list(c.paragraphs),
            "input_tokens": c.input_tokens,
            "min_new_tokens": c.min_new_tokens,
            "max_new_tokens": c.max_new_tokens,
            "output_tokens": c.output_tokens,
            "cut": c.cut,
        }
        for c in calls
    ]
