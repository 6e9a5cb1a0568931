import re

import pytest

from frontend_server import STATIC_DIR
from labctl.page_weight import BUDGET_BYTES, page_assets, page_bytes


@pytest.mark.parametrize("page", sorted(path.name for path in STATIC_DIR.glob("*.html")))
def test_each_page_fits_the_budget(page):
    assert page_bytes(page) < BUDGET_BYTES, f"{page}: {page_bytes(page)} bytes of JS and CSS (budget {BUDGET_BYTES})"


def test_a_page_counts_every_module_it_imports():
    assets = page_assets("security.html")
    assert {"css/lab.css", "js/security.js", "js/security-catalogue.js", "js/api.js", "js/dom.js"} <= assets
    assert "js/playground.js" not in assets


def test_no_page_loads_anything_from_another_host():
    for page in STATIC_DIR.glob("*.html"):
        sources = re.findall(r'(?:src|href)="([^"]*)"', page.read_text())
        assert sources, page.name
        assert [source for source in sources if not source.startswith(("/", "#"))] == [], page.name
