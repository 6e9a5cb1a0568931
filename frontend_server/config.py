"""The page origins' configuration: defaults, then environment variables, then the caller's dict.

Each origin has an environment variable of the same name with a ``LAB_`` prefix:

``TRUSTED_ORIGIN``    the page origin on the API's allowlist (default http://localhost:8000)
``UNTRUSTED_ORIGIN``  the same pages under another host, not on the allowlist (http://127.0.0.1:8000)
``API_ORIGIN``        the API (http://localhost:8001)
``API_ALIAS_ORIGIN``  the same API under another host, a different site (http://127.0.0.1:8001)

The pages learn these from ``/config.json``; the API's own allowlist comes from the API.
"""

import os

ORIGIN_DEFAULTS = {
    "TRUSTED_ORIGIN": "http://localhost:8000",
    "UNTRUSTED_ORIGIN": "http://127.0.0.1:8000",
    "API_ORIGIN": "http://localhost:8001",
    "API_ALIAS_ORIGIN": "http://127.0.0.1:8001",
}


def configure(app, config=None):
    app.config.update(ORIGIN_DEFAULTS)
    app.config.update({key: os.environ[f"LAB_{key}"] for key in ORIGIN_DEFAULTS if os.environ.get(f"LAB_{key}")})
    if config:
        app.config.update(config)
