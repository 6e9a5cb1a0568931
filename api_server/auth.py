"""``GET /auth/basic``: HTTP Basic authentication, the "HTTP认证信息" of the note.

The fake account (lab_contract.BASIC_AUTH_USER / _PASSWORD) guards nothing. Without it, or with
anything else, the answer is a 401 with ``WWW-Authenticate: Basic``, which makes a top-level
visit ask the user and then remember the credentials for the API's origin, as browsers do. CORS
(cors.py) allows the allowlisted origins with credentials, and ``Authorization`` as a request
header, so both ways of sending credentials can be compared: the browser's own (only with
withCredentials) and a header set by script (a non-safelisted header: always a preflight).
"""

import hmac

from flask import Blueprint, jsonify, request

from lab_contract import BASIC_AUTH_PASSWORD, BASIC_AUTH_REALM, BASIC_AUTH_USER

from .errors import error_response

bp = Blueprint("auth", __name__, url_prefix="/auth")


def authenticated():
    given = request.authorization
    return (
        given is not None
        and given.type == "basic"
        and hmac.compare_digest(given.username or "", BASIC_AUTH_USER)
        and hmac.compare_digest(given.password or "", BASIC_AUTH_PASSWORD)
    )


@bp.get("/basic")
def basic():
    if not authenticated():
        response = error_response(401, "not_authenticated", "HTTP Basic credentials are missing or wrong.")
        response.headers["WWW-Authenticate"] = f'Basic realm="{BASIC_AUTH_REALM}"'
        return response
    return jsonify(authenticated=True, user=BASIC_AUTH_USER)
