"""Part 3: the API under gunicorn, with the workers the lab runs, against Flask's threaded
development server: throughput of ``GET /simple`` with an allowed Origin."""

import subprocess
import sys
from contextlib import contextmanager

from ..servers import free_port, loopback_port, stop_processes, wait_until_up
from .load import WARM_UP_REQUESTS, get_in_turn, keep_alive_connections
from .report import PROJECT_ROOT, each_repetition_in_turn, paired_row, requests_per_second

# Enough clients to keep both servers busy all the time: gunicorn's 2 gevent workers, and the
# development server's thread per connection.
CLIENTS = 8


def serve(port, allowed_origin, log_db):
    """The body of the child process that runs the API on Flask's threaded development server."""
    from werkzeug.serving import make_server

    from api_server import create_app
    from lab_contract import origins_from_environment

    # Clients call it as 127.0.0.1:port, the Host the API then answers (it refuses any other).
    origins = {"api_origin": f"http://localhost:{port}", "api_alias_origin": f"http://127.0.0.1:{port}"}
    app = create_app(
        {"ALLOWED_ORIGINS": [allowed_origin], "LOG_DB": log_db, "LAB_ORIGINS": origins_from_environment() | origins}
    )
    make_server("127.0.0.1", int(port), app, threaded=True).serve_forever()


@contextmanager
def flask_dev_server(allowed_origin, log_db, output):
    """The API on Flask's development server, in its own process (a thread here would share the
    load generator's GIL); yields its port and always stops it."""
    port = free_port()
    command = [
        sys.executable, "-c", "import sys; from labctl.bench.devserver import serve; serve(*sys.argv[1:])",
        str(port), allowed_origin, str(log_db),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=output, stderr=output)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, timeout=30)
        yield port
    finally:
        stop_processes([process])


def measure_servers(origins, log_db, output):
    """gunicorn (the lab's API, already running) against the development server: a row."""
    headers = {"Origin": origins.trusted_origin}
    paths = ("/simple",)
    with flask_dev_server(origins.trusted_origin, log_db, output) as dev_port:
        ports = {"dev server": dev_port, "gunicorn": loopback_port(origins.api_origin)}
        for port in ports.values():
            with keep_alive_connections(port, CLIENTS) as connections:
                get_in_turn(connections, paths, headers, requests=WARM_UP_REQUESTS)
        throughputs = {name: [] for name in ports}
        for order in each_repetition_in_turn(list(ports)):
            for name in order:
                with keep_alive_connections(ports[name], CLIENTS) as connections:
                    throughputs[name].append(get_in_turn(connections, paths, headers)["/simple"].throughput)
    return [
        paired_row(
            f"API, {CLIENTS} clients, `/simple`: throughput, gunicorn (the lab's workers) "
            "vs Flask dev server (threaded)",
            throughputs["dev server"],
            throughputs["gunicorn"],
            requests_per_second,
        )
    ]
