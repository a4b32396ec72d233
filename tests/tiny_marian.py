"""Build a tiny random-weight MarianMT de→en model in the real on-disk layout.

The model has the shape of ``Helsinki-NLP/opus-mt-de-en`` scaled down (d_model
32, 2 + 2 layers, 4 heads, FFN 64, swish, static sinusoidal positions, shared
embeddings, ``max_position_embeddings`` 512) with random weights, and a real
Marian tokenizer: two SentencePiece unigram models (``source.spm`` trained on
German, ``target.spm`` on English) and a joint ``vocab.json``, exactly as
opus-mt ships them. ``save_pretrained`` writes ``config.json``,
``model.safetensors``, ``generation_config.json``, ``source.spm``,
``target.spm``, ``vocab.json`` and ``tokenizer_config.json``, so the directory
loads through the same code path as the real model
(``AutoTokenizer``/``AutoModelForSeq2SeqLM.from_pretrained``).

The training text is ``samples/putin-kim.de.txt`` plus the first 80 lines of
``../shared/corpus/wmt/newstest2014.de-en.origde.{de,en}`` (WMT14 newstest,
original-German subset; see ``../shared/corpus/SOURCES.md``), copied to
``tests/data/newstest2014-origde-head.{de,en}`` so the build works without
``../shared``.

Random weights never emit EOS reliably, so every ``generate`` call on this
model must be bounded by ``max_new_tokens`` — which is what dewire does anyway.

The build is deterministic (fixed SentencePiece settings, one thread, no
input shuffling, ``torch.manual_seed``) and takes a few seconds.

Usage::

    python -m tests.tiny_marian OUT_DIR      # writes the model into OUT_DIR
"""

from __future__ import annotations

import io
import json
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "data"
SOURCE_TEXTS = (REPO / "samples" / "putin-kim.de.txt", DATA / "newstest2014-origde-head.de")
TARGET_TEXTS = (DATA / "newstest2014-origde-head.en",)

SPM_VOCAB_SIZE = 400
"""Pieces per SentencePiece model (source and target each)."""

SEED = 1234


def _lines(paths: tuple[Path, ...]) -> list[str]:
    out: list[str] = []
    for p in paths:
        out.extend(line.strip() for line in p.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def _train_spm(lines: list[str], out_path: Path, vocab_size: int) -> list[str]:
    """Train a unigram SentencePiece model on ``lines``; return its pieces in id order."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        # opus-mt's spm models: <unk>=0, <s>=1, </s>=2 (ids are irrelevant to
        # MarianTokenizer, which maps pieces through vocab.json).
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        shuffle_input_sentence=False,
        input_sentence_size=0,
        seed_sentencepiece_size=20000,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    out_path.write_bytes(buf.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def build_tiny_marian(out_dir: Path) -> Path:
    """Write a tiny random-weight MarianMT de→en model into ``out_dir``.

    Args:
        out_dir: target directory (created if missing; existing files of the
            same names are overwritten).

    Returns:
        ``out_dir``, a directory loadable with
        ``AutoTokenizer.from_pretrained`` and
        ``AutoModelForSeq2SeqLM.from_pretrained``.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / ".build"
    work.mkdir(exist_ok=True)

    src_pieces = _train_spm(_lines(SOURCE_TEXTS), work / "source.spm", SPM_VOCAB_SIZE)
    tgt_pieces = _train_spm(_lines(TARGET_TEXTS), work / "target.spm", SPM_VOCAB_SIZE)

    # Joint vocabulary as in opus-mt: </s>=0, <unk>=1, then pieces, <pad> last.
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in src_pieces + tgt_pieces:
        if piece in ("<unk>", "<s>", "</s>", "<pad>") or piece in vocab:
            continue
        vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*sacremoses.*")  # only used by an unused normalize()
        tokenizer = MarianTokenizer(
            source_spm=str(work / "source.spm"),
            target_spm=str(work / "target.spm"),
            vocab=str(work / "vocab.json"),
            source_lang="de",
            target_lang="en",
            model_max_length=512,
        )

    pad_id = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        activation_function="swish",
        max_position_embeddings=512,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        static_position_embeddings=True,
        pad_token_id=pad_id,
        eos_token_id=0,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=0,
        bad_words_ids=[[pad_id]],
        num_beams=4,
        max_length=512,
    )
    torch.manual_seed(SEED)
    model = MarianMTModel(config)
    model.eval()
    model.generation_config.max_length = 512
    model.generation_config.num_beams = 4
    model.generation_config.bad_words_ids = [[pad_id]]
    model.generation_config.forced_eos_token_id = 0
    model.generation_config.decoder_start_token_id = pad_id

    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    for name in ("source.spm", "target.spm", "vocab.json"):
        (work / name).unlink()
    work.rmdir()
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m tests.tiny_marian OUT_DIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        sys.stderr.write("usage: python -m tests.tiny_marian OUT_DIR\n")
        return 2
    out = build_tiny_marian(Path(args[0]))
    sys.stdout.write(f"{out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
