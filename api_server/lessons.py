"""The fixed lesson endpoints. Their CORS headers come from flask-cors, configured in cors.py.

A JSON body sent to /preflight is echoed back parsed; one that is not JSON is a 400 naming
``body`` with error ``malformed_json``, and one nested deeper than ``MAX_JSON_DEPTH`` arrays or
objects a 400 with error ``json_too_deep``.
"""

import json
import math
import time

from flask import Blueprint, current_app, jsonify, request

from . import log_store, traffic
from .cors import EXPOSED_HEADER, PREFLIGHT_METHODS, public_json
from .errors import BadParameter
from .storage import get_db, insert_bounded

bp = Blueprint("lessons", __name__)

MAX_EFFECT_LENGTH = 500
KEPT_EFFECTS = 1000
MAX_JSON_DEPTH = 64


def echo(**extra):
    return {
        "endpoint": request.path,
        "method": request.environ.get("REQUEST_METHOD", request.method),
        "origin": request.headers.get("Origin"),
        "content_type": request.headers.get("Content-Type"),
        **extra,
    }


@bp.get("/health")
def health():
    # Public: every page, trusted or not, may ask whether the API is up and whom it trusts.
    return public_json(status="ok", allowed_origins=current_app.config["ALLOWED_ORIGINS"])


@bp.route("/simple", methods=["GET", "HEAD", "POST"])
def simple():
    return jsonify(echo())


@bp.route("/no-cors", methods=["GET", "POST"])
def no_cors():
    """Never sends a CORS header, yet a POST changes server state: the browser blocks reading, not
    sending. The effects of the lab's own pages and of everyone else (traffic.py) are kept apart,
    the last KEPT_EFFECTS of each, so no website can erase the learner's."""
    if request.method == "POST":
        body = request.get_data(as_text=True)[:MAX_EFFECT_LENGTH]
        insert_bounded(
            "no_cors_effects",
            ("run", "at", "body"),
            (request.args.get("run", ""), time.time(), body),
            KEPT_EFFECTS,
            part=traffic.part(),
        )
        return jsonify(echo(recorded=True))
    return jsonify(echo(recorded=False))


@bp.get("/no-cors/effects")
def no_cors_effects():
    """What POSTs to /no-cors left behind, readable from any page (it holds only what they sent)."""
    run = log_store.require_run_id(request.args.get("run"))
    rows = get_db().execute("SELECT at, body FROM no_cors_effects WHERE run = ? ORDER BY id", (run,))
    return public_json(effects=[{"at": at, "body": body} for at, body in rows])


def json_depth(value):
    """How deeply arrays and objects nest in ``value`` (0 for a scalar), without recursion."""
    deepest, pending = 0, [(value, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            pending.extend((item, depth) for item in (value.values() if isinstance(value, dict) else value))
    return deepest


def finite_number(text):
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text[:20]} is too large")
    return number


def not_json(constant):
    raise ValueError(f"{constant} is not JSON")


def parse_json_body(body):
    """The value of a JSON ``body``; BadParameter naming ``body`` if it is not JSON (NaN and
    Infinity included) or nests deeper than MAX_JSON_DEPTH."""
    too_deep = BadParameter("body", f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels", code="json_too_deep")
    try:
        value = json.loads(body, parse_float=finite_number, parse_constant=not_json)
    except RecursionError:
        raise too_deep from None
    except ValueError as error:
        raise BadParameter("body", f"the body is not valid JSON: {error}", code="malformed_json") from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise too_deep
    return value


@bp.route("/preflight", methods=PREFLIGHT_METHODS)
def preflight():
    body = request.get_data(as_text=True)
    parsed = parse_json_body(body) if request.is_json and body else None
    return jsonify(echo(x_lab_token=request.headers.get("X-Lab-Token"), json=parsed))


# Readable by a cross-origin page without Access-Control-Expose-Headers (with Content-Type and
# Content-Length, which every JSON answer has): the CORS-safelisted response headers.
SAFELISTED_RESPONSE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Language": "en",
    "Expires": "Thu, 01 Jan 1970 00:00:00 GMT",
    "Last-Modified": "Thu, 01 Jan 1970 00:00:00 GMT",
    "Pragma": "no-cache",
}


@bp.get("/expose")
def expose():
    response = jsonify(echo(exposed_header=EXPOSED_HEADER, hidden_header="X-Lab-Hidden"))
    response.headers[EXPOSED_HEADER] = "readable: listed in Access-Control-Expose-Headers"
    response.headers["X-Lab-Hidden"] = "unreadable: not listed in Access-Control-Expose-Headers"
    response.headers.update(SAFELISTED_RESPONSE_HEADERS)
    return response
