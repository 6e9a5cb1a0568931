"""Which refused request header Chromium's console line names when several are refused: the first
in the order Chromium walks a request's headers (a hash table's order, model/header-order.js and
docs/browser-facts.md), not the order the script set them nor the alphabet. The cases are the ones
Chromium 156 was seen to print, for XMLHttpRequest and fetch() alike, in any order set;
tests/e2e/test_refused_header.py compares a random sample with a real Chromium."""

import re

import pytest

from tests.conftest import TRUSTED

NAMED = re.compile(
    r"Request header field (\S+) is not allowed by Access-Control-Allow-Headers in preflight response\.$"
)
SEEN_IN_CHROMIUM = [
    ({"X-Token": "t", "Content-Type": "application/json"}, "x-token"),
    ({"X-A": "1", "X-B": "1"}, "x-a"),
    ({"X-A": "1", "X-B": "1", "X-C": "1"}, "x-c"),
    ({"X-A": "1", "X-B": "1", "X-C": "1", "X-D": "1"}, "x-d"),
    ({"X-Zeta": "1", "X-Alpha": "1", "X-Mid": "1"}, "x-zeta"),
    ({"Aa": "1", "Bb": "1", "Cc": "1"}, "aa"),
]


def named(js, headers, transport, body=True, **policy):
    """The header predict()'s console line names for a PUT with ``headers`` under ``policy``."""
    request = {
        "pageOrigin": TRUSTED,
        "method": "PUT",
        "headers": headers,
        "credentials": False,
        "target": "http://localhost:8001",
        "transport": transport,
        "body": body,
    }
    prediction = js.evaluate(
        """async ([request, policy]) => (await import('/js/model/cors-model.js')).predict(request, policy)""",
        [request, {"acao": "echo", "acam": "PUT", **policy}],
    )
    [line] = prediction["console"]
    return NAMED.search(line).group(1)


@pytest.mark.parametrize("transport", ["xhr", "fetch"])
@pytest.mark.parametrize(("headers", "name"), SEEN_IN_CHROMIUM, ids=[name for _, name in SEEN_IN_CHROMIUM])
def test_the_line_names_the_header_chromium_names_in_any_order_set(js, headers, name, transport):
    assert named(js, headers, transport) == name
    assert named(js, dict(reversed(headers.items())), transport) == name


def test_an_allowed_header_is_skipped_for_the_next_refused_one(js):
    assert named(js, {"X-A": "1", "X-B": "1", "X-C": "1"}, "fetch", acah="X-C") == "x-a"


def test_the_reason_names_the_same_header_as_the_line(js):
    prediction = js.evaluate(
        """async (request) => (await import('/js/model/cors-model.js')).predict(
            request, { acao: 'echo', acam: 'PUT' }, window.translate)""",
        {"pageOrigin": TRUSTED, "method": "PUT", "headers": {"Bb": "1", "Aa": "1", "Cc": "1"}, "transport": "fetch"},
    )
    assert "The header aa is not in Access-Control-Allow-Headers (-)." in prediction["reasons"]
