"""The pages, their JSON config, and the headers every page response carries."""

from functools import partial

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, send_from_directory

from lab_contract import (
    LAB_KEY_PARAMETER,
    LAB_PARAMETER_HEADERS,
    LAB_PREFLIGHT_PARAMETERS,
    STATUS_RANGE,
    api_origins,
    page_origins,
    published_contract,
    run_tag,
    with_lookalikes,
)

from .config import lab_origins

bp = Blueprint("pages", __name__)

# URL path -> page. The lab's pages are templates in templates/pages/ that extend the frame they
# share (templates/base.html: head, navigation, header); /frame is a plain file in static/. It
# runs experiments on one page origin for a page on the other, inside a hidden iframe: so a
# trusted page can show a request from the untrusted origin.
PAGES = {
    "/": "index.html",
    "/learn": "learn.html",
    "/experiments": "experiments.html",
    "/playground": "playground.html",
    "/explain": "explain.html",
    "/security": "security.html",
    "/attack": "attack.html",
    "/frame": "frame.html",
}
STATIC_PAGES = {"frame.html"}

# The navigation of the shared frame: (path, message key, English text before translation).
NAV = (
    ("/", "nav.home", "CORS lab"),
    ("/learn", "nav.learn", "Step by step"),
    ("/experiments", "nav.experiments", "Experiments"),
    ("/playground", "nav.playground", "Playground"),
    ("/explain", "nav.explain", "Explain an error"),
    ("/security", "nav.security", "Security"),
)


# The API scripts (JSONP) each page loads, by exact path: a page's CSP allows the API's scripts
# at these paths only, so no other answer of the API can run as script there. None redirects
# (after a redirect CSP no longer checks the path).
API_SCRIPT_PATHS = {
    "experiments.html": ("/jsonp",),
    "frame.html": ("/jsonp",),
    "attack.html": ("/jsonp", "/security/jsonp/leaky", "/security/jsonp/unvalidated"),
}


# The API pages each page may frame, by exact path: the experiments page's same-origin baseline.
# The runner frame (frame.html) runs the baseline too, for the experiments page on another origin.
API_FRAME_PATHS = {"experiments.html": ("/baseline",), "frame.html": ("/baseline",)}


def page_config():
    """What /config.json tells the lab's pages: every origin by role, the query parameters that
    open the security lab (the lab key; nothing without one), the tag of their run ids (see
    lab_contract; "" without a key), and the rest of the lab contract they need (cookie names,
    patterns, the /lab parameters), which the JavaScript never repeats."""
    key = current_app.config["LAB_KEY"]
    return with_lookalikes(lab_origins(current_app.config)) | {
        "security_query": {LAB_KEY_PARAMETER: key} if key else {},
        "run_tag": run_tag(key),
        "contract": published_contract(),
    }


def content_security_policy(pages, apis, script_paths, frame_paths=()):
    """No inline script anywhere; the API may be fetched, and may serve scripts at
    ``script_paths`` only; the page origins may frame each other (the experiments' runner
    frame, the sandboxed frame) and nobody else may frame them."""
    api_scripts = " ".join(f"{api}{path}" for api in apis for path in script_paths)
    api_frames = "".join(f" {api}{path}" for api in apis for path in frame_paths)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {api_scripts}".rstrip(),
            f"connect-src 'self' {' '.join(apis)}",
            "img-src 'self' data:",
            "style-src 'self'",
            f"frame-src 'self' {' '.join(pages)}{api_frames}",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            f"frame-ancestors 'self' {' '.join(pages)}",
        ]
    )


def serve_page(filename):
    if filename in STATIC_PAGES:
        return send_from_directory(current_app.static_folder, filename)
    return render_template(
        f"pages/{filename}",
        nav=NAV,
        status_range=STATUS_RANGE,
        parameter_headers=LAB_PARAMETER_HEADERS,
        preflight_parameters=LAB_PREFLIGHT_PARAMETERS,
    )


for path, filename in PAGES.items():
    bp.add_url_rule(path, endpoint=filename.removesuffix(".html"), view_func=partial(serve_page, filename))


@bp.get("/config.json")
def config_json():
    response = jsonify(page_config())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/favicon.ico")
def favicon():
    return redirect("/static/favicon.svg", code=301)


def security_headers(response):
    origins = lab_origins(current_app.config)
    filename = PAGES.get(request.path)
    response.headers["Content-Security-Policy"] = content_security_policy(
        page_origins(origins),
        api_origins(origins),
        API_SCRIPT_PATHS.get(filename, ()),
        API_FRAME_PATHS.get(filename, ()),
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def init_app(app):
    app.register_blueprint(bp)
    app.after_request(security_headers)
