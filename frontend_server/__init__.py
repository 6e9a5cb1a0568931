"""The page origins of the CORS lab: serves the pages (templates/ and static/), static/ itself,
and /config.json, and sets their headers."""

from pathlib import Path

from flask import Flask

from lab_contract import hosts, page_origins, refuse_foreign_hosts

from . import config, pages

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def create_app(config_overrides=None):
    """The pages app: defaults, then LAB_* environment variables, then ``config_overrides``."""
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    config.configure(app, config_overrides)
    pages.init_app(app)
    # DNS rebinding: another site's name pointed at 127.0.0.1 brings its own Host; refused here.
    app.wsgi_app = refuse_foreign_hosts(app.wsgi_app, hosts(page_origins(config.lab_origins(app.config))))
    return app
