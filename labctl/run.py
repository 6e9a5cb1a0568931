"""``make run``: start both servers, print what to open, stop both on Ctrl-C."""

import signal
import sys

from .servers import Lab, LabError, Origins


def main():
    origins = Origins.from_environment()
    lab = Lab(origins)
    # Ctrl-C works even where the shell started us with SIGINT ignored, and SIGTERM
    # (e.g. from a process manager) stops the lab as cleanly as Ctrl-C does.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        lab.start()
        print(
            "\nThe CORS lab is running (loopback only):\n"
            f"  trusted page     {origins.trusted}/      <- open this\n"
            f"  untrusted page   {origins.untrusted}/      <- the same pages, not on the API's allowlist\n"
            f"  API              {origins.api}\n"
            f"  API, other site  {origins.api_alias}\n"
            f"  attacker         {origins.attacker}      <- the security lab's same-site attacker\n"
            "Press Ctrl-C to stop both servers.\n",
            flush=True,
        )
        lab.wait()
        print("A server stopped; stopping the lab.", file=sys.stderr)
        return 1
    except LabError as error:
        print(f"make run: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        lab.stop()


if __name__ == "__main__":
    sys.exit(main())
