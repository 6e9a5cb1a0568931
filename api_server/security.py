"""The security lab: misconfigurations attackers use, each next to its safe counterpart.

Everything under /security is DELIBERATELY VULNERABLE unless its name says safe, so it answers
the lab's own pages only: every request must carry the lab key (``?lab_key=``, see lab_contract),
which only pages on the lab's origins can read. Without it the answer is a 403 that says why, so
no website the learner visits can use these endpoints. They hold only fake secrets and label
their answers with X-Lab-Vulnerable.

``GET /security/secret/<check>``  partner data for origins that pass <check>, and the visitor's
    (fake) secret when their lab_session cookie arrives. Checks: ``reflect`` (any origin, with
    credentials), ``null`` (trusts the null origin), ``prefix`` (a regex without $), ``suffix``,
    ``substring`` and the safe ``exact``.
``GET /security/jsonp/leaky?callback=``  JSONP whose data depends on the visitor's cookie.
``GET /security/jsonp/unvalidated?callback=``  echoes the callback unchecked: whoever includes
    the script chooses the code it runs.
``POST /security/transfer/<defence>``  a state change authenticated by cookie (CSRF target), with
    defence ``none``, ``require-json`` or ``check-origin``; ``GET /security/transfers?run=``.
``GET /security/cache/<mode>/data``  answers through a small URL-keyed shared cache, with
    ``vary`` (Vary: Origin) or ``no-vary``.
``GET /security/key``  200 when the request's lab key is the running lab's: a page asks it to
    tell "the lab restarted" from other failures.

A request without the running lab's key is a 403 saying which: ``lab_key_missing`` (none),
``lab_key_stale`` (the key of an earlier start of this lab: the page is older than the servers)
or ``lab_key_wrong`` (a key this lab never made). To tell the last two apart, each start records
its key in the state file (STATE_DB, which outlives restarts) as an HMAC-SHA256 digest under a
fixed label, never the key itself; the last ``KEPT_KEYS`` are kept. A key made by labctl is 256
random bits, so its digest gives nothing away; and a key of an earlier start opens nothing anyway.
"""

import hashlib
import hmac
import ipaddress
import json
import re
import time
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, jsonify, request

from lab_contract import LAB_KEY_PARAMETER

from . import log_store
from .cors import public_json
from .credentials import current_session
from .errors import BadParameter, error_response
from .jsonp import check_callback, javascript_literal
from .storage import get_db, insert_bounded

bp = Blueprint("security", __name__, url_prefix="/security")

VULNERABLE = ("X-Lab-Vulnerable", "deliberately vulnerable: lab pages only, fake secrets")
PARTNER_DATA = "FAKE-PARTNER-DATA-7731"
DEFENCES = ("none", "require-json", "check-origin")
CACHE_MODES = ("vary", "no-vary")
KEPT_ROWS = 1000
KEPT_KEYS = 100
KEY_DIGEST_LABEL = b"cors-lab: a key this lab made"


def origin_checks():
    """name -> (the code a developer wrote, the check). All but ``exact`` are flawed."""
    allowlist = current_app.config["ALLOWED_ORIGINS"]
    trusted = urlsplit(allowlist[0])
    scheme_host, host_port = f"{trusted.scheme}://{trusted.hostname}", trusted.netloc
    return {
        "reflect": ("Access-Control-Allow-Origin = request.headers['Origin']", lambda origin: True),
        "null": (f"origin in [{allowlist[0]!r}, 'null']", lambda origin: origin in (allowlist[0], "null")),
        "prefix": (
            f"re.match(r'{scheme_host}', origin)",
            lambda origin: re.match(re.escape(scheme_host), origin) is not None,
        ),
        "suffix": (f"origin.endswith('{host_port}')", lambda origin: origin.endswith(host_port)),
        "substring": (f"'{host_port}' in origin", lambda origin: host_port in origin),
        "exact": ("origin in ALLOWED_ORIGINS", lambda origin: origin in allowlist),
    }


def fake_secret(token):
    # Keyed, so that a page that sees the session token (another app on a localhost port gets
    # the cookie: cookies ignore ports) still cannot compute the secret from it.
    return (
        "FAKE-SECRET-"
        + hmac.new(current_app.config["LAB_KEY"].encode(), token.encode(), hashlib.sha256).hexdigest()[:8]
    )


def visitor_data():
    token = current_session()
    return {"logged_in": token is not None, "secret": fake_secret(token) if token else None}


def label(response, vulnerable=True):
    if vulnerable:
        response.headers[VULNERABLE[0]] = VULNERABLE[1]
    return response


def from_loopback(address):
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:  # no address at all (a unix socket) or not an IP address
        return False


def refused(code, message):
    # Readable by any page (it says nothing secret), so a lab page can tell the learner why.
    response = error_response(403, code, message)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def key_digest(key):
    return hmac.new(KEY_DIGEST_LABEL, key.encode(), hashlib.sha256).hexdigest()


def remember_key(app):
    """Record the running lab's key (its digest) in the state file, at each worker's start."""
    if app.config["LAB_KEY"]:
        with app.app_context():
            digest = (key_digest(app.config["LAB_KEY"]),)
            insert_bounded("lab_keys", ("digest",), digest, KEPT_KEYS, or_ignore=True)


def made_here(key):
    """Whether ``key`` is the key of an earlier start of this lab."""
    row = get_db().execute("SELECT 1 FROM lab_keys WHERE digest = ?", (key_digest(key),)).fetchone()
    return row is not None


@bp.before_request
def lab_pages_only():
    # The servers bind loopback already; this holds even if someone binds them wider.
    if not from_loopback(request.remote_addr or ""):
        return refused("loopback_only", "The security lab answers loopback clients only.")
    # The learner's own browser is always a loopback client, whatever page it shows: only the
    # lab key tells the lab's pages from every other website.
    expected = current_app.config["LAB_KEY"]
    given = request.args.get(LAB_KEY_PARAMETER)
    if not expected:
        return refused(
            "security_lab_locked",
            "The security lab is locked: the API was started without a lab key; start it with make run.",
        )
    if given is None:
        return refused(
            "lab_key_missing",
            f"The security lab answers the lab's own pages only, and this request carries no {LAB_KEY_PARAMETER}.",
        )
    if hmac.compare_digest(given.encode(), expected.encode()):
        return None
    if made_here(given):
        return refused("lab_key_stale", "This lab key is of an earlier start: the lab restarted. Reload the page.")
    return refused(
        "lab_key_wrong",
        "This lab key was never made by this lab: the page and the API come from two different labs.",
    )


@bp.get("/key")
def key():
    return public_json(current=True)


@bp.get("/secret/<check>")
def secret(check):
    checks = origin_checks()
    if check not in checks:
        raise BadParameter("check", f"check must be one of {', '.join(checks)}")
    code, passes = checks[check]
    origin = request.headers.get("Origin")
    response = jsonify(check=check, code=code, partner_data=PARTNER_DATA, **visitor_data())
    if origin is not None and passes(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
    response.vary.add("Origin")
    return label(response, vulnerable=check != "exact")


@bp.get("/jsonp/leaky")
def leaky_jsonp():
    callback = check_callback(request.args.get("callback"))
    body = f"/**/{callback}({javascript_literal(visitor_data())});"
    response = Response(body, mimetype="text/javascript")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return label(response)


@bp.get("/jsonp/unvalidated")
def unvalidated_jsonp():
    callback = request.args.get("callback", "callback")
    # The bug: the callback goes out unchecked, so the URL chooses the script's code. It is
    # served as JavaScript (never HTML), so that code runs in the page that includes the script,
    # never as a document on the API's origin.
    response = Response(f"{callback}({json.dumps({'source': 'jsonp'})});", mimetype="text/javascript")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return label(response)


@bp.post("/transfer/<defence>")
def transfer(defence):
    if defence not in DEFENCES:
        raise BadParameter("defence", f"defence must be one of {', '.join(DEFENCES)}")
    if defence == "check-origin" and request.headers.get("Origin") not in current_app.config["ALLOWED_ORIGINS"]:
        return label(error_response(403, "origin_refused", "The Origin is not on the allowlist."), False)
    if defence == "require-json" and request.mimetype != "application/json":
        return label(error_response(415, "json_required", "Only application/json is accepted."), False)
    if current_session() is None:
        return label(error_response(401, "not_logged_in", "No session cookie arrived."), defence == "none")
    amount = request.get_data(as_text=True)[:100]
    insert_bounded("transfers", ("run", "defence", "amount"), (request.args.get("run", ""), defence, amount), KEPT_ROWS)
    return label(jsonify(transferred=True, defence=defence), defence == "none")


@bp.get("/transfers")
def transfers():
    run = log_store.require_run_id(request.args.get("run"))
    rows = get_db().execute("SELECT defence, amount FROM transfers WHERE run = ? ORDER BY id", (run,))
    return public_json(transfers=[{"defence": defence, "amount": amount} for defence, amount in rows])


def build_cached_answer(mode, origin):
    headers = {"Content-Type": "application/json", "Access-Control-Expose-Headers": "X-Lab-Cache"}
    if origin in current_app.config["ALLOWED_ORIGINS"]:
        headers["Access-Control-Allow-Origin"] = origin
    if mode == "vary":
        headers["Vary"] = "Origin"
    return {"headers": headers, "body": json.dumps({"generated_for": origin, "at": time.time()})}


@bp.get("/cache/<mode>/data")
def cached(mode):
    """A shared cache in front of an origin-dependent answer, keyed by URL (plus Origin when the
    answer says Vary: Origin), as a CDN or reverse proxy would."""
    if mode not in CACHE_MODES:
        raise BadParameter("mode", f"mode must be one of {', '.join(CACHE_MODES)}")
    origin = request.headers.get("Origin")
    url_key = request.full_path
    db = get_db()
    row = db.execute(
        "SELECT response FROM shared_cache WHERE key IN (?, ?)", (url_key, f"{url_key}\n{origin}")
    ).fetchone()
    if row:
        stored, state = json.loads(row[0]), "HIT"
    else:
        stored, state = build_cached_answer(mode, origin), "MISS"
        key = f"{url_key}\n{origin}" if "Vary" in stored["headers"] else url_key
        # Two first requests may race: the first stored answer stays, as in a real cache.
        insert_bounded("shared_cache", ("key", "response"), (key, json.dumps(stored)), KEPT_ROWS, or_ignore=True)
    response = Response(stored["body"], headers=stored["headers"])
    response.headers["X-Lab-Cache"] = state
    return label(response, vulnerable=mode == "no-vary")
