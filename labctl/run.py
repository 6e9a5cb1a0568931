"""``cors-lab run`` (and ``make run``): start both servers, print what to open, stop both on Ctrl-C.

The lab stops, leaving no process and no port behind, on SIGINT, SIGTERM, SIGHUP and SIGQUIT,
whether they reach make's whole process group (Ctrl-C, a closed terminal) or make alone, and when
make itself is gone.
"""

import os
import signal
import sys
from pathlib import Path

from .servers import Lab, LabError, Origins

STOP_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


class Stopped(Exception):
    """A stop signal arrived."""


def stop_on_signal(signum, _frame):
    # Only once: a second signal (make forwards SIGTERM to us when its group got one too) must
    # not cut the stopping of the servers short.
    ignore_stop_signals()
    raise Stopped(signum)


def catch_stop_signals():
    """From now on the first of STOP_SIGNALS raises Stopped in the main thread, and the others
    are ignored. Ctrl-C works even where the shell started us with SIGINT ignored; SIGTERM (a
    process manager, a cancelled job), SIGHUP (a closed terminal) and SIGQUIT (Ctrl-\\) stop as
    cleanly as Ctrl-C does."""
    for each in STOP_SIGNALS:
        signal.signal(each, stop_on_signal)


def ignore_stop_signals():
    for each in STOP_SIGNALS:
        signal.signal(each, signal.SIG_IGN)


def caught_signals(pid):
    """Which of STOP_SIGNALS process ``pid`` catches (Linux's /proc); empty where unknown."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("SigCgt:"):
                    mask = int(line.split()[1], 16)
                    return {each for each in STOP_SIGNALS if mask & (1 << (each - 1))}
    except (OSError, ValueError):
        pass
    return set()


class ParentWatch:
    """Why to stop because of the process that started us (make), if there is a reason.

    GNU make forwards SIGTERM to its children, but sent SIGINT, SIGHUP or SIGQUIT alone it
    forwards nothing: it resets that signal to its default action and waits for its children, to die of
    the signal once they have exited. The one trace is in /proc/PID/status, where the signal
    leaves make's caught set (SigCgt). So: stop when a stop signal the parent caught when we
    started is no longer caught, or when the parent is gone.
    """

    def __init__(self):
        self.pid = os.getppid()
        self.caught = caught_signals(self.pid)

    def reason_to_stop(self):
        if os.getppid() != self.pid:
            return "the process that started the lab has exited"
        dropped = self.caught - caught_signals(self.pid)
        if dropped:
            return f"the process that started the lab (pid {self.pid}) got {signal.Signals(min(dropped)).name}"
        return None


def say(message):
    try:
        print(message, file=sys.stderr, flush=True)
    except OSError:
        pass  # the terminal is gone


def state_environment(state_dir):
    """The API's variables that put its state in ``state_dir`` (made if missing; LAB_LOG_DB set in
    the environment wins): the wire log there, and the lab's state beside it (api_server/config.py)."""
    if not state_dir or os.environ.get("LAB_LOG_DB"):
        return {}
    try:
        Path(state_dir).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LabError(f"cannot keep the lab's state in {state_dir}: {error.strerror}") from None
    return {"LAB_LOG_DB": str(Path(state_dir).resolve() / "wire-log.sqlite3")}


def main(state_dir=None):
    """Runs the lab until a stop signal; ``state_dir``: the folder of its state (by default the
    API's instance folder)."""
    catch_stop_signals()
    parent = ParentWatch()
    lab = None
    try:
        origins = Origins.from_environment()
        lab = Lab(origins, extra_env=state_environment(state_dir))
        lab.start()
        print(
            "\nThe CORS lab is running (loopback only):\n"
            f"  trusted page     {origins.trusted_origin}/      <- open this\n"
            f"  untrusted page   {origins.untrusted_origin}/      <- the same pages, not on the API's allowlist\n"
            f"  API              {origins.api_origin}\n"
            f"  API, other site  {origins.api_alias_origin}\n"
            f"  attacker         {origins.attacker_origin}      <- the security lab's same-site attacker\n"
            "Press Ctrl-C to stop both servers.\n",
            flush=True,
        )
        reason = lab.wait(parent.reason_to_stop)
        if reason:
            say(f"Stopping the lab: {reason}.")
            return 0
        say("A server stopped; stopping the lab.")
        return 1
    except LabError as error:
        say(f"cors-lab run: {error}")
        return 1
    except Stopped:
        return 0
    finally:
        ignore_stop_signals()  # nothing may cut the stopping of the servers short
        if lab is not None:
            lab.stop()


if __name__ == "__main__":
    sys.exit(main())
