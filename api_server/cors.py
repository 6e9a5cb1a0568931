"""How the lesson endpoints answer CORS: pure functions that build flask-cors resources.

flask-cors treats a string origin as a regular expression (``re.match``, anchored only at the
start) or, without regex characters, compares it case-insensitively. The lab compares origins
exactly instead: each allowlisted origin becomes a compiled pattern of its escaped text, anchored
at both ends, so ``http://localhost:80001``, ``http://LOCALHOST:8000`` or two Origin headers
joined by a comma never match.
"""

import re

from flask import jsonify, request
from flask_cors import CORS

PREFLIGHT_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
PREFLIGHT_HEADERS = ["X-Lab-Token", "Content-Type"]
PREFLIGHT_MAX_AGE = 600
EXPOSED_HEADER = "X-Lab-Exposed"

CREDENTIALED_PATHS = ["/credentials/login", "/credentials/logout", "/credentials/whoami"]


def exact_origins(allowlist):
    """Patterns that match each origin of ``allowlist`` exactly and nothing else."""
    return [re.compile(re.escape(origin) + r"\Z") for origin in allowlist]


def lesson_resources(allowlist):
    """flask-cors resources for the fixed lesson endpoints, keyed by exact path."""
    origins = exact_origins(allowlist)
    resources = {
        "/simple": {"origins": origins, "methods": ["GET", "HEAD", "POST"]},
        "/preflight": {
            "origins": origins,
            "methods": PREFLIGHT_METHODS,
            "allow_headers": PREFLIGHT_HEADERS,
            "max_age": PREFLIGHT_MAX_AGE,
        },
        "/expose": {"origins": origins, "expose_headers": [EXPOSED_HEADER]},
        "/data": {"origins": origins, "methods": ["GET"]},
        # The exact origin without Access-Control-Allow-Credentials: a credentialed read fails.
        "/credentials/no-allow-credentials": {"origins": origins},
    }
    for path in CREDENTIALED_PATHS:
        resources[path] = {"origins": origins, "supports_credentials": True}
    # Authorization as a script-set header needs the preflight's permission, like any other.
    resources["/auth/basic"] = {"origins": origins, "supports_credentials": True, "allow_headers": ["Authorization"]}
    return resources


def public_json(**data):
    """JSON that any page may read (Access-Control-Allow-Origin: *), never cached: what a page
    asks to see what happened. It holds nothing that depends on the visitor."""
    response = jsonify(**data)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


def add_vary_origin(response):
    """Mark a response whose CORS headers depend on the request's Origin, for caches."""
    response.vary.add("Origin")
    return response


def init_app(app):
    resources = lesson_resources(app.config["ALLOWED_ORIGINS"])

    # Registered before CORS(app): Flask runs after_request hooks in reverse order, so this one
    # sees flask-cors's headers. flask-cors omits Vary for refused origins and for requests
    # without Origin, yet a cache must not reuse either answer for an allowed origin.
    @app.after_request
    def vary_on_origin(response):
        if request.path in resources:
            add_vary_origin(response)
        return response

    CORS(app, resources=resources, vary_header=True)
