"""Cookies across origins: a fake login whose session cookie the lessons send, or fail to send.

login, logout and whoami answer allowlisted origins with their exact origin and
``Access-Control-Allow-Credentials: true`` (see cors.py). The two broken variants show the
answers a browser refuses for a credentialed request.
"""

import re
import secrets

from flask import Blueprint, current_app, jsonify, request

from lab_contract import SESSION_COOKIE, VISIBLE_COOKIE, page_origins

from .errors import BadParameter, error_response
from .storage import get_db, insert_bounded

bp = Blueprint("credentials", __name__, url_prefix="/credentials")

SAMESITE_VALUES = ("Lax", "Strict", "None")
KEPT_SESSIONS = 1000


def current_session():
    """The session token of a logged-in visitor, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    found = get_db().execute("SELECT 1 FROM sessions WHERE token = ?", (token,)).fetchone()
    return token if found else None


def logged_in():
    return current_session() is not None


def visible_value():
    """Names the host and port that set lab_visible, so a page can tell whose cookie it reads."""
    return "set-by-" + re.sub(r"[^A-Za-z0-9.]", "-", request.host)


@bp.before_request
def from_lab_pages_only():
    """Logins and logouts change the learner's own state: only the lab's pages may ask. The
    learner's browser sends every site's requests from loopback, and Sec-Fetch-Site cannot tell
    the lab's cross-site origins from any other site, so the Origin is compared exactly."""
    if request.method == "POST" and request.headers.get("Origin") not in page_origins(
        current_app.config["LAB_ORIGINS"]
    ):
        return error_response(403, "origin_not_in_lab", "Logins and logouts are taken from the lab's own pages only.")
    return None


@bp.post("/login")
def login():
    samesite = request.args.get("samesite", "Lax")
    if samesite not in SAMESITE_VALUES:
        raise BadParameter("samesite", "samesite must be one of Lax, Strict or None (case matters)")
    token = secrets.token_urlsafe(24)
    insert_bounded("sessions", ("token",), (token,), KEPT_SESSIONS)
    # Browsers reject SameSite=None without Secure; on localhost Secure works over plain http.
    secure = samesite == "None"
    response = jsonify(logged_in=True, samesite=samesite, cookies=[SESSION_COOKIE, VISIBLE_COOKIE])
    response.set_cookie(SESSION_COOKIE, token, httponly=True, secure=secure, samesite=samesite)
    response.set_cookie(VISIBLE_COOKIE, visible_value(), secure=secure, samesite=samesite)
    return response


@bp.post("/logout")
def logout():
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        get_db().execute("DELETE FROM sessions WHERE token = ?", (token,))
    response = jsonify(logged_in=False)
    # SameSite=None; Secure: the deletion is stored from cross-site pages too, where the browser
    # stores third-party cookies at all.
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=True, samesite="None")
    response.delete_cookie(VISIBLE_COOKIE, secure=True, samesite="None")
    return response


@bp.get("/whoami")
def whoami():
    return jsonify(logged_in=logged_in())


@bp.get("/no-allow-credentials")
def no_allow_credentials():
    return jsonify(logged_in=logged_in())


@bp.get("/wildcard")
def wildcard():
    response = jsonify(logged_in=logged_in())
    # The combination browsers refuse for a credentialed request, written by hand:
    # flask-cors will not produce it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Credentials"] = "true"
    return response
