"""``dewire models list`` and ``dewire models download`` (issue 2), as a user runs them.

Every command runs in a subprocess (real exit codes, real stderr) with
``HF_HUB_OFFLINE=1`` and a temporary ``HF_HOME`` (tests/conftest.py), so
nothing can be downloaded. "Available locally" is checked three ways: a local
``save_pretrained`` directory (the tiny models), a hub id whose snapshot is in
the Hugging Face cache (a cache folder laid out as huggingface_hub lays it
out, filled with the tiny Marian's files), and a hub id that is not cached.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.test_cli import SAMPLE, assert_one_line_error, run_cli

WIDE = {"COLUMNS": "400"}  # rich wraps or crops table cells to the terminal width; keep rows whole
COMMIT = "0123456789abcdef0123456789abcdef01234567"
CACHED_ID = "dewire-test/tiny-opus"


def _decode(proc) -> tuple[str, str]:
    return proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def table_rows(text: str) -> dict[str, list[str]]:
    """Rows of ``models list``'s tables: first cell (name, ``*`` stripped) → the other cells."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) in (4, 6) and cells[0] != "name":
            rows[cells[0].removesuffix(" *")] = [*cells[1:], "default" if cells[0].endswith(" *") else ""]
    return rows


@pytest.fixture()
def hf_home(tmp_path: Path, tiny_marian_dir: Path) -> Path:
    """An HF_HOME whose hub cache holds one complete snapshot: ``dewire-test/tiny-opus`` at ``main``."""
    home = tmp_path / "hf"
    repo = home / "hub" / ("models--" + CACHED_ID.replace("/", "--"))
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(COMMIT, encoding="utf-8")
    shutil.copytree(tiny_marian_dir, repo / "snapshots" / COMMIT)
    return home


@pytest.fixture()
def config(tmp_path: Path, tiny_marian_dir: Path, tiny_bart_dir: Path) -> Path:
    cfg = tmp_path / "models.yaml"
    cfg.write_text(
        "defaults: {translator: tiny, summarizer: extractive}\n"
        "translators:\n"
        f"  tiny: {{model: '{tiny_marian_dir}'}}\n"
        f"  cached: {{model: {CACHED_ID}}}\n"
        "  opus: {model: Helsinki-NLP/opus-mt-de-en, backend: ctranslate2}\n"
        "summarizers:\n"
        "  extractive: {kind: extractive}\n"
        f"  bart-local: {{kind: abstractive, model: '{tiny_bart_dir}'}}\n"
        "  distilbart: {kind: abstractive, model: sshleifer/distilbart-cnn-6-6}\n",
        encoding="utf-8",
    )
    return cfg


def models(*args: str, hf_home: Path | None = None, env: dict[str, str] | None = None):
    extra = {**WIDE, **({"HF_HOME": str(hf_home)} if hf_home else {}), **(env or {})}
    return run_cli("models", *args, env=extra)


@pytest.mark.parametrize("placement", ["before", "after"])
def test_list_shows_each_model_and_whether_it_is_local(
    config: Path, hf_home: Path, tiny_marian_dir: Path, tiny_bart_dir: Path, placement: str
) -> None:
    args = ("--config", str(config), "list") if placement == "before" else ("list", "--config", str(config))
    proc = models(*args, hf_home=hf_home)
    out, err = _decode(proc)
    assert proc.returncode == 0, err
    assert err == ""
    assert "Translatorsin" + str(config) in "".join(out.split())  # the title names the file (rich may wrap it)
    rows = table_rows(out)
    # translators: model, backend and compute type here (auto → ctranslate2 int8 on this CPU), conversion cached, local
    assert rows["tiny"] == [str(tiny_marian_dir), "ctranslate2", "int8", "no", "yes", "default"]  # a local directory
    assert rows["cached"] == [CACHED_ID, "ctranslate2", "int8", "no", "yes", ""]  # a complete snapshot in the HF cache
    assert rows["opus"] == ["Helsinki-NLP/opus-mt-de-en", "ctranslate2", "int8", "no", "no", ""]  # a hub id not cached
    assert rows["extractive"] == ["-", "extractive", "built in", "default"]
    assert rows["bart-local"] == [str(tiny_bart_dir), "abstractive", "yes", ""]
    assert rows["distilbart"] == ["sshleifer/distilbart-cnn-6-6", "abstractive", "no", ""]
    assert "dewire models download NAME" in out


def test_list_shows_transformers_when_forced_and_the_conversion_once_cached(
    config: Path, hf_home: Path, tiny_marian_dir: Path, tmp_path: Path
) -> None:
    """``backend: transformers`` is listed as such (float32 on CPU); a CTranslate2 entry shows 'converted: yes' after one run."""
    text = config.read_text(encoding="utf-8").replace("  opus: {model: Helsinki-NLP/opus-mt-de-en, backend: ctranslate2}\n",
        f"  opus: {{model: '{tiny_marian_dir}', backend: transformers, device: cpu}}\n")
    config.write_text(text, encoding="utf-8")
    home = tmp_path / "dewire-home"
    proc = models("--config", str(config), "list", hf_home=hf_home, env={"DEWIRE_HOME": str(home)})
    rows = table_rows(_decode(proc)[0])
    assert rows["opus"][1:4] == ["transformers", "float32", "-"]
    assert rows["tiny"][3] == "no"
    run = run_cli("translate", str(SAMPLE), "-o", str(tmp_path / "out"), "--config", str(config), "--threads", "1", "--format", "txt",
                  env={**WIDE, "HF_HOME": str(hf_home), "DEWIRE_HOME": str(home)})
    assert run.returncode == 0, run.stderr.decode()
    stderr = run.stderr.decode()
    assert "converting the translation model for CTranslate2 (int8, once" in stderr and "converted in " in stderr
    proc = models("--config", str(config), "list", hf_home=hf_home, env={"DEWIRE_HOME": str(home)})
    assert table_rows(_decode(proc)[0])["tiny"][3] == "yes"
    again = run_cli("translate", str(SAMPLE), "-o", str(tmp_path / "out2"), "--config", str(config), "--threads", "1", "--format", "txt", "--no-cache",
                    env={**WIDE, "HF_HOME": str(hf_home), "DEWIRE_HOME": str(home)})
    assert again.returncode == 0 and "converting" not in again.stderr.decode()  # later runs start at once


def test_list_an_incomplete_cached_snapshot_is_not_local(config: Path, hf_home: Path) -> None:
    snapshot = hf_home / "hub" / ("models--" + CACHED_ID.replace("/", "--")) / "snapshots" / COMMIT
    (snapshot / "model.safetensors").unlink()  # an interrupted download: no weights
    proc = models("--config", str(config), "list", hf_home=hf_home)
    assert proc.returncode == 0, _decode(proc)[1]
    assert table_rows(_decode(proc)[0])["cached"][4] == "no"


def test_list_with_the_shipped_models_yaml() -> None:
    """Without --config: ./models.yaml of the working directory (the repository's), nothing cached."""
    proc = models("list")
    out, err = _decode(proc)
    assert proc.returncode == 0, err
    rows = table_rows(out)
    assert rows["opus-mt-de-en"] == ["Helsinki-NLP/opus-mt-de-en", "ctranslate2", "int8", "no", "no", "default"]
    assert rows["opus-mt-de-en-fast"][1:5] == ["ctranslate2", "int8", "no", "no"]
    assert rows["extractive"] == ["-", "extractive", "built in", "default"]
    for name in ("distilbart-cnn-12-6", "distilbart-cnn-6-6", "bart-large-cnn"):
        assert rows[name][1:3] == ["abstractive", "no"], name


@pytest.mark.parametrize(("name", "what", "model"), [("opus", "translation model", "Helsinki-NLP/opus-mt-de-en"), ("distilbart", "summarization model", "sshleifer/distilbart-cnn-6-6")])
def test_download_offline_is_a_one_line_error(config: Path, hf_home: Path, name: str, what: str, model: str) -> None:
    proc = models("--config", str(config), "download", name, hf_home=hf_home)
    line = assert_one_line_error(proc, f"cannot download {what} '{model}'", "HF_HUB_OFFLINE is set")
    assert proc.returncode == 5, line
    assert _decode(proc)[0] == ""
    assert not (hf_home / "hub" / ("models--" + model.replace("/", "--"))).exists()  # nothing fetched, no partial folder


def test_download_without_a_name_takes_the_default_translator() -> None:
    proc = models("download")  # the shipped models.yaml: opus-mt-de-en
    line = assert_one_line_error(proc, "cannot download translation model 'Helsinki-NLP/opus-mt-de-en'")
    assert proc.returncode == 5, line


def test_download_with_the_hub_unreachable_fails_fast(config: Path, hf_home: Path) -> None:
    """Not offline by setting, but no route to the hub: a one-line error after the short connectivity check.

    The hub endpoint is a closed port on this machine, so nothing can be fetched.
    """
    env = {"HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0", "HF_ENDPOINT": "http://127.0.0.1:9", "DEWIRE_HUB_TIMEOUT": "2"}
    proc = models("--config", str(config), "download", "opus", hf_home=hf_home, env=env)
    line = assert_one_line_error(proc, "cannot download translation model 'Helsinki-NLP/opus-mt-de-en'", "unreachable")
    assert proc.returncode == 5, line


def test_download_extractive_is_built_in(config: Path) -> None:
    proc = models("--config", str(config), "download", "extractive")
    out, err = _decode(proc)
    assert proc.returncode == 0, err
    assert out.strip() == "extractive: built in, nothing to download"
    assert err == ""


def test_download_unknown_name_is_a_config_error(config: Path) -> None:
    proc = models("--config", str(config), "download", "opus-mt-fr-en")
    line = assert_one_line_error(proc, "no model named 'opus-mt-fr-en'", str(config), "known: tiny, cached, opus, extractive, bart-local, distilbart")
    assert proc.returncode == 4, line


def test_download_unknown_name_stops_before_downloading_anything(config: Path, hf_home: Path) -> None:
    """Names are looked up in order; the built-in one before the unknown one is reported, then the error."""
    proc = models("--config", str(config), "download", "extractive", "nope", hf_home=hf_home)
    assert_one_line_error(proc, "no model named 'nope'")
    assert proc.returncode == 4
    assert _decode(proc)[0].strip() == "extractive: built in, nothing to download"


def test_download_a_local_directory_has_nothing_to_download(config: Path, tiny_marian_dir: Path) -> None:
    proc = models("--config", str(config), "download", "tiny")
    out, err = _decode(proc)
    assert proc.returncode == 0, err
    assert "nothing to download" in out and str(tiny_marian_dir) in out


def test_download_of_a_cached_model_needs_no_network(config: Path, hf_home: Path) -> None:
    """Offline, a model already complete in the Hugging Face cache is reported, not re-fetched."""
    proc = models("--config", str(config), "download", "cached", hf_home=hf_home)
    out, err = _decode(proc)
    assert proc.returncode == 0, err
    assert out.strip() == f"cached: {CACHED_ID} is already in the Hugging Face cache"


def test_download_takes_a_hub_id_as_the_missing_model_error_suggests(config: Path) -> None:
    """`translate --model ORG/NAME` suggests `models download ORG/NAME`: that command must exist."""
    proc = run_cli("translate", str(SAMPLE), "--model", "Helsinki-NLP/opus-mt-de-fr", "--config", str(config), env=WIDE)
    line = assert_one_line_error(proc, "run 'dewire models download Helsinki-NLP/opus-mt-de-fr'")
    proc = models("--config", str(config), "download", "Helsinki-NLP/opus-mt-de-fr")
    line = assert_one_line_error(proc, "Helsinki-NLP/opus-mt-de-fr")
    assert "no model named" not in line and proc.returncode == 5


def test_download_of_a_missing_local_directory_says_so(tmp_path: Path) -> None:
    cfg = tmp_path / "models.yaml"
    gone = tmp_path / "gone"
    cfg.write_text(f"defaults: {{translator: t}}\ntranslators:\n  t: {{model: '{gone}'}}\n", encoding="utf-8")
    proc = models("--config", str(cfg), "download", "t")
    assert_one_line_error(proc, f"directory '{gone}'", "does not exist")
    assert proc.returncode == 5
