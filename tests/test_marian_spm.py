"""The sentencepiece-only Marian tokenizer (translate/mt/marian_spm.py) against transformers' MarianTokenizer.

Ids, tokens and decoded text must be identical, token for token, on a few hundred
real German sentences (``../shared/corpus/`` WMT test sets and articles when
present, else the copies under ``tests/data`` and ``samples``) plus edge cases
(special tokens inside text, language codes, odd whitespace, compatibility
characters). The opus-architecture tokenizer (58k-piece vocabulary) is compared
by ``benchmarks/marian_spm_check.py``.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest

from translate.config import TranslatorConfig
from translate.errors import ModelLoadError
from translate.mt.marian_spm import MarianSpmTokenizer, NotMarianLayout

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"

EDGE_CASES = [
    "",
    " ",
    "  doppelte  Leerzeichen  ",
    "\tTab und\nZeilenumbruch",
    ">>fr<< Bonjour",
    ">>de<<",
    "mitten >>en<< im Satz",
    "a </s> b<unk>c<pad>d",
    "</s></s>",
    "<unk>",
    "Ⅻ ﬁ ｆｕｌｌ ½ №",  # NFKC-normalised by opus-mt's spm
    "„Anführungszeichen“ – »Guillemets« … 3,5 % 1.000 € 10:30 Uhr",
    "Emoji 🙂 und 中文 und Ελληνικά",
    "GROSS und klein ẞ ß",
]


def corpus_sentences(limit: int = 300) -> list[str]:
    """Up to ``limit`` German lines: WMT test sets and articles in ``../shared/corpus``, else the repository's copies."""
    lines: list[str] = []
    files = sorted((CORPUS / "wmt").glob("*.de"))[:4] + sorted((CORPUS / "articles").rglob("*.de.txt"))[:10]
    if not files:
        files = [REPO / "tests" / "data" / "newstest2014-origde-head.de", REPO / "samples" / "putin-kim.de.txt"]
    for path in files:
        taken = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][: max(40, limit // 10)]
        lines.extend(taken)
    return lines[:limit]


def reference(model_dir: Path) -> Any:
    from transformers import MarianTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MarianTokenizer.from_pretrained(str(model_dir))


def assert_identical(model_dir: Path, lines: list[str], seed: int = 0) -> int:
    """Compare encoding, tokens and decoding of ``lines`` (and random id sequences); return the number of checks."""
    ref = reference(model_dir)
    ours = MarianSpmTokenizer(model_dir)
    ref_ids = ref(lines, add_special_tokens=True)["input_ids"]
    our_ids = ours(lines, add_special_tokens=True)["input_ids"]
    checks = 0
    for line, a, b in zip(lines, ref_ids, our_ids):
        assert a == b, line
        assert ref.convert_ids_to_tokens(a) == ours.convert_ids_to_tokens(b), line
        assert ref.convert_tokens_to_ids(ref.convert_ids_to_tokens(a)) == ours.convert_tokens_to_ids(ours.convert_ids_to_tokens(b))
        checks += 3
    rnd = random.Random(seed)
    size = len(ours.encoder)
    sequences = list(ref_ids) + [[rnd.randrange(size) for _ in range(rnd.randrange(1, 40))] for _ in range(len(lines))]
    for seq in sequences:
        for skip in (True, False):
            assert ref.decode(seq, skip_special_tokens=skip) == ours.decode(seq, skip_special_tokens=skip), (seq, skip)
            checks += 1
    assert ours.eos_token_id == ref.eos_token_id and ours.unk_token_id == ref.unk_token_id
    assert ours.pad_token_id == ref.pad_token_id and sorted(ours.all_special_ids) == sorted(ref.all_special_ids)
    return checks


def test_ids_tokens_and_text_identical_to_marian_tokenizer_on_corpus_sentences(tiny_marian_dir: Path) -> None:
    lines = corpus_sentences() + EDGE_CASES
    assert len(lines) >= 100
    assert assert_identical(tiny_marian_dir, lines) > 4 * len(lines)


def test_target_pieces_from_the_model_decode_identically(tiny_marian_dir: Path) -> None:
    """What CTranslate2 hands back: target-side pieces (tokens), decoded through ids with special tokens skipped."""
    ref = reference(tiny_marian_dir)
    ours = MarianSpmTokenizer(tiny_marian_dir)
    vocab = list(ours.encoder)
    rnd = random.Random(1)
    for _ in range(300):
        pieces = [rnd.choice(vocab) for _ in range(rnd.randrange(1, 25))]
        a = ref.decode(ref.convert_tokens_to_ids(pieces), skip_special_tokens=True)
        b = ours.decode(ours.convert_tokens_to_ids(pieces), skip_special_tokens=True)
        assert a == b, pieces


def _copy(model_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "model"
    shutil.copytree(model_dir, out)
    return out


def _edit_config(model_dir: Path, **changes: Any) -> None:
    path = model_dir / "tokenizer_config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config.update(changes)
    path.write_text(json.dumps(config), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"separate_vocabs": True}, "separate source and target vocabularies"),
        ({"sp_model_kwargs": {"enable_sampling": True}}, "sp_model_kwargs"),
        ({"do_lower_case": True}, r"key\(s\) do_lower_case"),
        ({"tokenizer_class": "BertTokenizer"}, "tokenizer_class"),
    ],
)
def test_other_layouts_are_refused_with_the_reason(tiny_marian_dir: Path, tmp_path: Path, change: dict[str, Any], reason: str) -> None:
    model = _copy(tiny_marian_dir, tmp_path)
    _edit_config(model, **change)
    with pytest.raises(NotMarianLayout, match=reason):
        MarianSpmTokenizer(model)


def test_broken_files_are_one_line_model_errors(tiny_marian_dir: Path, tmp_path: Path) -> None:
    model = _copy(tiny_marian_dir, tmp_path)
    (model / "source.spm").write_bytes(b"not a sentencepiece model")
    with pytest.raises(ModelLoadError, match=r"tokenizer cannot be loaded \(source.spm"):
        MarianSpmTokenizer(model)
    model2 = _copy(tiny_marian_dir, tmp_path / "2")
    (model2 / "vocab.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"tokenizer cannot be loaded \(vocab.json"):
        MarianSpmTokenizer(model2)


def test_ctranslate2_backend_uses_it_and_falls_back_to_marian_tokenizer_with_a_reason(
    tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("ctranslate2")
    from translate.mt import marian_spm
    from translate.mt.ctranslate2_backend import CTranslate2Translator

    cfg = TranslatorConfig(model=str(tiny_marian_dir), backend="ctranslate2", device="cpu", threads=1, beams=2)
    fast = CTranslate2Translator(cfg, tiny_marian_dir)
    assert isinstance(fast.tokenizer, MarianSpmTokenizer)

    def refuse(self: Any, model_dir: Any) -> None:
        raise NotMarianLayout("a layout this test pretends not to know")

    monkeypatch.setattr(marian_spm.MarianSpmTokenizer, "__init__", refuse)
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    log = logging.getLogger("translate.mt.ctranslate2_backend")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)  # own handler: earlier CLI tests may have changed propagation/levels
    try:
        slow = CTranslate2Translator(cfg, tiny_marian_dir)
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
    assert type(slow.tokenizer).__name__ == "MarianTokenizer"
    assert any("pretends not to know" in r.getMessage() and "MarianTokenizer" in r.getMessage() for r in records)

    # The same converted model through both tokenizers: identical hypotheses and token counts.
    sources = corpus_sentences(12)
    assert fast.count_tokens(sources) == slow.count_tokens(sources)
    a, b = fast.translate_batch(sources), slow.translate_batch(sources)
    assert [(h.text, h.n_tokens, h.score) for h in a] == [(h.text, h.n_tokens, h.score) for h in b]
