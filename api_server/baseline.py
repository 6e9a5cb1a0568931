"""``GET /baseline`` and ``GET /baseline.js``: the same-origin baseline of the experiments page.

The note: 「CORS通信与同源的AJAX通信没有差别，代码完全一样」. The experiments page (on a lab page
origin) embeds /baseline in a hidden iframe; the page asks it by postMessage to send the same
requests to the API's own origin that the page then sends cross-origin, so one wire log shows
both: no Origin on the same-origin GET, no preflight before the same-origin PUT.

The only HTML the API serves. It is a constant: nothing is substituted into it, from the request
or from anywhere (baseline.js carries the page origins, from the lab's configuration). Its Content-Security-Policy allows scripts from this
origin only (/baseline.js, also fixed), requests to this origin only, and framing by the lab's
page origins only; baseline.js acts only on messages from its parent on a lab page origin, and
sends only its own fixed requests, tagged with a run id it checks.
"""

import json

from flask import Blueprint, Response, current_app

from lab_contract import page_origins

bp = Blueprint("baseline", __name__)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CORS lab: the same-origin baseline</title>
<link rel="icon" href="data:,">
<script src="/baseline.js"></script>
</head>
<body>
<p>The same-origin baseline of the CORS lab's experiments page: it sends, from the API's own
origin, the requests the experiments page sends cross-origin. It does nothing unless that page
asks.</p>
</body>
</html>
"""

# The requests are the experiments page's own (catalogues/experiments-breaks.js, baselineRequests),
# sent to this origin: the same code, same-origin.
SCRIPT = r"""'use strict';
(function () {
  var RUN = /^[A-Za-z0-9_-]{1,64}$/;
  var parents = PARENTS;

  function baselineRequests(base, run) {
    var lab = base + '/lab?acao=echo&acam=PUT&acah=content-type&run=' + run;
    return [
      { method: 'GET', url: lab },
      { method: 'PUT', url: lab, headers: { 'Content-Type': 'application/json' }, body: '{"hello":"cors"}' }
    ];
  }

  function send(request) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url);
      Object.keys(request.headers || {}).forEach(function (name) {
        xhr.setRequestHeader(name, request.headers[name]);
      });
      xhr.onloadend = function () {
        resolve({ status: xhr.status, readable: xhr.status !== 0 });
      };
      xhr.send(request.body || null);
    });
  }

  window.addEventListener('message', function (event) {
    if (parents.indexOf(event.origin) < 0 || event.source !== window.parent) return;
    var data = event.data || {};
    if (data.type !== 'run' || typeof data.run !== 'string' || !RUN.test(data.run)) return;
    var results = [];
    baselineRequests(window.location.origin, data.run)
      .reduce(function (chain, request) {
        return chain.then(function () {
          return send(request).then(function (result) { results.push(result); });
        });
      }, Promise.resolve())
      .then(function () {
        window.parent.postMessage({ type: 'baseline-done', run: data.run, results: results }, event.origin);
      });
  });
  parents.forEach(function (origin) {
    window.parent.postMessage({ type: 'baseline-ready' }, origin);
  });
})();
"""


def lab_page_origins():
    return page_origins(current_app.config["LAB_ORIGINS"])


def locked_down(response, frame_ancestors):
    response.headers["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/baseline")
def baseline_page():
    return locked_down(Response(PAGE, mimetype="text/html"), " ".join(lab_page_origins()))


@bp.get("/baseline.js")
def baseline_script():
    # JavaScript, never HTML: the lab's page origins from configuration, as a JSON array.
    script = SCRIPT.replace("PARENTS", json.dumps(lab_page_origins()))
    return locked_down(Response(script, mimetype="text/javascript"), "'none'")
