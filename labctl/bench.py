"""``python -m labctl.bench``: what CORS costs in the lab, measured as ratios in one run.

Three comparisons, each of a variant against a baseline, on the lab's own servers on free
loopback ports:

1. CORS on the API under gunicorn. The same trivial GET, with the same allowed Origin header,
   served bare (``/no-cors``: no CORS code at all), by flask-cors (``/simple``) and by
   ``/lab?acao=echo`` (the lab's own CORS code). A Python load generator (threads, one keep-alive
   connection each) measures latency p50 and p99 and throughput, each as a ratio to bare.
   The goal: flask-cors p50 at most 1.10x bare.
2. Preflights in a real Chromium, from a page on the trusted origin: a preflighted PUT against
   a simple GET, in round trips (counted in the API's wire log) and time per request (measured
   in the page); then 20 PUTs to one URL with Access-Control-Max-Age 600 (one preflight, then
   the browser's preflight cache) against max-age 0 (a preflight before every PUT).
3. gunicorn, with the workers the lab runs, against Flask's threaded development server:
   throughput of ``/simple`` at a fixed concurrency.

Why ratios: on a shared or small machine the absolute numbers move with whatever else runs,
this load generator included, which competes with the servers for the same cores. A baseline
and its variant measured back to back see nearly the same conditions, so each repetition gives
one ratio; the table quotes the median ratio of several repetitions and their range. Latencies
go further: one run sends the three endpoints' requests in turn on the same connections, so
every endpoint meets the same moments of load. Read the ratios; the milliseconds only say
what this machine did today.

The table is printed and written to bench/results.md.
"""

import http.client
import json
import math
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from .browser import BrowserMissing, executable_for_tests
from .page_weight import BUDGET_BYTES, heaviest_page
from .servers import Lab, LabError, Origins, free_port, loopback_port, wait_until_up

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = PROJECT_ROOT / "bench" / "results.md"

REPETITIONS = 5
# Each load run stops at whichever comes first; together they keep the benchmark near a minute.
REQUESTS_PER_RUN = 3000
SECONDS_PER_RUN = 2.0
WARM_UP_REQUESTS = 300
# Fewer clients than the API's 2 workers x 4 threads: latency without queueing in gunicorn.
CORS_CLIENT_THREADS = 4
# As many clients as gunicorn has request threads: both servers kept busy.
SERVER_CLIENT_THREADS = 8
BROWSER_SERIES_LENGTH = 20
FLASK_CORS_P50_GOAL = 1.10
FIRST_PAINT_GOAL_MS = 200

# Identical requests apart from the path, so that only the server's CORS work differs.
BARE = "bare `/no-cors`"
CORS_ENDPOINTS = {
    BARE: "/no-cors",
    "flask-cors `/simple`": "/simple",
    "`/lab?acao=echo`": "/lab?acao=echo",
}


@dataclass(frozen=True)
class Row:
    measurement: str
    baseline: str
    compared: str
    ratios: list
    goal: str = ""


def paired_row(measurement, baseline, compared, show, goal=""):
    """A row from two lists of values, one per repetition, measured back to back in pairs."""
    return Row(
        measurement,
        show(statistics.median(baseline)),
        show(statistics.median(compared)),
        [c / b for c, b in zip(compared, baseline)],
        goal,
    )


def milliseconds(seconds):
    return f"{seconds * 1000:.2f} ms"


def requests_per_second(rate):
    return f"{rate:.0f} req/s"


def each_repetition_in_turn(names):
    """Every repetition measures every name, starting with a different one each time, so that
    none of them always runs first (on a cold cache) or last (after the others heated the CPU)."""
    for repetition in range(REPETITIONS):
        shift = repetition % len(names)
        yield names[shift:] + names[:shift]


# 1 and 3: a load generator -----------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    latencies: list  # seconds, sorted
    elapsed: float  # seconds of the whole run

    def percentile(self, fraction):
        """Nearest rank: a latency that some request actually had."""
        return self.latencies[max(1, math.ceil(fraction * len(self.latencies))) - 1]

    @property
    def p50(self):
        return self.percentile(0.50)

    @property
    def p99(self):
        return self.percentile(0.99)

    @property
    def throughput(self):
        return len(self.latencies) / self.elapsed


@contextmanager
def keep_alive_connections(port, count):
    """``count`` connections to 127.0.0.1:``port``, opened before any clock starts."""
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(count)]
    try:
        for connection in connections:
            connection.connect()
        yield connections
    finally:
        for connection in connections:
            connection.close()


def send_requests(connection, paths, headers, count, seconds, go, stop, first):
    """One client thread: up to ``count`` GETs on ``connection`` for at most ``seconds``, to each
    of ``paths`` in turn from index ``first``. Returns each path's latencies, and the errors."""
    latencies = {path: [] for path in paths}
    errors = 0
    go.wait()
    deadline = time.perf_counter() + seconds
    for number in range(count):
        if stop.is_set() or time.perf_counter() > deadline:
            break
        path = paths[(first + number) % len(paths)]
        sent = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()  # http.client opens a new connection on the next request
            continue
        if response.status == 200:
            latencies[path].append(time.perf_counter() - sent)
        else:
            errors += 1
    return latencies, errors


def run_load(connections, paths, headers, *, requests=REQUESTS_PER_RUN, seconds=SECONDS_PER_RUN):
    """GET ``paths`` in turn, from one thread per keep-alive connection, until ``requests`` have
    been sent in all or ``seconds`` have passed, whichever comes first. A LoadResult per path."""
    threads = len(connections)
    go, stop = threading.Event(), threading.Event()
    outcomes = [None] * threads

    def client(index):
        # Each thread starts on another path, so that all of them are in flight at every moment.
        outcomes[index] = send_requests(
            connections[index], paths, headers, requests // threads, seconds, go, stop, index % len(paths)
        )

    clients = [threading.Thread(target=client, args=(index,)) for index in range(threads)]
    for thread in clients:
        thread.start()
    started = time.perf_counter()
    go.set()
    try:
        for thread in clients:
            thread.join()
    finally:
        stop.set()  # after Ctrl-C too: the threads end before the caller closes their connections
        for thread in clients:
            thread.join()
    elapsed = time.perf_counter() - started
    errors = sum(thread_errors for _, thread_errors in outcomes)
    if errors > requests // 100:
        raise LabError(f"GET {', '.join(paths)}: {errors} requests failed")
    return {
        path: LoadResult(sorted(latency for latencies, _ in outcomes for latency in latencies[path]), elapsed)
        for path in paths
    }


def load_one_path(connections, path, headers, **limits):
    return run_load(connections, (path,), headers, **limits)[path]


def check_cors_endpoints(origins):
    """Fail before measuring if an endpoint does not answer the way the comparison assumes."""
    for name, path in CORS_ENDPOINTS.items():
        request = urllib.request.Request(f"{origins.api}{path}", headers={"Origin": origins.trusted})
        with urllib.request.urlopen(request, timeout=10) as response:
            allow_origin = response.headers.get("Access-Control-Allow-Origin")
        expected = None if name == BARE else origins.trusted
        if allow_origin != expected:
            raise LabError(
                f"{path} answered Access-Control-Allow-Origin: {allow_origin!r} to Origin {origins.trusted}, "
                f"expected {expected!r}: is LAB_ALLOWED_ORIGINS set in the environment?"
            )


def measure_cors_overhead(origins):
    """Part 1: the same GET bare, through flask-cors and through /lab, on the lab's gunicorn API."""
    check_cors_endpoints(origins)
    port = loopback_port(origins.api)
    # Never run= in the URL: the wire log would write to SQLite, and that is not what we measure.
    headers = {"Origin": origins.trusted}
    paths = tuple(CORS_ENDPOINTS.values())
    names = list(CORS_ENDPOINTS)
    latencies = {name: [] for name in names}
    throughputs = {name: [] for name in names}
    with keep_alive_connections(port, CORS_CLIENT_THREADS) as connections:
        run_load(connections, paths, headers, requests=WARM_UP_REQUESTS)
    for order in each_repetition_in_turn(names):
        # Fresh connections each repetition, shared by all its runs: the kernel decides which
        # gunicorn worker gets each one, and an uneven split changes every run of the repetition.
        with keep_alive_connections(port, CORS_CLIENT_THREADS) as connections:
            interleaved = run_load(connections, paths, headers)
            for name in names:
                latencies[name].append(interleaved[CORS_ENDPOINTS[name]])
            for name in order:
                throughputs[name].append(load_one_path(connections, CORS_ENDPOINTS[name], headers).throughput)
    rows = []
    for name in names[1:]:
        versus = f"API, {CORS_CLIENT_THREADS} clients, {name} vs {BARE}"
        p50s = ([result.p50 for result in latencies[BARE]], [result.p50 for result in latencies[name]])
        p99s = ([result.p99 for result in latencies[BARE]], [result.p99 for result in latencies[name]])
        rows += [
            paired_row(f"{versus}: p50 latency", *p50s, milliseconds),
            paired_row(f"{versus}: p99 latency", *p99s, milliseconds),
            paired_row(f"{versus}: throughput", throughputs[BARE], throughputs[name], requests_per_second),
        ]
    flask_cors_p50 = rows[0]
    met = statistics.median(flask_cors_p50.ratios) <= FLASK_CORS_P50_GOAL
    rows[0] = replace(flask_cors_p50, goal=f"≤ {FLASK_CORS_P50_GOAL:.2f}x: {'met' if met else 'MISSED'}")
    return rows


# 2: preflights in Chromium ------------------------------------------------------------------

# Runs in the page: sequential fetches, each timed from the call to the end of the body.
FETCH_SERIES = """
async ({url, method, headers, count}) => {
  const times = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    const response = await fetch(url, {method, headers});
    await response.text();
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}`);
    times.push(performance.now() - sent);
  }
  return {times, total: performance.now() - started};
}
"""


@dataclass(frozen=True)
class BrowserRequest:
    method: str
    query: str
    headers: dict


def preflighted_put(max_age):
    # X-Lab-Token makes the PUT need a preflight, which must allow that header (acah) to succeed.
    return BrowserRequest("PUT", f"acao=echo&acam=PUT&acah=X-Lab-Token&max_age={max_age}", {"X-Lab-Token": "bench"})


SIMPLE_GET = "simple GET"
UNCACHED_PUT = "PUT, max_age=0"
CACHED_PUT = "PUT, max_age=600"
BROWSER_SERIES = {
    SIMPLE_GET: BrowserRequest("GET", "acao=echo", {}),
    UNCACHED_PUT: preflighted_put(0),
    CACHED_PUT: preflighted_put(600),
}


@dataclass(frozen=True)
class SeriesResult:
    times: list  # ms, one per request
    total: float  # ms
    methods: Counter  # what reached the API, from /log

    @property
    def round_trips_per_request(self):
        return sum(self.methods.values()) / len(self.times)


def read_log(origins, run):
    with urllib.request.urlopen(f"{origins.api}/log?run={run}", timeout=10) as response:
        return json.load(response)["entries"]


def fetch_series(page, origins, request, run=None):
    """BROWSER_SERIES_LENGTH fetches of one URL; a fresh ``run`` makes a URL no preflight cache has seen."""
    url = f"{origins.api}/lab?{request.query}" + (f"&run={run}" if run else "")
    return page.evaluate(
        FETCH_SERIES,
        {"url": url, "method": request.method, "headers": request.headers, "count": BROWSER_SERIES_LENGTH},
    )


def measure_series(page, origins, request):
    run = f"bench-{secrets.token_hex(8)}"
    timing = fetch_series(page, origins, request, run)
    methods = Counter(entry["method"] for entry in read_log(origins, run))
    return SeriesResult(timing["times"], timing["total"], methods)


def launch_chromium(playwright):
    executable = executable_for_tests(playwright.chromium)
    return playwright.chromium.launch(headless=True, **({"executable_path": executable} if executable else {}))


def first_contentful_paints(browser, origins):
    """The index's first contentful paint (Performance API), in ms, once per repetition, each
    load in a fresh context so nothing comes from the browser's cache."""
    paints = []
    for _ in range(REPETITIONS + 1):  # the first load warms the servers up and is left out
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{origins.trusted}/")
        page.wait_for_selector("body[data-ready=true]")
        paints.append(page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime"))
        context.close()
    return paints[1:]


def run_browser_series(origins):
    """Every series of BROWSER_SERIES, REPETITIONS times, from a page on the trusted origin, and
    the index's first contentful paints."""
    from playwright.sync_api import sync_playwright

    results = {name: [] for name in BROWSER_SERIES}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.goto(f"{origins.trusted}/")
            for request in BROWSER_SERIES.values():
                fetch_series(page, origins, request)  # warm-up: connections open, code compiled
            for order in each_repetition_in_turn(list(BROWSER_SERIES)):
                for name in order:
                    results[name].append(measure_series(page, origins, BROWSER_SERIES[name]))
            return browser.version, results, first_contentful_paints(browser, origins)
        finally:
            browser.close()


def expectation(met, text):
    return f"{text}: {'met' if met else 'NOT MET'}"


def measure_preflights(origins):
    """Part 2: preflighted against simple requests, and the preflight cache, in Chromium."""
    chromium_version, results, paints = run_browser_series(origins)
    simple, uncached, cached = results[SIMPLE_GET], results[UNCACHED_PUT], results[CACHED_PUT]
    n = BROWSER_SERIES_LENGTH
    simple_trips = [series.round_trips_per_request for series in simple]
    preflighted_trips = [series.round_trips_per_request for series in uncached]
    uncached_options = [series.methods["OPTIONS"] for series in uncached]
    cached_options = [series.methods["OPTIONS"] for series in cached]
    rows = [
        paired_row(
            "Chromium: round trips per request, preflighted PUT vs simple GET",
            simple_trips,
            preflighted_trips,
            "{:.2f}".format,
            expectation(set(simple_trips) == {1} and set(preflighted_trips) == {2}, "2 vs 1 expected"),
        ),
        paired_row(
            "Chromium: time per request (median in the page), preflighted PUT vs simple GET",
            [statistics.median(series.times) for series in simple],
            [statistics.median(series.times) for series in uncached],
            "{:.2f} ms".format,
        ),
        paired_row(
            f"Chromium: OPTIONS for {n} PUTs to one URL, max_age=600 vs max_age=0",
            uncached_options,
            cached_options,
            "{:g}".format,
            expectation(set(cached_options) == {1} and set(uncached_options) == {n}, f"1 vs {n} expected"),
        ),
        paired_row(
            f"Chromium: total time for {n} PUTs, max_age=600 vs max_age=0",
            [series.total for series in uncached],
            [series.total for series in cached],
            "{:.1f} ms".format,
        ),
        paired_row(
            "Chromium: the index's first contentful paint on loopback vs the goal",
            [FIRST_PAINT_GOAL_MS] * len(paints),
            paints,
            "{:.0f} ms".format,
            expectation(statistics.median(paints) < FIRST_PAINT_GOAL_MS, f"under {FIRST_PAINT_GOAL_MS} ms"),
        ),
    ]
    return chromium_version, rows


def page_weight_row():
    """The heaviest page's JS and CSS, unminified, against the budget: the same in every run."""
    page, total = heaviest_page()
    return paired_row(
        f"Page weight: the JS and CSS of the heaviest page ({page}), unminified, vs the budget",
        [BUDGET_BYTES],
        [total],
        lambda size: f"{size / 1024:.1f} KiB",
        expectation(total < BUDGET_BYTES, "under 100 KiB"),
    )


# 3: gunicorn against Flask's development server ---------------------------------------------


def serve_with_flask_dev_server(port, allowed_origin, log_db):
    """The body of the child process that runs the API on Flask's threaded development server."""
    from werkzeug.serving import make_server

    from api_server import create_app
    from lab_contract import origins_from_environment

    # Clients call it as 127.0.0.1:port, the Host the API then answers (it refuses any other).
    origins = {"api_origin": f"http://localhost:{port}", "api_alias_origin": f"http://127.0.0.1:{port}"}
    app = create_app({"ALLOWED_ORIGINS": [allowed_origin], "LOG_DB": log_db, "LAB_ORIGINS": origins_from_environment() | origins})
    make_server("127.0.0.1", int(port), app, threaded=True).serve_forever()


@contextmanager
def flask_dev_server(allowed_origin, log_db, output):
    """The API on Flask's development server, in its own process (a thread here would share the
    load generator's GIL); yields its port and always stops it."""
    port = free_port()
    command = [
        sys.executable, "-c",
        "import sys; from labctl.bench import serve_with_flask_dev_server as serve; serve(*sys.argv[1:])",
        str(port), allowed_origin, str(log_db),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=output, stderr=output)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, timeout=30)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure_servers(origins, log_db, output):
    """Part 3: throughput of GET /simple with an allowed Origin, gunicorn against the dev server."""
    headers = {"Origin": origins.trusted}
    with flask_dev_server(origins.trusted, log_db, output) as dev_port:
        ports = {"dev server": dev_port, "gunicorn": loopback_port(origins.api)}
        for port in ports.values():
            with keep_alive_connections(port, SERVER_CLIENT_THREADS) as connections:
                load_one_path(connections, "/simple", headers, requests=WARM_UP_REQUESTS)
        throughputs = {name: [] for name in ports}
        for order in each_repetition_in_turn(list(ports)):
            for name in order:
                with keep_alive_connections(ports[name], SERVER_CLIENT_THREADS) as connections:
                    throughputs[name].append(load_one_path(connections, "/simple", headers).throughput)
    return [
        paired_row(
            f"API, {SERVER_CLIENT_THREADS} clients, `/simple`: throughput, gunicorn (the lab's workers) "
            "vs Flask dev server (threaded)",
            throughputs["dev server"],
            throughputs["gunicorn"],
            requests_per_second,
        )
    ]


# The report ---------------------------------------------------------------------------------


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass  # not Linux: fall back to what the platform module knows
    return platform.processor() or "unknown CPU"


def machine_description(chromium_version, load_before, load_after):
    packages = ", ".join(f"{name} {version(name)}" for name in ("flask", "flask-cors", "werkzeug", "gunicorn"))
    return [
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"load average {load_before:.2f} before, {load_after:.2f} after (other work widens the ranges)",
        f"- Python {platform.python_version()}; {packages}; Chromium {chromium_version}",
        f"- Date: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Baseline and Compared: medians of {REPETITIONS} repetitions. Ratio: Compared / Baseline within each "
        "repetition (measured back to back); the median, and the range over the repetitions.",
        f"- API load: each run stops after {REQUESTS_PER_RUN} requests or {SECONDS_PER_RUN:g} s. Latencies come "
        "from one run that sends the three endpoints' requests in turn; throughputs from one run per endpoint.",
    ]


def markdown_table(rows):
    lines = [
        "| Measurement | Baseline | Compared | Ratio, median (range) | Goal |",
        "|---|---:|---:|---:|---|",
    ]
    for row in rows:
        ratio = f"{statistics.median(row.ratios):.2f}x ({min(row.ratios):.2f}–{max(row.ratios):.2f})"
        lines.append(f"| {row.measurement} | {row.baseline} | {row.compared} | {ratio} | {row.goal} |")
    return lines


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
    header = machine_description(chromium_version, load_before, os.getloadavg()[0])
    return "\n".join(["# CORS lab benchmark", "", *header, "", *markdown_table(rows)]) + "\n"


def main():
    # Ctrl-C works even where the shell started us with SIGINT ignored, and SIGTERM (a cancelled
    # make or CI job) stops the servers as cleanly as Ctrl-C does.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    try:
        report = run_benchmarks()
    except KeyboardInterrupt:
        progress("Interrupted; the servers are stopped.")
        return 130
    except (LabError, BrowserMissing) as error:
        progress(f"bench: {error}")
        return 1
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(report)
    print(report, end="")
    progress(f"Written to {RESULTS_FILE.relative_to(PROJECT_ROOT)} in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
