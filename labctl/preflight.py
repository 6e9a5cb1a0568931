"""The doctor's ``--preflight-only``: the OPTIONS a browser would send for a request, sent from Python
(never following a redirect), and what Chromium would conclude of the answer, checked in the order
Chromium checks (services/network/public/cpp/cors/cors.cc, preflight_result.cc): a redirect,
Allow-Origin, Allow-Credentials, the status, both lists parsed, the method, the headers. The request
headers are those Chromium writes: Access-Control-Request-Headers lower case, sorted, comma-separated
without spaces (tests/e2e/test_doctor.py compares them with Chromium's own preflight).
"""

import re
from http.client import HTTPConnection, HTTPSConnection
from urllib.parse import urlsplit

from .cors_errors import explain

SAFELISTED_METHODS = ("GET", "HEAD", "POST")
NORMALIZED_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT")
SIMPLE_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
FORBIDDEN_HEADERS = {
    *"accept-charset accept-encoding access-control-request-headers access-control-request-method connection".split(),
    *"content-length cookie cookie2 date dnt expect host keep-alive origin referer set-cookie te trailer".split(),
    *"transfer-encoding upgrade via".split(),
}
UNSAFE_BYTES = set(b'"():<>?@[\\]{}\x7f') | {byte for byte in range(0x20) if byte != 0x09}
LANGUAGE_VALUE = re.compile(r"[0-9A-Za-z *,\-.;=]*")
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def browser_method(method):
    """The method as the browser sends it: the six standard ones upper-cased, any other as written."""
    return method.upper() if method.upper() in NORMALIZED_METHODS else method


def is_safelisted(name, value):
    """A CORS-safelisted request header (the Fetch standard's; Chromium's client hints not counted)."""
    name, raw = name.lower(), value.encode("latin-1", "replace")
    if len(raw) > 128:
        return False
    if name == "accept":
        return not UNSAFE_BYTES & set(raw)
    if name in ("accept-language", "content-language"):
        return LANGUAGE_VALUE.fullmatch(value) is not None
    if name == "content-type":
        return not UNSAFE_BYTES & set(raw) and value.split(";")[0].strip().lower() in SIMPLE_CONTENT_TYPES
    return False


def preflight_request(origin, method, headers):
    """The headers of the preflight a browser sends for this request, or None when it sends none:
    Access-Control-Request-Headers lower case, sorted, comma-separated without spaces."""
    sent = {name: value for name, value in headers.items() if not is_forbidden(name)}
    unsafe = sorted({name.lower() for name, value in sent.items() if not is_safelisted(name, value)})
    if sum(len(value) for name, value in sent.items() if name.lower() not in unsafe) > 1024:
        unsafe = sorted({name.lower() for name in sent})
    method = browser_method(method)
    if method in SAFELISTED_METHODS and not unsafe:
        return None
    request = {"Origin": origin, "Access-Control-Request-Method": method, "Accept": "*/*", "Sec-Fetch-Mode": "cors"}
    if unsafe:
        request["Access-Control-Request-Headers"] = ",".join(unsafe)
    return request


def is_forbidden(name):
    lower = name.lower()
    return lower in FORBIDDEN_HEADERS or lower.startswith(("proxy-", "sec-"))


def send_preflight(url, request, timeout=10):
    """Sends the OPTIONS (never following a redirect): (status, {name: value}, repeated values joined
    with ", " as the browser reads them). OSError when nothing answers."""
    parts = urlsplit(url)
    connection = (HTTPSConnection if parts.scheme == "https" else HTTPConnection)(parts.netloc, timeout=timeout)
    try:
        connection.request("OPTIONS", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers=request)
        response = connection.getresponse()
        headers = {}
        for name, value in response.getheaders():
            known = next((key for key in headers if key.lower() == name.lower()), name)
            headers[known] = f"{headers[known]}, {value}" if known in headers else value
        return response.status, headers
    finally:
        connection.close()


def preflight_failure(status, headers, request, credentials):
    """What Chromium would conclude of this preflight answer: None when it passes, else its
    corsError name (as the DevTools protocol writes it) and the failed parameter."""
    get = {name.lower(): value.strip() for name, value in headers.items()}.get
    if 300 <= status < 400:
        return "PreflightDisallowedRedirect", ""
    origin, allow_origin = request["Origin"], get("access-control-allow-origin")
    if allow_origin is None:
        return "PreflightMissingAllowOriginHeader", ""
    if allow_origin == "*" and credentials:
        return "PreflightWildcardOriginNotAllowed", ""
    if allow_origin not in ("*", origin):
        if re.search(r"[ ,]", allow_origin):
            return "PreflightMultipleAllowOriginValues", allow_origin
        valid = allow_origin == "null" or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", allow_origin)
        return ("PreflightAllowOriginMismatch" if valid else "PreflightInvalidAllowOriginValue"), allow_origin
    if credentials and allow_origin != "*" and get("access-control-allow-credentials") != "true":
        return "PreflightInvalidAllowCredentials", get("access-control-allow-credentials") or ""
    if not 200 <= status < 300:
        return "PreflightInvalidStatus", ""
    lists = {}
    for name, error in (
        ("methods", "InvalidAllowMethodsPreflightResponse"),
        ("headers", "InvalidAllowHeadersPreflightResponse"),
    ):
        items = [item.strip() for item in (get(f"access-control-allow-{name}") or "").split(",") if item.strip()]
        if not all(TOKEN.fullmatch(item) for item in items):
            return error, ""
        lists[name] = items
    method = request["Access-Control-Request-Method"]
    wildcard = not credentials
    if (
        method not in SAFELISTED_METHODS
        and method not in lists["methods"]
        and not (wildcard and "*" in lists["methods"])
    ):
        return "MethodDisallowedByPreflightResponse", method
    allowed = {item.lower() for item in lists["headers"]}
    for name in filter(None, request.get("Access-Control-Request-Headers", "").split(",")):
        if name not in allowed and not (wildcard and "*" in allowed):
            return "HeaderDisallowedByPreflightResponse", name
    return None


def preflight_report(origin, url, method, headers, credentials):
    """The report of the preflight alone: sent from Python as a browser would send it; what the
    browser would conclude of the answer (``passes``), why and the fix. Nothing else is sent."""
    request = preflight_request(origin, method, headers)
    result = {
        "origin": origin,
        "url": url,
        "method": method,
        "preflight": {"sent": False, "status": None, "headers": {}, "request_headers": request or {}},
        "actual": {"sent": False, "status": None, "headers": {}},
        "passes": True,
        "console": [],
        "reasons": [],
        "fix": None,
    }
    if request is None:
        result["reasons"].append("a browser sends no preflight for this request (a simple method, safelisted headers)")
        return result
    status, answer = send_preflight(url, request)  # OSError when nothing answers
    result["preflight"] |= {"sent": True, "status": status, "headers": answer}
    failure = preflight_failure(status, answer, request, credentials)
    if failure:
        kind, _on_preflight, why, fix = explain(*failure, origin, request["Access-Control-Request-Method"])
        result |= {"passes": False, "kind": kind, "blocked_on": "preflight", "fix": fix}
        result["reasons"].append(why)
    else:
        result["reasons"].append("the browser would accept this preflight and send the request")
    return result
