"""The SQLite file that every gunicorn worker shares: the wire log, sessions, /no-cors effects,
and the security lab's transfers and shared cache.

SQLite is embedded, so the lab has nothing to install or start; WAL mode lets the workers
read while one of them writes.
"""

import sqlite3

from flask import current_app, g

SCHEMA = """
CREATE TABLE IF NOT EXISTS wire_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run TEXT NOT NULL,
    entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS wire_log_by_run ON wire_log (run, id);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS no_cors_effects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run TEXT NOT NULL,
    at REAL NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS no_cors_effects_by_run ON no_cors_effects (run, id);
CREATE TABLE IF NOT EXISTS transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run TEXT NOT NULL,
    defence TEXT NOT NULL,
    amount TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transfers_by_run ON transfers (run, id);
CREATE TABLE IF NOT EXISTS shared_cache (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    response TEXT NOT NULL
);
"""


def connect(path):
    # timeout: how long a worker waits for another one's write lock.
    return sqlite3.connect(path, timeout=10, isolation_level=None)


def init_db(path):
    connection = connect(path)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(SCHEMA)
    finally:
        connection.close()


def get_db():
    """The request's connection, opened on first use and closed when the request ends."""
    if "db" not in g:
        g.db = connect(current_app.config["LOG_DB"])
    return g.db


def close_db(exception=None):
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def insert_bounded(table, columns, values, keep, or_ignore=False):
    """Insert one row (or, with ``or_ignore``, nothing if a unique column already holds its
    value), then prune the table to its newest ``keep`` rows."""
    db = get_db()
    placeholders = ", ".join("?" for _ in values)
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    row_id = db.execute(f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", values).lastrowid
    db.execute(f"DELETE FROM {table} WHERE id <= ?", (row_id - keep,))
    return row_id


def init_app(app):
    init_db(app.config["LOG_DB"])
    app.teardown_appcontext(close_db)
