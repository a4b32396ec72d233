"""models.yaml validation: strict schema, one-line errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.config import load_config, parse_config
from translate.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent

BASE = {
    "defaults": {"translator": "t"},
    "translators": {"t": {"model": "Helsinki-NLP/opus-mt-de-en"}},
}


def test_shipped_models_yaml_is_valid_and_names_opus_mt() -> None:
    config = load_config(REPO / "models.yaml")
    name, t = config.translator()
    assert name == "opus-mt-de-en"
    assert t.model == "Helsinki-NLP/opus-mt-de-en"
    assert t.max_input_tokens == 512 and t.split_tokens < t.max_input_tokens
    assert config.defaults.summarizer == "extractive"
    abstractive = {s.model for s in config.summarizers.values() if s.kind == "abstractive"}
    assert {"sshleifer/distilbart-cnn-12-6", "sshleifer/distilbart-cnn-6-6", "facebook/bart-large-cnn"} <= abstractive


def test_packaged_copy_is_the_repository_file() -> None:
    packaged = REPO / "translate" / "models.yaml"
    assert packaged.read_text(encoding="utf-8") == (REPO / "models.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["translators"]["t"].update(beem=4), "unknown key 'translators.t.beem'"),
        (lambda d: d.update(extra=1), "unknown key 'extra'"),
        (lambda d: d["translators"]["t"].update(beams="four"), "'translators.t.beams'"),
        (lambda d: d["translators"]["t"].update(backend="onnx"), "'translators.t.backend'"),
        (lambda d: d["translators"]["t"].pop("model"), "missing key 'translators.t.model'"),
        (lambda d: d["defaults"].update(translator="nope"), "defaults.translator names 'nope'"),
        (lambda d: d.update(summarizers={"x": {"kind": "abstractive"}}), "needs 'model'"),
        (lambda d: d["translators"]["t"].update(split_tokens=600), "split_tokens (600) must be below max_input_tokens"),
    ],
)
def test_invalid_config_names_the_key(change, expected: str) -> None:
    import copy

    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(ConfigError) as info:
        parse_config(data, "models.yaml")
    message = str(info.value)
    assert expected in message
    assert "\n" not in message
    assert message.startswith("models.yaml")


def test_yaml_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "models.yaml"
    bad.write_text("defaults: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid YAML at line \d+"):
        load_config(bad)
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "missing.yaml")
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(bad)


def test_safe_loader_refuses_python_tags(tmp_path: Path) -> None:
    bad = tmp_path / "models.yaml"
    bad.write_text("defaults: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)


def test_model_override_keeps_settings() -> None:
    config = load_config(REPO / "models.yaml")
    name, t = config.translator("/some/local/dir")
    assert name == "/some/local/dir" and t.model == "/some/local/dir" and t.beams == 4
    name, s = config.summarizer("distilbart-cnn-6-6")
    assert s.kind == "abstractive" and s.model == "sshleifer/distilbart-cnn-6-6"


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    """PyYAML keeps the last of two equal keys silently; models.yaml refuses them, naming both lines."""
    cfg = tmp_path / "models.yaml"
    cfg.write_text("defaults: {translator: t}\ntranslators:\n  t: {model: x}\n  t: {model: y}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"key 't' appears twice \(lines 3 and 4\)"):
        load_config(cfg)


def test_config_pickles_for_worker_processes() -> None:
    """Batch --jobs and the Ray engine send the validated config to other processes: it must pickle."""
    import pickle

    from translate.config import load_config

    config = load_config(None)
    assert pickle.loads(pickle.dumps(config)) == config
