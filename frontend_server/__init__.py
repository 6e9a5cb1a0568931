"""The page origins of the CORS lab: serves the pages and static/, and sets their headers."""

from pathlib import Path

from flask import Flask

from . import config, pages

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def create_app(config_overrides=None):
    """The pages app: defaults, then LAB_* environment variables, then ``config_overrides``."""
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    config.configure(app, config_overrides)
    pages.init_app(app)
    return app
