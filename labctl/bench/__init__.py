"""``python -m labctl.bench``: what CORS costs in the lab, measured as ratios in one run.

Three comparisons, each of a variant against a baseline, on the lab's own servers on free
loopback ports:

1. CORS on the API under gunicorn (``cors``). The same trivial GET, with the same allowed Origin
   header, served bare (``/no-cors``: no CORS code at all), by flask-cors (``/simple``) and by
   ``/lab?acao=echo`` (the lab's own CORS code). The load generator (``load``: threads, one
   keep-alive connection each) measures latency p50 and p99 and throughput, each as a ratio to
   bare. The goal: flask-cors p50 at most 1.10x bare.
2. Preflights in a real Chromium (``chromium``), from a page on the trusted origin: a preflighted
   PUT against a simple GET, in round trips (counted in the API's wire log) and time per request
   (measured in the page); then 20 PUTs to one URL with Access-Control-Max-Age 600 (one
   preflight, then the browser's preflight cache) against max-age 0 (a preflight before every
   PUT); and the index's first contentful paint.
3. gunicorn, with the workers the lab runs, against Flask's threaded development server
   (``devserver``): throughput of ``/simple`` at a fixed concurrency.

Plus the page weight of the heaviest page against its budget.

Why ratios: on a shared or small machine the absolute numbers move with whatever else runs,
this load generator included, which competes with the servers for the same cores. A baseline
and its variant measured back to back see nearly the same conditions, so each repetition gives
one ratio; the table quotes the median ratio of several repetitions and their range (``report``).
Latencies go further: one run sends the three endpoints' requests in turn on the same
connections, so every endpoint meets the same moments of load. Read the ratios; the
milliseconds only say what this machine did today.

The table is printed and written to bench/results.md.
"""
