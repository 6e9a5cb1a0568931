"""Every page starts the same way (static/js/core/page.js): a page whose configuration or API
cannot be reached says so in an alert, in its language, instead of staying blank, and a page
that started marks <body data-ready="true">. Only the pages' server runs here (on free ports,
in a thread of the test); nothing listens on the API's port."""

import pytest
from playwright.sync_api import expect

from tests.conftest import serve_pages
from tests.pages import wait_ready

PAGES = ["/", "/experiments", "/playground", "/security"]


def config_unavailable(wsgi_app):
    """The pages' server behind a front that fails /config.json with a 503, as a broken proxy
    would: the browser meets a real failing answer (no route in the browser)."""

    def front(environ, start_response):
        if environ["PATH_INFO"] == "/config.json":
            start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Content-Length", "4")])
            return [b"down"]
        return wsgi_app(environ, start_response)

    return front


@pytest.fixture(scope="module")
def trusted_without_config():
    yield from serve_pages(config_unavailable)


@pytest.fixture
def chinese_page(browser):
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_a_page_whose_api_does_not_answer_says_so_and_still_starts(page, trusted_without_api, path):
    origin, api = trusted_without_api
    page.goto(f"{origin}{path}")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(
        f"The API at {api} does not respond: the requests of this page will fail. Is make run still running?"
    )
    expect(alert).to_have_attribute("data-start-error", "api")
    wait_ready(page)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_its_configuration_says_so(page, trusted_without_config, path):
    origin, _ = trusted_without_config
    page.goto(f"{origin}{path}")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This page could not load the lab's configuration (/config.json responded with 503)")
    expect(alert).to_have_attribute("data-start-error", "config")
    assert page.locator("body").get_attribute("data-ready") is None


def test_the_alert_speaks_the_pages_language(chinese_page, trusted_without_api):
    origin, api = trusted_without_api
    chinese_page.goto(f"{origin}/playground")
    expect(chinese_page.get_by_role("alert")).to_have_text(
        f"{api} 上的 API 没有回应：本页的请求都会失败。make run 还在运行吗？"
    )
