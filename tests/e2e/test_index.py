"""The index: which origin the page is on and whether the API trusts it, its two checks, and what
it says when the API does not respond."""

import pytest
from playwright.sync_api import expect

from tests.pages import open_ready


def test_trusted_page_says_it_is_trusted_and_loads_without_console_errors(page, open_index, console_errors, lab):
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    origin = open_index("trusted")
    banner = page.locator("#trust-banner")
    expect(banner).to_have_attribute("data-trust", "trusted")
    expect(banner).to_contain_text(f"the API allows {origin}")
    expect(page.locator("#page-origin")).to_have_text(origin)
    expect(page.locator("#api-origin")).to_have_text(lab.api_origin)
    expect(page.locator("#origins-body tr")).to_have_count(5)
    assert console_errors == []
    assert failed == []


def test_untrusted_page_shows_a_clear_banner(page, open_index, console_errors):
    origin = open_index("untrusted")
    banner = page.locator("#trust-banner")
    expect(banner).to_have_attribute("data-trust", "untrusted")
    expect(banner).to_contain_text(f"{origin} is not on the API's allowlist")
    assert console_errors == []


@pytest.mark.parametrize("role", ["trusted", "untrusted"])
def test_run_all_shows_progress_and_finishes_every_check(page, open_index, role):
    open_index(role)
    page.get_by_role("button", name="Run both checks").click()
    expect(page.locator("#run-all-status")).to_have_text("Done: 2 of 2 ran.")
    expect(page.locator("#run-all-progress")).to_have_attribute("value", "2")
    expect(page.locator(".check[data-state=done]")).to_have_count(2)


def test_the_untrusted_index_never_says_readable_above_a_blocked_result(page, open_index):
    open_index("untrusted")
    page.get_by_role("button", name="Run both checks").click()
    expect(page.locator("#run-all-status")).to_have_text("Done: 2 of 2 ran.")
    for check in page.locator(".check").all():
        expect(check).to_have_attribute("data-verdict", "blocked")
        expect(check.locator(".rule")).not_to_contain_text("readable")
        expect(check.locator(".rule")).to_contain_text("does not allow this origin")


def test_the_index_without_the_api_says_so_once_and_runs_both_checks(page, trusted_without_api):
    origin, api = trusted_without_api
    open_ready(page, f"{origin}/?lang=en")
    expect(page.get_by_text("does not respond")).to_have_count(1)
    expect(page.get_by_role("alert")).to_contain_text(f"The API at {api} does not respond")
    page.get_by_role("button", name="Run both checks").click()
    expect(page.locator("#run-all-status")).to_have_text("Done: 2 of 2 ran.")
    expect(page.locator(".check[data-state=done]")).to_have_count(2)
    expect(page.get_by_text("does not respond")).to_have_count(1)
