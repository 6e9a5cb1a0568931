"""The foundation's proof: one simple and one preflighted request from both page origins."""

import pytest
from playwright.sync_api import expect

CASES = [
    pytest.param("trusted", "simple-get", "allowed", [("GET", 200)], id="simple-GET-from-trusted-origin-is-readable"),
    pytest.param(
        "untrusted",
        "simple-get",
        "blocked",
        [("GET", 200)],
        id="simple-GET-from-untrusted-origin-is-served-but-blocked",
    ),
    pytest.param(
        "trusted",
        "preflight-put",
        "allowed",
        [("OPTIONS", 200), ("PUT", 200)],
        id="PUT-from-trusted-origin-preflight-then-PUT",
    ),
    pytest.param(
        "untrusted",
        "preflight-put",
        "blocked",
        [("OPTIONS", 200)],
        id="PUT-from-untrusted-origin-never-sent-after-preflight",
    ),
]


@pytest.mark.parametrize(("role", "check", "verdict", "wire"), CASES)
def test_quick_check(page, open_index, read_log, console_errors, role, check, verdict, wire):
    origin = open_index(role)
    card = page.locator(f"#check-{check}")
    card.get_by_role("button", name="Run").click()
    expect(card).to_have_attribute("data-state", "done")
    expect(card).to_have_attribute("data-verdict", verdict)

    # What crossed the wire, from the API's own log.
    entries = read_log(card.get_attribute("data-run"))
    assert [(entry["method"], entry["status"]) for entry in entries] == wire
    for entry in entries:
        assert entry["request_headers"]["origin"] == origin
    allow_origin = entries[-1]["response_headers"].get("access-control-allow-origin")
    assert allow_origin == (origin if role == "trusted" else None)
    if check == "preflight-put":
        assert entries[0]["request_headers"]["access-control-request-method"] == "PUT"
        assert entries[0]["request_headers"]["access-control-request-headers"] == "content-type,x-lab-token"

    # What JavaScript saw.
    if verdict == "allowed":
        expect(card.locator(".js-status")).to_have_text("200")
        expect(card.locator(".js-events")).to_have_text("events: load, loadend")
        assert console_errors == []
    else:
        expect(card.locator(".js-status")).to_have_text("0")
        expect(card.locator(".js-events")).to_have_text("events: error, loadend")
        expect(card.locator(".js-body")).to_have_text("(empty)")
        assert any("blocked by CORS policy" in error for error in console_errors)

    # The page shows the same wire, one row per request.
    expect(card.locator("table.wire tbody tr")).to_have_count(len(wire))


def test_a_same_origin_request_carries_origin_unless_its_method_is_get_or_head(page, lab, read_log, run_prefix):
    """What the baseline experiment says of Origin on same-origin requests, on the wire: a page of
    the API's own origin sends GET and HEAD without Origin, and POST, PUT, DELETE with it."""
    run = f"{run_prefix}-same-origin-methods"
    page.goto(f"{lab.api_origin}/health")
    page.evaluate(
        """async (run) => {
            for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE']) await fetch(`/lab?acao=none&run=${run}`, { method });
        }""",
        run,
    )
    sent = [(entry["method"], entry["request_headers"].get("origin")) for entry in read_log(run)]
    assert sent == [
        ("GET", None),
        ("HEAD", None),
        ("POST", lab.api_origin),
        ("PUT", lab.api_origin),
        ("DELETE", lab.api_origin),
    ]
