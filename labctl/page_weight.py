"""Page weight: the JS and CSS bytes one page of the lab downloads, unminified.

A page loads its stylesheets and scripts, and each ES module the modules it imports; the
heaviest page is measured against the budget. (The message catalogues are data, loaded one per
page, and are not counted.)
"""

import re
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
BUDGET_BYTES = 100 * 1024
_PAGE_ASSET = re.compile(r'(?:src|href)="/static/((?:js|css)/[^"]+)"')
_MODULE_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'"]*?from\s+['"]\./([^'"]+)['"]""", re.M)


def page_assets(page):
    """The static files (relative to static/) that ``page`` (an HTML file name) loads."""
    pending = _PAGE_ASSET.findall((STATIC_DIR / page).read_text())
    seen = set()
    while pending:
        asset = pending.pop()
        if asset in seen:
            continue
        seen.add(asset)
        if asset.endswith(".js"):
            pending += [f"js/{name}" for name in _MODULE_IMPORT.findall((STATIC_DIR / asset).read_text())]
    return seen


def page_bytes(page):
    return sum((STATIC_DIR / asset).stat().st_size for asset in page_assets(page))


def heaviest_page():
    """(page, bytes) of the page that downloads the most JS and CSS."""
    return max(((page.name, page_bytes(page.name)) for page in STATIC_DIR.glob("*.html")), key=lambda item: item[1])
