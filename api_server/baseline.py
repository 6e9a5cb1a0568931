"""``GET /baseline``: the same-origin baseline of the experiments page, its script and its settings.

The note: 「CORS通信与同源的AJAX通信没有差别，代码完全一样」. The experiments page (on a lab page
origin) embeds /baseline in a hidden iframe; the page asks it by postMessage to send the same
requests to the API's own origin that the page then sends cross-origin, so one wire log shows
both: no Origin on the same-origin GET, no preflight before the same-origin PUT.

The only HTML the API serves. It is a constant: nothing is substituted into it, from the request
or from anywhere. Its script is the pages' own code, not a copy: the module pages/baseline.js and
the two it imports (core/transport.js's sender, the catalogue's baselineRequests), served under
/baseline/js/ from the pages' static files, read once at start, those files and no other. The page
origins it answers and the run id pattern come from /baseline.json (the lab's configuration).
Every answer's Content-Security-Policy allows scripts from this origin only, requests to this
origin only, and framing (of the page) by the lab's page origins only; the script acts only on
messages from its parent on a lab page origin, and sends only its own fixed requests, tagged with
a run id it checks.
"""

import posixpath
import re

from flask import Blueprint, Response, abort, current_app, jsonify

from frontend_server import STATIC_DIR
from lab_contract import RUN_ID_PATTERN, page_origins

bp = Blueprint("baseline", __name__)

SCRIPT = "js/pages/baseline.js"
PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CORS lab: the same-origin baseline</title>
<link rel="icon" href="data:,">
<script type="module" src="/baseline/{SCRIPT}"></script>
</head>
<body>
<p>The same-origin baseline of the CORS lab's experiments page: it sends, from the API's own
origin, the requests the experiments page sends cross-origin. It does nothing unless that page
asks.</p>
</body>
</html>
"""
_IMPORT = re.compile(r"""^import\b[^'";]*\bfrom\s+'(\.{1,2}/[^']+)';$""", re.M)


def module_graph(entry=SCRIPT):
    """path (relative to the pages' static/) -> source, of ``entry`` and every module it imports."""
    modules, pending = {}, [entry]
    while pending:
        module = pending.pop()
        if module not in modules:
            modules[module] = (STATIC_DIR / module).read_text()
            pending += [
                posixpath.normpath(posixpath.join(posixpath.dirname(module), spec))
                for spec in _IMPORT.findall(modules[module])
            ]
    return modules


# Read once: these files and no other are what /baseline/js/ serves.
MODULES = module_graph()


def lab_page_origins():
    return page_origins(current_app.config["LAB_ORIGINS"])


def locked_down(response, frame_ancestors):
    response.headers["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/baseline")
def baseline_page():
    return locked_down(Response(PAGE, mimetype="text/html"), " ".join(lab_page_origins()))


@bp.get("/baseline/js/<path:name>")
def baseline_module(name):
    source = MODULES.get(f"js/{name}")
    if source is None:
        abort(404)
    return locked_down(Response(source, mimetype="text/javascript"), "'none'")


@bp.get("/baseline.json")
def baseline_settings():
    # The origins the baseline answers, by exact origin, and the run ids it accepts.
    settings = {"parents": lab_page_origins(), "run_id_pattern": RUN_ID_PATTERN}
    return locked_down(jsonify(settings), "'none'")
