"""``python -m labctl.bench``: run every part against one lab, print the table, write it to
bench/results.md (see the package's docstring for what is measured, and why as ratios)."""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from ..browser import BrowserMissing
from ..page_weight import BUDGET_BYTES, heaviest_page
from ..run import Stopped, catch_stop_signals
from ..servers import Lab, LabError, Origins, free_port
from . import __doc__ as package_docstring
from .chromium import measure_preflights
from .cors import measure_cors_overhead
from .devserver import measure_servers
from .report import PROJECT_ROOT, RESULTS_FILE, expectation, paired_row, write_report


def page_weight_row():
    """The heaviest page's JS and CSS, unminified, against the budget: the same in every run."""
    page, total = heaviest_page()
    return paired_row(
        f"Page weight: the JS and CSS of the heaviest page ({page}), unminified, vs the budget",
        [BUDGET_BYTES],
        [total],
        lambda size: f"{size / 1024:.1f} KiB",
        expectation(total < BUDGET_BYTES, f"under {BUDGET_BYTES // 1024} KiB"),
    )


def progress(message):
    print(message, file=sys.stderr, flush=True)


def print_tail(path, lines=30):
    progress(f"The servers' last output ({path}):")
    progress("".join(path.read_text(errors="replace").splitlines(keepends=True)[-lines:]))


def run_benchmarks():
    """All three parts against one lab, whose servers stop however this ends. Returns the report."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cors-lab-bench-") as folder:
        folder = Path(folder)
        servers_log = folder / "servers.log"
        origins = Origins.on_ports(free_port(), free_port())
        with open(servers_log, "w") as output:
            try:
                with Lab(origins, extra_env={"LAB_LOG_DB": str(folder / "wire.sqlite3")}, output=output):
                    progress("1/3 CORS overhead on the API (load generator)...")
                    rows = measure_cors_overhead(origins)
                    progress("2/3 preflights in Chromium...")
                    chromium_version, preflight_rows = measure_preflights(origins)
                    progress("3/3 gunicorn against the Flask development server...")
                    rows += preflight_rows + measure_servers(origins, folder / "dev.sqlite3", output)
                    rows.append(page_weight_row())
            except LabError:
                print_tail(servers_log)
                raise
    return write_report(rows, chromium_version, load_before)


def main():
    argparse.ArgumentParser(
        prog="python -m labctl.bench",
        description=package_docstring,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    ).parse_args()
    catch_stop_signals()  # as `make run` does: the servers stop as cleanly on a signal as at the end
    started = time.monotonic()
    try:
        report = run_benchmarks()
    except Stopped as stopped:
        progress("Interrupted; the servers are stopped.")
        return 128 + stopped.args[0]
    except (LabError, BrowserMissing) as error:
        progress(f"bench: {error}")
        return 1
    print(report, end="")
    progress(f"Written to {RESULTS_FILE.relative_to(PROJECT_ROOT)} in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
