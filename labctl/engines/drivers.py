"""One small interface over three very different drivers, so that the checks are written once.

``Engine.open(url)`` gives a ``Tab``: a fresh browser context (its own cookie jar) showing ``url``;
``tab.run(script)`` runs ``script``, the source of an async JavaScript function, in the page and
returns what it resolves to (JSON); ``tab.goto(url)``; ``tab.close()``. ``Engine.missing()``
lists what this machine lacks for the engine, without starting anything.

- WebKit: Debian's WebKitWebDriver (webkit2gtk-driver) driving MiniBrowser, with Selenium for
  Python, under ``xvfb-run`` (WebKitGTK needs a display). Each tab is a session of its own.
- Firefox: Debian's firefox-esr through WebDriver BiDi with puppeteer-core, in a Node script
  (engines/firefox/driver.mjs) that answers JSON lines; each tab is a BiDi user context.
- Chromium: Playwright, as `make test` drives it (only for the behaviour table).
"""

import glob
import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIREFOX_DRIVER = ROOT / "engines" / "firefox" / "driver.mjs"
MINIBROWSER_GLOBS = ("/usr/lib/*/webkit2gtk-4.1/MiniBrowser", "/usr/lib/*/webkit2gtk-4.0/MiniBrowser")
SCRIPT_TIMEOUT = 180  # seconds: one "Run all" in a slow engine on a busy machine


class DriverError(Exception):
    pass


def minibrowser():
    for pattern in MINIBROWSER_GLOBS:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    return None


class WebKit:
    name = "webkit"

    @staticmethod
    def missing():
        """What this machine lacks for WebKit: Debian packages, or the pip extra."""
        lacks = []
        if not shutil.which("WebKitWebDriver") or not minibrowser():
            lacks.append("webkit2gtk-driver")
        if not os.environ.get("DISPLAY") and not (shutil.which("xvfb-run") and shutil.which("xauth")):
            lacks.append("xvfb xauth")  # xvfb-run needs xauth, only a Recommends of xvfb
        try:
            import selenium  # noqa: F401
        except ImportError:
            lacks.append("selenium (pip install -e '.[engines]')")
        return lacks

    def __init__(self):
        self.tabs = []
        self.version = "WebKitGTK"

    def open(self, url):
        from selenium import webdriver

        options = webdriver.WebKitGTKOptions()
        options.binary_location = minibrowser()
        options.add_argument("--automation")
        driver = webdriver.WebKitGTK(options=options)
        driver.set_script_timeout(SCRIPT_TIMEOUT)
        self.version = f"WebKitGTK {driver.capabilities.get('browserVersion')}"
        driver.get(url)
        tab = WebKitTab(driver)
        self.tabs.append(tab)
        return tab

    def close(self):
        for tab in self.tabs:
            tab.close()


class WebKitTab:
    def __init__(self, driver):
        self.driver = driver

    def run(self, script):
        wrapped = (
            "const done = arguments[arguments.length - 1];"
            f"({script})().then((value) => done({{ value }}),"
            " (error) => done({ error: String((error && error.stack) || error) }));"
        )
        answer = self.driver.execute_async_script(wrapped)
        if "error" in answer:
            raise DriverError(answer["error"])
        return answer.get("value")

    def goto(self, url):
        self.driver.get(url)

    def close(self):
        if self.driver:
            self.driver.quit()
            self.driver = None


class Firefox:
    name = "firefox"

    @staticmethod
    def executable():
        return os.environ.get("FIREFOX_PATH") or shutil.which("firefox-esr") or shutil.which("firefox")

    @staticmethod
    def missing():
        """What this machine lacks for Firefox: Debian packages, Node, or the driver's npm packages."""
        lacks = []
        if not Firefox.executable():
            lacks.append("firefox-esr")
        if not shutil.which("node"):
            lacks.append("nodejs npm")
        elif not (FIREFOX_DRIVER.parent / "node_modules" / "puppeteer-core").is_dir():
            lacks.append("puppeteer-core (npm ci --prefix engines/firefox)")
        return lacks

    def __init__(self):
        executable = self.executable()
        self.process = subprocess.Popen(
            [shutil.which("node"), str(FIREFOX_DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "FIREFOX_PATH": executable},
        )
        # "firefox/153.8.0" -> "Firefox 153.8.0 ESR" (Debian's firefox-esr)
        number = self._answer()["version"].split("/")[-1]
        self.version = f"Firefox {number}{' ESR' if 'esr' in Path(executable).name else ''}"

    def _answer(self):
        line = self.process.stdout.readline()
        if not line:
            raise DriverError(f"the Firefox driver stopped (status {self.process.wait()})")
        answer = json.loads(line)
        if not answer["ok"]:
            raise DriverError(answer["error"])
        return answer["value"]

    def call(self, **command):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def open(self, url):
        return FirefoxTab(self, self.call(op="open", url=url))

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class FirefoxTab:
    def __init__(self, engine, page):
        self.engine, self.page = engine, page

    def run(self, script):
        return self.engine.call(op="eval", page=self.page, script=script)

    def goto(self, url):
        self.engine.call(op="goto", page=self.page, url=url)

    def close(self):
        self.engine.call(op="close", page=self.page)


class Chromium:
    """Chromium through Playwright, as `make test` drives it: only for the behaviour table."""

    name = "chromium"

    @staticmethod
    def missing():
        return []  # labctl.browser finds or installs one, as for `make test`

    def __init__(self):
        from playwright.sync_api import sync_playwright

        from labctl.browser import launch_options

        self.playwright = sync_playwright().start()
        try:
            self.browser = self.playwright.chromium.launch(**launch_options(self.playwright.chromium))
        except BaseException:
            self.playwright.stop()
            raise
        self.version = f"Chromium {self.browser.version}"

    def open(self, url):
        context = self.browser.new_context()
        page = context.new_page()
        page.goto(url)
        return ChromiumTab(context, page)

    def close(self):
        self.browser.close()
        self.playwright.stop()


class ChromiumTab:
    def __init__(self, context, page):
        self.context, self.page = context, page

    def run(self, script):
        return self.page.evaluate(f"({script})()")

    def goto(self, url):
        self.page.goto(url)

    def close(self):
        self.context.close()


ENGINES = {"firefox": Firefox, "webkit": WebKit, "chromium": Chromium}
