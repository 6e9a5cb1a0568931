"""``cors-lab``: the CORS lab as one command.

``cors-lab run`` starts the lab (two origins of pages, the API, the attacker) on loopback until
Ctrl-C; ``cors-lab doctor URL`` asks a real Chromium whether a page on another origin may read
your API, and why not. ``make run`` and ``make doctor`` call these same entry points.
"""

import argparse
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from lab_contract import ORIGIN_DEFAULTS, variable

from .doctor import EXIT_STATUSES

COMMANDS = {
    "run": "start the lab on loopback and print what to open (Ctrl-C stops it)",
    "doctor": "check your own API's CORS in a real Chromium (cors-lab doctor --help)",
}


def package_version():
    try:
        return version("cors-lab")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def default_state_dir(environ=os.environ):
    """Where ``cors-lab run`` keeps the lab's state (its wire log and sessions, disposable): the
    per-user state folder of the XDG base directory convention, never the installed package."""
    base = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return str(Path(base) / "cors-lab")


class Parser(argparse.ArgumentParser):
    def error(self, message):
        """Bad usage: one line and exit 2 (argparse would print its usage first)."""
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def parser():
    origins = "\n".join(f"  {variable(role):<22} default {origin}" for role, origin in ORIGIN_DEFAULTS.items())
    top = Parser(
        prog="cors-lab",
        description="The CORS lab as one command: run the lab, or check your own API in a real Chromium.",
        epilog=f"Exit status: that of the command. cors-lab doctor: {EXIT_STATUSES}.",
    )
    top.add_argument("--version", action="version", version=f"cors-lab {package_version()}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    run = commands.add_parser(
        "run",
        help=COMMANDS["run"],
        description="Start the CORS lab on loopback: the pages on two origins, the API on two, the attacker on one.",
        epilog=f"The origins, from the environment (loopback names only):\n{origins}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--state-dir",
        metavar="DIR",
        help=f"where the lab keeps its wire log and sessions (default: {default_state_dir()})",
    )
    commands.add_parser("doctor", help=COMMANDS["doctor"], add_help=False)
    return top


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["doctor"]:  # the doctor parses its own arguments (and its own --help)
        from .doctor import main as doctor

        return doctor(argv[1:], prog="cors-lab doctor")
    options = parser().parse_args(argv)
    if options.command is None:
        parser().print_help(sys.stderr)
        return 2
    from .run import main as run

    return run(state_dir=options.state_dir or default_state_dir())


if __name__ == "__main__":
    sys.exit(main())
