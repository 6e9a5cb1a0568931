import re

from frontend_server import STATIC_DIR

BUDGET_BYTES = 100 * 1024


def test_all_js_and_css_of_the_lab_fit_the_budget():
    files = [*STATIC_DIR.rglob("*.js"), *STATIC_DIR.rglob("*.css")]
    total = sum(path.stat().st_size for path in files)
    assert files and total < BUDGET_BYTES, f"{total} bytes of JS and CSS (budget {BUDGET_BYTES})"


def test_no_page_loads_anything_from_another_host():
    for page in STATIC_DIR.glob("*.html"):
        sources = re.findall(r'(?:src|href)="([^"]*)"', page.read_text())
        assert sources, page.name
        assert [source for source in sources if not source.startswith(("/", "#"))] == [], page.name
