"""One test per experiment of the experiments page, each asserting what really happened: the
verdict JavaScript got, and the requests, statuses and headers that reached the API (/log)."""

import json
import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

PAGE = "the origin the experiment runs on"
API = "the API's origin"
JSON_PUT_HEADERS = "content-type,x-lab-token"


@dataclass
class Expect:
    verdict: str  # what the card shows: allowed / blocked / none (no request to read)
    wire: list  # (method, status) of each request that reached the API, in order
    headers: list = field(default_factory=list)  # (wire index, "request"|"response", name, value or None)
    cookie_sent: bool | None = None  # lab_session on the actual requests; None: not checked
    page_cookie_sent: bool | None = None  # the page's own cookie (lab_page) likewise
    page_text: dict = field(default_factory=dict)  # selector inside the card -> text it contains
    runs_on: str = "trusted"


def allow_origin(index, value=PAGE):
    return (index, "response", "access-control-allow-origin", value)


SIMPLE_GET = Expect("allowed", [("GET", 200)], [allow_origin(0)])

EXPERIMENTS = {
    "simple-get": SIMPLE_GET,
    "simple-head": Expect("allowed", [("HEAD", 200)], [allow_origin(0)]),
    "simple-post-text-plain": Expect("allowed", [("POST", 200)], [(0, "request", "content-type", "text/plain")]),
    "simple-post-form-urlencoded": Expect(
        "allowed", [("POST", 200)], [(0, "request", "content-type", "application/x-www-form-urlencoded")]
    ),
    "simple-post-multipart": Expect(
        "allowed", [("POST", 200)], [(0, "request", "content-type", "multipart/form-data; boundary=lab")]
    ),
    "safelisted-request-headers": Expect(
        "allowed",
        [("GET", 200)] * 4,
        [
            (0, "request", "accept", "application/json"),
            (1, "request", "accept-language", "zh-CN"),
            (2, "request", "content-language", "zh-CN"),
            (3, "request", "content-type", "text/plain"),
        ],
    ),
    "last-event-id": Expect(
        "allowed",
        [("OPTIONS", 200), ("GET", 200)],
        [(0, "request", "access-control-request-headers", "last-event-id"), (1, "request", "last-event-id", "42")],
    ),
    "json-content-type": Expect(
        "allowed", [("OPTIONS", 200), ("POST", 200)], [(0, "request", "access-control-request-headers", "content-type")]
    ),
    "refused-origin": Expect(
        "blocked", [("GET", 200)], [allow_origin(0, None), (0, "request", "origin", PAGE)], runs_on="untrusted"
    ),
    "no-cors-post-takes-effect": Expect(
        "blocked", [("POST", 200)], [allow_origin(0, None)], page_text={".page-effects": "transfer=100"}
    ),
    "fetch-no-cors-opaque": Expect(
        "blocked", [("POST", 200)], [(0, "request", "sec-fetch-mode", "no-cors")], page_text={".js-type": "opaque"}
    ),
    "allow-origin-must-match": Expect("blocked", [("GET", 200)], [allow_origin(0, PAGE + "/")]),
    "allow-credentials-header": Expect(
        "allowed", [("GET", 200)], [(0, "response", "access-control-allow-credentials", "true")], cookie_sent=True
    ),
    "expose-headers": Expect(
        "allowed",
        [("GET", 200)],
        [(0, "response", "access-control-expose-headers", "X-Lab-Exposed")],
        page_text={".js-headers": "x-lab-exposed: readable"},
    ),
    "safelisted-response-headers": Expect(
        "allowed", [("GET", 200)], page_text={".js-headers": "last-modified: Thu, 01 Jan 1970 00:00:00 GMT"}
    ),
    "cookies-not-sent-by-default": Expect(
        "allowed", [("GET", 200)], cookie_sent=False, page_text={".js-body": '"logged_in":false'}
    ),
    "cookies-sent-with-credentials": Expect(
        "allowed", [("GET", 200)], [allow_origin(0)], cookie_sent=True, page_text={".js-body": '"logged_in":true'}
    ),
    "credentials-refused-with-wildcard": Expect(
        "blocked",
        [("GET", 200)],
        [allow_origin(0, "*"), (0, "response", "access-control-allow-credentials", "true")],
        cookie_sent=True,
    ),
    "credentials-refused-without-allow-credentials": Expect(
        "blocked",
        [("GET", 200)],
        [allow_origin(0), (0, "response", "access-control-allow-credentials", None)],
        cookie_sent=True,
    ),
    "httponly-and-ports": Expect("none", [], page_text={".page-documentCookie": "lab_visible=set-by-localhost-"}),
    "other-host-cookie": Expect("none", []),
    "samesite-same-site": Expect(
        "allowed", [("GET", 200)], [(0, "request", "sec-fetch-site", "same-site")], cookie_sent=True
    ),
    "samesite-lax-cross-site": Expect(
        "allowed", [("GET", 200)], [(0, "request", "sec-fetch-site", "cross-site")], cookie_sent=False
    ),
    "preflight-put": Expect(
        "allowed",
        [("OPTIONS", 200), ("PUT", 200)],
        [
            (0, "request", "access-control-request-method", "PUT"),
            (0, "request", "access-control-request-headers", JSON_PUT_HEADERS),
            (0, "response", "access-control-max-age", "600"),
            (1, "request", "origin", PAGE),
            allow_origin(1),
        ],
    ),
    "preflight-patch": Expect(
        "allowed",
        [("OPTIONS", 200), ("PATCH", 200)],
        [(0, "request", "access-control-request-method", "PATCH"), allow_origin(1)],
    ),
    "preflight-delete": Expect(
        "allowed",
        [("OPTIONS", 200), ("DELETE", 200)],
        [(0, "request", "access-control-request-method", "DELETE"), allow_origin(1)],
    ),
    "preflight-custom-header": Expect(
        "allowed", [("OPTIONS", 200), ("GET", 200)], [(0, "request", "access-control-request-headers", "x-lab-token")]
    ),
    "preflight-refused-origin": Expect("blocked", [("OPTIONS", 200)], [allow_origin(0, None)], runs_on="untrusted"),
    "preflight-refused-method": Expect(
        "blocked",
        [("OPTIONS", 200)],
        [
            (0, "request", "access-control-request-method", "PROPFIND"),
            allow_origin(0),
            (0, "response", "access-control-allow-methods", None),
        ],
    ),
    "preflight-refused-header": Expect(
        "blocked",
        [("OPTIONS", 200)],
        [
            (0, "request", "access-control-request-headers", "x-other"),
            (0, "response", "access-control-allow-headers", None),
        ],
    ),
    "max-age-caches-preflight": Expect("allowed", [("OPTIONS", 200)] + [("PUT", 200)] * 3),
    "max-age-zero": Expect(
        "allowed", [("OPTIONS", 204), ("PUT", 200)] * 3, [(0, "response", "access-control-max-age", "0")]
    ),
    "jsonp-from-untrusted-origin": Expect(
        "allowed",
        [("GET", 200)],
        [
            (0, "request", "sec-fetch-mode", "no-cors"),
            (0, "request", "sec-fetch-dest", "script"),
            allow_origin(0, None),
        ],
        page_text={".js-body": "Public data"},
        runs_on="untrusted",
    ),
    "same-data-over-cors": Expect("allowed", [("GET", 200)], [allow_origin(0)], page_text={".js-body": "Public data"}),
    "same-data-over-cors-untrusted": Expect("blocked", [("GET", 200)], [allow_origin(0, None)], runs_on="untrusted"),
}

# Where real CORS breaks (issue 12), as verified in Chromium 156 (docs/browser-facts.md).
BREAKS = {
    "page-cookie-stays-home": Expect(
        "allowed", [("GET", 200)], [(0, "request", "sec-fetch-site", "cross-site")], page_cookie_sent=False
    ),
    "page-cookie-same-host": Expect(
        "allowed", [("GET", 200)], [(0, "request", "sec-fetch-site", "same-site")], page_cookie_sent=True
    ),
    "preflight-passes-answer-lacks-allow-origin": Expect(
        "blocked",
        [("OPTIONS", 204), ("PUT", 200)],
        [allow_origin(0), (0, "response", "access-control-allow-methods", "PUT"), allow_origin(1, None)],
    ),
    **{
        f"error-{status}-without-cors": Expect(
            "blocked", [("OPTIONS", 204), ("PUT", status)], [allow_origin(0), allow_origin(1, None)]
        )
        for status in (401, 404, 500)
    },
    "error-500-with-cors": Expect(
        "allowed", [("OPTIONS", 204), ("PUT", 500)], [allow_origin(1)], page_text={".js-status": "500"}
    ),
    "allow-origin-twice": Expect("blocked", [("GET", 200)], [allow_origin(0, "*, *")]),
    "redirect-on-preflight": Expect("blocked", [("OPTIONS", 308)], [allow_origin(0)]),
    "redirect-same-origin": Expect(
        "allowed", [("GET", 302), ("GET", 200)], [(1, "request", "origin", PAGE), allow_origin(0), allow_origin(1)]
    ),
    "redirect-cross-origin-page-origin": Expect(
        "blocked",
        [("GET", 302), ("GET", 200)],
        [(1, "request", "origin", "null"), (1, "request", "sec-fetch-site", "cross-site"), allow_origin(1)],
    ),
    "redirect-cross-origin-null": Expect(
        "allowed", [("GET", 302), ("GET", 200)], [(1, "request", "origin", "null"), allow_origin(1, "*")]
    ),
    "redirect-post-becomes-get": Expect(
        "allowed",
        [("POST", 301), ("GET", 200), ("POST", 302), ("GET", 200), ("POST", 307), ("POST", 200)],
        [(5, "request", "content-type", "text/plain"), (1, "request", "content-type", None)],
    ),
    "redirect-needs-allow-origin": Expect("blocked", [("GET", 302)], [allow_origin(0, None)]),
    "held-credentials-need-with-credentials": Expect(
        "allowed",
        [("GET", 401), ("GET", 200)],
        [(0, "request", "authorization", None), (1, "request", "authorization", "(present, value not recorded)")],
        page_text={".js-body >> nth=1": '"authenticated":true'},
    ),
    "held-credentials-need-allow-credentials": Expect(
        "blocked",
        [("GET", 200)],
        [
            (0, "request", "authorization", "(present, value not recorded)"),
            allow_origin(0),
            (0, "response", "access-control-allow-credentials", None),
        ],
    ),
    "authorization-header-preflighted": Expect(
        "allowed",
        [("OPTIONS", 200), ("GET", 200)],
        [
            (0, "request", "access-control-request-headers", "authorization"),
            (0, "request", "authorization", None),
            (1, "request", "authorization", "(present, value not recorded)"),
        ],
    ),
    "authorization-header-needs-allow-headers": Expect(
        "blocked",
        [("OPTIONS", 204)],
        [
            (0, "request", "access-control-request-headers", "authorization"),
            (0, "response", "access-control-allow-headers", None),
        ],
    ),
    "basic-401-cross-origin": Expect(
        "allowed",
        [("GET", 401)],
        [allow_origin(0), (0, "request", "authorization", None)],
        page_text={".js-status": "401"},
    ),
    "same-origin-baseline": Expect(
        "allowed",
        [("GET", 200), ("PUT", 200), ("GET", 200), ("OPTIONS", 204), ("PUT", 200)],
        [
            (0, "request", "origin", None),
            (0, "request", "sec-fetch-site", "same-origin"),
            (1, "request", "origin", API),
            (1, "request", "sec-fetch-site", "same-origin"),
            (2, "request", "origin", PAGE),
            (3, "request", "access-control-request-method", "PUT"),
            (4, "request", "origin", PAGE),
        ],
    ),
    "jsonp-only-get": Expect(
        "blocked",
        [("GET", 200), ("GET", 400)],
        [
            (0, "request", "sec-fetch-dest", "script"),
            (1, "request", "sec-fetch-dest", "script"),
            (1, "request", "content-type", None),
        ],
    ),
}
EXPERIMENTS.update(BREAKS)

# Cookie experiments whose outcome depends on the browser's third-party cookie setting.
SAMESITE_NONE = {
    "third-party-cookies-blocked": Expect(
        "allowed", [("GET", 200)], [(0, "request", "sec-fetch-site", "cross-site")], cookie_sent=False
    ),
    "third-party-cookies-allowed": Expect(
        "allowed", [("GET", 200)], [(0, "request", "sec-fetch-site", "cross-site")], cookie_sent=True
    ),
}
# Run in both cookie profiles: the default context and one that allows third-party cookies.
COOKIE_EXPERIMENTS = [
    "allow-credentials-header",
    "cookies-not-sent-by-default",
    "cookies-sent-with-credentials",
    "credentials-refused-with-wildcard",
    "credentials-refused-without-allow-credentials",
    "httponly-and-ports",
    "other-host-cookie",
    "samesite-same-site",
    "samesite-lax-cross-site",
    "page-cookie-stays-home",
    "page-cookie-same-host",
]
# Where third-party cookies are blocked the API's own cookie does not cross sites; where they are
# allowed it goes, and the answer is refused all the same.
WILDCARD_CROSS_SITE = {
    "third-party-cookies-blocked": Expect("blocked", [("GET", 200)], [allow_origin(0, "*")], cookie_sent=False),
    "third-party-cookies-allowed": Expect("blocked", [("GET", 200)], [allow_origin(0, "*")], cookie_sent=True),
}
ALL_IDS = {*EXPERIMENTS, "samesite-none-cross-site", "wildcard-cross-site"}
# The errors Chromium logs for the requests the experiments block on purpose, and for the error
# answers they ask for (a refused JSONP callback's 400, /auth/basic's 401, /lab's 404 and 500).
ERROR_ANSWERS = ("400 (BAD REQUEST)", "401 (UNAUTHORIZED)", "404 (NOT FOUND)", "500 (INTERNAL SERVER ERROR)")
CORS_CONSOLE_ERRORS = (
    "blocked by CORS policy",
    "net::ERR_FAILED",
    *(f"the server responded with a status of {status}" for status in ERROR_ANSWERS),
)


@dataclass
class RunAll:
    """One "Run all" of the experiments page in one browser context, and what it logged."""

    page: object
    console_errors: list


def start_run_all(context, lab, transport="xhr", origin=None):
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.goto(f"{origin or lab.trusted}/experiments")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator(f"input[name=transport][value={transport}]").check()
    page.get_by_role("button", name="Run all experiments").click()
    expect(page.locator("#run-all-progress")).to_be_visible()
    return RunAll(page, errors)


@pytest.fixture(scope="module")
def run_all(full_chromium, third_party_cookie_context, lab):
    """ "Run all" four times at once, each in its own context (own cookie jar): with
    XMLHttpRequest and with fetch() in the full Chromium, whose default context blocks third-party
    cookies (the expectations above are its defaults), in a context that allows third-party
    cookies, and on the untrusted page origin on a 390 px phone (where the trusted origin's
    experiments run in a third-party frame)."""
    phone = {"viewport": {"width": 390, "height": 844}}
    contexts = [full_chromium.new_context(), full_chromium.new_context(), full_chromium.new_context(**phone)]
    runs = {
        "xhr": start_run_all(contexts[0], lab),
        "fetch": start_run_all(contexts[1], lab, transport="fetch"),
        "third-party-cookies-allowed": start_run_all(third_party_cookie_context, lab),
        "untrusted-origin-phone": start_run_all(contexts[2], lab, origin=lab.untrusted),
    }
    for run in runs.values():
        expect(run.page.locator("#run-all-status")).to_have_text(re.compile(r"^Done: \d+ of \d+"), timeout=120_000)
    yield runs
    runs["third-party-cookies-allowed"].page.close()
    for context in contexts:
        context.close()


def check(card, read_log, lab, expected):
    page_origin = lab.untrusted if expected.runs_on == "untrusted" else lab.trusted
    expect(card).to_have_attribute("data-verdict", expected.verdict)
    # The page's own expected-versus-observed table agrees too.
    expect(card).to_have_attribute("data-match", "true")
    entries = read_log(card.get_attribute("data-run"))
    assert [(entry["method"], entry["status"]) for entry in entries] == expected.wire, json.dumps(entries, indent=1)
    for index, side, name, value in expected.headers:
        value = value.replace(PAGE, page_origin).replace(API, lab.api) if isinstance(value, str) else value
        assert entries[index][f"{side}_headers"].get(name) == value, (index, side, name)
    if expected.cookie_sent is not None:
        actuals = [entry for entry in entries if entry["method"] != "OPTIONS"]
        assert actuals and all(
            ("lab_session" in entry["request_headers"].get("cookie", [])) is expected.cookie_sent for entry in actuals
        )
    if expected.page_cookie_sent is not None:
        actuals = [entry for entry in entries if entry["method"] != "OPTIONS"]
        assert actuals and all(
            ("lab_page" in entry["request_headers"].get("cookie", [])) is expected.page_cookie_sent for entry in actuals
        )
    for selector, text in expected.page_text.items():
        expect(card.locator(selector).first).to_contain_text(text)


def card(run, experiment_id):
    return run.page.locator(f"#exp-{experiment_id}")


@pytest.mark.parametrize("experiment_id", list(EXPERIMENTS))
def test_experiment(run_all, lab, read_log, experiment_id):
    check(card(run_all["xhr"], experiment_id), read_log, lab, EXPERIMENTS[experiment_id])


@pytest.mark.parametrize("experiment_id", COOKIE_EXPERIMENTS)
def test_cookie_experiment_where_third_party_cookies_are_allowed(run_all, lab, read_log, experiment_id):
    check(card(run_all["third-party-cookies-allowed"], experiment_id), read_log, lab, EXPERIMENTS[experiment_id])


@pytest.mark.parametrize("profile", ["xhr", "third-party-cookies-allowed"])
def test_samesite_none_cross_site_depends_on_third_party_cookies(run_all, lab, read_log, profile):
    expected = SAMESITE_NONE["third-party-cookies-blocked" if profile == "xhr" else profile]
    check(card(run_all[profile], "samesite-none-cross-site"), read_log, lab, expected)


@pytest.mark.parametrize("profile", ["xhr", "third-party-cookies-allowed"])
def test_wildcard_cross_site_is_refused_whether_or_not_the_cookie_goes(run_all, lab, read_log, profile):
    expected = WILDCARD_CROSS_SITE["third-party-cookies-blocked" if profile == "xhr" else profile]
    check(card(run_all[profile], "wildcard-cross-site"), read_log, lab, expected)


@pytest.mark.parametrize("experiment_id", list(EXPERIMENTS))
def test_experiment_with_fetch_reaches_the_same_verdict(run_all, lab, read_log, experiment_id):
    fetch_card = card(run_all["fetch"], experiment_id)
    expect(fetch_card).to_have_attribute("data-match", "true")
    expect(fetch_card).to_have_attribute("data-verdict", EXPERIMENTS[experiment_id].verdict)
    entries = read_log(fetch_card.get_attribute("data-run"))
    assert [(entry["method"], entry["status"]) for entry in entries] == EXPERIMENTS[experiment_id].wire


def test_a_blocked_fetch_rejects_with_a_type_error(run_all):
    refused = card(run_all["fetch"], "refused-origin")
    expect(refused.locator(".js-error")).to_have_text("TypeError: Failed to fetch")
    expect(refused.locator("pre.code")).to_contain_text("fetch(")


@pytest.mark.parametrize("name", ["xhr", "fetch", "third-party-cookies-allowed", "untrusted-origin-phone"])
def test_run_all_matches_every_expectation_with_only_cors_console_errors(run_all, name):
    run = run_all[name]
    expect(run.page.locator("#run-all-progress")).to_have_attribute("value", str(len(ALL_IDS)))
    # Every verdict the page shows equals the one it expected of this browser, and says which.
    expect(run.page.locator("article.experiment[data-match=true]")).to_have_count(len(ALL_IDS))
    expect(run.page.locator("#summary")).to_have_attribute("data-mismatches", "0")
    expect(run.page.locator("#summary")).to_contain_text(
        re.compile(r"as expected in Chromium \d+ \(expectations verified in Chromium \d+")
    )
    assert any("blocked by CORS policy" in error for error in run.console_errors)
    assert [error for error in run.console_errors if not any(part in error for part in CORS_CONSOLE_ERRORS)] == []


def test_one_experiment_runs_alone(page, lab, read_log):
    page.goto(f"{lab.trusted}/experiments")
    single = page.locator("#exp-preflight-put")
    single.get_by_role("button", name="Run", exact=True).click()
    expect(single).to_have_attribute("data-state", "done")
    check(single, read_log, lab, EXPERIMENTS["preflight-put"])
    expect(page.locator("article.experiment[data-state=done]")).to_have_count(1)


def test_every_experiment_on_the_page_has_a_test(page, lab):
    page.goto(f"{lab.trusted}/experiments")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    ids = page.locator("article.experiment").evaluate_all("cards => cards.map((card) => card.id)")
    assert {card_id.removeprefix("exp-") for card_id in ids} == ALL_IDS


def test_the_page_on_the_attacker_origin_still_runs_experiments_in_frames(page, lab, read_log):
    page.goto(f"{lab.attacker}/experiments")
    refused = page.locator("#exp-refused-origin")
    refused.get_by_role("button", name="Run", exact=True).click()
    expect(refused).to_have_attribute("data-state", "done")
    expect(refused).to_have_attribute("data-verdict", "blocked")
    (entry,) = read_log(refused.get_attribute("data-run"))
    assert entry["request_headers"]["origin"] == lab.untrusted


def test_the_untrusted_page_says_where_experiments_run(page, lab):
    page.goto(f"{lab.untrusted}/experiments")
    expect(page.locator("#origin-banner")).to_contain_text(f"This page is on {lab.untrusted}")


def test_the_untrusted_page_at_phone_width_never_scrolls_sideways(run_all):
    page = run_all["untrusted-origin-phone"].page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_no_axe_violations_after_run_all(run_all):
    """axe-core once after "Run all" (issue 14): the facts tables, answers and contents are met.
    Every rule on the whole page but colour contrast, which costs seconds per thousand elements;
    contrast on everything but the cards after the first of each section (cards share their styles)."""
    from axe_playwright_python.sync_playwright import Axe

    page = run_all["xhr"].page
    all_but_contrast = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": False}}}
    violations = Axe().run(page, options=all_but_contrast).response["violations"]
    first_cards = {"exclude": [["article.experiment:not(:first-of-type)"]]}
    contrast = {"resultTypes": ["violations"], "runOnly": ["color-contrast"]}
    violations += Axe().run(page, context=first_cards, options=contrast).response["violations"]
    assert [(violation["id"], len(violation["nodes"])) for violation in violations] == []


def test_contents_are_labelled_numbered_once_and_one_region_announces_progress(page, lab):
    page.goto(f"{lab.trusted}/experiments")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link", name="1. Simple requests")).to_be_visible()
    # The titles carry their numbers: the list adds none ("1. 1. Simple requests").
    assert contents.locator("li").first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    # The cards do not announce themselves: the progress line is the one live region of "Run all".
    expect(page.locator("article.experiment [aria-live], article.experiment[aria-live]")).to_have_count(0)
    expect(page.locator("#run-all-status")).to_have_attribute("role", "status")
