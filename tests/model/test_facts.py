"""Fact matching of the experiments (static/js/model/facts.js with the catalogue's experiments):
facts observed in one run, from JavaScript's results and the wire, against the facts expected of
today's Chromium. Synthetic runs, no server: each case says which facts must disagree."""

import pytest

from lab_contract import published_contract

# The API's cookie names, as /config.json publishes them and the pages pass them on.
SESSION = published_contract()["session_cookie"]
VISIBLE = published_contract()["visible_cookie"]
PAGE = "http://localhost:8000"
API = "http://localhost:8001"
ALIAS = "http://127.0.0.1:8001"

# JavaScript's results, as core/transport.js makes them.
XHR_READ = {
    "transport": "xhr",
    "outcome": "load",
    "readable": True,
    "status": 200,
    "responseText": "{}",
    "responseHeaders": {},
}
XHR_BLOCKED = {
    "transport": "xhr",
    "outcome": "error",
    "readable": False,
    "status": 0,
    "responseText": "",
    "responseHeaders": {},
}
FETCH_REJECTED = {
    "transport": "fetch",
    "outcome": "rejected",
    "readable": False,
    "status": None,
    "responseText": "",
    "responseHeaders": {},
    "error": "TypeError: Failed to fetch",
}
# The cookie the experiments page sets for itself (catalogues/experiments-catalogue.js).
PAGE_COOKIE = "lab_page"


def entry(method, status=200, request=None, response=None, path="/x"):
    return {
        "method": method,
        "path": path,
        "status": status,
        "request_headers": request or {},
        "response_headers": response or {},
    }


def preflight(method, allow_origin=PAGE, asked_headers=None):
    asked = {"access-control-request-headers": asked_headers} if asked_headers else {}
    return entry(
        "OPTIONS",
        204,
        {"access-control-request-method": method, "origin": PAGE, **asked},
        {"access-control-allow-origin": allow_origin},
    )


def actual(method, allow_origin=PAGE, **request):
    response = {"access-control-allow-origin": allow_origin} if allow_origin else {}
    return entry(method, 200, {"origin": PAGE, **request}, response)


TEXT_POST = actual("POST", **{"content-type": "text/plain"})


def whoami(logged_in):
    return XHR_READ | {"responseText": f'{{"logged_in": {str(logged_in).lower()}}}'}


CASES = [
    pytest.param("simple-get", [XHR_READ], [actual("GET")], {}, [], "allowed", id="simple-get-as-expected"),
    pytest.param(
        "simple-get",
        [XHR_BLOCKED],
        [actual("GET", None)],
        {},
        ["readable", "allowOrigin"],
        "blocked",
        id="simple-get-refused",
    ),
    pytest.param(
        "preflight-put",
        [XHR_READ],
        [preflight("PUT", asked_headers="content-type,x-lab-token"), actual("PUT")],
        {},
        [],
        "allowed",
        id="preflight-put-as-expected",
    ),
    pytest.param(
        "preflight-put",
        [XHR_READ],
        [actual("PUT")],
        {},
        ["preflights", "requestMethodAsked", "requestHeadersAsked"],
        "allowed",
        id="preflight-put-without-its-preflight",
    ),
    pytest.param(
        "preflight-refused-method",
        [XHR_BLOCKED],
        [preflight("PROPFIND")],
        {},
        [],
        "blocked",
        id="refused-method-never-sent",
    ),
    pytest.param(
        "preflight-refused-method",
        [XHR_BLOCKED],
        [preflight("PROPFIND"), actual("PROPFIND")],
        {},
        ["actuals"],
        "blocked",
        id="refused-method-sent-anyway",
    ),
    pytest.param(
        "cookies-sent-with-credentials",
        [whoami(True)],
        [actual("GET", cookie=[SESSION])],
        {},
        [],
        "allowed",
        id="session-cookie-by-the-contracts-name",
    ),
    pytest.param(
        "cookies-sent-with-credentials",
        [whoami(True)],
        [actual("GET", cookie=["lab_other"])],
        {},
        ["cookieSent"],
        "allowed",
        id="another-cookie-is-not-the-session",
    ),
    pytest.param(
        "cookies-not-sent-by-default",
        [whoami(True)],
        [actual("GET")],
        {},
        ["loggedIn"],
        "allowed",
        id="logged-in-without-cookie-is-a-mismatch",
    ),
    pytest.param(
        "httponly-and-ports",
        [],
        [],
        {"documentCookie": f"{VISIBLE}=set-by-localhost-8001; theme=dark"},
        [],
        "none",
        id="visible-cookie-read-session-hidden",
    ),
    pytest.param(
        "httponly-and-ports",
        [],
        [],
        {"documentCookie": f"{VISIBLE}=set-by-localhost-8001; {SESSION}=abc"},
        ["sessionCookieReadable"],
        "none",
        id="session-cookie-readable-is-a-mismatch",
    ),
    pytest.param(
        "other-host-cookie",
        [],
        [],
        {"documentCookie": f"{VISIBLE}=set-by-127.0.0.1-8001"},
        ["otherHostCookieReadable"],
        "none",
        id="other-hosts-cookie-readable-is-a-mismatch",
    ),
    pytest.param(
        "safelisted-request-headers",
        [XHR_READ] * 4,
        [
            actual("GET", accept="application/json"),
            actual("GET"),
            actual("GET"),
            actual("GET", **{"content-type": "text/plain"}),
        ],
        {},
        ["headersArrived"],
        "allowed",
        id="two-safelisted-headers-lost",
    ),
    pytest.param(
        "error-500-without-cors",
        [XHR_BLOCKED],
        [preflight("PUT"), entry("PUT", 500, {"origin": PAGE})],
        {},
        [],
        "blocked",
        id="error-answer-seen-on-the-wire-not-by-javascript",
    ),
    pytest.param(
        "error-500-without-cors",
        [FETCH_REJECTED],
        [preflight("PUT"), entry("PUT", 500, {"origin": PAGE})],
        {},
        [],
        "blocked",
        id="a-rejected-fetch-saw-status-0",
    ),
    pytest.param(
        "error-500-with-cors",
        [XHR_READ],
        [preflight("PUT"), entry("PUT", 500, {"origin": PAGE}, {"access-control-allow-origin": PAGE})],
        {},
        ["statusSeen"],
        "allowed",
        id="javascript-seeing-200-for-a-500-is-a-mismatch",
    ),
    pytest.param(
        "redirect-post-becomes-get",
        [XHR_READ] * 3,
        [actual("POST"), actual("GET"), actual("POST"), actual("GET"), actual("POST"), TEXT_POST],
        {},
        [],
        "allowed",
        id="post-redirected-as-get-then-kept-by-307",
    ),
    pytest.param(
        "redirect-post-becomes-get",
        [XHR_READ] * 3,
        [actual("POST"), actual("POST"), actual("POST"), actual("POST"), actual("POST"), TEXT_POST],
        {},
        ["methodsArrived"],
        "allowed",
        id="method-kept-is-a-mismatch",
    ),
    pytest.param(
        "page-cookie-same-host",
        [whoami(False)],
        [actual("GET", cookie=[PAGE_COOKIE], **{"sec-fetch-site": "same-site"})],
        {},
        [],
        "allowed",
        id="page-cookie-goes-to-the-same-host",
    ),
    pytest.param(
        "page-cookie-stays-home",
        [whoami(False)],
        [actual("GET", cookie=[PAGE_COOKIE, SESSION], **{"sec-fetch-site": "cross-site"})],
        {},
        ["pageCookieSent"],
        "allowed",
        id="page-cookie-on-another-host-is-a-mismatch",
    ),
    pytest.param(
        "authorization-header-preflighted",
        [XHR_READ],
        [preflight("GET"), actual("GET")],
        {},
        ["requestHeadersAsked", "authorizationSent"],
        "allowed",
        id="authorization-missing-from-preflight-and-request",
    ),
]


@pytest.mark.parametrize(("experiment_id", "results", "wire", "extra", "mismatched", "verdict"), CASES)
def test_observed_facts_against_expected(js, contract, experiment_id, results, wire, extra, mismatched, verdict):
    judged = js.evaluate(
        """async ([id, results, wire, extra, ctx]) => {
            const { judge, sameFact } = await import('/js/model/facts.js');
            const { findExperiment } = await import('/js/catalogues/experiment-runner.js');
            const { expected, observed, match, verdict } = judge(findExperiment(id), { results, extra }, wire, ctx);
            const mismatched = Object.keys(expected).filter((key) => !sameFact(expected[key], observed[key]));
            return { match, verdict, mismatched };
        }""",
        [experiment_id, results, wire, extra, context(contract)],
    )
    assert judged == {"match": mismatched == [], "verdict": verdict, "mismatched": mismatched}


def context(contract):
    cookies = {"session": contract["session_cookie"], "visible": contract["visible_cookie"], "page": PAGE_COOKIE}
    return {"api": API, "alias": ALIAS, "pageOrigin": PAGE, "run": "RUN_ID", "transport": "xhr", "cookies": cookies}


def test_the_cookie_names_come_from_the_context(js, contract):
    """With other cookie names in the context, the same wire no longer shows the session cookie."""
    ctx = context(contract) | {"cookies": {"session": "other_session", "visible": "other_visible"}}
    sent = js.evaluate(
        """async ([wire, ctx]) => (await import('/js/model/facts.js')).COMMON_FACTS.cookieSent(wire, { results: [] }, ctx)""",
        [[actual("GET", cookie=[contract["session_cookie"]])], ctx],
    )
    assert sent is False


@pytest.mark.parametrize(
    ("expected", "observed", "match"),
    [
        pytest.param(
            {"readable": True}, {"readable": True, "extra": 1}, True, id="facts-shown-but-not-expected-do-not-count"
        ),
        pytest.param({"allowOrigin": None}, {}, False, id="absent-is-not-null"),
        pytest.param({"headers": ["a", "b"]}, {"headers": ["b", "a"]}, False, id="order-matters"),
        pytest.param({}, {"readable": False}, True, id="nothing-expected"),
    ],
)
def test_facts_match(js, expected, observed, match):
    result = js.evaluate(
        "async ([expected, observed]) => (await import('/js/model/facts.js')).factsMatch(expected, observed)",
        [expected, observed],
    )
    assert result is match
