"""The wire log's store: entries tagged with a run id, oldest first, bounded."""

import json
import re

from flask import current_app

from .errors import BadParameter
from .storage import get_db, insert_bounded

RUN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")


def is_run_id(value):
    return value is not None and RUN_ID.match(value) is not None


def require_run_id(value):
    """``value`` if it is a run id, else BadParameter (a 400 naming ``run``)."""
    if not is_run_id(value):
        raise BadParameter("run", "run must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'")
    return value


def append(run, entry):
    insert_bounded("wire_log", ("run", "entry"), (run, json.dumps(entry)), current_app.config["LOG_LIMIT"])


def entries_for(run):
    rows = get_db().execute("SELECT id, entry FROM wire_log WHERE run = ? ORDER BY id", (run,))
    return [dict(json.loads(entry), id=row_id) for row_id, entry in rows]
