"""The one verdict "could JavaScript read it" (static/js/model/verdict.js): on results as the
transports make them, and on real requests of core/transport.js in Chromium against the test's
static server, same-origin and cross-origin (that server sends no CORS header)."""

import pytest


def result(transport, outcome, readable, **more):
    return {"transport": transport, "outcome": outcome, "readable": readable, "status": None} | more


@pytest.mark.parametrize(
    ("results", "verdict"),
    [
        pytest.param([result("xhr", "load", True, status=200)], "allowed", id="xhr-load"),
        pytest.param([result("xhr", "error", False, status=0)], "blocked", id="xhr-error"),
        pytest.param([result("xhr", "exception", False)], "blocked", id="xhr-refused-before-sending"),
        pytest.param([result("fetch", "resolved", True, type="cors")], "allowed", id="fetch-cors"),
        pytest.param([result("fetch", "resolved", False, type="opaque")], "blocked", id="fetch-opaque"),
        pytest.param([result("fetch", "rejected", False)], "blocked", id="fetch-rejected"),
        pytest.param([result("jsonp", "called", True)], "allowed", id="jsonp-called"),
        pytest.param([result("jsonp", "script-error", False)], "blocked", id="jsonp-script-error"),
        pytest.param([], "none", id="nothing-sent"),
        pytest.param(
            [result("xhr", "load", True), result("xhr", "error", False)], "blocked", id="the-last-result-counts"
        ),
    ],
)
def test_verdict_of_a_result(js, results, verdict):
    assert (
        js.evaluate("async (results) => (await import('/js/model/verdict.js')).verdictOf(results.at(-1))", results)
        == verdict
    )


@pytest.mark.parametrize(
    ("send", "origin", "readable", "verdict"),
    [
        pytest.param("sendXhr", "same", True, "allowed", id="xhr-same-origin"),
        pytest.param("sendXhr", "other", False, "blocked", id="xhr-cross-origin-without-cors"),
        pytest.param("sendFetch", "same", True, "allowed", id="fetch-same-origin"),
        pytest.param("sendFetch", "other", False, "blocked", id="fetch-cross-origin-without-cors"),
        pytest.param("no-cors", "other", False, "blocked", id="fetch-no-cors-is-opaque"),
    ],
)
def test_real_requests_get_the_same_verdict(js, static_server, send, origin, readable, verdict):
    # The page is on 127.0.0.1; localhost is the same server on another origin.
    host = "127.0.0.1" if origin == "same" else "localhost"
    url = f"http://{host}:{static_server}/i18n/en.json"
    got = js.evaluate(
        """async ([send, url]) => {
            const transport = await import('/js/core/transport.js');
            const { couldRead, verdictOf } = await import('/js/model/verdict.js');
            const result = send === 'no-cors'
              ? await transport.sendFetch({ method: 'GET', url, mode: 'no-cors' })
              : await transport[send]({ method: 'GET', url });
            return [result.readable, couldRead(result), verdictOf(result)];
        }""",
        [send, url],
    )
    assert got == [readable, readable, verdict]
