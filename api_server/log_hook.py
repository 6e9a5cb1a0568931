"""Records every request whose query string carries ``run=ID`` (preflights carry it too).

Only what a lesson needs is kept: cookie names but never their values, whether Authorization
was sent but never its value, and each header value cut to a bounded length.
"""

import time

from flask import request

from . import log_store

# Request headers worth showing: the CORS ones, the safelisted ones a lesson varies, the
# Fetch metadata that tells same-site from cross-site, and every X-* header.
RECORDED_REQUEST_HEADERS = {
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "access-control-request-private-network",
    "content-type",
    "accept",
    "accept-language",
    "content-language",
    "last-event-id",
    "range",
    "sec-fetch-site",
    "sec-fetch-mode",
    "sec-fetch-dest",
}
MAX_VALUE_LENGTH = 512
# Where a page looks at what happened: reading them must not add to what it reads.
OBSERVATION_PATHS = {"/log", "/no-cors/effects", "/security/transfers"}


def cookie_names(header_value):
    names = (part.split("=", 1)[0].strip() for part in header_value.split(";"))
    return [name[:MAX_VALUE_LENGTH] for name in names if name]


def recorded_request_headers(headers):
    recorded = {}
    for name, value in headers.items():
        name = name.lower()
        if name == "cookie":
            recorded["cookie"] = cookie_names(value)
        elif name == "authorization":
            recorded["authorization"] = "(present, value not recorded)"
        elif name in RECORDED_REQUEST_HEADERS or name.startswith("x-"):
            recorded[name] = value[:MAX_VALUE_LENGTH]
    return recorded


def recorded_response_headers(headers):
    recorded = {}
    for name, value in headers.items():
        name = name.lower()
        if name.startswith(("access-control-", "x-lab-")) or name == "vary":
            recorded[name] = value[:MAX_VALUE_LENGTH]
    set_cookies = headers.getlist("Set-Cookie")
    if set_cookies:
        recorded["set-cookie"] = [cookie.split("=", 1)[0].strip() for cookie in set_cookies]
    return recorded


def record(response):
    run = request.args.get("run")
    if request.path in OBSERVATION_PATHS or not log_store.is_run_id(run):
        return response
    log_store.append(
        run,
        {
            "at": time.time(),
            # As it came over the wire: Flask upper-cases request.method, a browser's ``patch`` does not.
            "method": request.environ.get("REQUEST_METHOD", ""),
            "path": request.path,
            "query": request.query_string.decode("latin-1")[:MAX_VALUE_LENGTH],
            "status": response.status_code,
            "request_headers": recorded_request_headers(request.headers),
            "response_headers": recorded_response_headers(response.headers),
        },
    )
    return response


def init_app(app):
    # Registered first so that it runs last: it sees every header the other hooks add.
    app.after_request(record)
