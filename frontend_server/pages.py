"""The pages, their JSON config, and the headers every page response carries."""

from flask import Blueprint, current_app, jsonify, redirect, send_from_directory

bp = Blueprint("pages", __name__)


def page_config():
    keys = ("TRUSTED_ORIGIN", "UNTRUSTED_ORIGIN", "API_ORIGIN", "API_ALIAS_ORIGIN")
    return {key.lower(): current_app.config[key] for key in keys}


def content_security_policy(api_origins):
    """No inline script anywhere; the API may serve scripts (JSONP) and be fetched."""
    apis = " ".join(api_origins)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {apis}",
            f"connect-src 'self' {apis}",
            "img-src 'self' data:",
            "style-src 'self'",
            f"form-action 'self' {apis}",
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'self'",
        ]
    )


@bp.get("/")
def index():
    return send_from_directory(current_app.static_folder, "index.html")


@bp.get("/config.json")
def config_json():
    response = jsonify(page_config())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/favicon.ico")
def favicon():
    return redirect("/static/favicon.svg", code=301)


def security_headers(response):
    config = current_app.config
    response.headers["Content-Security-Policy"] = content_security_policy(
        [config["API_ORIGIN"], config["API_ALIAS_ORIGIN"]]
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def init_app(app):
    app.register_blueprint(bp)
    app.after_request(security_headers)
