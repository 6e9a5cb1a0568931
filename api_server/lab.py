"""``ANY /lab``: a response whose CORS policy the caller writes in the query string.

Parameters (each header parameter is sent literally when given and omitted when not, so that
``acac=True`` shows that case matters; given twice, it is sent as two header lines, as when a
proxy and the app both add it):

``acao``  Access-Control-Allow-Origin: ``none`` (omit), ``*``, ``echo`` (the request's Origin)
          or any literal, e.g. ``http://localhost:9000/`` or ``null``.
``acac``  Access-Control-Allow-Credentials.
``acam``  Access-Control-Allow-Methods.
``acah``  Access-Control-Allow-Headers.
``aceh``  Access-Control-Expose-Headers.
``max_age``  Access-Control-Max-Age.
``pf_acao``, ``pf_acac``, ``pf_acam``, ``pf_acah``, ``pf_max_age``  the same for the preflight
          alone; without them the preflight gets the parameters above.
``status``  status of the actual response, 200-599 (default 200).
``preflight_status``  status of the preflight, 200-599 (default 204).
``redirect``  301, 302, 303, 307 or 308: answer with this redirect instead, to ``location``, a
          ``/lab`` URL (a path, or an absolute URL on one of the API's own origins: never anywhere
          else) whose query is the next hop's policy; the run id goes along. ``redirect_on``:
          ``actual`` (default), ``preflight`` or ``both``. The redirect itself carries this URL's
          CORS headers (the preflight's on a preflight).
``run``  the run id that tags the request in /log.

Any method token is accepted, lowercase ``patch`` included. An unknown or malformed parameter is
a 400 naming it.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, current_app, jsonify, request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from lab_contract import (
    LAB_HEADER_PARAMETERS,
    LAB_PARAMETERS,
    LAB_PREFLIGHT_PARAMETERS,
    LAB_REDIRECT_PARAMETERS,
    LAB_STATUS_PARAMETERS,
    MAX_LAB_VALUE_CHARS,
    REDIRECT_ON,
    REDIRECT_STATUSES,
    STATUS_RANGE,
    api_origins,
    page_origins,
)

from .cors import add_vary_origin
from .errors import BadParameter
from .log_hook import cookie_names
from .log_store import require_run_id

bp = Blueprint("lab", __name__)

PARAMETERS = (*LAB_PARAMETERS, *LAB_PREFLIGHT_PARAMETERS, *LAB_REDIRECT_PARAMETERS, "run")
# The parameters that may be repeated: each value is one more header line.
HEADER_PARAMETERS = ("acao", *LAB_HEADER_PARAMETERS, *LAB_PREFLIGHT_PARAMETERS)
CUSTOM_HEADER = ("X-Lab-Custom", "custom-value: readable only when exposed")


@dataclass(frozen=True)
class Side:
    """The CORS headers of one response, the preflight's or the actual one's: the values of
    ``acao`` (``none``, ``*``, ``echo`` or a literal) and the literal headers, in order."""

    acao: tuple = ()
    literal: tuple = ()  # (header name, value) pairs


@dataclass(frozen=True)
class Redirect:
    status: int
    location: str
    on: str = "actual"

    def applies_to(self, preflight):
        return self.on == "both" or self.on == ("preflight" if preflight else "actual")


@dataclass(frozen=True)
class LabPolicy:
    actual: Side = field(default_factory=Side)
    preflight: Side = field(default_factory=Side)
    status: int = 200
    preflight_status: int = 204
    redirect: Redirect | None = None


def check_header_value(name, value):
    if "\r" in value or "\n" in value:
        raise BadParameter(name, f"{name} contains CR or LF, which would start a new header line")
    if len(value) > MAX_LAB_VALUE_CHARS:
        raise BadParameter(name, f"{name} is longer than {MAX_LAB_VALUE_CHARS} characters")
    if any(not (" " <= char <= "~" or char == "\t") for char in value):
        raise BadParameter(name, f"{name} must be printable ASCII to fit in a header")
    return value


def check_status(name, value, allowed=None):
    low, high = STATUS_RANGE
    if allowed is not None:
        if value not in {str(status) for status in allowed}:
            raise BadParameter(name, f"{name} must be one of {', '.join(map(str, allowed))}, got {value!r}")
    elif not re.fullmatch(r"[0-9]{3}", value) or not low <= int(value) <= high:
        raise BadParameter(name, f"{name} must be a number from {low} to {high}, got {value!r}")
    return int(value)


def side(args, prefix=""):
    """The headers one response gets from ``args``: ``prefix`` + each parameter."""
    return Side(
        acao=tuple(check_header_value(prefix + "acao", value) for value in args.getlist(prefix + "acao")),
        literal=tuple(
            (header, check_header_value(prefix + name, value))
            for name, header in LAB_HEADER_PARAMETERS.items()
            for value in args.getlist(prefix + name)
        ),
    )


def preflight_side(args, actual):
    """The preflight's headers: the actual ones, with each ``pf_*`` parameter given replacing its own."""
    overrides = side(args, "pf_")
    overridden = {name.removeprefix("pf_") for name in LAB_PREFLIGHT_PARAMETERS if name in args}
    literal = [pair for pair in actual.literal if _parameter_of(pair[0]) not in overridden] + list(overrides.literal)
    return Side(acao=overrides.acao if "acao" in overridden else actual.acao, literal=tuple(literal))


def _parameter_of(header):
    return next(name for name, candidate in LAB_HEADER_PARAMETERS.items() if candidate == header)


def check_location(location, run):
    """A /lab URL on the API's own origins, with the run id carried along; BadParameter otherwise."""
    parts = urlsplit(location)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme or parts.netloc else None
    if (origin is not None and origin not in api_origins(current_app.config["LAB_ORIGINS"])) or parts.path != "/lab":
        raise BadParameter("location", "location must be a /lab URL on the API's own origins, e.g. /lab?acao=*")
    next_args = MultiDict(parse_qsl(parts.query, keep_blank_values=True))
    try:
        parse_policy(next_args)
    except BadParameter as error:
        raise BadParameter("location", f"the next hop's policy is not valid: {error.message}") from None
    if run and "run" not in next_args:
        next_args.add("run", run)
    query = urlencode(list(next_args.items(multi=True)))
    return f"{origin or ''}/lab" + (f"?{query}" if query else "")


def parse_redirect(args):
    if "redirect" not in args:
        for name in ("location", "redirect_on"):
            if name in args:
                raise BadParameter(name, f"{name} needs redirect=STATUS")
        return None
    if "location" not in args:
        raise BadParameter("location", "redirect needs a location, e.g. location=/lab?acao=*")
    on = args.get("redirect_on", "actual")
    if on not in REDIRECT_ON:
        raise BadParameter("redirect_on", f"redirect_on must be one of {', '.join(REDIRECT_ON)}")
    return Redirect(
        status=check_status("redirect", args["redirect"], REDIRECT_STATUSES),
        location=check_location(args["location"], args.get("run")),
        on=on,
    )


def parse_policy(args):
    """The policy that the query ``args`` (a MultiDict) asks for; BadParameter if it cannot be used."""
    for name in args:
        if name not in PARAMETERS:
            raise BadParameter(name, f"unknown parameter {name!r}; /lab takes {', '.join(PARAMETERS)}")
        if name not in HEADER_PARAMETERS and len(args.getlist(name)) > 1:
            raise BadParameter(name, f"{name} is given more than once")
    if "run" in args:
        require_run_id(args["run"])
    statuses = {
        name: check_status(name, args[name]) if name in args else default
        for name, default in LAB_STATUS_PARAMETERS.items()
    }
    actual = side(args)
    return LabPolicy(actual=actual, preflight=preflight_side(args, actual), redirect=parse_redirect(args), **statuses)


def cors_headers(side, origin):
    """The CORS header lines ``side`` sends to a request from ``origin`` (None: no Origin header),
    as (name, value) pairs: a repeated parameter gives repeated lines."""
    lines = []
    for value in side.acao:
        if value == "echo":
            if origin is not None:
                lines.append(("Access-Control-Allow-Origin", origin))
        elif value != "none":
            lines.append(("Access-Control-Allow-Origin", value))
    return lines + list(side.literal)


def is_preflight(method, headers):
    return method == "OPTIONS" and "Access-Control-Request-Method" in headers


def from_a_lab_page():
    return request.headers.get("Origin") in page_origins(current_app.config["LAB_ORIGINS"])


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
        # The names only, and only to the lab's pages: /lab may echo any origin with credentials,
        # and the cookies of localhost are every local app's (cookies ignore ports).
        "cookies": cookie_names(request.headers.get("Cookie", "")) if from_a_lab_page() else None,
        "policy": request.args.to_dict(),
    }


def lab():
    policy = parse_policy(request.args)
    preflight = is_preflight(request.method, request.headers)
    if policy.redirect and policy.redirect.applies_to(preflight):
        response = current_app.response_class(status=policy.redirect.status)
        response.headers["Location"] = policy.redirect.location
    elif preflight:
        response = current_app.response_class(status=policy.preflight_status)
    else:
        response = jsonify(echo_request())
        response.status_code = policy.status
        response.headers[CUSTOM_HEADER[0]] = CUSTOM_HEADER[1]
    side = policy.preflight if preflight else policy.actual
    for name, value in cors_headers(side, request.headers.get("Origin")):
        response.headers.add(name, value)
    response.headers["Cache-Control"] = "no-store"
    if "echo" in side.acao:
        add_vary_origin(response)
    return response


@bp.record_once
def register_any_method_rule(state):
    # Flask's routes list their methods; a bare werkzeug Rule (methods=None) matches every method
    # token, and without Flask's automatic OPTIONS the view answers preflights itself.
    state.app.url_map.add(Rule("/lab", endpoint="lab.lab"))
    state.app.view_functions["lab.lab"] = lab
