"""Shared test fixtures.

* Every test runs with ``DEWIRE_HOME`` and ``HF_HOME`` in a fresh temporary
  directory and ``HF_HUB_OFFLINE=1``: no test can download a model or touch
  the user's caches.
* Tiny real models (random weights, real on-disk layout, real tokenizers
  trained on a few KB of German/English text) are built once per test session
  by ``tests/tiny_marian.py`` and ``tests/tiny_bart.py``.
* ``browser``: headless Debian Chromium driven by the playwright package
  (never ``playwright install``, which downloads a browser), one per test module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
CORPUS = REPO.parent / "shared" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Chromium flags that work in this sandboxed, offline CI (no sandbox, no GPU, no network chatter)."""


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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium (``playwright`` ``Browser``); skipped where chromium or playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (CI installs Debian chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing (CI installs it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()
