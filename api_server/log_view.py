"""``GET /log?run=ID``: the wire as the API saw it, readable from any page.

The answer: ``entries``, the run's oldest first (at most config ``LOG_ANSWER_LIMIT``);
``truncated``, true when the run has more entries than that; ``pruned``, how many of the run's
entries were removed to keep the log within its bounds (0 when none were).
"""

from flask import Blueprint, request

from . import log_store
from .cors import public_json

bp = Blueprint("log", __name__)


@bp.get("/log")
def read_log():
    # Public on purpose: any page of the lab, trusted or not, shows its own traffic.
    return public_json(**log_store.entries_for(log_store.require_run_id(request.args.get("run"))))
