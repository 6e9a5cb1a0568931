"""``GET /auth/basic-without-allow-credentials``: HTTP Basic like /auth/basic (auth.py), under the
same path, so a browser that holds the credentials for /auth/ sends them here too, but whose CORS
answer names the allowlisted origin WITHOUT ``Access-Control-Allow-Credentials``: the credentials
arrive, the API answers, and the browser hides the answer from a credentialed request.

CORS by hand, not flask-cors: the exact allowlisted origin, ``Vary: Origin``, and nothing for any
other origin. There is no preflight: the lesson is a simple GET.
"""

from flask import Blueprint, current_app, jsonify, request

from lab_contract import BASIC_AUTH_REALM, BASIC_AUTH_USER

from .auth import authenticated
from .cors import add_vary_origin
from .errors import error_response

bp = Blueprint("auth_without_credentials", __name__, url_prefix="/auth")


@bp.get("/basic-without-allow-credentials")
def basic_without_allow_credentials():
    if authenticated():
        response = jsonify(authenticated=True, user=BASIC_AUTH_USER)
    else:
        response = error_response(401, "not_authenticated", "HTTP Basic credentials are missing or wrong.")
        response.headers["WWW-Authenticate"] = f'Basic realm="{BASIC_AUTH_REALM}"'
    origin = request.headers.get("Origin")
    if origin is not None and origin in current_app.config["ALLOWED_ORIGINS"]:
        response.headers["Access-Control-Allow-Origin"] = origin
    return add_vary_origin(response)
