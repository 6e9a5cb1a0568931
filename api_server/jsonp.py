"""``GET /jsonp?callback=NAME``: the pre-CORS way to read across origins, through a script tag.

A script runs with the page's full authority, so the callback name is checked strictly and the
data is public: never anything that depends on the visitor's cookies.
"""

import json
import re

from flask import Blueprint, Response, jsonify, request

from .errors import BadParameter

bp = Blueprint("jsonp", __name__)

CALLBACK = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*\Z")
MAX_CALLBACK_LENGTH = 64

PUBLIC_DATA = {
    "source": "jsonp",
    "message": "Public data, delivered as a script: no CORS header involved.",
    "note": "JSONP only supports GET; CORS supports every method.",
}


def javascript_literal(data):
    """JSON that is also safe JavaScript inside any page: no raw U+2028/U+2029, no ``</script>``."""
    return json.dumps(data, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")


def check_callback(name):
    if name is None or name == "":
        raise BadParameter("callback", "callback is required, e.g. /jsonp?callback=handleData")
    if len(name) > MAX_CALLBACK_LENGTH:
        raise BadParameter("callback", f"callback must be at most {MAX_CALLBACK_LENGTH} characters")
    if not CALLBACK.match(name):
        raise BadParameter(
            "callback", "callback must be a JavaScript identifier or dotted path, such as app.handleData"
        )
    return name


@bp.route("/jsonp", methods=["GET"], provide_automatic_options=False)
def jsonp():
    callback = check_callback(request.args.get("callback"))
    # The /**/ prefix stops a callback name from being read as something else at the start
    # of the file (the Rosetta Flash attack); nosniff makes browsers honour the type.
    body = f"/**/{callback}({javascript_literal(PUBLIC_DATA)});"
    response = Response(body, mimetype="text/javascript")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/data")
def data_over_cors():
    """The same public data as JSON, for CORS to deliver (to allowlisted origins only)."""
    return jsonify(PUBLIC_DATA)
