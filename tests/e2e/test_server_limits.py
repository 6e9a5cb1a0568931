"""What slow, idle, half-open, oversized and truncated requests do to the lab's real servers,
over raw sockets: none may stall a server, none may be processed as if it were whole. Then the
same bodies through Flask's test client, as gunicorn hands them over."""

import http.client
import json
import socket
import urllib.request
from urllib.parse import urlsplit

import pytest

from api_server import create_app
from lab_contract import ORIGIN_DEFAULTS

ONE_MIB = 1024 * 1024
HELD_CONNECTIONS = 12
# Fresh requests, each on a new connection, so that every worker of the server gets some.
FRESH_REQUESTS = 6
# Liveness, not speed: a stalled server never answers, a loaded one answers within this.
ANSWER_WITHIN_S = 20


def connect(origin, timeout=ANSWER_WITHIN_S):
    return socket.create_connection(("127.0.0.1", urlsplit(origin).port), timeout=timeout)


def head(origin, method, target, *headers):
    """A request head for ``origin``, with its Host header, as bytes."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {urlsplit(origin).netloc}", *headers, "", ""]
    return "\r\n".join(lines).encode()


def read_response(sock, method="POST"):
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    return response.status, response.read()


def chunked(body, size=64 * 1024):
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


def get_json(origin, path):
    parts = urlsplit(origin)
    request = urllib.request.Request(f"http://127.0.0.1:{parts.port}{path}", headers={"Host": parts.netloc})
    with urllib.request.urlopen(request, timeout=ANSWER_WITHIN_S) as response:
        return response.status, json.load(response)


def effects(lab, run):
    return get_json(lab.api_origin, f"/no-cors/effects?run={run}")[1]["effects"]


@pytest.mark.parametrize(("role", "path"), [("api", "/health"), ("trusted", "/config.json")])
def test_idle_and_half_open_connections_never_stall_a_server(lab, role, path):
    origin = getattr(lab, role + "_origin")
    held = []
    try:
        for _ in range(HELD_CONNECTIONS):
            half_open = connect(origin)
            half_open.sendall(b"GET /health HTTP/1.1\r\nHo")  # and then nothing, ever
            held += [half_open, connect(origin)]  # the second one sends nothing at all
        for _ in range(FRESH_REQUESTS):
            status, _ = get_json(origin, path)
            assert status == 200
    finally:
        for sock in held:
            sock.close()


@pytest.mark.parametrize(
    ("framing", "size", "status"),
    [
        pytest.param("content-length", ONE_MIB + 1, 413, id="counted-over-1MiB"),
        pytest.param("chunked", ONE_MIB + 1, 413, id="chunked-over-1MiB"),
        pytest.param("chunked", ONE_MIB, 200, id="chunked-of-1MiB"),
    ],
)
def test_a_chunked_body_over_the_limit_is_a_413_like_a_counted_one(lab, run_prefix, framing, size, status):
    run = f"{run_prefix}-{framing}-{size}"
    body = b"x" * size
    if framing == "chunked":
        request = head(
            lab.api_origin, "POST", f"/no-cors?run={run}", "Transfer-Encoding: chunked", "Content-Type: text/plain"
        )
        request += chunked(body)
    else:
        request = head(
            lab.api_origin, "POST", f"/no-cors?run={run}", f"Content-Length: {size}", "Content-Type: text/plain"
        )
        request += body
    with connect(lab.api_origin) as sock:
        sock.sendall(request)
        answered, text = read_response(sock)
    assert answered == status
    if status == 413:
        assert json.loads(text)["error"] == "request_entity_too_large"
        assert effects(lab, run) == []
    else:
        assert [len(effect["body"]) for effect in effects(lab, run)] == [500]  # /no-cors keeps 500 characters


def test_a_body_shorter_than_its_content_length_is_refused_not_processed(lab, run_prefix):
    run = f"{run_prefix}-short"
    with connect(lab.api_origin) as sock:
        sock.sendall(
            head(lab.api_origin, "POST", f"/no-cors?run={run}", "Content-Length: 1000", "Content-Type: text/plain")
        )
        sock.sendall(b"0123456789")
        sock.shutdown(socket.SHUT_WR)  # 10 of the 1000 bytes, and no more
        answered, text = read_response(sock)
    assert answered == 400
    assert json.loads(text)["error"] == "bad_request"
    assert effects(lab, run) == []


# True once the run's /log has an entry. Playwright calls it until then (every 100 ms): each call
# reads the answer of the last /log request this page sent, and sends the next if none is pending.
LOG_HAS_ENTRIES = """(url) => {
  const state = (window.logWait ??= { pending: null, found: false });
  state.pending ??= fetch(url, { cache: 'no-store' })
    .then((response) => response.json())
    .then((body) => { state.found = body.entries.length > 0; })
    .finally(() => { state.pending = null; });
  return state.found;
}"""


def test_a_client_that_disconnects_mid_body_leaves_no_effect(page, lab, read_log, run_prefix):
    run = f"{run_prefix}-gone"
    with connect(lab.api_origin) as sock:
        sock.sendall(
            head(lab.api_origin, "POST", f"/no-cors?run={run}", "Content-Length: 1000", "Content-Type: text/plain")
        )
        sock.sendall(b"0123456789")
    # The wire log records a request once it is answered, after any effect: wait for that (/log is
    # readable from any page, this blank one included).
    page.wait_for_function(
        LOG_HAS_ENTRIES, arg=f"{lab.api_origin}/log?run={run}", polling=100, timeout=ANSWER_WITHIN_S * 1000
    )
    entries = read_log(run)
    assert [entry["status"] for entry in entries] == [400]
    assert effects(lab, run) == []


# The same bodies without a server: gunicorn marks its input as ended by the server
# (wsgi.input_terminated), which makes Werkzeug read up to MAX_CONTENT_LENGTH, not Content-Length.
GUNICORN_INPUT = {"wsgi.input_terminated": True}


@pytest.fixture
def api_client(tmp_path):
    app = create_app({"LOG_DB": str(tmp_path / "lab.sqlite3")})
    return app.test_client()


def post_no_cors(client, run, data, headers=None, environ=None):
    return client.post(
        f"/no-cors?run={run}", data=data, headers=headers or {}, environ_overrides=environ or {},
        base_url=ORIGIN_DEFAULTS["api_origin"],
    )  # fmt: skip


def client_effects(client, run):
    response = client.get(f"/no-cors/effects?run={run}", base_url=ORIGIN_DEFAULTS["api_origin"])
    return response.get_json()["effects"]


@pytest.mark.parametrize(("size", "status"), [(ONE_MIB + 1, 413), (ONE_MIB, 200)])
def test_test_client_chunked_body_over_the_limit_is_a_413(api_client, size, status):
    response = post_no_cors(api_client, "chunked", b"x" * size, {"Transfer-Encoding": "chunked"}, GUNICORN_INPUT)
    assert response.status_code == status
    if status == 413:
        assert response.get_json()["error"] == "request_entity_too_large"
        assert client_effects(api_client, "chunked") == []


@pytest.mark.parametrize("environ", [{}, GUNICORN_INPUT], ids=["plain-wsgi", "gunicorn-like"])
def test_test_client_body_shorter_than_its_content_length_is_a_400(api_client, environ):
    response = post_no_cors(api_client, "short", b"0123456789", environ={"CONTENT_LENGTH": "1000", **environ})
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"
    assert client_effects(api_client, "short") == []


def test_test_client_views_still_read_the_whole_body(api_client):
    response = post_no_cors(api_client, "whole", b"0123456789")
    assert response.status_code == 200
    assert [effect["body"] for effect in client_effects(api_client, "whole")] == ["0123456789"]
