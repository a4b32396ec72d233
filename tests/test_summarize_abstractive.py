"""Tests of the abstractive summarizer on the tiny random-weight BART (tests/tiny_bart.py).

The tiny model's input limit is 512 tokens (``max_position_embeddings``), half
of BART's, and its generation config carries bart-large-cnn's ``min_length``
56 / ``max_length`` 142. Random weights produce junk text and never emit EOS,
so these tests check the machinery — loading through ``load_summarizer``,
the input limit, chunking without loss, map-reduce, length bounds, bullets,
support and the ``unsupported`` flag — not summary quality.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_summarize import DATA, load_article, make_document
from translate.config import SummarizerConfig, load_config
from translate.document import FLAG_UNSUPPORTED, Document
from translate.errors import ModelLoadError, ModelNotFoundError
from translate.summarize import OFFLINE_HINT, load_summarizer, summarize_document
from translate.summarize.words import count_words
from translate.summarize.abstractive import (
    SUMMARY_MIN_NEW_TOKENS,
    TOKENS_PER_WORD,
    AbstractiveSummarizer,
    length_bounds,
    split_sentences,
    summary_sentences,
)

TINY_LIMIT = 512


def abstractive_config(model: Path | str, **settings: object) -> SummarizerConfig:
    return SummarizerConfig(kind="abstractive", model=str(model), **settings)  # type: ignore[arg-type]


@pytest.fixture(scope="module", autouse=True)
def _one_torch_thread() -> Iterator[None]:
    """One intra-op thread: the tiny model's matrices are 32 wide, and on a
    shared 2-core machine OpenMP threads waiting on each other made these
    tests 20-40x slower (measured: 1.5 s vs 31-68 s for one article)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def summarizer(tiny_bart_dir: Path) -> AbstractiveSummarizer:
    """The tiny BART loaded the way the pipeline loads it (load_summarizer → resolve_model_dir)."""
    s = load_summarizer(str(tiny_bart_dir), abstractive_config(tiny_bart_dir), device="cpu")
    assert isinstance(s, AbstractiveSummarizer)
    return s


def long_document() -> Document:
    """A > 3,000-word article: the 10 WMT14 documents of lines 1–183, as one text.

    Each document's first line is a heading (the first one the headline), the
    rest body paragraphs of up to 4 sentences. Source = target (the
    summarizer reads only targets).
    """
    lines = (DATA / "newstest2014-origde-1-183.en").read_text(encoding="utf-8").splitlines()
    docids = (DATA / "newstest2014-origde-1-183.docids").read_text(encoding="utf-8").splitlines()
    paragraphs: list[tuple[str, list[tuple[str, str]]]] = []
    previous = None
    body: list[str] = []

    def flush() -> None:
        if body:
            paragraphs.append(("body", [(t, t) for t in body]))
            body.clear()

    for line, docid in zip(lines, docids):
        if docid != previous:
            flush()
            paragraphs.append(("headline" if previous is None else "heading", [(line, line)]))
            previous = docid
            continue
        body.append(line)
        if len(body) == 4:
            flush()
    flush()
    return make_document("long", paragraphs)


def body_paragraphs(doc: Document) -> list[int]:
    return [p.index for p in doc.paragraphs if p.kind == "body"]


# ---------------------------------------------------------------------------


def test_input_limit_is_read_from_the_model(tiny_bart_dir: Path, summarizer: AbstractiveSummarizer) -> None:
    assert summarizer.cfg.max_input_tokens == 1024  # models.yaml's BART value
    assert summarizer.max_input_tokens == TINY_LIMIT  # the model's real limit wins
    smaller = AbstractiveSummarizer(abstractive_config(tiny_bart_dir, max_input_tokens=300), tiny_bart_dir, "cpu")
    assert smaller.max_input_tokens == 300


def test_end_to_end_on_a_real_article(summarizer: AbstractiveSummarizer) -> None:
    doc = load_article("1045-schwarzwaelder-bote.de")  # 185 tokens: fits the 512-token limit
    out = summarize_document(doc, summarizer, 4)
    brief = out.brief
    assert brief is not None
    assert brief.summarizer == summarizer.name == summarizer.cfg.model
    assert brief.title == "Music makes for an entertaining afternoon"
    assert 1 <= len(brief.bullets) <= 4
    ids = {s.id for s in doc.sentences()}
    for bullet in brief.bullets:
        assert bullet.text.strip()
        assert set(bullet.support) <= ids and len(bullet.support) <= 3
        if not bullet.support:
            assert bullet.flags == (FLAG_UNSUPPORTED,)
    # the article fits: one call, whose input is the whole body (headline left out)
    assert summarizer.chunk_calls == 1
    (call,) = summarizer.last_calls
    assert call.final and call.level == 0
    assert call.paragraphs == tuple(body_paragraphs(doc))
    assert "Music makes" not in call.text
    assert call.text.endswith(doc.paragraphs[-1].sentences[-1].target)  # type: ignore[arg-type]
    assert 0 <= call.min_new_tokens <= call.max_new_tokens < call.input_tokens <= TINY_LIMIT
    assert call.output_tokens <= call.max_new_tokens
    assert out.meta.brief_calls[0]["input_tokens"] == call.input_tokens
    # random weights: junk text, stopped at the length limit, flagged and warned about
    assert call.cut
    assert any("length limit" in w for w in out.meta.warnings)
    assert brief.bullets[0].flags == (FLAG_UNSUPPORTED,)


def test_long_article_is_summarized_in_chunks(summarizer: AbstractiveSummarizer) -> None:
    doc = long_document()
    words = sum(len((s.target or "").split()) for p in doc.paragraphs if p.kind == "body" for s in p.sentences)
    assert words > 3000
    brief = summarizer.summarize(doc, 4)
    calls = summarizer.last_calls
    assert summarizer.chunk_calls == len(calls) > 2
    level0 = [c for c in calls if c.level == 0]
    assert len(level0) >= 8  # ~4,900 tokens in chunks of at most 512
    # every body paragraph is in exactly one first-level chunk, in order: nothing is cut off
    covered = [p for c in level0 for p in c.paragraphs]
    assert covered == body_paragraphs(doc)
    last = doc.paragraphs[-1]
    assert last.index in level0[-1].paragraphs
    assert level0[-1].text.endswith(" ".join(s.target for s in last.sentences))  # type: ignore[misc]
    for c in calls:
        assert c.input_tokens <= TINY_LIMIT
        assert 0 <= c.min_new_tokens <= c.max_new_tokens < c.input_tokens
        assert c.output_tokens <= c.max_new_tokens
    # map-reduce: the last chunk's summary goes up the levels into the final call
    finals = [c for c in calls if c.final]
    assert finals == [calls[-1]] and calls[-1].level >= 1
    assert calls[-1].paragraphs == tuple(body_paragraphs(doc))
    head = level0[-1].summary.split()[:3]
    assert any(" ".join(head) in c.text for c in calls if c.level == 1)
    assert brief.bullets


def test_a_paragraph_longer_than_the_limit_is_split_by_sentences(summarizer: AbstractiveSummarizer) -> None:
    lines = (DATA / "newstest2014-origde-1-183.en").read_text(encoding="utf-8").splitlines()[:60]
    doc = make_document("one-paragraph", [("body", [(t, t) for t in lines])])
    units = summarizer.article_units(doc)
    assert len(units) == 60  # > 512 tokens: one unit per sentence
    assert [u.text for u in units] == lines
    chunks = summarizer.pack(units)
    assert len(chunks) > 1
    assert [u.text for c in chunks for u in c] == lines
    for chunk in chunks:
        assert summarizer.count_tokens([" ".join(u.text for u in chunk)])[0] <= summarizer.budget


def test_a_sentence_longer_than_the_limit_is_split_by_words(summarizer: AbstractiveSummarizer) -> None:
    words = " ".join((DATA / "newstest2014-origde-1-183.en").read_text(encoding="utf-8").split()[:900])
    doc = make_document("one-sentence", [("body", [(words, words)])])
    units = summarizer.article_units(doc)
    assert len(units) > 1
    assert " ".join(u.text for u in units).split() == words.split()
    assert all(u.tokens <= summarizer.budget for u in units)


def test_two_sentence_article_gets_bounds_that_fit(summarizer: AbstractiveSummarizer) -> None:
    doc = make_document(
        "short",
        [
            ("headline", [("Musik", "Music makes for an entertaining afternoon")]),
            ("body", [("a", "The coffee afternoon is now held in the St. Josef nursing home."), ("b", "Later on, a sausage salad was provided.")]),
        ],
    )
    brief = summarizer.summarize(doc)
    (call,) = summarizer.last_calls
    assert 1 <= call.min_new_tokens <= call.max_new_tokens < call.input_tokens
    # the model's generation_config asks for min_length 56: overridden, never inverted
    assert call.max_new_tokens < SUMMARY_MIN_NEW_TOKENS
    assert call.output_tokens <= call.max_new_tokens < call.input_tokens
    assert len(brief.bullets) <= 4


def test_word_budget_bounds_generation_and_bullets(tiny_bart_dir: Path) -> None:
    doc = load_article("1045-schwarzwaelder-bote.de")
    budgeted = AbstractiveSummarizer(abstractive_config(tiny_bart_dir, words=12, sentences=20), tiny_bart_dir, "cpu")
    out = summarize_document(doc, budgeted)
    (call,) = budgeted.last_calls
    assert call.max_new_tokens <= math.ceil(TOKENS_PER_WORD * 12)
    brief = out.brief
    assert brief is not None and brief.bullets
    total = sum(count_words(b.text) for b in brief.bullets)
    over_budget = [w for w in out.meta.warnings if "over the budget of 12" in w]
    assert total <= 12 or (len(brief.bullets) == 1 and over_budget), (total, out.meta.warnings)


@given(
    st.integers(min_value=1, max_value=20_000),
    st.booleans(),
    st.integers(min_value=1, max_value=10),
    st.integers(min_value=1, max_value=200),
    st.one_of(st.none(), st.integers(min_value=5, max_value=1000)),
)
def test_length_bounds_never_invert(n_in: int, final: bool, n_bullets: int, n_chunks: int, words: int | None) -> None:
    lo, hi = length_bounds(n_in, final=final, n_bullets=n_bullets, n_chunks=n_chunks, budget=1022, max_words=words)
    assert 0 <= lo <= hi and hi >= 1
    if final and words is not None:
        assert hi <= math.ceil(TOKENS_PER_WORD * words)
    if n_in >= 2:
        assert hi < n_in
    if not final and n_in >= 2:
        assert hi <= n_in // 2


def test_split_sentences_keeps_abbreviations_together() -> None:
    text = (
        'U.S. officials met Mr. Kim on Sept. 13 in Vladivostok. Prices rose 2.5 percent. "It is over." '
        "He left! Did he? Then J. K. Rowling spoke to the U.N. Security Council. No. 1 is here"
    )
    assert split_sentences(text) == [
        "U.S. officials met Mr. Kim on Sept. 13 in Vladivostok.",
        "Prices rose 2.5 percent.",
        '"It is over."',
        "He left!",
        "Did he?",
        "Then J. K. Rowling spoke to the U.N. Security Council.",
        "No. 1 is here",
    ]
    assert split_sentences("  ") == []


def test_summary_sentences_end_at_sentence_ends() -> None:
    text = "U.S. officials met Mr. Kim on Sept. 13. Putin said the talks went well. Both men then"
    assert summary_sentences(text, cut=True) == (
        ["U.S. officials met Mr. Kim on Sept. 13.", "Putin said the talks went well."],
        False,
    )
    assert summary_sentences(text, cut=False)[0][-1] == "Both men then"
    assert summary_sentences('He said: "It is over." ', cut=True) == (['He said: "It is over."'], False)
    assert summary_sentences("The talks went on and on", cut=True) == (["The talks went on and …"], True)
    assert summary_sentences("", cut=True) == ([], False)


def test_missing_model_offline_names_the_extractive_choice() -> None:
    config = load_config(Path(__file__).resolve().parent.parent / "models.yaml")
    name, cfg = config.summarizer("distilbart-cnn-12-6")
    assert cfg.kind == "abstractive"
    with pytest.raises(ModelNotFoundError) as info:
        load_summarizer(name, cfg)
    message = str(info.value)
    assert OFFLINE_HINT in message and "distilbart-cnn-12-6" in message
    assert "\n" not in message


def test_missing_local_directory_names_the_extractive_choice(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="--summarizer extractive"):
        load_summarizer("x", abstractive_config(tmp_path / "no-such-model"))


def test_incomplete_model_directory_is_a_load_error(tmp_path: Path, tiny_bart_dir: Path) -> None:
    (tmp_path / "config.json").write_text((tiny_bart_dir / "config.json").read_text())
    with pytest.raises(ModelLoadError):
        load_summarizer("x", abstractive_config(tmp_path))


def test_tiny_bart_build_is_deterministic(tmp_path: Path, tiny_bart_dir: Path) -> None:
    from tests.tiny_bart import main

    assert main([str(tmp_path)]) == 0
    for name in ("config.json", "generation_config.json", "tokenizer.json", "vocab.json", "merges.txt", "model.safetensors"):
        assert (tmp_path / name).read_bytes() == (tiny_bart_dir / name).read_bytes(), name


# -- loading is quiet --------------------------------------------------------------


@pytest.mark.parametrize("bar_before", [True, False])
def test_loading_silences_transformers_and_restores_its_settings(tiny_bart_dir: Path, bar_before: bool) -> None:
    """No "Loading weights" progress bar or log lines while loading; the caller's settings are kept."""
    from transformers.utils import logging as hf_logging

    seen: list[tuple[int, bool]] = []
    original = AbstractiveSummarizer._model_limits

    def spy(self):  # runs after loading, inside __init__: the settings must be restored by then
        seen.append((hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()))
        return original(self)

    verbosity = hf_logging.get_verbosity()
    if not bar_before:
        hf_logging.disable_progress_bar()
    try:
        import transformers

        loaded_with: list[tuple[int, bool]] = []
        from_pretrained = transformers.AutoModelForSeq2SeqLM.from_pretrained

        def watch(*args, **kwargs):
            loaded_with.append((hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()))
            return from_pretrained(*args, **kwargs)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(transformers.AutoModelForSeq2SeqLM, "from_pretrained", watch)
            mp.setattr(AbstractiveSummarizer, "_model_limits", spy)
            AbstractiveSummarizer(abstractive_config(tiny_bart_dir), tiny_bart_dir, "cpu")
        assert loaded_with == [(hf_logging.ERROR, False)]
        assert seen == [(verbosity, bar_before)]
        assert (hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()) == (verbosity, bar_before)
    finally:
        hf_logging.enable_progress_bar()


# -- through the command line (issue 5: opt-in abstractive brief, traceable) ----------


def test_cli_translate_with_the_abstractive_summarizer(tiny_marian_dir: Path, tiny_bart_dir: Path, tmp_path: Path) -> None:
    """``dewire translate SAMPLE --model TINY_MARIAN --summarizer TINY_BART_DIR -q -o OUT``."""
    from tests.test_cli import SAMPLE, read_jsonl, report_bullets, run_cli, unescape_markdown

    out = tmp_path / "out"
    proc = run_cli(
        "translate", str(SAMPLE), "--model", str(tiny_marian_dir), "--summarizer", str(tiny_bart_dir),
        "--threads", "1", "-q", "-o", str(out),
    )
    stdout, stderr = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, stderr
    # -q: nothing on stdout, and on stderr only dewire's own one-line warnings — no
    # transformers progress bar ("Loading weights … it/s") or log lines.
    assert stdout == ""
    assert all(line.startswith("dewire: warning: ") for line in stderr.splitlines()), stderr
    assert "Loading" not in stderr and "it/s" not in stderr

    records = read_jsonl(out / "putin-kim.aligned.jsonl")
    ids = {r["sentence"] for r in records}
    brief = json.loads((out / "putin-kim.brief.json").read_text(encoding="utf-8"))
    assert brief["summarizer"] == brief["models"]["summarizer"] == str(tiny_bart_dir)
    assert brief["signature"].endswith(f"|brief:{tiny_bart_dir}")
    assert 1 <= len(brief["bullets"]) <= 4  # models.yaml's abstractive default: 4 sentences
    for bullet in brief["bullets"]:
        assert bullet["text"].strip()
        assert set(bullet["support"]) <= ids, bullet["support"]
        assert set(bullet["flags"]) <= {FLAG_UNSUPPORTED}, bullet["flags"]
    # Random weights write words (names, numbers) the translation does not have: the
    # classic hallucination, which must be flagged and shown (tests/tiny_bart.py is deterministic).
    assert any(FLAG_UNSUPPORTED in b["flags"] for b in brief["bullets"])

    # The report shows every bullet with its support, and marks exactly the unsupported ones.
    shown = report_bullets((out / "putin-kim.report.html").read_text(encoding="utf-8"))
    assert [(b["text"], b["support"]) for b in shown] == [(b["text"], b["support"]) for b in brief["bullets"]]
    for html_bullet, bullet in zip(shown, brief["bullets"]):
        flagged = FLAG_UNSUPPORTED in bullet["flags"]
        assert (FLAG_UNSUPPORTED in html_bullet["classes"]) is flagged
        assert (FLAG_UNSUPPORTED in html_bullet["chips"]) is flagged
    # So does the Markdown brief.
    lines = [line for line in (out / "putin-kim.brief.md").read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
    assert len(lines) == len(brief["bullets"])
    for line, bullet in zip(lines, brief["bullets"]):
        assert line.endswith(" *(unsupported)*") is (FLAG_UNSUPPORTED in bullet["flags"])
        assert unescape_markdown(line).startswith("- " + " ".join(bullet["text"].split()))
