"""Part 2: preflights in a real Chromium, from a page on the trusted origin: a preflighted PUT
against a simple GET, the preflight cache (Max-Age), and the index's first contentful paint."""

import json
import secrets
import statistics
import urllib.request
from collections import Counter
from dataclasses import dataclass

from ..browser import launch_options
from .report import REPETITIONS, each_repetition_in_turn, expectation, paired_row

SERIES_LENGTH = 20
FIRST_PAINT_GOAL_MS = 200

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
SERIES = {
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
    with urllib.request.urlopen(f"{origins.api_origin}/log?run={run}", timeout=10) as response:
        return json.load(response)["entries"]


def fetch_series(page, origins, request, run=None):
    """SERIES_LENGTH fetches of one URL; a fresh ``run`` makes a URL no preflight cache has seen."""
    url = f"{origins.api_origin}/lab?{request.query}" + (f"&run={run}" if run else "")
    return page.evaluate(
        FETCH_SERIES,
        {"url": url, "method": request.method, "headers": request.headers, "count": SERIES_LENGTH},
    )


def measure_series(page, origins, request):
    run = f"bench-{secrets.token_hex(8)}"
    timing = fetch_series(page, origins, request, run)
    methods = Counter(entry["method"] for entry in read_log(origins, run))
    return SeriesResult(timing["times"], timing["total"], methods)


def launch_chromium(playwright):
    return playwright.chromium.launch(headless=True, **launch_options(playwright.chromium))


def first_contentful_paints(browser, origins):
    """The index's first contentful paint (Performance API), in ms, once per repetition, each
    load in a fresh context so nothing comes from the browser's cache."""
    paints = []
    for _ in range(REPETITIONS + 1):  # the first load warms the servers up and is left out
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{origins.trusted_origin}/")
        page.wait_for_selector("body[data-ready=true]")
        paints.append(page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime"))
        context.close()
    return paints[1:]


def run_series(origins):
    """Every series of SERIES, REPETITIONS times, from a page on the trusted origin, and the
    index's first contentful paints."""
    from playwright.sync_api import sync_playwright

    results = {name: [] for name in SERIES}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.goto(f"{origins.trusted_origin}/")
            for request in SERIES.values():
                fetch_series(page, origins, request)  # warm-up: connections open, code compiled
            for order in each_repetition_in_turn(list(SERIES)):
                for name in order:
                    results[name].append(measure_series(page, origins, SERIES[name]))
            return browser.version, results, first_contentful_paints(browser, origins)
        finally:
            browser.close()


def measure_preflights(origins):
    """Preflighted against simple requests, and the preflight cache: Chromium's version, and rows."""
    chromium_version, results, paints = run_series(origins)
    simple, uncached, cached = results[SIMPLE_GET], results[UNCACHED_PUT], results[CACHED_PUT]
    n = SERIES_LENGTH
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
