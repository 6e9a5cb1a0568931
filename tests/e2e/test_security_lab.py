"""The security lab, attacked for real: every (configuration, attacker) cell of every scenario,
run from top-level attacker pages on other origins, its outcome checked against the wire."""

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from labctl.servers import Lab, Origins, free_port
from tests.pages import open_ready

# Outcomes in the full Chromium's default context, which blocks third-party cookies.
EXPECTED = {
    "reflect-origin-vulnerable-same-site": "leaked",
    "reflect-origin-vulnerable-cross-site": "partial",
    "reflect-origin-safe-same-site": "stopped",
    "reflect-origin-safe-cross-site": "stopped",
    # A sandboxed frame's requests carry Origin: null, but no cookie even from a same-site page.
    "null-origin-vulnerable-same-site": "partial",
    "null-origin-vulnerable-cross-site": "partial",
    "null-origin-safe-same-site": "stopped",
    "null-origin-safe-cross-site": "stopped",
    "origin-checks-prefix-same-site": "leaked",
    "origin-checks-prefix-prefix-lookalike": "partial",
    "origin-checks-prefix-suffix-lookalike": "stopped",
    "origin-checks-suffix-same-site": "stopped",
    "origin-checks-suffix-prefix-lookalike": "partial",
    "origin-checks-suffix-suffix-lookalike": "partial",
    "origin-checks-substring-same-site": "stopped",
    "origin-checks-substring-prefix-lookalike": "partial",
    "origin-checks-substring-suffix-lookalike": "partial",
    "origin-checks-exact-same-site": "stopped",
    "origin-checks-exact-prefix-lookalike": "stopped",
    "origin-checks-exact-suffix-lookalike": "stopped",
    "jsonp-leak-vulnerable-same-site": "leaked",
    "jsonp-leak-vulnerable-cross-site": "stopped",
    "jsonp-leak-safe-same-site": "stopped",
    "jsonp-leak-safe-cross-site": "stopped",
    "jsonp-callback-vulnerable-same-site": "leaked",
    "jsonp-callback-vulnerable-cross-site": "leaked",
    "jsonp-callback-safe-same-site": "stopped",
    "jsonp-callback-safe-cross-site": "stopped",
    "csrf-none-same-site": "leaked",
    "csrf-none-cross-site": "stopped",
    "csrf-require-json-same-site": "stopped",
    "csrf-require-json-cross-site": "stopped",
    "csrf-check-origin-same-site": "stopped",
    "csrf-check-origin-cross-site": "stopped",
    "csrf-samesite-lax-same-site": "leaked",
    "csrf-samesite-lax-cross-site": "stopped",
    "cache-vary-no-vary-cross-site": "leaked",
    "cache-vary-vary-cross-site": "stopped",
}
# Where the browser allows third-party cookies, SameSite=None cookies cross sites: the
# cross-site attacker succeeds too, unless the server itself refuses.
WITH_THIRD_PARTY_COOKIES = {
    "reflect-origin-vulnerable-cross-site": "leaked",
    "reflect-origin-safe-cross-site": "stopped",
    "jsonp-leak-vulnerable-cross-site": "leaked",
    "csrf-none-cross-site": "leaked",
    "csrf-check-origin-cross-site": "stopped",
    "csrf-samesite-lax-cross-site": "stopped",
}
SCENARIOS = ["reflect-origin", "null-origin", "origin-checks", "jsonp-leak", "jsonp-callback", "csrf", "cache-vary"]
ATTACKER_SUFFIXES = ("same-site", "cross-site", "prefix-lookalike", "suffix-lookalike")


def attacker_origin(lab, cell):
    suffix = next(s for s in ATTACKER_SUFFIXES if cell.endswith(s))
    port = lab.trusted_origin.rsplit(":", 1)[1]
    return {
        "same-site": lab.attacker_origin,
        "cross-site": lab.untrusted_origin,
        "prefix-lookalike": f"http://localhost.attacker.localhost:{port}",
        "suffix-lookalike": f"http://attacker.localhost:{port}",
    }[suffix]


def open_security_page(context, lab):
    page = context.new_page()
    open_ready(page, f"{lab.trusted_origin}/security")
    return page


def collect(page, cells):
    results = {}
    for cell in cells:
        locator = page.locator(f"#attack-{cell}")
        expect(locator).to_have_attribute("data-state", "done", timeout=60_000)
        results[cell] = (locator.get_attribute("data-outcome"), locator.get_attribute("data-run"))
    return results


@pytest.fixture(scope="module")
def attacked(full_chromium, lab):
    """Every cell's (outcome, run id) where third-party cookies are blocked, the full Chromium's
    default (see tests/conftest.py). Each scenario runs in a context of its own (its own cookie
    jar), all at once in one browser."""
    contexts, pages = [], []
    for scenario in SCENARIOS:
        contexts.append(full_chromium.new_context())
        page = open_security_page(contexts[-1], lab)
        page.locator(f"#scenario-{scenario} button.run-scenario").click()
        pages.append((page, scenario))
    results = {}
    for page, scenario in pages:
        results |= collect(page, [cell for cell in EXPECTED if cell.startswith(f"{scenario}-")])
    yield results
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def attacked_with_third_party_cookies(third_party_cookie_context, lab):
    page = open_security_page(third_party_cookie_context, lab)
    results = {}
    for cell in WITH_THIRD_PARTY_COOKIES:  # one after another: they share one cookie jar
        page.locator(f"#attack-{cell} button.attack").click()
        results |= collect(page, [cell])
    yield results
    page.close()


def transfers(lab, lab_key, run):
    with urllib.request.urlopen(
        f"{lab.api_origin}/security/transfers?run={run}&lab_key={lab_key}", timeout=10
    ) as response:
        return json.load(response)["transfers"]


def check_evidence(lab, lab_key, read_log, cell, outcome, run):
    """What reached the API must tell the same story as the page."""
    entries = read_log(run)
    first = entries[0]
    has_cookie = "lab_session" in first["request_headers"].get("cookie", [])
    if cell.startswith(("reflect-origin", "null-origin", "origin-checks")):
        origin = "null" if cell.startswith("null-origin") else attacker_origin(lab, cell)
        assert first["request_headers"]["origin"] == origin
        allowed = first["response_headers"].get("access-control-allow-origin") == origin
        assert (allowed, has_cookie) == {
            "leaked": (True, True),
            "partial": (True, False),
            "stopped": (False, has_cookie),
        }[outcome]
    elif cell.startswith("jsonp-leak"):
        assert (first["path"] == "/security/jsonp/leaky" and has_cookie) is (outcome == "leaked")
    elif cell.startswith("jsonp-callback"):
        assert (first["path"], first["status"]) == (
            ("/security/jsonp/unvalidated", 200) if outcome == "leaked" else ("/jsonp", 400)
        )
    elif cell.startswith("csrf"):
        assert len(transfers(lab, lab_key, run)) == (1 if outcome == "leaked" else 0)
        assert (first["status"] == 200) is (outcome == "leaked")
    elif cell.startswith("cache-vary"):
        attacker, victim = entries
        assert (
            attacker["request_headers"]["origin"] == lab.untrusted_origin
            and victim["request_headers"]["origin"] == lab.trusted_origin
        )
        poisoned = (
            victim["response_headers"]["x-lab-cache"] == "HIT"
            and "access-control-allow-origin" not in victim["response_headers"]
        )
        assert poisoned is (outcome == "leaked")


@pytest.mark.parametrize("cell", list(EXPECTED))
def test_attack(attacked, lab, lab_key, read_log, cell):
    outcome, run = attacked[cell]
    assert outcome == EXPECTED[cell]
    check_evidence(lab, lab_key, read_log, cell, outcome, run)
    # /log is public: the key the attack carried is never in it.
    assert lab_key not in json.dumps(read_log(run))


@pytest.mark.parametrize("cell", list(WITH_THIRD_PARTY_COOKIES))
def test_attack_where_third_party_cookies_are_allowed(attacked_with_third_party_cookies, lab, lab_key, read_log, cell):
    outcome, run = attacked_with_third_party_cookies[cell]
    assert outcome == WITH_THIRD_PARTY_COOKIES[cell]
    check_evidence(lab, lab_key, read_log, cell, outcome, run)


def test_every_cell_on_the_page_is_tested(page, lab):
    open_ready(page, f"{lab.trusted_origin}/security")
    ids = page.locator("td.attack-cell").evaluate_all("cells => cells.map((cell) => cell.id)")
    assert {cell_id.removeprefix("attack-") for cell_id in ids} == set(EXPECTED)
    # The engines that resolve the look-alike names, from the one place their versions are written.
    verified = page.evaluate("async () => (await import('/static/js/model/verified.js')).VERIFIED")
    expect(page.locator("#scenario-origin-checks .engine-note")).to_contain_text(
        f"{verified['chromium']}, {verified['firefox']} and {verified['webkit']} do"
    )


def test_the_attacker_page_opened_alone_waits_for_the_security_page(page, lab, read_log):
    page.goto(f"{lab.attacker_origin}/attack?scenario=origin-checks&variant=prefix&run=standalone-1")
    expect(page.locator("#attack-result")).to_contain_text(f"{lab.trusted_origin}/security")
    assert page.locator("body").get_attribute("data-done") is None
    assert read_log("standalone-1") == []


def test_a_page_from_before_a_restart_says_reload(browser, tmp_path):
    """The lab key changes with every start: a security page still open says so; and when the
    API no longer knows the page's key at all (its state file went), the page says that instead."""
    origins = Origins.on_ports(free_port(), free_port())
    env = {"LAB_LOG_DB": str(tmp_path / "wire.sqlite3")}
    page = browser.new_page()
    attack = page.locator("#attack-reflect-origin-vulnerable-same-site button.attack")
    with open(tmp_path / "servers.log", "w") as output:
        # One API worker: the key is what this test is about, not how many workers hold it.
        with Lab(origins, api_workers=1, extra_env=env, output=output):
            open_ready(page, f"{origins.trusted_origin}/security")
        with Lab(origins, api_workers=1, extra_env=env, output=output):
            attack.click()
            expect(page.locator("#run-all-status")).to_have_text(
                "The lab restarted since this page loaded: reload the page."
            )
            for state in tmp_path.glob("lab-state.sqlite3*"):  # the API recreates it empty
                state.unlink()
            attack.click()
            expect(page.locator("#run-all-status")).to_have_text(
                "The API does not know this page's lab key: the pages and the API were not started "
                "together by one make run. Stop both and start make run again."
            )
    page.close()
