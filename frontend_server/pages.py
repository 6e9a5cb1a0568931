"""The pages, their JSON config, and the headers every page response carries."""

from functools import partial

from flask import Blueprint, current_app, jsonify, redirect, send_from_directory

from .config import lookalike_origins

bp = Blueprint("pages", __name__)

# URL path -> HTML file in static/. /frame runs experiments on one page origin for a page on
# the other, inside a hidden iframe: so a trusted page can show a request from the untrusted origin.
PAGES = {
    "/": "index.html",
    "/experiments": "experiments.html",
    "/playground": "playground.html",
    "/security": "security.html",
    "/attack": "attack.html",
    "/frame": "frame.html",
}


def page_config():
    keys = ("TRUSTED_ORIGIN", "UNTRUSTED_ORIGIN", "API_ORIGIN", "API_ALIAS_ORIGIN", "ATTACKER_ORIGIN")
    return {key.lower(): current_app.config[key] for key in keys} | lookalike_origins(current_app.config["TRUSTED_ORIGIN"])


def content_security_policy(page_origins, api_origins):
    """No inline script anywhere; the API may serve scripts (JSONP), be fetched and be framed
    (the security lab's injection demo); the page origins may frame each other (the
    experiments' runner frame) and nobody else may frame them."""
    apis = " ".join(api_origins)
    pages = " ".join(page_origins)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {apis}",
            f"connect-src 'self' {apis}",
            "img-src 'self' data:",
            "style-src 'self'",
            f"frame-src 'self' {pages} {apis}",
            f"form-action 'self' {apis}",
            "base-uri 'none'",
            "object-src 'none'",
            f"frame-ancestors 'self' {pages}",
        ]
    )


def serve_page(filename):
    return send_from_directory(current_app.static_folder, filename)


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


def page_origins():
    """Every origin that serves the lab's pages: trusted, untrusted, the attackers."""
    config = page_config()
    return [config[key] for key in config if not key.startswith("api_")]


def security_headers(response):
    config = current_app.config
    response.headers["Content-Security-Policy"] = content_security_policy(
        page_origins(), [config["API_ORIGIN"], config["API_ALIAS_ORIGIN"]]
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def init_app(app):
    app.register_blueprint(bp)
    app.after_request(security_headers)
