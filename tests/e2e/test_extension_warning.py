"""An "allow CORS" browser extension rewrites answers and makes the lessons wrong: the pages detect
it (a read the API refuses succeeds) and warn on every page; without one they warn of nothing."""

import json

import pytest
from playwright.sync_api import expect

from tests.pages import open_ready, run_card

ALLOW_CORS_MANIFEST = {
    "manifest_version": 3,
    "name": "Allow CORS (the lab's test double of such extensions)",
    "version": "1.0",
    "permissions": ["declarativeNetRequest"],
    "host_permissions": ["<all_urls>"],
    "declarative_net_request": {"rule_resources": [{"id": "allow", "enabled": True, "path": "rules.json"}]},
}
ALLOW_CORS_RULES = [
    {
        "id": 1,
        "priority": 1,
        "action": {
            "type": "modifyHeaders",
            "responseHeaders": [{"header": "Access-Control-Allow-Origin", "operation": "set", "value": "*"}],
        },
        "condition": {"resourceTypes": ["xmlhttprequest"]},
    }
]


@pytest.fixture
def allow_cors_context(playwright, full_chromium_launch_args, tmp_path):
    """Chromium with a real unpacked MV3 extension that adds Access-Control-Allow-Origin: * to
    every answer, as the "Allow CORS" extensions do (extensions need a persistent context)."""
    extension = tmp_path / "extension"
    extension.mkdir()
    (extension / "manifest.json").write_text(json.dumps(ALLOW_CORS_MANIFEST))
    (extension / "rules.json").write_text(json.dumps(ALLOW_CORS_RULES))
    args = [f"--disable-extensions-except={extension}", f"--load-extension={extension}"]
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), **{**full_chromium_launch_args, "args": args}
    )
    yield context
    context.close()


def test_an_allow_cors_extension_is_detected_and_warned_of_on_every_page(allow_cors_context, lab):
    page = allow_cors_context.new_page()
    open_ready(page, f"{lab.trusted_origin}/experiments")
    refused = run_card(page, "refused-origin")
    # The extension made a read the API refuses succeed: the lesson is wrong, and the page says why.
    expect(refused).to_have_attribute("data-verdict", "allowed")
    warning = page.locator("[data-extension-warning]")
    expect(warning).to_contain_text("a browser extension")
    assert warning.evaluate("node => node === document.querySelector('main').firstElementChild")
    for path in ("/", "/playground", "/explain", "/security"):
        open_ready(page, f"{lab.trusted_origin}{path}")
        expect(page.locator("main > [data-extension-warning]:first-child")).to_have_attribute("role", "alert")


def test_without_such_an_extension_the_check_warns_of_nothing(page, lab):
    open_ready(page, f"{lab.trusted_origin}/experiments")
    refused = run_card(page, "refused-origin")
    expect(refused).to_have_attribute("data-verdict", "blocked")
    # The check itself, as a suspected extension would start it: the refused read stays refused.
    page.evaluate(
        "async (api) => (await import('/static/js/views/extension-warning.js')).checkForCorsExtension(api)",
        lab.api_origin,
    )
    expect(page.locator("[data-extension-warning]")).to_have_count(0)
    assert page.evaluate("localStorage.length") == 0
