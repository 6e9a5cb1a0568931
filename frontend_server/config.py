"""The page origins' configuration: defaults, then environment variables, then the caller's dict.

Each origin has an environment variable of the same name with a ``LAB_`` prefix:

``TRUSTED_ORIGIN``    the page origin on the API's allowlist (default http://localhost:8000)
``UNTRUSTED_ORIGIN``  the same pages under another host, not on the allowlist (http://127.0.0.1:8000)
``API_ORIGIN``        the API (http://localhost:8001)
``API_ALIAS_ORIGIN``  the same API under another host, a different site (http://127.0.0.1:8001)
``ATTACKER_ORIGIN``   the security lab's same-site attacker: another port of localhost (http://localhost:8002)

The security lab's look-alike attackers are derived from the trusted origin: for
http://localhost:8000 they are http://attacker.localhost:8000 (ends like it) and
http://localhost.attacker.localhost:8000 (starts like it). Chromium resolves every *.localhost
name to loopback, and each is a site of its own.

The pages learn these from ``/config.json``; the API's own allowlist comes from the API.
"""

import os
from urllib.parse import urlsplit

ORIGIN_DEFAULTS = {
    "TRUSTED_ORIGIN": "http://localhost:8000",
    "UNTRUSTED_ORIGIN": "http://127.0.0.1:8000",
    "API_ORIGIN": "http://localhost:8001",
    "API_ALIAS_ORIGIN": "http://127.0.0.1:8001",
    "ATTACKER_ORIGIN": "http://localhost:8002",
}


def configure(app, config=None):
    app.config.update(ORIGIN_DEFAULTS)
    app.config.update({key: os.environ[f"LAB_{key}"] for key in ORIGIN_DEFAULTS if os.environ.get(f"LAB_{key}")})
    if config:
        app.config.update(config)


def lookalike_origins(trusted_origin):
    """Origins that a sloppy suffix or prefix check mistakes for ``trusted_origin``."""
    parts = urlsplit(trusted_origin)
    port = f":{parts.port}" if parts.port else ""
    return {
        "suffix_lookalike_origin": f"{parts.scheme}://attacker.{parts.hostname}{port}",
        "prefix_lookalike_origin": f"{parts.scheme}://{parts.hostname}.attacker.localhost{port}",
    }
