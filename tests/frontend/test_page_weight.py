"""The JS and CSS each served page downloads, unminified, against the budget. Pages are read as
the pages' server serves them (templates rendered), not as files."""

import re

import pytest

from frontend_server.pages import PAGES
from labctl.page_weight import BUDGET_BYTES, page_assets, page_bytes

SERVED = [*PAGES, "/static/sandbox.html"]


@pytest.mark.parametrize("path", SERVED)
def test_each_page_fits_the_budget(client, path):
    weight = page_bytes(client.get(path).get_data(as_text=True))
    assert weight < BUDGET_BYTES, f"{path}: {weight} bytes of JS and CSS (budget {BUDGET_BYTES})"


def test_a_page_counts_every_module_it_imports(client):
    assets = page_assets(client.get("/security").get_data(as_text=True))
    assert {
        "css/lab.css",
        "js/pages/security.js",
        "js/catalogues/security-catalogue.js",
        "js/catalogues/security-attacks.js",
        "js/core/transport.js",
        "js/core/dom.js",
        "js/model/verdict.js",
    } <= assets
    assert "js/pages/playground.js" not in assets


@pytest.mark.parametrize("path", SERVED)
def test_no_page_loads_anything_from_another_host(client, path):
    sources = re.findall(r'(?:src|href)="([^"]*)"', client.get(path).get_data(as_text=True))
    assert sources, path
    assert [source for source in sources if not source.startswith(("/", "#"))] == [], path
