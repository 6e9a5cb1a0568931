"""``GET /log?run=ID``: the wire as the API saw it, readable from any page."""

from flask import Blueprint, jsonify, request

from . import log_store
from .errors import BadParameter

bp = Blueprint("log", __name__)


@bp.get("/log")
def read_log():
    run = request.args.get("run")
    if not log_store.is_run_id(run):
        raise BadParameter("run", "run must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'")
    response = jsonify(entries=log_store.entries_for(run))
    # Public on purpose: any page of the lab, trusted or not, shows its own traffic.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response
