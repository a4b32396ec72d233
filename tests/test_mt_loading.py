"""Model resolution: local directory → Hugging Face cache → (never, in tests) the hub."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from translate.config import TranslatorConfig
from translate.errors import ConfigError, ModelLoadError, ModelNotFoundError
from translate.mt import load_translator
from translate.mt.cache import CachedTranslator
from translate.mt import loading
from translate.mt.loading import (
    download_model,
    is_available_locally,
    is_path_like,
    model_revision,
    resolve_model_dir,
)

REPO = Path(__file__).resolve().parent.parent
COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every socket connection or name lookup fail the test."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:1]))
        raise AssertionError(f"network access attempted: {args[:1]}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def fake_hub_cache(model_dir: Path, repo_id: str) -> Path:
    """Lay ``model_dir`` out as a snapshot of ``repo_id`` in $HF_HOME/hub."""
    root = Path(os.environ["HF_HOME"]) / "hub" / ("models--" + repo_id.replace("/", "--"))
    snap = root / "snapshots" / COMMIT
    shutil.copytree(model_dir, snap)
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text(COMMIT)
    return snap


def test_missing_hub_model_offline_fails_without_network(no_network: list[str]) -> None:
    with pytest.raises(ModelNotFoundError) as err:
        resolve_model_dir("Helsinki-NLP/opus-mt-de-en", config_name="opus-mt-de-en")
    assert str(err.value) == (
        "translation model 'Helsinki-NLP/opus-mt-de-en' is not available offline: run 'dewire models download "
        "opus-mt-de-en' on a connected machine, or pass --model PATH (a directory written by save_pretrained)"
    )
    assert no_network == []
    assert not is_available_locally("Helsinki-NLP/opus-mt-de-en")


def test_load_translator_names_the_config_entry(no_network: list[str]) -> None:
    cfg = TranslatorConfig(model="Helsinki-NLP/opus-mt-de-en")
    with pytest.raises(ModelNotFoundError, match="dewire models download opus-mt-de-en'"):
        load_translator("opus-mt-de-en", cfg)
    summarizer = "sshleifer/distilbart-cnn-12-6"
    with pytest.raises(ModelNotFoundError, match=r"pass --summarizer PATH"):
        resolve_model_dir(summarizer, what="summarization model", config_name="distilbart-cnn-12-6")


def test_missing_directory_is_not_found() -> None:
    with pytest.raises(ModelNotFoundError, match=r"^translation model directory './no/such/model' does not exist$"):
        resolve_model_dir("./no/such/model")


@pytest.mark.parametrize("missing", ["config.json", "model.safetensors", "source.spm", "target.spm", "vocab.json"])
def test_incomplete_local_directory_names_the_missing_file(tiny_marian_dir: Path, tmp_path: Path, missing: str) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_marian_dir, broken)
    (broken / missing).unlink()
    with pytest.raises(ModelLoadError) as err:
        resolve_model_dir(str(broken))
    assert missing in str(err.value) and str(broken) in str(err.value)
    assert "\n" not in str(err.value)
    assert not is_available_locally(str(broken))


def test_corrupt_config_is_a_load_error(tiny_marian_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_marian_dir, broken)
    (broken / "config.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="config.json is not valid JSON"):
        resolve_model_dir(str(broken))


def test_local_directory_and_hub_cache_resolve_offline(tiny_marian_dir: Path, no_network: list[str]) -> None:
    assert resolve_model_dir(str(tiny_marian_dir)) == tiny_marian_dir
    assert is_available_locally(str(tiny_marian_dir))
    snap = fake_hub_cache(tiny_marian_dir, "acme/tiny-opus-mt")
    assert resolve_model_dir("acme/tiny-opus-mt") == snap
    assert is_available_locally("acme/tiny-opus-mt")
    assert model_revision(snap) == COMMIT
    assert no_network == []


def test_local_revision_is_a_content_fingerprint(tiny_marian_dir: Path, tmp_path: Path) -> None:
    rev = model_revision(tiny_marian_dir)
    assert rev.startswith("local-") and len(rev) == 18
    copy = tmp_path / "copy"
    shutil.copytree(tiny_marian_dir, copy)
    assert model_revision(copy) == rev  # moving a model keeps its cache entries
    (copy / "config.json").write_text((copy / "config.json").read_text().replace("32", "33", 1))
    assert model_revision(copy) != rev


def test_path_like() -> None:
    assert not is_path_like("Helsinki-NLP/opus-mt-de-en")
    assert not is_path_like("opus-mt-de-en")
    for p in ("./model", "../m", "~/m", "/abs/m", "a/b/c", "dir/"):
        assert is_path_like(p), p


def test_load_translator_wraps_in_cache_unless_disabled(tiny_marian_dir: Path) -> None:
    cfg = TranslatorConfig(model=str(tiny_marian_dir), device="cpu", backend="transformers")
    t = load_translator(str(tiny_marian_dir), cfg, threads=1)
    assert isinstance(t, CachedTranslator) and t.name == "transformers"
    raw = load_translator(str(tiny_marian_dir), cfg, use_cache=False, threads=1)
    assert raw.name == "transformers" and not isinstance(raw, CachedTranslator)
    assert raw.signature["revision"] == model_revision(tiny_marian_dir)
    with pytest.raises(ConfigError, match="unknown translation backend 'nope'"):
        load_translator("x", cfg, backend="nope")


def test_importing_the_engine_does_not_import_torch() -> None:
    code = (
        "import sys, translate.mt, translate.mt.engine, translate.mt.cache, translate.mt.loading, "
        "translate.mt.splitting, translate.mt.batching, translate.mt.flags, translate.mt.echo\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'huggingface_hub') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_download_refuses_offline_and_when_the_hub_is_unreachable(
    monkeypatch: pytest.MonkeyPatch, no_network: list[str]
) -> None:
    with pytest.raises(ModelNotFoundError, match=r"cannot download .*HF_HUB_OFFLINE is set"):
        download_model("Helsinki-NLP/opus-mt-de-en", config_name="opus-mt-de-en")
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE")
    probes: list[float | None] = []
    monkeypatch.setattr(loading, "hub_reachable", lambda timeout=None: probes.append(timeout) or False)
    with pytest.raises(ModelNotFoundError) as err:
        resolve_model_dir("Helsinki-NLP/opus-mt-de-en", config_name="opus-mt-de-en")
    assert str(err.value).startswith(
        "translation model 'Helsinki-NLP/opus-mt-de-en' is not available offline and the Hugging Face hub is unreachable: "
        "run 'dewire models download opus-mt-de-en'"
    )
    assert probes == [None] and no_network == []
