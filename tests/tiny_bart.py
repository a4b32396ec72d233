"""Build a tiny random-weight BART summarization model in the real on-disk layout.

The model has the shape of ``facebook/bart-large-cnn`` scaled down (d_model 32,
2 + 2 layers, 4 heads, FFN 64, learned positions) with random weights, and a
real byte-level BPE tokenizer (vocab.json + merges.txt; special tokens with
bart-large-cnn's ids: ``<s>``=0, ``<pad>``=1, ``</s>``=2, ``<unk>``=3,
``<mask>``=4) trained with the
``tokenizers`` library on ``tests/data/summarize/newstest2014-origde-1-183.en``
(lines 1–183 of ``../shared/corpus/wmt/newstest2014.de-en.origde.en``: the
human English translations of the first 10 original-German WMT14 newstest
documents; see ``tests/data/summarize/README.md``).

``max_position_embeddings`` is 512 (half of BART's 1,024) and the tokenizer's
``model_max_length`` says the same, so tests can check that the summarizer
reads the model's real limit (``min(cfg.max_input_tokens, model limit)``)
rather than trusting models.yaml's 1,024.

The generation config copies bart-large-cnn's (``num_beams`` 4, ``max_length``
142, ``min_length`` 56, ``length_penalty`` 2.0, ``no_repeat_ngram_size`` 3,
``forced_bos_token_id`` 0, ``forced_eos_token_id`` 2), so tests see the same
defaults the summarizer must override (a ``min_length`` of 56 on a 40-token
article is the classic inverted-bounds failure).

Random weights never stop by themselves: every ``generate`` call is bounded by
its ``max_length``, which is what dewire does anyway.

``save_pretrained`` writes config.json, generation_config.json,
model.safetensors, vocab.json, merges.txt, tokenizer.json and
tokenizer_config.json; the directory loads with ``AutoTokenizer`` /
``AutoModelForSeq2SeqLM.from_pretrained`` like the real model. The build is
deterministic (``torch.manual_seed``) and takes about 2 s.

Usage::

    python -m tests.tiny_bart OUT_DIR      # writes the model into OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRAINING_TEXT = HERE / "data" / "summarize" / "newstest2014-origde-1-183.en"

VOCAB_SIZE = 1000
"""Byte-level BPE vocabulary size (256 byte symbols + specials + merges)."""

MAX_POSITIONS = 512
"""The tiny model's input limit in tokens (BART's is 1,024)."""

SPECIAL_TOKENS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
"""BART's special tokens in id order (bos 0, pad 1, eos 2, unk 3, mask)."""

SEED = 1234


def build_tiny_bart(out_dir: Path) -> Path:
    """Write a tiny random-weight BART summarization model into ``out_dir``.

    Args:
        out_dir: target directory (created if missing; files of the same
            names are overwritten).

    Returns:
        ``out_dir``, loadable with ``AutoTokenizer.from_pretrained`` and
        ``AutoModelForSeq2SeqLM.from_pretrained``.
    """
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer, GenerationConfig

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    lines = [line.strip() for line in TRAINING_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(lines, vocab_size=VOCAB_SIZE, min_frequency=2, special_tokens=SPECIAL_TOKENS, show_progress=False)
    bpe.save_model(str(out_dir))  # vocab.json + merges.txt, as bart-large-cnn ships them
    tokenizer = BartTokenizer(
        vocab=str(out_dir / "vocab.json"),
        merges=str(out_dir / "merges.txt"),
        model_max_length=MAX_POSITIONS,
    )
    tokenizer.save_pretrained(str(out_dir))

    vocab = tokenizer.get_vocab()
    bos, pad, eos = vocab["<s>"], vocab["<pad>"], vocab["</s>"]
    config = BartConfig(
        vocab_size=len(tokenizer),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=MAX_POSITIONS,
        bos_token_id=bos,
        pad_token_id=pad,
        eos_token_id=eos,
        decoder_start_token_id=eos,
        forced_eos_token_id=eos,
    )
    torch.manual_seed(SEED)
    model = BartForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        bos_token_id=bos,
        pad_token_id=pad,
        eos_token_id=eos,
        decoder_start_token_id=eos,
        forced_bos_token_id=bos,
        forced_eos_token_id=eos,
        num_beams=4,
        max_length=142,
        min_length=56,
        length_penalty=2.0,
        no_repeat_ngram_size=3,
        early_stopping=True,
    )
    model.save_pretrained(str(out_dir))
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.tiny_bart OUT_DIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m tests.tiny_bart OUT_DIR\n")
        return 2
    out = build_tiny_bart(Path(args[0]))
    sys.stdout.write(f"{out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
