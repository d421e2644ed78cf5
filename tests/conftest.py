"""The `browser` marker, Chromium and the screenshot folder of the browser tests
(tests/test_browser.py: the notebooks; tests/test_site.py: the website)."""

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

SHOTS = pytest.StashKey[Path]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: drives JupyterLab, Voilà or the website in Chromium (run alone: pytest -m browser)",
    )


# Debian's Chromium, headless. Without the background-networking flags Chromium calls Google's
# hosts at start-up, which a closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by playwright (the tests using it skip when either is missing)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser_shots(request, tmp_path_factory):
    """Folder for the browser test's screenshots: $BROWSER_SHOTS, or a fresh temporary folder."""
    folder = Path(os.environ["BROWSER_SHOTS"]) if os.environ.get("BROWSER_SHOTS") else None
    if folder is None:
        folder = tmp_path_factory.mktemp("browser-shots")
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[SHOTS] = folder
    return folder


def pytest_terminal_summary(terminalreporter, config):
    if SHOTS in config.stash:
        terminalreporter.write_line(f"browser screenshots: {config.stash[SHOTS]}")


@pytest.fixture
def chinese():
    """bplib in Chinese for one test, English again afterwards."""
    from bplib import use_language

    use_language("zh")
    try:
        yield
    finally:
        use_language("en")


def _small_task(n=300, width=20, classes=3, seed=0):
    """A task a small network can learn: the class is the largest of a few fixed projections.
    Returns x_train, t_train, x_test, t_test (float32 inputs), new arrays on every call."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, width)).astype(np.float32)
    t = np.argmax(x @ rng.standard_normal((width, classes)), axis=1)
    return x[: n * 2 // 3], t[: n * 2 // 3], x[n * 2 // 3 :], t[n * 2 // 3 :]


@pytest.fixture
def small_task():
    """The training tests' data (tests/test_training.py, tests/test_ch6_training.py): call it."""
    return _small_task
