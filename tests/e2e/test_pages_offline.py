"""Every page works offline: each request it makes goes to one of the lab's own origins."""

import pytest

from tests.pages import open_ready

PAGES = ["/", "/experiments", "/playground", "/security"]


@pytest.mark.parametrize("path", PAGES)
def test_page_requests_only_the_labs_origins(page, lab, path, console_errors):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_ready(page, f"{lab.trusted_origin}{path}")
    own = (lab.trusted_origin, lab.api_origin)
    assert requested and [url for url in requested if not url.startswith(own)] == []
    assert console_errors == []


def test_the_index_paints_and_the_browser_reports_when(page, lab):
    """First contentful paint, from the browser's Performance API. Its 200 ms goal is checked by
    `make bench` over several loads: one timing on a shared machine is no verdict."""
    open_ready(page, f"{lab.trusted_origin}/")
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
    assert paint is not None and paint > 0
    print(f"\nindex first contentful paint: {paint:.0f} ms")
