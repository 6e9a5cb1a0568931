"""The API's configuration: defaults, then environment variables, then the caller's dict.

Options (environment variable in brackets):

``ALLOWED_ORIGINS`` [``LAB_ALLOWED_ORIGINS``, space- or comma-separated]
    The exact origins the lesson endpoints trust. Defaults to the trusted page origin
    [``LAB_TRUSTED_ORIGIN``, default: lab_contract's]. Each entry must be a serialized
    origin (``scheme://host[:port]``, lower case, no path, no trailing slash); ``null`` is refused.
``LAB_ORIGINS`` [``LAB_TRUSTED_ORIGIN``, ``LAB_API_ORIGIN``, ... see lab_contract]
    Every origin of the lab by role. The API answers only the Host names of its own two origins,
    and takes logins and logouts only from the lab's page origins.
``LAB_KEY`` [``LAB_KEY``]
    The secret that labctl makes for each ``make run``; /security/* answers only requests that
    carry it. Without one the security lab is locked.
``LOG_DB`` [``LAB_LOG_DB``]
    The wire log's SQLite file, shared by all workers and disposable (see storage.py).
    Defaults to ``wire-log.sqlite3`` in the app's instance folder.
``STATE_DB`` [``LAB_STATE_DB``]
    The SQLite file of the lab's state: sessions, /no-cors effects, transfers, shared cache.
    Defaults to ``lab-state.sqlite3`` in LOG_DB's folder; must not be LOG_DB.
``LOG_LIMIT`` [``LAB_LOG_LIMIT``, default 5000]
    How many log entries each of the log's two parts keeps (the lab's own traffic, and the
    rest: see traffic.py); the oldest of a part are pruned.
``LOG_MAX_BYTES`` [``LAB_LOG_MAX_BYTES``, default 16 MiB]
    How large the log's file may grow, half of it for each part; the oldest entries of a part
    are pruned to stay below, and a run that lost entries says how many in /log. Each entry is
    at most 8 KiB (see log_hook.py).
``LOG_ANSWER_LIMIT`` [``LAB_LOG_ANSWER_LIMIT``, default 500]
    At most this many entries in one /log answer, the oldest first; it says when there are more.
``MAX_CONTENT_LENGTH`` (default 1 MiB)
    Larger request bodies get 413 on every endpoint.
"""

import os
import re

from lab_contract import LAB_KEY_VARIABLE, MAX_BODY_BYTES, origins_from_environment, variable

DEFAULTS = {
    "LAB_ORIGINS": None,  # None: lab_contract's defaults and LAB_* variables
    "LAB_KEY": None,
    "ALLOWED_ORIGINS": None,  # None: the trusted page origin alone
    "LOG_DB": None,  # None: <instance folder>/wire-log.sqlite3
    "STATE_DB": None,  # None: lab-state.sqlite3 in LOG_DB's folder
    "LOG_LIMIT": 5000,
    "LOG_MAX_BYTES": 16 * 1024 * 1024,
    "LOG_ANSWER_LIMIT": 500,
    "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
}

# A serialized origin as browsers send it: lower-case scheme and host, a port only when given.
_SERIALIZED_ORIGIN = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])"
    r"(?::[1-9][0-9]{0,4})?\Z"
)


def check_origin(origin):
    """Return ``origin`` if it is a serialized origin, else raise ValueError saying why."""
    if origin == "null":
        raise ValueError("'null' cannot be allowlisted: sandboxed frames and file:// pages all send it")
    if not _SERIALIZED_ORIGIN.match(origin):
        raise ValueError(
            f"{origin!r} is not a serialized origin such as http://localhost:9000 "
            "(lower case, no path, no trailing slash)"
        )
    return origin


def split_origins(text):
    return [part for part in re.split(r"[\s,]+", text) if part]


def from_environment(environ):
    """The options that the environment sets, as config keys."""
    config = {"LAB_ORIGINS": origins_from_environment(environ)}
    if environ.get(LAB_KEY_VARIABLE):
        config["LAB_KEY"] = environ[LAB_KEY_VARIABLE]
    if environ.get("LAB_ALLOWED_ORIGINS"):
        config["ALLOWED_ORIGINS"] = split_origins(environ["LAB_ALLOWED_ORIGINS"])
    elif environ.get(variable("trusted_origin")):
        config["ALLOWED_ORIGINS"] = [environ[variable("trusted_origin")]]
    if environ.get("LAB_LOG_DB"):
        config["LOG_DB"] = environ["LAB_LOG_DB"]
    if environ.get("LAB_STATE_DB"):
        config["STATE_DB"] = environ["LAB_STATE_DB"]
    for option in ("LOG_LIMIT", "LOG_MAX_BYTES", "LOG_ANSWER_LIMIT"):
        if environ.get(f"LAB_{option}"):
            config[option] = int(environ[f"LAB_{option}"])
    return config


def configure(app, config=None):
    app.config.update(DEFAULTS)
    app.config.update(from_environment(os.environ))
    if config:
        app.config.update(config)
    allowed = app.config["ALLOWED_ORIGINS"] or [app.config["LAB_ORIGINS"]["trusted_origin"]]
    app.config["ALLOWED_ORIGINS"] = [check_origin(origin) for origin in allowed]
    if not app.config["LOG_DB"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["LOG_DB"] = os.path.join(app.instance_path, "wire-log.sqlite3")
    if not app.config["STATE_DB"]:
        log_folder = os.path.dirname(os.path.abspath(app.config["LOG_DB"]))
        app.config["STATE_DB"] = os.path.join(log_folder, "lab-state.sqlite3")
