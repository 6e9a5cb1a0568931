"""The API's configuration: defaults, then environment variables, then the caller's dict.

Options (environment variable in brackets):

``ALLOWED_ORIGINS`` [``LAB_ALLOWED_ORIGINS``, space- or comma-separated]
    The exact origins the lesson endpoints trust. Defaults to the trusted page origin
    [``LAB_TRUSTED_ORIGIN``, default ``http://localhost:8000``]. Each entry must be a serialized
    origin (``scheme://host[:port]``, lower case, no path, no trailing slash); ``null`` is refused.
``LOG_DB`` [``LAB_LOG_DB``]
    The SQLite file shared by all workers (see storage.py for what it holds).
    Defaults to ``wire-log.sqlite3`` in the app's instance folder.
``LOG_LIMIT`` [``LAB_LOG_LIMIT``, default 5000]
    How many log entries are kept; the oldest are pruned.
``MAX_CONTENT_LENGTH`` (default 1 MiB)
    Larger request bodies get 413 on every endpoint.
"""

import os
import re

DEFAULT_TRUSTED_ORIGIN = "http://localhost:8000"

DEFAULTS = {
    "ALLOWED_ORIGINS": None,  # None: the trusted page origin alone
    "LOG_DB": None,  # None: <instance folder>/wire-log.sqlite3
    "LOG_LIMIT": 5000,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
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
            f"{origin!r} is not a serialized origin such as http://localhost:8000 "
            "(lower case, no path, no trailing slash)"
        )
    return origin


def split_origins(text):
    return [part for part in re.split(r"[\s,]+", text) if part]


def from_environment(environ):
    """The options that the environment sets, as config keys."""
    config = {}
    if environ.get("LAB_ALLOWED_ORIGINS"):
        config["ALLOWED_ORIGINS"] = split_origins(environ["LAB_ALLOWED_ORIGINS"])
    elif environ.get("LAB_TRUSTED_ORIGIN"):
        config["ALLOWED_ORIGINS"] = [environ["LAB_TRUSTED_ORIGIN"]]
    if environ.get("LAB_LOG_DB"):
        config["LOG_DB"] = environ["LAB_LOG_DB"]
    if environ.get("LAB_LOG_LIMIT"):
        config["LOG_LIMIT"] = int(environ["LAB_LOG_LIMIT"])
    return config


def configure(app, config=None):
    app.config.update(DEFAULTS)
    app.config.update(from_environment(os.environ))
    if config:
        app.config.update(config)
    allowed = app.config["ALLOWED_ORIGINS"] or [DEFAULT_TRUSTED_ORIGIN]
    app.config["ALLOWED_ORIGINS"] = [check_origin(origin) for origin in allowed]
    if not app.config["LOG_DB"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["LOG_DB"] = os.path.join(app.instance_path, "wire-log.sqlite3")
