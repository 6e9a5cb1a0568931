"""Using the lab by keyboard: the language switcher, the focus after a run, named navigation."""

import pytest
from playwright.sync_api import expect

from tests.pages import open_ready


def test_browsing_languages_with_the_arrow_keys_does_not_reload_the_page(page, open_index):
    open_index("trusted")
    page.evaluate("window.stillHere = true")
    switcher = page.locator("#language")
    switcher.focus()
    page.keyboard.press("ArrowDown")
    expect(switcher).to_have_value("zh-CN")
    assert page.evaluate("window.stillHere") is True
    assert "lang=" not in page.url
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("?lang=zh-CN")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_choosing_a_language_with_the_mouse_applies_it(page, open_index):
    open_index("trusted")
    with page.expect_navigation():
        page.locator("#language").select_option("zh-CN")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_the_focus_returns_to_the_button_when_the_run_ends(page, open_index):
    open_index("trusted")
    button = page.get_by_role("button", name="Run both checks")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#run-all-status")).to_contain_text("2 of 2")
    expect(button).to_be_focused()


@pytest.mark.parametrize(("lang", "label"), [("en", "Pages"), ("zh-CN", "页面")])
def test_the_site_navigation_is_named(page, lab, lang, label):
    open_ready(page, f"{lab.trusted_origin}/security?lang={lang}")
    expect(page.locator("nav.site-nav")).to_have_attribute("aria-label", label)
    assert page.locator("nav:not([aria-label])").count() == 0


def test_the_security_lab_fits_a_phone_and_its_tables_scroll_by_keyboard(browser, lab):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    open_ready(page, f"{lab.trusted_origin}/security")
    # The page itself never scrolls sideways; each wide table scrolls in its own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    regions = page.locator(".table-scroll")
    expect(regions).to_have_count(7)
    first = regions.first
    first.focus()
    expect(first).to_be_focused()
    assert first.get_attribute("aria-label")
    page.close()


def test_the_index_fits_a_phone(browser, lab):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    open_ready(page, f"{lab.trusted_origin}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
