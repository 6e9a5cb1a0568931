"""The lab contract: the only facts the API, the pages' server and labctl share.

Origins by role, the environment variables that set them, the look-alike origins the security
lab attacks from, which hosts each server answers, and the lab key. Everything else the two
apps say to each other goes over HTTP, as two origins do.

Roles (environment variable ``LAB_<ROLE>``, upper case):

``trusted_origin``    the page origin on the API's allowlist (default http://localhost:8000)
``untrusted_origin``  the same pages under another host, not on the allowlist (http://127.0.0.1:8000)
``api_origin``        the API (http://localhost:8001)
``api_alias_origin``  the same API under another host, a different site (http://127.0.0.1:8001)
``attacker_origin``   the security lab's same-site attacker: another port of localhost (http://localhost:8002)

The look-alike attackers are derived from the trusted origin: for http://localhost:8000 they are
http://attacker.localhost:8000 (ends like it) and http://localhost.attacker.localhost:8000
(starts like it). Chromium resolves every *.localhost name to loopback, and each is a site.

The lab key (``LAB_KEY``) is a secret that labctl makes once per ``make run`` and hands to both
servers. The pages' server gives it to the lab's own pages in /config.json (same-origin only),
and the deliberately vulnerable endpoints (/security/*) answer only requests that carry it in
the ``lab_key`` query parameter: no page on any other origin can make them act.
"""

import os
from urllib.parse import urlsplit

ORIGIN_DEFAULTS = {
    "trusted_origin": "http://localhost:8000",
    "untrusted_origin": "http://127.0.0.1:8000",
    "api_origin": "http://localhost:8001",
    "api_alias_origin": "http://127.0.0.1:8001",
    "attacker_origin": "http://localhost:8002",
}
API_ROLES = ("api_origin", "api_alias_origin")
LAB_KEY_VARIABLE = "LAB_KEY"
LAB_KEY_PARAMETER = "lab_key"


def variable(role):
    """The environment variable that sets ``role``: trusted_origin -> LAB_TRUSTED_ORIGIN."""
    return f"LAB_{role.upper()}"


def origins_from_environment(environ=os.environ):
    """role -> origin: the defaults, overridden by every non-empty LAB_* variable."""
    return {role: environ.get(variable(role)) or default for role, default in ORIGIN_DEFAULTS.items()}


def lookalike_origins(trusted_origin):
    """Origins that a sloppy suffix or prefix check mistakes for ``trusted_origin``."""
    parts = urlsplit(trusted_origin)
    port = f":{parts.port}" if parts.port else ""
    return {
        "suffix_lookalike_origin": f"{parts.scheme}://attacker.{parts.hostname}{port}",
        "prefix_lookalike_origin": f"{parts.scheme}://{parts.hostname}.attacker.localhost{port}",
    }


def with_lookalikes(origins):
    """``origins`` (role -> origin) plus the look-alike attackers derived from the trusted one."""
    return origins | lookalike_origins(origins["trusted_origin"])


def page_origins(origins):
    """Every origin that serves the lab's pages: trusted, untrusted, the attackers."""
    return [origin for role, origin in with_lookalikes(origins).items() if role not in API_ROLES]


def api_origins(origins):
    return [origins[role] for role in API_ROLES]


def hosts(origin_list):
    """The Host header values a browser sends to ``origin_list`` (a default port is left out)."""
    return {urlsplit(origin).netloc.lower() for origin in origin_list}


def refuse_foreign_hosts(wsgi_app, allowed_hosts):
    """Wrap ``wsgi_app`` so that a request whose Host is not in ``allowed_hosts`` gets a 421
    before any handler runs. A page on another site that rebinds its own name to 127.0.0.1
    (DNS rebinding) reaches the lab's port with its own Host, and is refused here; no answer,
    redirect or log entry is ever made for it."""
    allowed = frozenset(host.lower() for host in allowed_hosts)
    body = (
        '{"error": "unknown_host", "message": "This server answers only the Host names of the lab\'s '
        'own origins (see make run\'s output); the Host of this request is not one of them."}\n'
    ).encode()

    def guarded(environ, start_response):
        if environ.get("HTTP_HOST", "").lower() in allowed:
            return wsgi_app(environ, start_response)
        start_response(
            "421 Misdirected Request",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("X-Content-Type-Options", "nosniff"),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]

    return guarded
