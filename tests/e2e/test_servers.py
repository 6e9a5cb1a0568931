"""The lab's servers as they run under gunicorn: what crosses a real socket."""

import http.client
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.pages import wait_ready


def raw_request(origin, method, path, headers=()):
    """One HTTP request with headers sent exactly as given (repeats and lowercase methods included)."""
    parts = urlsplit(origin)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest(method, path, skip_accept_encoding=True)
    for name, value in headers:
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def listening_addresses(port):
    """Local addresses of the sockets listening on ``port``, read from /proc/net/tcp{,6}."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            local, _remote, state = line.split()[1:4]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                addresses.add(address)
    return addresses


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1, as /proc writes them


@pytest.mark.parametrize("role", ["trusted", "api", "attacker"])
def test_servers_listen_on_loopback_only(lab, role):
    port = urlsplit(getattr(lab, role + "_origin")).port
    addresses = listening_addresses(port)
    assert addresses, f"nothing listens on {port}"
    assert addresses <= LOOPBACK


def test_lowercase_patch_reaches_the_app_through_gunicorn(lab, read_log, run_prefix):
    response = raw_request(
        lab.api_origin, "patch", f"/lab?acao=echo&run={run_prefix}-patch", [("Origin", lab.trusted_origin)]
    )
    assert response.status == 200
    assert [entry["method"] for entry in read_log(f"{run_prefix}-patch")] == ["patch"]


def test_two_origin_headers_over_the_wire_get_no_allow_origin(lab):
    response = raw_request(
        lab.api_origin, "GET", "/simple", [("Origin", lab.trusted_origin), ("Origin", "http://evil.localhost")]
    )
    assert response.status == 200
    assert response.getheader("Access-Control-Allow-Origin") is None
    assert "Origin" in response.getheader("Vary")


def test_header_values_with_markup_are_shown_as_text(page, lab):
    markup = '<img src=x onerror="window.pwned=1"><b id="pwned">bold</b>'
    page.goto(
        f"{lab.trusted_origin}/playground?"
        + urlencode({"headers": f"X-Lab-Evil: {markup}", "acao": "echo", "acah": "x-lab-evil"})
    )
    wait_ready(page)
    page.get_by_role("button", name="Run it for real").click()
    expect(page.locator("#result")).to_have_attribute("data-state", "done")
    expect(page.locator("table.wire").first).to_contain_text(markup)
    assert page.locator("#pwned").count() == 0
    assert page.evaluate("window.pwned") is None
