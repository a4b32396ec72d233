"""The backend registry, ``backend: auto``, the per-sentence output bound, and config/model-loading errors.

Runs on the tiny random-weight Marian of tests/tiny_marian.py: it never emits
EOS by itself, so every hypothesis runs to its bound — exactly what the
per-sentence bound tests need (a looping model).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import SAMPLE, assert_one_line_error, run_cli
from translate.config import TRANSLATOR_CLASSES, TranslatorConfig, load_config, parse_config
from translate.errors import ConfigError, ModelLoadError
from translate.mt import load_translator
from translate.mt.backends import AUTO, BACKEND_CHOICES, BACKENDS, resolve_backend
from translate.mt.base import max_new_tokens

REPO = Path(__file__).resolve().parent.parent
ONE_WORD = "Berlin"
LONG = (
    "Die Männer nannten sich gegenseitig Genossen und stießen am Mittwoch auf ihre Freundschaft an, nachdem "
    "Putin Kim durch Russlands modernste Weltraumstartanlage geführt hatte und sie lange Gespräche mit ihren "
    "Verteidigungsministern, ihren Außenministern, zahlreichen Beratern und den Vertretern der Rüstungsindustrie "
    "über die Zusammenarbeit bei Raketen, Satelliten, Munition, Lebensmitteln und Treibstoff geführt hatten, "
    "während Beobachter in Seoul, Tokio und Washington die Bilder mit Sorge verfolgten."
)


def _config_text(model_dir: Path, **entry: str) -> str:
    extra = "".join(f", {k}: {v}" for k, v in entry.items())
    return f"defaults: {{translator: tiny}}\ntranslators:\n  tiny: {{model: '{model_dir}', device: cpu{extra}}}\n"


# -- registry ---------------------------------------------------------------
def test_config_schema_and_cli_choices_derive_from_the_registry() -> None:
    from translate.cli import build_parser

    assert tuple(TRANSLATOR_CLASSES) == BACKEND_CHOICES == (AUTO, *BACKENDS)
    translate_parser = build_parser()._subparsers._group_actions[0].choices["translate"]  # type: ignore[union-attr]
    (backend,) = [a for a in translate_parser._actions if a.dest == "backend"]
    assert tuple(backend.choices) == BACKEND_CHOICES
    for name, spec in BACKENDS.items():  # each backend's compute types, and only those, are accepted at load
        for compute in spec.compute_types:
            entry = {"model": "m", "backend": name, "compute_type": compute}
            assert parse_config({"defaults": {"translator": "t"}, "translators": {"t": entry}}).translators["t"].compute_type == compute
    with pytest.raises(ConfigError, match=r"'translators\.t\.compute_type'.*got 'int8'"):
        parse_config({"defaults": {"translator": "t"}, "translators": {"t": {"model": "m", "backend": "transformers", "compute_type": "int8"}}})
    with pytest.raises(ConfigError, match=r"'translators\.t\.backend': unknown backend 'onnx' \(known: auto, transformers, ctranslate2\)"):
        parse_config({"defaults": {"translator": "t"}, "translators": {"t": {"model": "m", "backend": "onnx"}}})


def test_summarizer_options_are_validated_per_kind() -> None:
    base = {"defaults": {"translator": "t"}, "translators": {"t": {"model": "m"}}}
    with pytest.raises(ConfigError, match=r"'summarizers\.extractive': 'model' is for abstractive summarizers"):
        parse_config({**base, "summarizers": {"extractive": {"kind": "extractive", "model": "x"}}})
    with pytest.raises(ConfigError, match=r"'summarizers\.b': 'lead_bias' is for the extractive summarizer"):
        parse_config({**base, "summarizers": {"extractive": {"kind": "extractive"}, "b": {"kind": "abstractive", "model": "x", "lead_bias": 0.2}}})
    with pytest.raises(ConfigError, match=r"'summarizers\.x\.kind': unknown kind 'neural'"):
        parse_config({**base, "summarizers": {"x": {"kind": "neural"}}})


def test_auto_is_the_default_and_prefers_ctranslate2_int8_on_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ctranslate2")
    cfg = load_config(REPO / "models.yaml").translator()[1]
    assert cfg.backend == AUTO and cfg.compute_type == AUTO
    assert resolve_backend(AUTO, "cpu") == resolve_backend(AUTO, "cpu", AUTO)
    r = resolve_backend(AUTO, "cpu")
    assert (r.backend, r.device, r.compute_type) == ("ctranslate2", "cpu", "int8")
    assert resolve_backend("ctranslate2", "cpu", "float32").compute_type == "float32"
    # Without CTranslate2, auto falls back to the transformers reference (float32 on CPU).
    monkeypatch.setattr(type(BACKENDS["ctranslate2"]), "available", lambda self: self.name != "ctranslate2")
    r = resolve_backend(AUTO, "cpu")
    assert (r.backend, r.compute_type) == ("transformers", "float32")
    with pytest.raises(ModelLoadError, match="needs the ctranslate2 package"):
        resolve_backend("ctranslate2", "cpu")


def test_pipeline_records_the_resolved_backend_in_signature_and_keys(tiny_marian_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("ctranslate2")
    from translate.batch import settings_key
    from translate.pipeline import Options, Pipeline

    cfg_file = tmp_path / "models.yaml"
    cfg_file.write_text(_config_text(tiny_marian_dir), encoding="utf-8")
    config = load_config(cfg_file)
    auto = Pipeline(config, Options(threads=1, formats=("txt",)))
    forced = Pipeline(config, Options(threads=1, backend="transformers", formats=("txt",)))
    assert (auto.translator_config.backend, auto.translator_config.compute_type) == ("ctranslate2", "int8")
    assert (forced.translator_config.backend, forced.translator_config.compute_type) == ("transformers", "float32")
    assert settings_key(auto) != settings_key(forced)
    result = auto.run(SAMPLE, None)
    assert "|backend:ctranslate2/int8|" in result.document.meta.signature
    assert auto.translator.signature["compute_type"] == "int8"  # part of the translation cache key


NOT_ON_THE_CT2_PATH = (
    "torch", "transformers", "transformers.models.auto.modeling_auto", "huggingface_hub", "tokenizers", "safetensors",
    "trafilatura", "lxml", "httpx", "docx", "markdown_it", "charset_normalizer", "wordfreq", "nltk", "sumy",
    "scipy", "sklearn", "pandas", "ray", "pyarrow", "translate.batch",
)
"""Modules a one-file `dewire translate ARTICLE.txt` on the default CTranslate2 path never imports (cold start,
issue 16): the PyTorch stack (only the one-time conversion needs it), the readers' libraries of other formats
(HTML, DOCX, URLs, Markdown; charset detection only for input that is not UTF-8), libraries dewire does not use
on this path, and the batch package (only folders need it). An import guard, not a timing."""


def test_ctranslate2_default_path_never_imports_torch(tiny_marian_dir: Path, tmp_path: Path) -> None:
    """The whole `dewire translate` default path (auto → CTranslate2) with a converted model: neither torch nor
    transformers in sys.modules (the Marian tokenizer is `translate.mt.marian_spm`, on sentencepiece alone), nor
    any other module of :data:`NOT_ON_THE_CT2_PATH`."""
    pytest.importorskip("ctranslate2")
    cfg_file = tmp_path / "models.yaml"
    cfg_file.write_text(_config_text(tiny_marian_dir), encoding="utf-8")
    first = run_cli("translate", str(SAMPLE), "-o", str(tmp_path / "a"), "--config", str(cfg_file), "--threads", "1", "-q")
    assert first.returncode == 0, first.stderr  # converts (that needs torch), once
    code = (
        "import sys\n"
        "from translate.cli import main\n"
        f"rc = main(['translate', {str(SAMPLE)!r}, '-o', {str(tmp_path / 'b')!r}, '--config', {str(cfg_file)!r}, '--threads', '1', '-q', '--no-cache'])\n"
        "assert rc == 0, rc\n"
        f"print(','.join(m for m in {NOT_ON_THE_CT2_PATH!r} if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=dict(os.environ), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
    assert (tmp_path / "b" / "putin-kim.en.txt").is_file()


# -- per-sentence output bound ------------------------------------------------
@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
@pytest.mark.parametrize("beams", [1, 4])
def test_a_one_word_line_batched_with_a_long_sentence_gets_a_short_target(tiny_marian_dir: Path, backend: str, beams: int) -> None:
    if backend == "ctranslate2":
        pytest.importorskip("ctranslate2")
    cfg = TranslatorConfig(model=str(tiny_marian_dir), backend=backend, device="cpu", threads=1, beams=beams)
    tr: Any = load_translator(str(tiny_marian_dir), cfg, use_cache=False)
    short_len, long_len = tr.count_tokens([ONE_WORD, LONG])
    assert long_len >= 100 and short_len <= 8
    hyps = tr.translate_batch([ONE_WORD, LONG])
    assert tr.model_calls == 1 or backend == "ctranslate2"  # one batch: both sentences decoded together
    own = max_new_tokens(short_len, tr.max_input_tokens)
    assert hyps[0].n_tokens <= own, (hyps[0].n_tokens, own)  # the tiny model loops: before, ~1.5 × 100 tokens
    assert hyps[1].n_tokens > own  # the long sentence keeps its own, larger bound
    assert hyps[0].score is not None and hyps[0].score <= 0
    alone = tr.translate_batch([ONE_WORD])[0]
    if beams == 1:  # greedy: the bounded row is exactly what the sentence gets on its own
        assert alone.text == hyps[0].text and alone.n_tokens == hyps[0].n_tokens
        assert alone.score == pytest.approx(hyps[0].score, abs=1e-3)


def test_backends_agree_on_the_bounded_row_greedy_float32(tiny_marian_dir: Path) -> None:
    pytest.importorskip("ctranslate2")
    hyps = {}
    for backend in ("transformers", "ctranslate2"):
        cfg = TranslatorConfig(model=str(tiny_marian_dir), backend=backend, device="cpu", threads=1, beams=1, compute_type="float32")
        hyps[backend] = load_translator(str(tiny_marian_dir), cfg, use_cache=False).translate_batch([ONE_WORD, LONG])
    for a, b in zip(hyps["transformers"], hyps["ctranslate2"]):
        assert (a.text, a.n_tokens) == (b.text, b.n_tokens)
        assert a.score == pytest.approx(b.score, abs=2e-3)


# -- models.yaml hostile input (issue 12) --------------------------------------
def test_yaml_merge_keys_are_accepted(tmp_path: Path) -> None:
    cfg = tmp_path / "models.yaml"
    cfg.write_text(
        "x-opus: &opus {model: Helsinki-NLP/opus-mt-de-en, beams: 5, max_input_tokens: 512}\n"
        "defaults: {translator: a}\n"
        "translators:\n"
        "  a:\n    <<: *opus\n    beams: 3\n"
        "  b: {<<: *opus, backend: ctranslate2}\n",
        encoding="utf-8",
    )
    config = load_config(cfg)
    assert config.translators["a"].beams == 3 and config.translators["b"].beams == 5
    assert config.translators["b"].backend == "ctranslate2" and config.translators["a"].model == "Helsinki-NLP/opus-mt-de-en"
    cfg.write_text("defaults: {translator: a}\ntranslators:\n  a: {model: x}\n  a: {model: y}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="key 'a' appears twice"):
        load_config(cfg)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("low_confidence: .nan", "'translators.t.low_confidence': Input should be a finite number"),
        ("low_confidence: -.inf", "'translators.t.low_confidence': Input should be a finite number"),
        ("beams: true", "'translators.t.beams': expected a number, not true"),
        ("threads: false", "'translators.t.threads': expected a number, not false"),
    ],
)
def test_nan_and_booleans_are_refused(tmp_path: Path, entry: str, message: str) -> None:
    cfg = tmp_path / "models.yaml"
    cfg.write_text(f"defaults: {{translator: t}}\ntranslators:\n  t: {{model: x, {entry}}}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        load_config(cfg)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("defaults: {translator: t}\n[a, b]: 1\n", "a list cannot be a key (line 2)"),
        ("defaults: {translator: t}\n? {a: 1}\n: 2\n", "a map cannot be a key (line 2)"),
        ("a: " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
        ("a: " + "{a: " * 3000 + "}" * 3000 + "\n", "nested too deeply"),
    ],
    ids=["list-key", "map-key", "deep-list", "deep-map"],
)
def test_hostile_yaml_is_a_config_error_exit_4(tmp_path: Path, text: str, needle: str) -> None:
    cfg = tmp_path / "models.yaml"
    cfg.write_text(text, encoding="utf-8")
    proc = run_cli("models", "list", "--config", str(cfg))
    assert_one_line_error(proc, needle)
    assert proc.returncode == 4


# -- model loading errors (issue 12) -----------------------------------------
def test_a_model_file_without_read_permission_is_a_model_error(tiny_marian_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit 5 naming the file. As root, permissions do not stop reads, so access is also simulated."""
    import shutil

    from translate.mt import loading

    model = tmp_path / "model"
    shutil.copytree(tiny_marian_dir, model)
    real_access = os.access
    monkeypatch.setattr(loading.os, "access", lambda p, mode: Path(p).name != "model.safetensors" and real_access(p, mode))
    with pytest.raises(ModelLoadError, match="model.safetensors is not readable") as info:
        loading.resolve_model_dir(str(model))
    assert info.value.exit_code == 5
    monkeypatch.undo()

    real_open = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "model.safetensors":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(ModelLoadError, match=r"cannot read model.safetensors \(permission denied\)"):
        loading.model_revision(model)
    monkeypatch.undo()
    if os.geteuid() != 0:  # a real unreadable file, as a user sees it
        (model / "model.safetensors").chmod(0)
        proc = run_cli("translate", str(SAMPLE), "-o", str(tmp_path / "out"), "--model", str(model), "-q")
        assert_one_line_error(proc, "model.safetensors")
        assert proc.returncode == 5


def test_a_broken_summarization_model_is_exit_5(tiny_bart_dir: Path, tiny_marian_dir: Path, tmp_path: Path) -> None:
    """Garbage weights raise safetensors' own error class, which was an internal error (exit 70)."""
    import shutil

    bart = tmp_path / "bart"
    shutil.copytree(tiny_bart_dir, bart)
    (bart / "model.safetensors").write_bytes(b"\x00" * 64)
    cfg = tmp_path / "models.yaml"
    cfg.write_text(_config_text(tiny_marian_dir, backend="transformers"), encoding="utf-8")
    proc = run_cli("translate", str(SAMPLE), "-o", str(tmp_path / "out"), "--config", str(cfg), "--summarizer", str(bart), "--threads", "1", "-q")
    assert_one_line_error(proc, "summarization model", "cannot load")
    assert proc.returncode == 5


# -- stop words (issue 12) ------------------------------------------------------
def test_stop_words_do_not_depend_on_sumy_being_installed() -> None:
    code = (
        "import sys\n"
        "sys.modules['sumy'] = None  # as if sumy were not installed\n"
        "from translate.summarize.words import stop_words\n"
        "w = stop_words()\n"
        "assert {'the', 'and', 'of', 'which'} <= w, len(w)\n"
        "print(len(w))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) >= 570


def test_stop_words_match_sumys_list() -> None:
    sumy = pytest.importorskip("sumy")
    from importlib import resources

    from translate.summarize.words import stop_words

    text = resources.files(sumy).joinpath("data/stopwords/english.txt").read_text(encoding="utf-8")
    assert stop_words() == frozenset(w.strip().lower() for w in text.splitlines() if w.strip())


def test_a_missing_stop_word_list_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.summarize import words

    words.stop_words.cache_clear()
    monkeypatch.setattr(words, "STOP_WORDS_FILE", "no-such-file.txt")
    try:
        with pytest.raises(RuntimeError, match="stop-word list no-such-file.txt cannot be read"):
            words.stop_words()
    finally:
        words.stop_words.cache_clear()
