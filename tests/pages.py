"""The page helper every browser test shares: a lab page is ready when its script has started
(``<body data-ready="true">``, set by static/js/core/page.js), and an experiment card is done when
its ``data-state`` says so."""

from playwright.sync_api import expect


def wait_ready(page):
    """Returns once the page's script has started (its configuration and messages loaded)."""
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return page


def open_ready(page, url):
    """Opens ``url`` in ``page`` and waits until the page is ready."""
    page.goto(url)
    return wait_ready(page)


def run_card(page, experiment_id, wait=True):
    """Runs one experiment card on the experiments page open in ``page``: returns the card, once it
    is done (``wait=False``: at once, to run several side by side)."""
    card = page.locator(f"#exp-{experiment_id}")
    card.get_by_role("button", name="Run", exact=True).click()
    if wait:
        expect(card).to_have_attribute("data-state", "done")
    return card


def show_details(card):
    """Unfolds a done card's facts and wire (folded to one line after a run)."""
    details = card.locator("details.result-details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    return card
