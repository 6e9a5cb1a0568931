import os

import pytest

from labctl.browser import BrowserMissing, executable_for_tests

TRUSTED = "http://localhost:8000"
UNTRUSTED = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def no_lab_environment(monkeypatch):
    """Tests start from the defaults: `make` exports LAB_* variables that would leak in."""
    for name in list(os.environ):
        if name.startswith("LAB_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    """Playwright's own Chromium if installed, else the system one (see labctl.browser)."""
    try:
        executable = executable_for_tests(playwright.chromium)
    except BrowserMissing as missing:
        pytest.exit(str(missing), returncode=1)
    return {**browser_type_launch_args, **({"executable_path": executable} if executable else {})}
