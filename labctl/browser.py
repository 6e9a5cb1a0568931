"""Find a Chromium for the end-to-end tests.

``CHROMIUM_PATH``, when set, names the browser. Otherwise Playwright's own Chromium if it is
installed, or installable (``python -m labctl.browser`` tries ``python -m playwright install
chromium``), else a system one: chromium, chromium-browser or google-chrome on PATH. With none,
``python -m labctl.browser`` prints one line saying how to get a browser and exits 1.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
HOW_TO_GET_ONE = (
    "No Chromium found for the end-to-end tests. Get one with "
    "`.venv/bin/python -m playwright install chromium`, or on Debian/Ubuntu `sudo apt-get install chromium`, "
    "or set CHROMIUM_PATH to a Chromium or Chrome executable."
)


class BrowserMissing(Exception):
    pass


def system_chromium():
    for name in SYSTEM_BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def executable_for_tests(chromium):
    """None to use Playwright's own Chromium, else the path of a system one.

    ``chromium`` is Playwright's BrowserType; raises BrowserMissing when there is no browser.
    """
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        if not os.access(configured, os.X_OK):
            raise BrowserMissing(f"CHROMIUM_PATH={configured} is not an executable file.")
        return configured
    if Path(chromium.executable_path).exists():
        return None
    path = system_chromium()
    if path is None:
        raise BrowserMissing(HOW_TO_GET_ONE)
    return path


def install_playwright_chromium():
    """Try Playwright's own download; machines without internet access fail within seconds."""
    print("No Chromium yet: trying `python -m playwright install chromium`...", flush=True)
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"], capture_output=True, timeout=600
        )
    except subprocess.TimeoutExpired:
        return False
    return completed.returncode == 0


def describe(path):
    return "Playwright's own Chromium" if path is None else path


def ensure():
    """Like executable_for_tests, but first tries to install Playwright's own Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium
        if not os.environ.get("CHROMIUM_PATH") and not Path(chromium.executable_path).exists():
            install_playwright_chromium()
        return describe(executable_for_tests(chromium))


def main():
    try:
        print(f"Browser for the end-to-end tests: {ensure()}")
    except BrowserMissing as missing:
        print(missing, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
