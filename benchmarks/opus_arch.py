"""A random-weight model with the exact opus-mt-de-en architecture, for benchmarks.

The Hugging Face hub is unreachable here, so the speed benchmark cannot use the
real ``Helsinki-NLP/opus-mt-de-en`` weights. Speed does not depend on the
weights, only on the architecture, the vocabulary size and the number of tokens
decoded, so this module builds a model with the same shapes and random
(seeded) weights, plus a real SentencePiece tokenizer trained on the German
and English text of ``../shared/corpus/``.

Architecture (from the model's ``config.json`` on the hub, as mirrored in
public copies of it): ``MarianMTModel``, d_model 512, 6 encoder + 6 decoder
layers, 8 attention heads, FFN 2048, vocabulary 58101 (the last id, 58100, is
``<pad>``, which is also the decoder start token), swish activation, static
sinusoidal positions, ``max_position_embeddings`` 512, scaled and shared
embeddings (tied with the output projection), ``</s>`` = 0, ``<unk>`` = 1.
Generation config as on the hub: ``bad_words_ids [[58100]]``, ``num_beams 4``,
``max_length 512``.

Vocabulary: opus-mt trains one SentencePiece model per side (source.spm for
German, target.spm for English, about 32k pieces each) and joins their pieces
into one ``vocab.json`` of 58101 entries. We do the same with the text we have
(about 1.8 MB of German and 2.2 MB of English): a unigram model of up to
32,000 pieces per side (less if the text cannot support it), joined, then padded
with never-produced placeholder pieces (``<placeholder-N>``) up to 58100 entries,
plus ``<pad>`` = 58100, so the embedding matrix and the output softmax have the
real size (58101 × 512). The tokenizer therefore segments German somewhat more
finely than the real one; the benchmark counts tokens with this tokenizer, so
all methods see the same token counts.

Usage::

    from opus_arch import build_opus_arch
    model_dir = build_opus_arch()   # benchmarks/.cache/opus-mt-de-en-arch/ (built once, ~300 MB)
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO.parent / "shared" / "corpus"
CACHE = HERE / ".cache"

VOCAB_SIZE = 58101
"""opus-mt-de-en ``vocab_size`` (config.json), ``<pad>`` included."""
PAD_ID = 58100
SPM_PIECES = 32000
"""Target size of each SentencePiece model (opus-mt uses 32k per side)."""
SEED = 20240229
BUILD_VERSION = "1"
"""Bump to invalidate cached builds when this module changes what it writes."""


def _corpus_files(lang: str) -> list[Path]:
    """German (``de``) or English (``en``) UTF-8 text files of the shared corpus."""
    files = sorted((CORPUS / "wmt").glob(f"*.{lang}"))
    files += sorted((CORPUS / "articles").glob(f"*/*.{lang}.txt"))
    if lang == "de":
        files += sorted((CORPUS / "articles" / "10kgnad").glob("*.txt"))
        files += sorted((CORPUS / "summarization").glob("*/*.de.txt"))
    else:
        files += sorted((CORPUS / "wmt").glob("*.refB.en"))
    return [f for f in dict.fromkeys(files) if f.is_file()]


def _train_spm(lang: str, out_prefix: Path) -> Path:
    """Train a unigram SentencePiece model on the corpus text of ``lang``.

    Tries :data:`SPM_PIECES` pieces, then smaller sizes if the text is too
    small for that many (SentencePiece raises "Vocabulary size too high").

    Returns:
        The ``.model`` file.
    """
    import sentencepiece as spm

    files = _corpus_files(lang)
    if not files:
        raise FileNotFoundError(f"no {lang} text under {CORPUS}")
    text = out_prefix.with_suffix(".txt")
    with text.open("w", encoding="utf-8") as out:
        for f in files:
            for line in f.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line:
                    out.write(line + "\n")
    last: Exception | None = None
    for size in (SPM_PIECES, 28000, 24000, 20000, 16000):
        try:
            spm.SentencePieceTrainer.train(
                input=str(text),
                model_prefix=str(out_prefix),
                vocab_size=size,
                model_type="unigram",
                character_coverage=1.0,
                input_sentence_size=2_000_000,
                shuffle_input_sentence=True,
                seed_sentencepiece_size=1_000_000,
                num_threads=2,
                unk_id=0,
                bos_id=-1,
                eos_id=1,
                pad_id=-1,
                unk_piece="<unk>",
                eos_piece="</s>",
                minloglevel=2,
            )
            return out_prefix.with_suffix(".model")
        except RuntimeError as err:  # "Vocabulary size too high"
            last = err
    raise RuntimeError(f"cannot train a SentencePiece model for {lang}: {last}")


def _joint_vocab(source_model: Path, target_model: Path) -> dict[str, int]:
    """opus-mt layout: ``</s>`` 0, ``<unk>`` 1, pieces …, placeholders …, ``<pad>`` 58100."""
    import sentencepiece as spm

    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for model in (source_model, target_model):
        sp = spm.SentencePieceProcessor(model_file=str(model))
        for i in range(sp.get_piece_size()):
            piece = sp.id_to_piece(i)
            if piece not in vocab:
                vocab[piece] = len(vocab)
    real = len(vocab)
    if real > PAD_ID:
        raise ValueError(f"joint vocabulary has {real} pieces, more than {PAD_ID}")
    for n in range(real, PAD_ID):
        vocab[f"<placeholder-{n}>"] = n
    vocab["<pad>"] = PAD_ID
    assert len(vocab) == VOCAB_SIZE
    return vocab


def _build(out: Path) -> None:
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        src = _train_spm("de", t / "source")
        tgt = _train_spm("en", t / "target")
        vocab = _joint_vocab(src, tgt)
        shutil.copy(src, out / "source.spm")
        shutil.copy(tgt, out / "target.spm")
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(out / "source.spm"),
        target_spm=str(out / "target.spm"),
        vocab=str(out / "vocab.json"),
        source_lang="de",
        target_lang="en",
        model_max_length=512,
    )
    tokenizer.save_pretrained(out)

    config = MarianConfig(
        vocab_size=VOCAB_SIZE,
        decoder_vocab_size=VOCAB_SIZE,
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        activation_function="swish",
        max_position_embeddings=512,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        pad_token_id=PAD_ID,
        decoder_start_token_id=PAD_ID,
        eos_token_id=0,
        bos_token_id=0,
        forced_eos_token_id=0,
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
        architectures=["MarianMTModel"],
    )
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(
        bad_words_ids=[[PAD_ID]],
        bos_token_id=0,
        decoder_start_token_id=PAD_ID,
        eos_token_id=0,
        forced_eos_token_id=0,
        pad_token_id=PAD_ID,
        max_length=512,
        num_beams=4,
    )
    model.save_pretrained(out)
    (out / "BUILD").write_text(
        json.dumps({"version": BUILD_VERSION, "seed": SEED, "real_pieces": _count_real(vocab)}) + "\n",
        encoding="utf-8",
    )


def _count_real(vocab: dict[str, int]) -> int:
    return sum(1 for p in vocab if not p.startswith("<placeholder-"))


def build_opus_arch(cache_dir: Path = CACHE) -> Path:
    """Build (once) and return the random-weight opus-mt-de-en-shaped model directory.

    The directory is written with ``save_pretrained`` (config.json,
    generation_config.json, model.safetensors, source.spm, target.spm,
    vocab.json, tokenizer_config.json) into a temporary sibling and renamed
    into place, so an interrupted build is never reused. Later calls return the
    cached directory at once.

    Args:
        cache_dir: where to keep it (default ``benchmarks/.cache/``, gitignored).

    Returns:
        ``cache_dir / "opus-mt-de-en-arch"``.

    Raises:
        FileNotFoundError: ``../shared/corpus/`` has no text to train the tokenizer on.
    """
    out = cache_dir / "opus-mt-de-en-arch"
    stamp = out / "BUILD"
    if stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")).get("version") == BUILD_VERSION:
        return out
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".opus-arch-", dir=cache_dir))
    try:
        _build(tmp)
        tmp.chmod(0o755)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


if __name__ == "__main__":  # python benchmarks/opus_arch.py
    path = build_opus_arch()
    info = json.loads((path / "BUILD").read_text(encoding="utf-8"))
    print(f"{path} ({info['real_pieces']} real pieces of {VOCAB_SIZE})")
