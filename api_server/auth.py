"""``GET /auth/basic``: HTTP Basic authentication, the "HTTP认证信息" of the note.

The fake account (lab_contract.BASIC_AUTH_USER / _PASSWORD) guards nothing. Without it, or with
anything else, the answer is a 401 with ``WWW-Authenticate: Basic``, which makes a top-level
visit ask the user and then remember the credentials for the API's origin, as browsers do. CORS
(cors.py) allows the allowlisted origins with credentials, and ``Authorization`` as a request
header, so both ways of sending credentials can be compared: the browser's own (only with
withCredentials) and a header set by script (a non-safelisted header: always a preflight).

Any ``Authorization`` at all is a 401 unless it is exactly the account: another scheme, base64
that does not decode, no colon, nothing, bytes that are not ASCII or not UTF-8 (a browser sends
the UTF-8 of ``http://%C3%BC:x@...``). The header is read and compared as bytes, never decoded
to text, so no website can make it a 500.
"""

import base64
import binascii
import hmac

from flask import Blueprint, jsonify, request

from lab_contract import BASIC_AUTH_PASSWORD, BASIC_AUTH_REALM, BASIC_AUTH_USER

from .errors import error_response

bp = Blueprint("auth", __name__, url_prefix="/auth")


def basic_credentials():
    """(user, password) as bytes from ``Authorization: Basic``, or None for anything else."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    # WSGI hands header bytes over as latin-1 text: this gives the very bytes back.
    scheme, _, token = header.encode("latin-1", "replace").strip().partition(b" ")
    if scheme.lower() != b"basic":
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    user, colon, password = decoded.partition(b":")
    return (user, password) if colon else None


def authenticated():
    given = basic_credentials()
    # Both comparisons always run, on bytes (compare_digest refuses non-ASCII text).
    user_matches = given is not None and hmac.compare_digest(given[0], BASIC_AUTH_USER.encode())
    password_matches = given is not None and hmac.compare_digest(given[1], BASIC_AUTH_PASSWORD.encode())
    return user_matches and password_matches


@bp.get("/basic")
def basic():
    if not authenticated():
        response = error_response(401, "not_authenticated", "HTTP Basic credentials are missing or wrong.")
        response.headers["WWW-Authenticate"] = f'Basic realm="{BASIC_AUTH_REALM}"'
        return response
    return jsonify(authenticated=True, user=BASIC_AUTH_USER)
