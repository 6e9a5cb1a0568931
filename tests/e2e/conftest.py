"""Both servers under gunicorn on free loopback ports, and a real Chromium.

Never page.route / context.route here: while any route is active, Playwright answers CORS
preflights itself. The wire is observed through the API's own /log.
"""

import json
import secrets
import urllib.request

import pytest

from labctl.doctor import probe_browser
from labctl.servers import Lab, Origins, free_port
from tests.pages import open_ready

# The doctor's probe page over https too (a self-signed certificate its browser accepts).
HTTPS_ORIGIN = "https://localhost:8443"


@pytest.fixture(scope="session")
def running_lab(tmp_path_factory):
    """Both servers of one lab, as ``make run`` starts them (with a lab key of their own)."""
    folder = tmp_path_factory.mktemp("lab")
    origins = Origins.on_ports(free_port(), free_port())
    with open(folder / "servers.log", "w") as output:
        with Lab(origins, extra_env={"LAB_LOG_DB": str(folder / "wire.sqlite3")}, output=output) as lab:
            yield lab


@pytest.fixture(scope="session")
def lab(running_lab):
    """The running lab's Origins: pages on localhost and 127.0.0.1, the API likewise."""
    return running_lab.origins


@pytest.fixture(scope="session")
def lab_key(running_lab):
    """The secret the lab's own pages hold, and no other page can read."""
    return running_lab.key


@pytest.fixture(scope="module")
def doctor_browser(lab, playwright):
    """The doctor's Chromium: its probe page on the lab's trusted origin and on HTTPS_ORIGIN."""
    with probe_browser(lab.trusted_origin, playwright, more=[HTTPS_ORIGIN]) as browser:
        yield browser


@pytest.fixture(scope="session")
def read_log(lab):
    """The API's /log entries for one run id, read over HTTP like any client would."""

    def read(run):
        with urllib.request.urlopen(f"{lab.api_origin}/log?run={run}", timeout=10) as response:
            return json.load(response)["entries"]

    return read


def flush_console(page):
    """Returns once every console message the page printed so far has reached Playwright: a page's
    messages arrive in order, so a marker logged now arrives after them (no fixed wait)."""
    marker = f"console-flush-{secrets.token_hex(4)}"
    with page.expect_console_message(lambda message: message.text == marker):
        page.evaluate("marker => console.log(marker)", marker)


@pytest.fixture
def console_errors(page):
    """Console errors and uncaught exceptions of the page, collected as they happen."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


@pytest.fixture
def open_index(page, lab):
    """Opens the index on the trusted or the untrusted origin and waits until it is ready."""

    def open_on(role):
        origin = {"trusted": lab.trusted_origin, "untrusted": lab.untrusted_origin}[role]
        open_ready(page, f"{origin}/")
        return origin

    return open_on


@pytest.fixture(scope="session")
def third_party_cookie_context(
    playwright, browser, browser_type_launch_args, full_chromium_launch_args, tmp_path_factory
):
    """A Chromium context that allows third-party cookies. The headless shell's contexts do (the
    session's ``browser`` is the shell where there is one); the full Chromium's fresh contexts
    block them, so with no shell it is a profile that allows them (a persistent context,
    Chromium's only way to load a profile)."""
    if browser_type_launch_args != full_chromium_launch_args:
        context = browser.new_context()
        yield context
        context.close()
        return
    profile = tmp_path_factory.mktemp("profile")
    (profile / "Default").mkdir()
    preferences = {"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": False}}
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences))
    context = playwright.chromium.launch_persistent_context(str(profile), **full_chromium_launch_args)
    yield context
    context.close()


@pytest.fixture(params=["third-party-cookies-blocked", "third-party-cookies-allowed"])
def cookie_profile(request):
    return request.param


@pytest.fixture
def cookie_page(cookie_profile, request):
    """A page in Playwright's default context, or in the profile that allows third-party cookies."""
    if cookie_profile == "third-party-cookies-blocked":
        yield request.getfixturevalue("page")
        return
    page = request.getfixturevalue("third_party_cookie_context").new_page()
    yield page
    page.close()


@pytest.fixture
def run_prefix():
    """A run-id prefix unique to this test invocation, so repeated runs never share /log entries."""
    return f"t{secrets.token_hex(4)}"


@pytest.fixture
def chinese_page(browser):
    """A page in a browser context whose language is zh-CN; ``page.console_errors``: what it logged."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
