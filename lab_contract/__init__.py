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

The run tag (``run_tag``), derived from the lab key, marks the run ids of the lab's own pages
(they read it in /config.json, as ``run_tag``, and put it in every run id they make): so the API
tells the lab's own requests that carry no Origin (JSONP script elements, no-cors GETs,
navigations) from any other website's, which cannot read it (see api_server/traffic.py).
"""

import hashlib
import hmac
import os
from urllib.parse import unquote_plus, urlsplit

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
# What the public /log and the servers' access log show instead of a lab key.
NOT_RECORDED = "(not recorded)"
# The Content-Security-Policy of what the servers answer without meaning it as a page (the
# redirect pages of the API's router, gunicorn's own errors): nothing loads, nothing runs.
INERT_CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

# The API's cookies: the session (HttpOnly) and one a page can read, which names who set it.
SESSION_COOKIE = "lab_session"
VISIBLE_COOKIE = "lab_visible"
# The fake account of the API's HTTP Basic endpoint (/auth/basic): shown on the pages, guards nothing.
BASIC_AUTH_USER = "learner"
BASIC_AUTH_PASSWORD = "cors-lab"
BASIC_AUTH_REALM = "CORS lab"
# A run id tags every request of one run (``?run=``), so /log returns exactly that run.
RUN_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
# A header name as HTTP defines it (a token).
HEADER_NAME_PATTERN = r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
# /lab's parameters: acao (Allow-Origin: none, *, echo or a literal), the headers sent literally,
# and the statuses of the actual response and of the preflight (with their defaults).
LAB_HEADER_PARAMETERS = {
    "acac": "Access-Control-Allow-Credentials",
    "acam": "Access-Control-Allow-Methods",
    "acah": "Access-Control-Allow-Headers",
    "aceh": "Access-Control-Expose-Headers",
    "max_age": "Access-Control-Max-Age",
}
# Each /lab parameter that sets a header, and the header: the model, the server code the pages
# write and /lab itself read this one map.
LAB_PARAMETER_HEADERS = {"acao": "Access-Control-Allow-Origin", **LAB_HEADER_PARAMETERS}
LAB_STATUS_PARAMETERS = {"status": 200, "preflight_status": 204}
LAB_PARAMETERS = ("acao", *LAB_HEADER_PARAMETERS, *LAB_STATUS_PARAMETERS)
# Overrides for the preflight alone (``pf_acao`` ... ), and a redirect instead of an answer:
# ``redirect`` (a 3xx status), ``location`` (a /lab URL on the API's own origins) and
# ``redirect_on`` (which response redirects).
LAB_PREFLIGHT_PARAMETERS = ("pf_acao", "pf_acac", "pf_acam", "pf_acah", "pf_max_age")
LAB_REDIRECT_PARAMETERS = ("redirect", "location", "redirect_on")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
REDIRECT_ON = ("actual", "preflight", "both")
STATUS_RANGE = (200, 599)
# Size limits: a request body (the API answers 413 above it), and what gunicorn accepts of a
# request line and its header fields before any app sees them.
MAX_BODY_BYTES = 1024 * 1024
MAX_REQUEST_LINE_BYTES = 8190
MAX_HEADER_FIELD_BYTES = 8190
MAX_HEADER_FIELDS = 100
# The longest value /lab takes for one of its parameters (a 400 above it).
MAX_LAB_VALUE_CHARS = 1024


def published_contract():
    """What the pages need of the contract, as /config.json publishes it under ``contract``."""
    return {
        "page_origin_roles": [role for role in with_lookalikes(ORIGIN_DEFAULTS) if role not in API_ROLES],
        "session_cookie": SESSION_COOKIE,
        "visible_cookie": VISIBLE_COOKIE,
        "run_id_pattern": RUN_ID_PATTERN,
        "basic_auth": {"user": BASIC_AUTH_USER, "password": BASIC_AUTH_PASSWORD, "realm": BASIC_AUTH_REALM},
        "header_name_pattern": HEADER_NAME_PATTERN,
        "lab_parameters": list(LAB_PARAMETERS),
        "lab_parameter_headers": LAB_PARAMETER_HEADERS,
        "lab_preflight_parameters": list(LAB_PREFLIGHT_PARAMETERS),
        "lab_redirect_parameters": list(LAB_REDIRECT_PARAMETERS),
        "redirect_statuses": list(REDIRECT_STATUSES),
        "redirect_on": list(REDIRECT_ON),
        "status_range": list(STATUS_RANGE),
        "limits": {
            "body_bytes": MAX_BODY_BYTES,
            "request_line_bytes": MAX_REQUEST_LINE_BYTES,
            "header_field_bytes": MAX_HEADER_FIELD_BYTES,
            "lab_value_chars": MAX_LAB_VALUE_CHARS,
        },
    }


# The pages' run ids (static/js/core/api.js newRunId): a prefix of at most 32 characters, '-', the
# tag and 8 random hex digits: 53 at most, room for a suffix (``-setup``) within RUN_ID_PATTERN's 64.
RUN_TAG_LENGTH = 12


def run_tag(lab_key):
    """The mark of the lab's own run ids: hex, derived from ``lab_key`` (one-way, so the tag
    gives the key away to nobody); "" without a key."""
    if not lab_key:
        return ""
    return hmac.new(lab_key.encode(), b"cors-lab: run tag", hashlib.sha256).hexdigest()[:RUN_TAG_LENGTH]


def without_key(text, lab_key):
    """``text`` with the running lab's key replaced (a key short enough to match by chance is no
    secret worth garbling entries for; labctl's are long)."""
    if lab_key and len(lab_key) >= 8:
        return text.replace(lab_key, NOT_RECORDED)
    return text


def decodings(text):
    """``text`` and what percent-decoding it gives, again and again (at most 4 times)."""
    forms = [text]
    for _ in range(4):
        decoded = unquote_plus(forms[-1], errors="replace")
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    return forms


def names_the_lab_key(name):
    """Whether a query parameter's raw ``name`` is the lab key's, however percent-encoded."""
    return any(form.strip().lower() == LAB_KEY_PARAMETER for form in decodings(name))


def without_key_parameter(query, lab_key):
    """A raw query string (text) with the ``lab_key`` parameter's value, however its name is
    spelled, and any part holding ``lab_key`` (however percent-encoded), replaced by NOT_RECORDED:
    what /log records and the access log shows."""
    parts = []
    for part in query.split("&"):
        name = part.split("=", 1)[0]
        if names_the_lab_key(name):
            part = f"{name}={NOT_RECORDED}"
        elif any(without_key(form, lab_key) != form for form in decodings(part)):
            part = NOT_RECORDED
        parts.append(part)
    return "&".join(parts)


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
        b'{"error": "unknown_host", "message": "This server answers only the Host names of the lab\'s '
        b"own origins (see make run's output); the Host of this request is not one of them.\"}\n"
    )

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
