"""The lab's two SQLite files, shared by every gunicorn worker (options in config.py).

``STATE_DB`` holds what the lessons change and what a learner would miss: sessions, /no-cors
effects, the security lab's transfers and shared cache, and the digests of the lab keys of
earlier starts (security.py). ``LOG_DB`` holds the wire log alone
(see log_store.py): it is disposable, so it can be pruned, rebuilt or deleted without logging
anyone out or losing a transfer.

Each file carries its schema version in ``PRAGMA user_version`` and is checked on every
connection. A file of another version (an older lab kept everything in one file) is rebuilt,
not trusted: the log file is emptied; the state file keeps each of its tables whose columns
still match and drops every other table. A file deleted while the servers run is a file of
version 0, so the next request recreates it; a log file that is no database at all (or a
corrupt one) is deleted and started afresh.

SQLite is embedded, so the lab has nothing to install or start; WAL mode lets the workers
read while one of them writes.
"""

import contextlib
import functools
import os
import sqlite3
from dataclasses import dataclass

from flask import current_app, g


@dataclass(frozen=True)
class Store:
    """One SQLite file: the config key of its path, its schema and what a version mismatch does."""

    config_key: str
    version: int
    schema: str  # statements separated by semicolons, each safe to run again
    disposable: bool  # True: rebuilt empty on a version mismatch; False: matching tables are kept

    def statements(self):
        return [statement.strip() for statement in self.schema.split(";") if statement.strip()]


STATE = Store(
    "STATE_DB",
    2,
    """
    CREATE TABLE IF NOT EXISTS sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        token TEXT NOT NULL UNIQUE
    );
    CREATE TABLE IF NOT EXISTS no_cors_effects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        part TEXT NOT NULL,
        run TEXT NOT NULL,
        at REAL NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS no_cors_effects_by_run ON no_cors_effects (run, id);
    CREATE INDEX IF NOT EXISTS no_cors_effects_by_part ON no_cors_effects (part, id);
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
    CREATE TABLE IF NOT EXISTS lab_keys (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        digest TEXT NOT NULL UNIQUE
    )
    """,
    disposable=False,
)

# part: whose traffic (traffic.py); size: the bytes an entry is counted for (log_store.py);
# wire_log_pruned: per part and run, how many of its entries pruning removed.
LOG = Store(
    "LOG_DB",
    3,
    """
    CREATE TABLE IF NOT EXISTS wire_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        part TEXT NOT NULL,
        run TEXT NOT NULL,
        entry TEXT NOT NULL,
        size INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS wire_log_by_run ON wire_log (run, id);
    CREATE INDEX IF NOT EXISTS wire_log_by_part ON wire_log (part, id, size);
    CREATE TABLE IF NOT EXISTS wire_log_pruned (
        part TEXT NOT NULL,
        run TEXT NOT NULL,
        entries INTEGER NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (part, run)
    );
    CREATE INDEX IF NOT EXISTS wire_log_pruned_by_age ON wire_log_pruned (part, at)
    """,
    disposable=True,
)

# The log file's hard stop, as a multiple of LOG_MAX_BYTES plus slack: pruning keeps it far
# below, so only a bug in the accounting could ever reach it (then an entry is not recorded).
HARD_STOP_FACTOR = 2
HARD_STOP_SLACK = 1024 * 1024
# Keeps a WAL file from staying large after a burst of writes.
JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024
# What SQLite says of a file that is no database, or a corrupt one.
UNUSABLE = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}


def connect(path):
    # timeout: how long a worker waits for another one's write lock.
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    connection.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
    return connection


def table_columns(connection, table):
    return tuple(row[1] for row in connection.execute(f'PRAGMA table_info("{table}")'))


def tables(connection):
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows]


@functools.cache
def expected_columns(store):
    """table -> column names, as ``store``'s schema creates them."""
    connection = sqlite3.connect(":memory:")
    try:
        for statement in store.statements():
            connection.execute(statement)
        return {table: table_columns(connection, table) for table in tables(connection)}
    finally:
        connection.close()


def user_version(connection):
    return connection.execute("PRAGMA user_version").fetchone()[0]


def migrate(connection, store):
    """Bring the file of ``connection`` to ``store``'s version (see the module docstring)."""
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("BEGIN IMMEDIATE")
    try:
        if user_version(connection) == store.version:  # another worker got there first
            connection.execute("COMMIT")
            return
        expected = expected_columns(store)
        dropped = [
            table
            for table in tables(connection)
            if store.disposable or expected.get(table) != table_columns(connection, table)
        ]
        for table in dropped:
            connection.execute(f'DROP TABLE "{table}"')
        for statement in store.statements():
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {store.version}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:  # SQLite may have rolled back already (a full disk does)
            connection.execute("ROLLBACK")
        raise
    if dropped:
        try:
            connection.execute("VACUUM")  # give back the space of what was dropped
        except sqlite3.OperationalError as error:  # another worker is busy: its pages get reused anyway
            current_app.logger.warning("could not compact %s: %s", store.config_key, error)


def remove_database(path):
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)


def open_checked(store, path):
    connection = connect(path)
    try:
        if user_version(connection) != store.version:
            migrate(connection, store)
    except BaseException:
        connection.close()
        raise
    return connection


def open_store(store):
    """A connection to ``store``'s file, recreated or migrated first if need be."""
    path = current_app.config[store.config_key]
    try:
        return open_checked(store, path)
    except sqlite3.DatabaseError as error:
        if not store.disposable or getattr(error, "sqlite_errorname", None) not in UNUSABLE:
            raise
        current_app.logger.warning("%s is no usable database (%s): starting it afresh", path, error)
        remove_database(path)
        return open_checked(store, path)


def get_db():
    """The request's connection to the state file, opened on first use, closed when the request ends."""
    if "db" not in g:
        g.db = open_store(STATE)
    return g.db


def get_log_db():
    """The request's connection to the wire log's file, opened on first use, with its hard stop."""
    if "log_db" not in g:
        connection = open_store(LOG)
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        hard_stop = HARD_STOP_FACTOR * current_app.config["LOG_MAX_BYTES"] + HARD_STOP_SLACK
        connection.execute(f"PRAGMA max_page_count = {hard_stop // page_size}")
        # The log is disposable: a power cut may lose its last entries, never corrupt it (WAL).
        connection.execute("PRAGMA synchronous = NORMAL")
        g.log_db = connection
    return g.log_db


def close_db(exception=None):
    for name in ("db", "log_db"):
        connection = g.pop(name, None)
        if connection is not None:
            connection.close()


def insert_bounded(table, columns, values, keep, or_ignore=False, part=None):
    """Insert one row into a table of the state file (or, with ``or_ignore``, nothing if a
    unique column already holds its value), then prune the table to its newest ``keep`` rows.
    With ``part`` (traffic.py; the table has a ``part`` column), the row goes in that part and
    only that part is pruned, to its own newest ``keep`` rows."""
    db = get_db()
    if part is not None:
        columns, values = ("part", *columns), (part, *values)
    placeholders = ", ".join("?" for _ in values)
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    row_id = db.execute(f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", values).lastrowid
    if part is None:
        db.execute(f"DELETE FROM {table} WHERE id <= ?", (row_id - keep,))
    else:
        oldest_kept = f"SELECT id FROM {table} WHERE part = ? ORDER BY id DESC LIMIT 1 OFFSET ?"
        db.execute(f"DELETE FROM {table} WHERE part = ? AND id <= ({oldest_kept})", (part, part, keep))
    return row_id


def init_app(app):
    paths = [app.config[store.config_key] for store in (STATE, LOG)]
    if os.path.realpath(paths[0]) == os.path.realpath(paths[1]):
        raise ValueError(f"STATE_DB and LOG_DB must be two files, both are {paths[0]!r}")
    with app.app_context():  # migrate at start, so an old file is dealt with before any request
        for store in (STATE, LOG):
            open_store(store).close()
    app.teardown_appcontext(close_db)
