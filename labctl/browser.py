"""Find a Chromium for the end-to-end tests.

``CHROMIUM_PATH``, when set, names the browser. Otherwise Playwright's own Chromium if it is
installed, else a system one: chromium, chromium-browser or google-chrome on PATH (and, for the
tests that do not need the full browser, Debian's chromium-headless-shell when it is there). With
none, ``python -m labctl.browser`` tries ``python -m playwright install chromium``, and if that
fails prints one line saying how to get a browser and exits 1.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
HEADLESS_SHELL = "chromium-headless-shell"
HOW_TO_GET_ONE = (
    "No Chromium found. Get one with "
    f"`{sys.executable} -m playwright install chromium`, or on Debian/Ubuntu `sudo apt-get install chromium`, "
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


def launch_options(chromium, *, shell=False):
    """How Playwright should launch the lab's Chromium: ``{"executable_path": ...}``,
    ``{"channel": "chromium"}`` (Playwright's own, the full browser) or ``{}`` (Playwright's own,
    its choice). ``chromium`` is Playwright's BrowserType; raises BrowserMissing when there is none.

    ``shell=True`` takes Chromium's headless shell where there is one (Playwright's own, or
    Debian's ``chromium-headless-shell``): the same engine, network stack and CORS checks at about
    half the CPU. Only the full browser blocks third-party cookies in a default context and loads
    extensions, so the tests that depend on either and the benchmark take the full one.
    """
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        if not os.access(configured, os.X_OK):
            raise BrowserMissing(f"CHROMIUM_PATH={configured} is not an executable file.")
        return {"executable_path": configured}
    if Path(chromium.executable_path).exists():
        return {} if shell else {"channel": "chromium"}
    path = (shell and shutil.which(HEADLESS_SHELL)) or system_chromium()
    if path is None:
        raise BrowserMissing(HOW_TO_GET_ONE)
    return {"executable_path": path}


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


def describe(options):
    return options.get("executable_path", "Playwright's own Chromium")


def ensure():
    """Like launch_options, but first tries to install Playwright's own Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium
        if not (os.environ.get("CHROMIUM_PATH") or Path(chromium.executable_path).exists() or system_chromium()):
            install_playwright_chromium()
        return f"{describe(launch_options(chromium))}; the fast tests: {describe(launch_options(chromium, shell=True))}"


def main():
    try:
        print(f"Browser for the end-to-end tests: {ensure()}")
    except BrowserMissing as missing:
        print(missing, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
