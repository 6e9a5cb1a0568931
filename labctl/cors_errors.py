"""Chromium's CORS error kinds (the DevTools protocol's ``corsError``) and the fix for each: the
doctor names Chromium's own verdict with it, to compare with the lab's model (whose reasons and
fix the report gives), and falls back on its fix where the model sees nothing wrong.

A kind is written in kebab-case without Chromium's ``Preflight`` prefix (``PreflightMissing-
AllowOriginHeader`` is ``missing-allow-origin`` on the preflight). ``{origin}``, ``{method}``,
``{parameter}`` and ``{where}`` are filled in by ``explain``.
"""

import re

# Chromium's name (without "Preflight") -> (kind, fix).
KINDS = {
    "MissingAllowOriginHeader": (
        "missing-allow-origin",
        'send `Access-Control-Allow-Origin: {origin}` on the {where} (error answers too); flask-cors: `CORS(app, origins=["{origin}"])`',
    ),
    "WildcardOriginNotAllowed": (
        "wildcard-origin-not-allowed",
        'send the exact origin `{origin}` and `Access-Control-Allow-Credentials: true`; flask-cors: `CORS(app, origins=["{origin}"], supports_credentials=True)`',
    ),
    "MultipleAllowOriginValues": (
        "multiple-allow-origin-values",
        "let exactly one layer (the proxy or the app) send Access-Control-Allow-Origin, once",
    ),
    "InvalidAllowOriginValue": (
        "invalid-allow-origin-value",
        "send the origin exactly as the browser sent it: `{origin}` (scheme, host and port, no path)",
    ),
    "AllowOriginMismatch": (
        "allow-origin-mismatch",
        "send `{origin}` byte for byte (no trailing slash, the same scheme and port)",
    ),
    "InvalidAllowCredentials": (
        "invalid-allow-credentials",
        "send `Access-Control-Allow-Credentials: true` (lower case) on the {where}; flask-cors: `supports_credentials=True`",
    ),
    "InvalidStatus": (
        "preflight-invalid-status",
        "answer OPTIONS with 200 or 204, before any authentication or routing that refuses it",
    ),
    "DisallowedRedirect": (
        "preflight-disallowed-redirect",
        "request the final URL directly (a trailing slash, http to https), or do not redirect OPTIONS",
    ),
    "MethodDisallowedByPreflightResponse": (
        "method-disallowed-by-preflight-response",
        "add `{parameter}` to Access-Control-Allow-Methods on the preflight; flask-cors: `methods=[...]`",
    ),
    "HeaderDisallowedByPreflightResponse": (
        "header-disallowed-by-preflight-response",
        "add `{parameter}` to Access-Control-Allow-Headers on the preflight; flask-cors: `allow_headers=[...]`",
    ),
    "InvalidAllowMethodsPreflightResponse": (
        "invalid-allow-methods-preflight-response",
        "send a comma-separated list of methods, e.g. `GET, PUT`",
    ),
    "InvalidAllowHeadersPreflightResponse": (
        "invalid-allow-headers-preflight-response",
        "send a comma-separated list of header names, e.g. `Content-Type, X-Token`",
    ),
    "RedirectContainsCredentials": ("redirect-contains-credentials", "redirect to a URL without `user:password@`"),
}


def kebab(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def explain(cors_error, failed_parameter, origin, method):
    """(kind, on the preflight?, fix) for a ``corsErrorStatus`` of the DevTools protocol."""
    preflight = cors_error.startswith("Preflight") and cors_error.removeprefix("Preflight") in KINDS
    name = cors_error.removeprefix("Preflight") if preflight else cors_error
    preflight = preflight or name.endswith("PreflightResponse") or name in ("InvalidStatus", "DisallowedRedirect")
    where = "preflight answer" if preflight else "answer"
    if name not in KINDS:
        return kebab(cors_error), preflight, ""
    kind, fix = KINDS[name]
    words = {"where": where, "origin": origin, "method": method, "parameter": failed_parameter}
    return kind, preflight, fix.format(**words)
