"""axe-core (axe-playwright-python) on every page of the lab before anything runs: zero
violations. Each page once in English on a desktop and once in 简体中文 on a 390 px phone, so
both languages and both widths are met without running every combination (axe takes seconds on
the experiments page)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.pages import open_ready

PAGES = ["/", "/learn", "/experiments", "/playground", "/security"]


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("zh-CN", 390)], ids=["en-desktop", "zh-CN-phone"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(browser, lab, axe, path, lang, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    open_ready(page, f"{lab.trusted_origin}{path}?lang={lang}")
    violations = axe.run(page).response["violations"]
    page.close()
    assert [(violation["id"], len(violation["nodes"])) for violation in violations] == []


def test_no_axe_violations_on_the_playground_after_a_run(browser, lab, axe):
    """After a run: the comparison's table, the exchange's headings and scrollable answers.
    (The experiments page after "Run all" is checked in test_experiments.py, on the run it makes
    anyway, so the suite pays for no second "Run all".)"""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    open_ready(page, f"{lab.trusted_origin}/playground?acao=echo")
    page.get_by_role("button", name="Run it for real", exact=True).click()
    expect(page.locator("#result")).to_have_attribute("data-state", "done")
    violations = axe.run(page).response["violations"]
    page.close()
    assert [(violation["id"], len(violation["nodes"])) for violation in violations] == []
