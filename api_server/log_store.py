"""The wire log's store: entries tagged with a run id, oldest first, bounded in rows and bytes.

Two parts, kept apart (traffic.py): the lab's own traffic, and traffic from outside the lab. Each
part holds at most ``LOG_LIMIT`` entries and half of ``LOG_MAX_BYTES`` (counted as the entries'
sizes: their JSON, their run id twice and ``ROW_OVERHEAD``), so the file stays within
``LOG_MAX_BYTES`` and no flood from outside can prune an entry of the lab's own runs. Before an
entry goes in, the oldest entries of its part make room for it (a tenth of its byte share more,
so that pruning comes in batches). Each part keeps the count of the entries pruned of each of
its ``KEPT_PRUNED_RUNS`` runs pruned last, so /log can say that a run lost entries instead of
answering a silently shorter list; traffic from outside can neither prune the lab's entries nor
push the lab's counts out.
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


def oldest_covering(db, part, needed):
    """The id up to which the oldest entries of ``part`` count for at least ``needed`` bytes (all
    of them if they count for less), or 0 when nothing is needed."""
    if needed <= 0:
        return 0
    cursor = db.execute("SELECT id, size FROM wire_log WHERE part = ? ORDER BY id", (part,))
    cutoff, freed = 0, 0
    try:
        for row_id, size in cursor:
            cutoff, freed = row_id, freed + size
            if freed >= needed:
                break
    finally:
        cursor.close()
    return cutoff


def prune(db, part, cutoff):
    """Delete the entries of ``part`` up to id ``cutoff``, counting per run how many went."""
    counts = db.execute(
        "SELECT run, COUNT(*) FROM wire_log WHERE part = ? AND id <= ? GROUP BY run", (part, cutoff)
    ).fetchall()
    if not counts:
        return
    now = time.time()
    db.executemany(
        "INSERT INTO wire_log_pruned (part, run, entries, at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (part, run) DO UPDATE SET entries = entries + excluded.entries, at = excluded.at",
        [(part, run, count, now) for run, count in counts],
    )
    db.execute("DELETE FROM wire_log WHERE part = ? AND id <= ?", (part, cutoff))
    db.execute(
        "DELETE FROM wire_log_pruned WHERE part = ? AND run IN"
        " (SELECT run FROM wire_log_pruned WHERE part = ? ORDER BY at DESC LIMIT -1 OFFSET ?)",
        (part, part, KEPT_PRUNED_RUNS),
    )


def append(run, entry_json, part):
    """Store one entry, already JSON text (log_hook.py bounds it), in ``part`` (traffic.py),
    pruning that part to make room."""
    config = current_app.config
    size = len(entry_json) + 2 * len(run) + ROW_OVERHEAD
    share = config["LOG_MAX_BYTES"] // 2
    db = get_log_db()
    db.execute("BEGIN IMMEDIATE")
    try:
        used = db.execute("SELECT COALESCE(SUM(size), 0) FROM wire_log WHERE part = ?", (part,)).fetchone()[0]
        excess = used + size - share
        cutoff = oldest_covering(db, part, excess + share // 10 if excess > 0 else 0)
        if cutoff:
            prune(db, part, cutoff)
        insert = "INSERT INTO wire_log (part, run, entry, size) VALUES (?, ?, ?, ?)"
        db.execute(insert, (part, run, entry_json, size))
        oldest_kept = "SELECT id FROM wire_log WHERE part = ? ORDER BY id DESC LIMIT 1 OFFSET ?"
        over = db.execute(oldest_kept, (part, config["LOG_LIMIT"])).fetchone()
        if over:
            prune(db, part, over[0])
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
        pruned = db.execute("SELECT COALESCE(SUM(entries), 0) FROM wire_log_pruned WHERE run = ?", (run,)).fetchone()
    finally:
        db.execute("COMMIT")
    return {
        "entries": [dict(json.loads(entry), id=row_id) for row_id, entry in rows[:limit]],
        "truncated": len(rows) > limit,
        "pruned": pruned[0],
    }
