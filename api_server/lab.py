"""``ANY /lab``: a response whose CORS policy the caller writes in the query string.

Parameters (each header parameter is sent literally when given and omitted when not, so that
``acac=True`` shows that case matters):

``acao``  Access-Control-Allow-Origin: ``none`` (omit), ``*``, ``echo`` (the request's Origin)
          or any literal, e.g. ``http://localhost:8000/`` or ``null``.
``acac``  Access-Control-Allow-Credentials.
``acam``  Access-Control-Allow-Methods.
``acah``  Access-Control-Allow-Headers.
``aceh``  Access-Control-Expose-Headers.
``max_age``  Access-Control-Max-Age.
``status``  status of the actual response, 200-599 (default 200).
``preflight_status``  status of the preflight, 200-599 (default 204).
``run``  the run id that tags the request in /log.

The same headers go on the preflight and on the actual response. Any method token is accepted,
lowercase ``patch`` included. An unknown or malformed parameter is a 400 naming it.
"""

import re
from dataclasses import dataclass, field

from flask import Blueprint, current_app, jsonify, request
from werkzeug.routing import Rule

from .cors import add_vary_origin
from .errors import BadParameter
from .log_hook import cookie_names
from .log_store import require_run_id

bp = Blueprint("lab", __name__)

LITERAL_HEADERS = {
    "acac": "Access-Control-Allow-Credentials",
    "acam": "Access-Control-Allow-Methods",
    "acah": "Access-Control-Allow-Headers",
    "aceh": "Access-Control-Expose-Headers",
    "max_age": "Access-Control-Max-Age",
}
STATUS_PARAMETERS = {"status": 200, "preflight_status": 204}
PARAMETERS = ("acao", *LITERAL_HEADERS, *STATUS_PARAMETERS, "run")
MAX_VALUE_LENGTH = 1024
CUSTOM_HEADER = ("X-Lab-Custom", "custom-value: readable only when exposed")


@dataclass(frozen=True)
class LabPolicy:
    acao: str = "none"
    literal_headers: dict = field(default_factory=dict)
    status: int = 200
    preflight_status: int = 204


def check_header_value(name, value):
    if "\r" in value or "\n" in value:
        raise BadParameter(name, f"{name} contains CR or LF, which would start a new header line")
    if len(value) > MAX_VALUE_LENGTH:
        raise BadParameter(name, f"{name} is longer than {MAX_VALUE_LENGTH} characters")
    if any(not (" " <= char <= "~" or char == "\t") for char in value):
        raise BadParameter(name, f"{name} must be printable ASCII to fit in a header")
    return value


def check_status(name, value):
    if not re.fullmatch(r"[0-9]{3}", value) or not 200 <= int(value) <= 599:
        raise BadParameter(name, f"{name} must be a number from 200 to 599, got {value!r}")
    return int(value)


def parse_policy(args):
    """The policy that the query ``args`` (a MultiDict) asks for; BadParameter if it cannot be used."""
    for name in args:
        if name not in PARAMETERS:
            raise BadParameter(name, f"unknown parameter {name!r}; /lab takes {', '.join(PARAMETERS)}")
        if len(args.getlist(name)) > 1:
            raise BadParameter(name, f"{name} is given more than once")
    if "run" in args:
        require_run_id(args["run"])
    statuses = {
        name: check_status(name, args[name]) if name in args else default
        for name, default in STATUS_PARAMETERS.items()
    }
    return LabPolicy(
        acao=check_header_value("acao", args.get("acao", "none")),
        literal_headers={
            header: check_header_value(name, args[name]) for name, header in LITERAL_HEADERS.items() if name in args
        },
        **statuses,
    )


def cors_headers(policy, origin):
    """The CORS headers ``policy`` sends to a request from ``origin`` (None: no Origin header)."""
    headers = dict(policy.literal_headers)
    if policy.acao == "echo":
        if origin is not None:
            headers["Access-Control-Allow-Origin"] = origin
    elif policy.acao != "none":
        headers["Access-Control-Allow-Origin"] = policy.acao
    return headers


def is_preflight(method, headers):
    return method == "OPTIONS" and "Access-Control-Request-Method" in headers


def echo_request():
    headers = {}
    for name, value in request.headers.items():
        if name.lower() == "cookie":
            continue
        headers[name.lower()] = "(present, value not echoed)" if name.lower() == "authorization" else value
    return {
        "endpoint": "/lab",
        "method": request.environ.get("REQUEST_METHOD", request.method),
        "origin": request.headers.get("Origin"),
        "headers": headers,
        "cookies": cookie_names(request.headers.get("Cookie", "")),
        "policy": request.args.to_dict(),
    }


def lab():
    policy = parse_policy(request.args)
    if is_preflight(request.method, request.headers):
        response = current_app.response_class(status=policy.preflight_status)
    else:
        response = jsonify(echo_request())
        response.status_code = policy.status
        response.headers[CUSTOM_HEADER[0]] = CUSTOM_HEADER[1]
    response.headers.update(cors_headers(policy, request.headers.get("Origin")))
    response.headers["Cache-Control"] = "no-store"
    if policy.acao == "echo":
        add_vary_origin(response)
    return response


@bp.record_once
def register_any_method_rule(state):
    # Flask's routes list their methods; a bare werkzeug Rule (methods=None) matches every method
    # token, and without Flask's automatic OPTIONS the view answers preflights itself.
    state.app.url_map.add(Rule("/lab", endpoint="lab.lab"))
    state.app.view_functions["lab.lab"] = lab
