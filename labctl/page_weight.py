"""Page weight: the JS and CSS bytes one page of the lab downloads, unminified.

A page loads the stylesheets and scripts its HTML names under /static, and each ES module the
modules it imports (relative specifiers, resolved from the importing module). Pages are read as
the pages' server serves them (templates rendered). The heaviest page is measured against the
budget. (The message catalogues are data, loaded one per page, and are not counted.)
"""

import posixpath
import re

from frontend_server import STATIC_DIR

# 105 KiB since the model reproduces the hash-table order of Chromium's request headers (model/header-order.js).
BUDGET_BYTES = 105 * 1024
_PAGE_ASSET = re.compile(r'(?:src|href)="/static/((?:js|css)/[^"]+)"')
# `import ... from './x.js'`, `export ... from '../y/z.js'` and `import './x.js'`, over lines.
_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'";]*?(?:\bfrom\s+)?['"](\.{1,2}/[^'"]+)['"]""", re.M)


def module_imports(module):
    """The static files (relative to static/) that ``module`` (relative to static/) imports."""
    source = (STATIC_DIR / module).read_text()
    return [posixpath.normpath(posixpath.join(posixpath.dirname(module), spec)) for spec in _IMPORT.findall(source)]


def page_assets(html):
    """The static files (relative to static/) that a page whose HTML is ``html`` loads."""
    pending = _PAGE_ASSET.findall(html)
    seen = set()
    while pending:
        asset = pending.pop()
        if asset in seen:
            continue
        seen.add(asset)
        if asset.endswith(".js"):
            pending += module_imports(asset)
    return seen


def page_bytes(html):
    return sum((STATIC_DIR / asset).stat().st_size for asset in page_assets(html))


def served_pages():
    """URL path -> HTML of every page, as the pages' server renders it."""
    from frontend_server import create_app
    from frontend_server.pages import PAGES
    from lab_contract import ORIGIN_DEFAULTS, hosts

    client = create_app({"SERVER_NAME": next(iter(hosts([ORIGIN_DEFAULTS["trusted_origin"]])))}).test_client()
    return {path: client.get(path).get_data(as_text=True) for path in [*PAGES, "/static/sandbox.html"]}


def heaviest_page():
    """(URL path, bytes) of the page that downloads the most JS and CSS."""
    return max(((path, page_bytes(html)) for path, html in served_pages().items()), key=lambda item: item[1])
