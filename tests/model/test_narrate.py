"""The narration of one run (static/js/model/narrate.js): what the browser sent, what the API
responded and what JavaScript saw, in the English catalogue's words."""

import pytest

PAGE = "http://localhost:8000"


def preflight(status=204, allow=PAGE, headers=None):
    request = {"access-control-request-method": "PUT"} | (
        {"access-control-request-headers": headers} if headers else {}
    )
    response = {"access-control-allow-origin": allow} if allow else {}
    return {"method": "OPTIONS", "status": status, "request_headers": request, "response_headers": response}


def actual(method="PUT", status=200, allow=PAGE):
    response = {"access-control-allow-origin": allow} if allow else {}
    return {"method": method, "status": status, "request_headers": {}, "response_headers": response}


LOAD = {"transport": "xhr", "outcome": "load"}
ERROR = {"transport": "xhr", "outcome": "error"}
OPAQUE = {"transport": "fetch", "outcome": "resolved", "type": "opaque"}
REJECTED = {"transport": "fetch", "outcome": "rejected", "error": "TypeError: Failed to fetch"}


@pytest.mark.parametrize(
    ("results", "wire", "story"),
    [
        pytest.param([], [], "Nothing reached the API.", id="nothing"),
        pytest.param(
            [LOAD],
            [actual("GET")],
            "No preflight: the browser sent the request straight away. The GET reached the API, which responded with 200 "
            f"with Access-Control-Allow-Origin: {PAGE}. JavaScript got the load event and could read the response.",
            id="simple-read",
        ),
        pytest.param(
            [LOAD],
            [preflight(headers="x-lab-token"), actual()],
            "The browser first sent an OPTIONS preflight asking for PUT with headers x-lab-token; the API responded with 204 "
            f"allowing {PAGE}. The PUT reached the API, which responded with 200 with Access-Control-Allow-Origin: {PAGE}. "
            "JavaScript got the load event and could read the response.",
            id="preflighted-read",
        ),
        pytest.param(
            [ERROR],
            [preflight(status=403, allow=None)],
            "The browser first sent an OPTIONS preflight asking for PUT; the API responded with 403 with no "
            "Access-Control-Allow-Origin. The preflight did not allow the request, so the browser never sent it: it "
            "never reached the API. JavaScript got only the error event and status 0: it cannot see the status the server "
            "sent, nor tell a CORS refusal from a network failure.",
            id="refused-at-preflight",
        ),
        pytest.param(
            [REJECTED],
            [preflight(), actual(), actual(), actual()],
            f"The browser first sent an OPTIONS preflight asking for PUT; the API responded with 204 allowing {PAGE}. "
            "3 requests (PUT, PUT, PUT) reached the API, which responded with 200 with Access-Control-Allow-Origin: "
            f"{PAGE}. fetch rejected with TypeError: Failed to fetch: as with XHR's error event, the reason is not "
            "visible to JavaScript.",
            id="one-preflight-cached-for-three",
        ),
        pytest.param(
            [OPAQUE],
            [actual("POST", allow=None)],
            "No preflight: the browser sent the request straight away. The POST reached the API, which responded with 200 "
            "without Access-Control-Allow-Origin. fetch resolved with an opaque response (type 'opaque', status 0, "
            "no headers, empty body): sent, but unreadable.",
            id="opaque",
        ),
    ],
)
def test_narration(js, results, wire, story):
    told = js.evaluate(
        "async ([results, wire]) => (await import('/js/model/narrate.js')).narrate(results, wire, window.translate)",
        [results, wire],
    )
    assert told == story
