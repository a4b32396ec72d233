"""Shared test fixtures.

* Every test runs with ``DEWIRE_HOME`` and ``HF_HOME`` in a fresh temporary
  directory and ``HF_HUB_OFFLINE=1``: no test can download a model or touch
  the user's caches.
* Tiny real models (random weights, real on-disk layout, real tokenizers
  trained on a few KB of German/English text) are built once per test session
  by ``tests/tiny_marian.py`` and ``tests/tiny_bart.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DEWIRE_HOME", str(home / "dewire"))
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.delenv("DEWIRE_CONFIG", raising=False)
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def tiny_marian_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight MarianMT de→en model directory (save_pretrained layout)."""
    from tests.tiny_marian import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian"))


@pytest.fixture(scope="session")
def tiny_bart_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight BART summarization model directory (save_pretrained layout)."""
    from tests.tiny_bart import build_tiny_bart

    return build_tiny_bart(tmp_path_factory.mktemp("tiny-bart"))
