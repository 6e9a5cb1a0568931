"""The page origins of the CORS lab: serves the pages (templates/ and static/), static/ itself,
and /config.json, and sets their headers. static/ is this package's data: the pages' JavaScript,
CSS and message catalogues, which the doctor's probe page serves too (labctl/probe.py)."""

from importlib.resources import files
from pathlib import Path

from flask import Flask

from lab_contract import hosts, page_origins, refuse_foreign_hosts

from . import config, pages

# A folder on disk in every install (a wheel is unpacked; Flask serves files from a folder).
STATIC_DIR = Path(str(files(__name__) / "static"))


def create_app(config_overrides=None):
    """The pages app: defaults, then LAB_* environment variables, then ``config_overrides``."""
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    config.configure(app, config_overrides)
    pages.init_app(app)
    # DNS rebinding: another site's name pointed at 127.0.0.1 brings its own Host; refused here.
    app.wsgi_app = refuse_foreign_hosts(app.wsgi_app, hosts(page_origins(config.lab_origins(app.config))))
    return app
