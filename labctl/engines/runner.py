"""`python -m labctl.engines [--engine NAME ...] [--table]`: see the package's docstring."""

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from labctl.servers import Lab, Origins, free_port

from . import checks
from .drivers import ENGINES

TESTED = ("firefox", "webkit")  # `make test-engines`; `make test` is Chromium's
ROLES = ("trusted", "untrusted")
# Debian's packages for what a machine lacks (Node 18 or later runs Firefox's driver).
DEBIAN = ("firefox-esr", "webkit2gtk-driver", "xvfb xauth", "nodejs npm")


@dataclass
class EngineRun:
    name: str
    version: str = ""
    seconds: float = 0.0
    outcomes: list = field(default_factory=list)
    cards: dict = field(default_factory=dict)  # role -> the experiments page's cards after "Run all"
    phases: dict = field(default_factory=dict)  # phase -> seconds

    @property
    def failures(self):
        return [outcome for outcome in self.outcomes if not outcome.passed]


def run_engine(name, origins, run_prefix):
    """Every check in one engine; a driver's failure is a failed check, never an exception."""
    result = EngineRun(name)
    start = time.monotonic()
    engine = None

    def phase(label):
        now = time.monotonic()
        result.phases[label] = now - sum(result.phases.values()) - start

    try:
        engine = ENGINES[name]()
        result.version = engine.version
        phase("start")
        for role in ROLES:
            outcomes, answer = checks.run_experiments(engine, origins, role)
            phase(f"run all ({role})")
            result.version = engine.version  # WebKit knows it once a session is open
            result.outcomes += outcomes
            result.cards[role] = answer.get("cards", [])
            detected = answer.get("engine")
            if detected != name:
                result.outcomes.append(
                    checks.Outcome("experiments", "engine detection", role, False, f"the page detected {detected}")
                )
        result.outcomes += checks.run_presets(engine, origins)
        phase("presets")
        for role in ROLES:
            result.outcomes += checks.run_matrix(engine, origins, role, f"{run_prefix}{name[0]}")
        phase("matrix")
    except Exception as error:  # noqa: BLE001 (reported as a failure of this engine)
        result.outcomes.append(checks.Outcome("driver", type(error).__name__, "", False, str(error)[:500]))
    finally:
        if engine is not None:
            try:
                engine.close()
            except Exception as error:  # noqa: BLE001
                result.outcomes.append(checks.Outcome("driver", "close", "", False, str(error)[:200]))
        result.seconds = time.monotonic() - start
    return result


def run_engines(names, output=sys.stdout):
    """Starts the lab on free ports and runs ``names`` side by side; returns their EngineRuns."""
    origins = Origins.on_ports(free_port(), free_port())
    prefix = f"e{int(time.time()) % 100000}"
    with tempfile.TemporaryDirectory(prefix="lab-engines-") as folder:
        with open(os.path.join(folder, "servers.log"), "w") as servers_log:
            with Lab(origins, extra_env={"LAB_LOG_DB": os.path.join(folder, "wire.sqlite3")}, output=servers_log):
                print(
                    f"The lab on {origins.trusted_origin} (untrusted {origins.untrusted_origin}), API {origins.api_origin}",
                    file=output,
                )
                results = {}

                def work(name):
                    results[name] = run_engine(name, origins, prefix)

                threads = [threading.Thread(target=work, args=(name,)) for name in names]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
    return [results[name] for name in names]


def report(runs, output=sys.stdout):
    """Prints each engine's time and failures; returns True when every check passed."""
    for run in runs:
        counts = {}
        for outcome in run.outcomes:
            counts[outcome.check] = counts.get(outcome.check, 0) + 1
        summary = ", ".join(f"{n} {check}" for check, n in counts.items())
        verdict = "all passed" if not run.failures else f"{len(run.failures)} FAILED"
        phases = ", ".join(f"{label} {seconds:.1f}" for label, seconds in run.phases.items())
        print(f"{run.version or run.name}: {summary}: {verdict} in {run.seconds:.1f} s ({phases})", file=output)
        for failure in run.failures:
            where = f" from the {failure.origin} origin" if failure.origin else ""
            print(
                f"  FAIL in {run.version or run.name} ({failure.check}{where}): {failure.what}: {failure.detail}",
                file=output,
            )
    return all(not run.failures for run in runs)


def missing_line(names):
    """One line: what this machine lacks for ``names`` and how to install it; None when nothing."""
    lacks = sorted({item for name in names for item in ENGINES[name].missing()})
    if not lacks:
        return None
    packages = [package for package in DEBIAN if package in lacks]
    install = f"Debian: apt-get install {' '.join(packages)}" if packages else "run it through `make test-engines`"
    return f"make test-engines: this machine lacks {', '.join(lacks)}. {install}."


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m labctl.engines", description=__doc__)
    parser.add_argument("--engine", action="append", choices=sorted(ENGINES), help="only this engine (repeatable)")
    parser.add_argument(
        "--table", action="store_true", help="also Chromium; rewrite the behaviour table in docs/browser-facts.md"
    )
    args = parser.parse_args(argv)
    names = args.engine or (("chromium", *TESTED) if args.table else TESTED)
    line = missing_line(names)
    if line:
        print(line, file=sys.stderr)
        return 2
    if "webkit" in names and not os.environ.get("DISPLAY"):
        # WebKitGTK needs a display: the same command again under a virtual one.
        command = ["xvfb-run", "-a", sys.executable, "-m", "labctl.engines", *argv]
        os.execvp(shutil.which("xvfb-run"), command)
    start = time.monotonic()
    runs = run_engines(names)
    passed = report(runs)
    print(f"{len(runs)} engines side by side in {time.monotonic() - start:.1f} s", flush=True)
    if args.table:
        from .table import write_table

        for path in write_table(runs):
            print(f"wrote the behaviour table in {path}")
    return 0 if passed else 1
