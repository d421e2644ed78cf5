"""The `browser` marker and the screenshot folder of tests/test_browser.py."""

import os
from pathlib import Path

import pytest

SHOTS = pytest.StashKey[Path]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab and Voilà in Chromium (run alone: pytest -m browser)"
    )


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
