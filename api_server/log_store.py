"""The wire log's store: entries tagged with a run id, oldest first, bounded in rows and bytes.

Bounds (options in config.py): at most ``LOG_LIMIT`` entries, and a file of at most
``LOG_MAX_BYTES`` of used pages. Before each entry goes in, the oldest entries of any run make
room for it (a tenth of ``LOG_MAX_BYTES`` more, so that pruning comes in batches); the count of
each run's pruned entries is kept for the ``KEPT_PRUNED_RUNS`` runs pruned last, so /log can say
that a run lost entries instead of answering a silently shorter list.
"""

import json
import re
import time

from flask import current_app

from lab_contract import RUN_ID_PATTERN

from .errors import BadParameter
from .storage import get_log_db

RUN_ID = re.compile(RUN_ID_PATTERN)
KEPT_PRUNED_RUNS = 1000
# Counted for each entry beyond its JSON: the run id (in the row and its index) and the row itself.
ROW_OVERHEAD = 64


def is_run_id(value):
    return value is not None and RUN_ID.fullmatch(value) is not None


def require_run_id(value):
    """``value`` if it is a run id, else BadParameter (a 400 naming ``run``)."""
    if not is_run_id(value):
        raise BadParameter("run", "run must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'")
    return value


def used_bytes(db):
    """The bytes of the file's pages in use: its size less the free pages SQLite reuses first."""
    pragmas = "pragma_page_count, pragma_freelist_count, pragma_page_size"
    return db.execute(f"SELECT (page_count - freelist_count) * page_size FROM {pragmas}").fetchone()[0]


def oldest_covering(db, needed):
    """The id up to which the oldest entries count for at least ``needed`` bytes (all of them if
    they count for less), or 0 when nothing is needed."""
    if needed <= 0:
        return 0
    cursor = db.execute("SELECT id, size FROM wire_log ORDER BY id")
    cutoff, freed = 0, 0
    try:
        for row_id, size in cursor:
            cutoff, freed = row_id, freed + size
            if freed >= needed:
                break
    finally:
        cursor.close()
    return cutoff


def prune(db, cutoff):
    """Delete the entries up to id ``cutoff``, counting per run how many went."""
    counts = db.execute("SELECT run, COUNT(*) FROM wire_log WHERE id <= ? GROUP BY run", (cutoff,)).fetchall()
    if not counts:
        return
    now = time.time()
    db.executemany(
        "INSERT INTO wire_log_pruned (run, entries, at) VALUES (?, ?, ?)"
        " ON CONFLICT (run) DO UPDATE SET entries = entries + excluded.entries, at = excluded.at",
        [(run, count, now) for run, count in counts],
    )
    db.execute("DELETE FROM wire_log WHERE id <= ?", (cutoff,))
    db.execute(
        "DELETE FROM wire_log_pruned WHERE run IN (SELECT run FROM wire_log_pruned ORDER BY at DESC LIMIT -1 OFFSET ?)",
        (KEPT_PRUNED_RUNS,),
    )


def append(run, entry_json):
    """Store one entry, already JSON text (log_hook.py bounds it), pruning to make room."""
    config = current_app.config
    size = len(entry_json) + 2 * len(run) + ROW_OVERHEAD
    db = get_log_db()
    db.execute("BEGIN IMMEDIATE")
    try:
        excess = used_bytes(db) + size - config["LOG_MAX_BYTES"]
        cutoff = oldest_covering(db, excess + config["LOG_MAX_BYTES"] // 10 if excess > 0 else 0)
        if cutoff:
            prune(db, cutoff)
        insert = "INSERT INTO wire_log (run, entry, size) VALUES (?, ?, ?)"
        row_id = db.execute(insert, (run, entry_json, size)).lastrowid
        prune(db, row_id - config["LOG_LIMIT"])
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # SQLite may have rolled back already (a full disk does)
            db.execute("ROLLBACK")
        raise


def entries_for(run):
    """What /log answers for ``run``: its first LOG_ANSWER_LIMIT entries, whether more exist,
    and how many of its entries pruning removed."""
    limit = current_app.config["LOG_ANSWER_LIMIT"]
    db = get_log_db()
    db.execute("BEGIN")  # one snapshot for both reads
    try:
        select = "SELECT id, entry FROM wire_log WHERE run = ? ORDER BY id LIMIT ?"
        rows = db.execute(select, (run, limit + 1)).fetchall()
        pruned = db.execute("SELECT entries FROM wire_log_pruned WHERE run = ?", (run,)).fetchone()
    finally:
        db.execute("COMMIT")
    return {
        "entries": [dict(json.loads(entry), id=row_id) for row_id, entry in rows[:limit]],
        "truncated": len(rows) > limit,
        "pruned": pruned[0] if pruned else 0,
    }
