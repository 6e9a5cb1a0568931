"""The experiments page, checked against each experiment's catalogue entry
(static/js/catalogues/experiments-catalogue.js): its expected wire, headers and facts, serialised
in the page with the run's context, against what really happened: what reached the API (/log)
and what JavaScript itself saw (the raw outcome each card shows). Never against the page's own
verdict: the page's verdict and its "as expected" must agree with what the test found."""

import copy
import json
import re
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from frontend_server import STATIC_DIR
from tests.pages import open_ready

# The errors Chromium logs for the requests the experiments block on purpose, and for the error
# answers they ask for (a refused JSONP callback's 400, /auth/basic's 401, /lab's 404 and 500).
ERROR_ANSWERS = ("400 (BAD REQUEST)", "401 (UNAUTHORIZED)", "404 (NOT FOUND)", "500 (INTERNAL SERVER ERROR)")
CORS_CONSOLE_ERRORS = (
    "blocked by CORS policy",
    "net::ERR_FAILED",
    *(f"the server responded with a status of {status}" for status in ERROR_ANSWERS),
)


@dataclass(frozen=True)
class Profile:
    """One "Run all": its transport, the page origin's role, whether its context allows
    third-party cookies, and its viewport."""

    transport: str = "xhr"
    origin: str = "trusted"
    third_party_cookies: bool = False


# The full Chromium's fresh contexts block third-party cookies (the catalogue's expectations are
# its defaults); on the untrusted origin the trusted origin's experiments run in a third-party frame.
RUNS = {
    "xhr": Profile(),
    "fetch": Profile(transport="fetch"),
    "third-party-cookies-allowed": Profile(third_party_cookies=True),
    "untrusted-origin-phone": Profile(origin="untrusted"),
}


@dataclass
class RunAll:
    """One "Run all" of the experiments page in one browser context, and what it logged."""

    page: object
    console_errors: list
    console: list  # every message, of every type


def start_run_all(context, lab, profile):
    page = context.new_page()
    errors, logged = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("console", lambda message: logged.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    open_ready(page, f"{getattr(lab, f'{profile.origin}_origin')}/experiments")
    page.locator(f"input[name=transport][value={profile.transport}]").check()
    page.get_by_role("button", name="Run all experiments").click()
    expect(page.locator("#run-all-progress")).to_be_visible()
    return RunAll(page, errors, logged)


@pytest.fixture(scope="module")
def run_all(full_chromium, third_party_cookie_context, lab):
    """ "Run all" four times at once, each in its own context (own cookie jar): with
    XMLHttpRequest and with fetch() in the full Chromium, whose default context blocks third-party
    cookies, in a context that allows third-party cookies, and on the untrusted page origin on a
    390 px phone (where the trusted origin's experiments run in a third-party frame)."""
    phone = {"viewport": {"width": 390, "height": 844}}
    contexts = [full_chromium.new_context(), full_chromium.new_context(), full_chromium.new_context(**phone)]
    runs = {
        "xhr": start_run_all(contexts[0], lab, RUNS["xhr"]),
        "fetch": start_run_all(contexts[1], lab, RUNS["fetch"]),
        "third-party-cookies-allowed": start_run_all(
            third_party_cookie_context, lab, RUNS["third-party-cookies-allowed"]
        ),
        "untrusted-origin-phone": start_run_all(contexts[2], lab, RUNS["untrusted-origin-phone"]),
    }
    for run in runs.values():
        expect(run.page.locator("#run-all-status")).to_have_text(re.compile(r"^Done: \d+ of \d+"), timeout=120_000)
    yield runs
    runs["third-party-cookies-allowed"].page.close()
    for context in contexts:
        context.close()


# Each catalogue entry that ran in the page, serialised with the run's context, beside the raw
# outcome its card shows: what JavaScript saw of each request, and what the page read after.
ENTRIES = """async ({ origins, thirdPartyCookies }) => {
  const { EXPERIMENTS, experimentContext } = await import('/static/js/catalogues/experiment-runner.js');
  const config = await (await import('/static/js/core/api.js')).loadConfig();
  const text = (root, selector) => root.querySelector(selector)?.textContent ?? null;
  const seen = (dl) => ({
    transport: text(dl, 'dd code'),
    outcome: text(dl, '.js-events'),
    status: text(dl, '.js-status'),
    type: text(dl, '.js-type'),
    error: text(dl, '.js-error'),
    headers: text(dl, '.js-headers code') ?? '',
    body: text(dl, 'pre.js-body') ?? '',
  });
  const ran = EXPERIMENTS.filter((experiment) => document.getElementById(`exp-${experiment.id}`)?.dataset.run);
  return ran.map((experiment) => {
    const card = document.getElementById(`exp-${experiment.id}`);
    const pageOrigin = origins[experiment.runsOn ?? 'trusted'];
    const framed = pageOrigin !== window.location.origin;
    // What the test knows of the page that ran it: a frame of another site keeps no Lax cookie.
    const cookieSupport = { lax: !framed, thirdParty: !framed || thirdPartyCookies };
    const ctx = { ...experimentContext(config, card?.dataset.run, null), pageOrigin, cookieSupport };
    const setting = experiment.thirdPartyCookies?.[thirdPartyCookies ? 'allowed' : 'blocked'] ?? {};
    return {
      id: experiment.id,
      run: ctx.run,
      ctx: { api: ctx.api, alias: ctx.alias, cookies: ctx.cookies, cookieSupport },
      withheld: Boolean(experiment.withheld),
      steps: experiment.steps(ctx),
      wire: experiment.wire,
      headers: experiment.headers?.(ctx) ?? [],
      saw: experiment.saw ?? [],
      expected: { ...experiment.expected(ctx), ...setting },
      card: {
        verdict: card.dataset.verdict,
        match: card.dataset.match,
        results: [...card.querySelectorAll('.result dl.observed')].filter((dl) => dl.querySelector('.js-status')).map(seen),
        documentCookie: text(card, '.page-documentCookie'),
      },
    };
  });
}"""


def catalogue_entries(page, lab, profile):
    """The catalogue's entries that ran in ``page``, as ENTRIES says."""
    origins = {"trusted": lab.trusted_origin, "untrusted": lab.untrusted_origin}
    return page.evaluate(ENTRIES, {"origins": origins, "thirdPartyCookies": profile.third_party_cookies})


@pytest.fixture(scope="module")
def entries(run_all, lab):
    """name of the run -> its entries with their cards, read once."""
    return {name: catalogue_entries(run.page, lab, RUNS[name]) for name, run in run_all.items()}


# What JavaScript saw, read from the card as it shows the raw outcome (views/exchange.js).
ENGLISH = json.loads((STATIC_DIR / "i18n" / "en.json").read_text())
OUTCOMES = {text: key.removeprefix("outcome.") for key, text in ENGLISH.items() if key.startswith("outcome.")}
# The outcome that hands JavaScript the answer, per transport (as the card names it).
READ = {"XMLHttpRequest": "load", "fetch()": "resolved", "JSONP": "called"}


@dataclass
class Seen:
    """One request as JavaScript saw it."""

    transport: str
    outcome: str
    status: int | None
    type: str | None
    error: str | None
    headers: dict
    body: str

    @classmethod
    def from_card(cls, shown):
        events = shown["outcome"]
        outcome = events.removeprefix("events: ").split(", ")[0] if events.startswith("events: ") else OUTCOMES[events]
        status = None if shown["status"] == "-" else int(shown["status"])
        lines = [line.split(": ", 1) for line in shown["headers"].splitlines() if ": " in line]
        headers = {name: value for name, value in lines}
        return cls(shown["transport"], outcome, status, shown["type"], shown["error"], headers, shown["body"])

    @property
    def readable(self):
        return self.outcome == READ[self.transport] and self.type != "opaque"


def is_preflight(entry):
    return entry["method"] == "OPTIONS" and "access-control-request-method" in entry["request_headers"]


class Observed:
    """The facts of one run, read by this test from the wire and from what the card shows."""

    def __init__(self, entry, wire):
        self.entry, self.wire = entry, wire
        self.preflights = [item for item in wire if is_preflight(item)]
        self.actuals = [item for item in wire if not is_preflight(item)]
        self.results = [Seen.from_card(shown) for shown in entry["card"]["results"]]
        self.cookie = entry["card"]["documentCookie"] or ""

    def first_preflight(self, side, name):
        return self.preflights[0][f"{side}_headers"].get(name) if self.preflights else None

    def last_actual(self, side, name):
        return self.actuals[-1][f"{side}_headers"].get(name) if self.actuals else None

    def carried(self, cookie):
        """Whether every actual request carried the cookie (False: none did)."""
        sent = {cookie in item["request_headers"].get("cookie", []) for item in self.actuals}
        return sent.pop() if len(sent) == 1 else ("on some requests only" if sent else False)

    def logged_in(self):
        try:
            return json.loads(self.results[-1].body).get("logged_in") is True
        except ValueError:
            return False

    def readable_header(self, name):
        return name in self.results[0].headers

    def set_by(self, origin):
        """The visible cookie's value: the API host that set it (api_server/credentials.py)."""
        return "set-by-" + re.sub(r"[^A-Za-z0-9.]", "-", urlsplit(origin).netloc)

    def effects(self):
        url = f"{self.entry['ctx']['api']}/no-cors/effects?run={self.entry['run']}"
        with urllib.request.urlopen(url, timeout=10) as response:
            return [effect["body"] for effect in json.load(response)["effects"]]

    def side(self, same_origin):
        entries = [
            item
            for item in self.wire
            if (item["request_headers"].get("sec-fetch-site") == "same-origin") == same_origin
        ]
        origins = [item["request_headers"].get("origin") for item in entries if not is_preflight(item)]
        return origins, len([item for item in entries if is_preflight(item)])

    def fact(self, name, expected):
        cookies, ctx = self.entry["ctx"]["cookies"], self.entry["ctx"]
        steps = [step for step in self.entry["steps"] if "jsonp" not in step]
        readers = {
            "readable": lambda: self.results[-1].readable,
            "preflights": lambda: len(self.preflights),
            "actuals": lambda: len(self.actuals),
            "allowOrigin": lambda: self.last_actual("response", "access-control-allow-origin"),
            "allowCredentials": lambda: self.last_actual("response", "access-control-allow-credentials"),
            "contentTypeArrived": lambda: self.last_actual("request", "content-type"),
            "actualOrigin": lambda: self.last_actual("request", "origin"),
            "fetchSite": lambda: self.last_actual("request", "sec-fetch-site"),
            "fetchMode": lambda: self.last_actual("request", "sec-fetch-mode"),
            "serverStatus": lambda: self.actuals[-1]["status"] if self.actuals else None,
            "requestMethodAsked": lambda: self.first_preflight("request", "access-control-request-method"),
            "requestHeadersAsked": lambda: self.first_preflight("request", "access-control-request-headers"),
            "preflightAllowOrigin": lambda: self.first_preflight("response", "access-control-allow-origin"),
            "preflightStatus": lambda: self.preflights[0]["status"] if self.preflights else None,
            "cookieSent": lambda: self.carried(cookies["session"]),
            "pageCookieSent": lambda: self.carried(cookies["page"]),
            "authorizationSent": lambda: any("authorization" in item["request_headers"] for item in self.actuals),
            "authorizationOnWire": lambda: ["authorization" in item["request_headers"] for item in self.actuals],
            "methodsArrived": lambda: [item["method"] for item in self.actuals],
            "headersArrived": lambda: [
                name
                for step in steps
                for name, value in step.get("headers", {}).items()
                if any(item["request_headers"].get(name.lower()) == value for item in self.actuals)
            ],
            "statusSeen": lambda: self.results[-1].status or 0,
            "responseType": lambda: self.results[0].type,
            "loggedIn": lambda: self.logged_in(),
            "exposedReadable": lambda: self.readable_header("x-lab-exposed"),
            "hiddenReadable": lambda: self.readable_header("x-lab-hidden"),
            "wwwAuthenticateReadable": lambda: self.readable_header("www-authenticate"),
            # The safelisted response headers JavaScript could read, of those expected.
            "safelistedReadable": lambda: [name for name in expected if self.readable_header(name)],
            "scriptSaw": lambda: [result.outcome for result in self.results],
            "effectRecorded": lambda: any(step.get("body") in self.effects() for step in steps),
            "visibleCookieReadable": lambda: f"{cookies['visible']}={self.set_by(ctx['api'])}" in self.cookie,
            "sessionCookieReadable": lambda: any(
                part.startswith(f"{cookies['session']}=") for part in self.cookie.split("; ")
            ),
            "otherHostCookieReadable": lambda: self.set_by(ctx["alias"]) in self.cookie,
            "sameOriginOrigins": lambda: self.side(True)[0],
            "sameOriginPreflights": lambda: self.side(True)[1],
            "crossOriginOrigins": lambda: self.side(False)[0],
            "crossOriginPreflights": lambda: self.side(False)[1],
        }
        if name not in readers:
            return f"(this test reads no fact {name!r}: add its reader)"
        return readers[name]()


def problems(entry, wire):
    """What differs between ``entry``'s expectations and what happened: (what, expected, seen)."""
    found = []
    observed = Observed(entry, wire)
    # The wire and what JavaScript saw, as the entry writes them for a page that keeps its cookies.
    if not entry["withheld"] or all(entry["ctx"]["cookieSupport"].values()):
        methods = ", ".join(f"{item['method']} {item['status']}" for item in wire)
        if methods != entry["wire"]:
            found.append(("wire", entry["wire"], methods))
        for index, side, name, value in entry["headers"]:
            seen = wire[index][f"{side}_headers"].get(name) if index < len(wire) else "(no such request)"
            if seen != value:
                found.append((f"{side} {index} {name}", value, seen))
        for index, what, *value in entry["saw"]:
            result = observed.results[index]
            seen = value[0] in result.body if what == "body" else result.headers.get(value[0]) == value[1]
            if not seen:
                found.append((f"JavaScript saw {what} of {index}", value, result))
    for name, value in entry["expected"].items():
        seen = observed.fact(name, value)
        if json.dumps(seen) != json.dumps(value):
            found.append((name, value, seen))
    # A refused fetch() rejects with a TypeError, which the card shows.
    for result in observed.results:
        if result.outcome == "rejected" and result.error != "TypeError: Failed to fetch":
            found.append(("fetch's error", "TypeError: Failed to fetch", result.error))
    # The page's own verdict and its "as expected" agree with what the test found.
    verdict = "none" if not observed.results else ("allowed" if observed.results[-1].readable else "blocked")
    if (entry["card"]["verdict"], entry["card"]["match"]) != (verdict, str(not found).lower()):
        found.append(("the card's verdict and match", [verdict, str(not found).lower()], entry["card"]))
    return found


@pytest.mark.parametrize("name", RUNS)
def test_every_card_shows_what_its_catalogue_entry_expects(run_all, entries, read_log, name):
    ran = entries[name]
    expect(run_all[name].page.locator("article.experiment")).to_have_count(len(ran))
    found = {entry["id"]: problems(entry, read_log(entry["run"])) for entry in ran}
    assert {experiment: differs for experiment, differs in found.items() if differs} == {}


def test_a_green_card_whose_fact_the_wire_denies_fails(entries, read_log):
    """The page says "as expected", but the wire the test reads says otherwise: the test fails."""
    entry = next(entry for entry in entries["xhr"] if entry["expected"].get("cookieSent") is True)
    wire = read_log(entry["run"])
    assert entry["card"]["match"] == "true" and problems(entry, wire) == []
    for item in wire:
        item["request_headers"].pop("cookie", None)
    assert ("cookieSent", True, False) in problems(entry, wire)


def test_a_green_card_whose_javascript_saw_otherwise_fails(entries, read_log):
    """Likewise what JavaScript saw, as the card shows it: an answer it could not read."""
    entry = copy.deepcopy(next(entry for entry in entries["xhr"] if entry["expected"].get("readable") is True))
    wire = read_log(entry["run"])
    assert entry["card"]["match"] == "true" and problems(entry, wire) == []
    entry["card"]["results"][-1]["outcome"] = "events: error, loadend"
    assert ("readable", True, False) in problems(entry, wire)


def test_a_blocked_fetch_shows_its_code_with_fetch(run_all, entries):
    rejected = ENGLISH["outcome.rejected"]
    blocked = [
        entry["id"] for entry in entries["fetch"] if rejected in [seen["outcome"] for seen in entry["card"]["results"]]
    ]
    assert blocked, "no fetch() was refused"
    expect(run_all["fetch"].page.locator(f"#exp-{blocked[0]} pre.code")).to_contain_text("fetch(")


@pytest.mark.parametrize("name", RUNS)
def test_run_all_matches_every_expectation_with_only_cors_console_errors(run_all, entries, name):
    run = run_all[name]
    total = str(len(entries[name]))
    expect(run.page.locator("#run-all-progress")).to_have_attribute("value", total)
    # The page says so too, and says in which browser.
    expect(run.page.locator("#summary")).to_have_attribute("data-mismatches", "0")
    expect(run.page.locator("#summary")).to_contain_text(
        re.compile(r"as expected in Chromium \d+ \(expectations verified in Chromium \d+")
    )
    # And what the run showed, counted from the cards' own verdicts; every card folded to one line.
    verdicts = run.page.locator("article.experiment").evaluate_all("cards => cards.map((card) => card.dataset.verdict)")
    read, blocked = verdicts.count("allowed"), verdicts.count("blocked")
    expect(run.page.locator("#summary")).to_contain_text(
        f"What the run showed: JavaScript read {read} responses and the browser blocked {blocked};"
    )
    expect(run.page.locator("details.result-details[open]")).to_have_count(0)
    assert any("blocked by CORS policy" in error for error in run.console_errors)
    assert [error for error in run.console_errors if not any(part in error for part in CORS_CONSOLE_ERRORS)] == []
    # The index by symptom quotes the lines Chromium printed in this very run.
    quoted = run.page.locator("#symptoms a code").evaluate_all("codes => codes.map((code) => code.textContent)")
    quoted = [text for text in quoted if len(text) > 20]  # the console lines, not a method name
    assert len(quoted) >= 8
    for text in quoted:
        pieces = [piece for piece in text.split("…") if piece.strip(" .'")]
        assert any(all(piece in line for piece in pieces) for line in run.console_errors), text
    # Nothing of the page's own: no message posted to an origin that is not the recipient's.
    assert [line for line in run.console if "postMessage" in line] == []


def test_one_experiment_runs_alone(page, lab, read_log):
    page.goto(f"{lab.trusted_origin}/experiments")
    single = page.locator("article.experiment").first
    single.get_by_role("button", name="Run", exact=True).click()
    expect(single).to_have_attribute("data-state", "done")
    (entry,) = catalogue_entries(page, lab, RUNS["xhr"])
    assert problems(entry, read_log(entry["run"])) == []
    expect(page.locator("article.experiment[data-state=done]")).to_have_count(1)


FIRST_ON_THE_UNTRUSTED_ORIGIN = """async () => {
  const { EXPERIMENTS } = await import('/static/js/catalogues/experiment-runner.js');
  return EXPERIMENTS.find((experiment) => experiment.runsOn === 'untrusted' && experiment.expected({}).readable === false).id;
}"""


def test_the_page_on_the_attacker_origin_still_runs_experiments_in_frames(page, lab, read_log):
    open_ready(page, f"{lab.attacker_origin}/experiments")
    untrusted = page.evaluate(FIRST_ON_THE_UNTRUSTED_ORIGIN)
    refused = page.locator(f"#exp-{untrusted}")
    refused.get_by_role("button", name="Run", exact=True).click()
    expect(refused).to_have_attribute("data-state", "done")
    expect(refused).to_have_attribute("data-verdict", "blocked")
    (entry,) = read_log(refused.get_attribute("data-run"))
    assert entry["request_headers"]["origin"] == lab.untrusted_origin


def test_the_untrusted_page_says_where_experiments_run(page, lab):
    page.goto(f"{lab.untrusted_origin}/experiments")
    expect(page.locator("#origin-banner")).to_contain_text(f"This page is on {lab.untrusted_origin}")


def test_the_untrusted_page_at_phone_width_never_scrolls_sideways(run_all):
    page = run_all["untrusted-origin-phone"].page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_no_axe_violations_after_run_all(run_all):
    """axe-core once after "Run all": the facts tables, answers and contents are met.
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
    open_ready(page, f"{lab.trusted_origin}/experiments")
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link", name="1. Simple requests")).to_be_visible()
    # The titles carry their numbers: the list adds none ("1. 1. Simple requests").
    assert contents.locator("li").first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    # The cards do not announce themselves: the progress line is the one live region of "Run all".
    expect(page.locator("article.experiment [aria-live], article.experiment[aria-live]")).to_have_count(0)
    expect(page.locator("#run-all-status")).to_have_attribute("role", "status")


def test_the_index_by_symptom_leads_to_the_card_that_explains_it(page, lab):
    """Each symptom links to a card of the page (the console lines the symptoms quote are compared
    with Chromium's own in the "Run all" tests)."""
    open_ready(page, f"{lab.trusted_origin}/experiments?lang=en")
    links = page.locator("#symptoms a")
    assert links.count() >= 10
    for target in links.evaluate_all("links => links.map((link) => link.getAttribute('href'))"):
        expect(page.locator(f"article.experiment{target}")).to_have_count(1)
    first = links.first
    expect(first).to_contain_text("No 'Access-Control-Allow-Origin' header is present on the requested resource.")
