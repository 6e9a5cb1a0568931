"""Records every request whose query string carries ``run=ID`` (preflights carry it too).

Only what a lesson needs is kept, and never more than ``MAX_ENTRY_BYTES`` of it:

- cookie names but never their values, whether Authorization was sent but never its value, and
  never the lab key: the ``lab_key`` query parameter (lab_contract.LAB_KEY_PARAMETER) is
  recorded as ``lab_key=(not recorded)`` however it is spelled, and the running lab's key
  (config ``LAB_KEY``) is replaced wherever else it appears;
- header names cut to ``MAX_NAME_LENGTH``, values (and the query and path) to
  ``MAX_VALUE_LENGTH``, at most ``MAX_HEADERS`` headers each way and as many cookie names; what
  is left out is counted in the entry's ``not_recorded``;
- an entry whose JSON is still over ``MAX_ENTRY_BYTES`` gets its values cut shorter, then its
  headers dropped, and says ``"shortened": true``.

A failure to record (a SQLite error: disk full, file locked too long) never changes the answer:
it is logged as a warning and the response goes out unchanged.
"""

import json
import sqlite3
import time

from flask import current_app, request

from lab_contract import without_key, without_key_parameter

from . import log_store, traffic

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
MAX_NAME_LENGTH = 128
MAX_VALUE_LENGTH = 512
MAX_HEADERS = 32
MAX_ENTRY_BYTES = 8 * 1024
# The lengths values are cut to, in turn, when an entry is over MAX_ENTRY_BYTES.
SHORTER_LENGTHS = (128, 32)
# Where a page looks at what happened: reading them must not add to what it reads.
OBSERVATION_PATHS = {"/log", "/no-cors/effects", "/security/transfers"}


def cookie_names(header_value):
    names = (part.split("=", 1)[0].strip() for part in header_value.split(";"))
    return [name[:MAX_VALUE_LENGTH] for name in names if name]


class Headers:
    """At most MAX_HEADERS recorded headers, and how many headers or cookie names were left out."""

    def __init__(self, lab_key):
        self.lab_key = lab_key
        self.recorded = {}
        self.left_out = 0

    def add(self, name, value):
        name = without_key(name, self.lab_key)[:MAX_NAME_LENGTH]
        if name not in self.recorded and len(self.recorded) >= MAX_HEADERS:
            self.left_out += 1
            return
        if isinstance(value, list):
            self.left_out += max(0, len(value) - MAX_HEADERS)
            value = [without_key(item, self.lab_key)[:MAX_VALUE_LENGTH] for item in value[:MAX_HEADERS]]
        else:
            value = without_key(value, self.lab_key)[:MAX_VALUE_LENGTH]
            if isinstance(self.recorded.get(name), str):  # a header sent twice: one value, as browsers join them
                value = f"{self.recorded[name]}, {value}"[:MAX_VALUE_LENGTH]
        self.recorded[name] = value


def recorded_request_headers(headers, lab_key=None):
    recorded = Headers(lab_key)
    for name, value in headers.items():
        name = name.lower()
        if name == "cookie":
            recorded.add("cookie", cookie_names(value))
        elif name == "authorization":
            recorded.add("authorization", "(present, value not recorded)")
        elif name in RECORDED_REQUEST_HEADERS or name.startswith("x-"):
            recorded.add(name, value)
    return recorded


def recorded_response_headers(headers, lab_key=None):
    recorded = Headers(lab_key)
    for name, value in headers.items():
        name = name.lower()
        if name.startswith(("access-control-", "x-lab-")) or name == "vary":
            recorded.add(name, value)
    set_cookies = headers.getlist("Set-Cookie")
    if set_cookies:
        recorded.add("set-cookie", [cookie.split("=", 1)[0].strip() for cookie in set_cookies])
    return recorded


def recorded_query(query_string, lab_key):
    """The raw query string without the lab key (lab_contract.without_key_parameter), cut to
    MAX_VALUE_LENGTH."""
    return without_key_parameter(query_string.decode("latin-1"), lab_key)[:MAX_VALUE_LENGTH]


def cut(entry, length):
    """``entry`` with every string of its top level and its headers cut to ``length``."""

    def short(value):
        if isinstance(value, str):
            return value[:length]
        if isinstance(value, list):
            return [short(item) for item in value]
        if isinstance(value, dict):
            return {name[:length]: short(item) for name, item in value.items()}
        return value

    return {key: short(value) for key, value in entry.items()}


def bounded_json(entry):
    """The entry as JSON text of at most MAX_ENTRY_BYTES."""
    text = json.dumps(entry)
    if len(text) > MAX_ENTRY_BYTES:
        entry = dict(entry, shortened=True)
        for length in SHORTER_LENGTHS:
            entry = cut(entry, length)
            text = json.dumps(entry)
            if len(text) <= MAX_ENTRY_BYTES:
                break
        else:
            dropped = len(entry["request_headers"]) + len(entry["response_headers"])
            not_recorded = entry.get("not_recorded", 0) + dropped
            entry = dict(entry, request_headers={}, response_headers={}, not_recorded=not_recorded)
            text = json.dumps(entry)
    return text


def entry_for(response):
    lab_key = current_app.config.get("LAB_KEY")
    request_headers = recorded_request_headers(request.headers, lab_key)
    response_headers = recorded_response_headers(response.headers, lab_key)
    entry = {
        "at": time.time(),
        # As it came over the wire: Flask upper-cases request.method, a browser's ``patch`` does not.
        "method": without_key(request.environ.get("REQUEST_METHOD", ""), lab_key)[:MAX_VALUE_LENGTH],
        "path": without_key(request.path, lab_key)[:MAX_VALUE_LENGTH],
        "query": recorded_query(request.query_string, lab_key),
        "status": response.status_code,
        "request_headers": request_headers.recorded,
        "response_headers": response_headers.recorded,
    }
    left_out = request_headers.left_out + response_headers.left_out
    if left_out:
        entry["not_recorded"] = left_out
    return bounded_json(entry)


def record(response):
    run = request.args.get("run")
    # Nothing another site sends with its own Origin: no website can fill the log with fetches.
    if request.path in OBSERVATION_PATHS or not log_store.is_run_id(run) or traffic.from_another_site():
        return response
    try:
        log_store.append(run, entry_for(response), traffic.part())
    except sqlite3.Error as error:
        current_app.logger.warning("the wire log did not record %s %s: %s", request.method, request.path[:100], error)
    return response


def init_app(app):
    # Registered first so that it runs last: it sees every header the other hooks add.
    app.after_request(record)
