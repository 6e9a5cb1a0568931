"""The doctor's ``--preflight-only``: the OPTIONS a browser would send for a request, sent from Python,
never following a redirect. Which preflight (if any) a browser sends is the lab's model's answer
(static/js/model/explain-observed.js: ``preflightRequest``); this module writes it as Chromium does,
Access-Control-Request-Headers lower case, sorted, comma-separated without spaces
(tests/e2e/test_doctor.py compares it with Chromium's own preflight), and sends it.
"""

from http.client import HTTPConnection, HTTPSConnection
from urllib.parse import urlsplit


def preflight_headers(origin, model_preflight):
    """The headers of the preflight the model says a browser sends (``{"method", "headers"}``, the
    request header names comma-separated), or None when it sends none."""
    if not model_preflight:
        return None
    request = {
        "Origin": origin,
        "Access-Control-Request-Method": model_preflight["method"],
        "Accept": "*/*",
        "Sec-Fetch-Mode": "cors",
    }
    if model_preflight["headers"]:
        request["Access-Control-Request-Headers"] = model_preflight["headers"]
    return request


def send_preflight(url, request, timeout=10):
    """Sends the OPTIONS (never following a redirect): (status, {name: value}, repeated values joined
    with ", " as the browser reads them). OSError when nothing answers."""
    parts = urlsplit(url)
    connection = (HTTPSConnection if parts.scheme == "https" else HTTPConnection)(parts.netloc, timeout=timeout)
    try:
        connection.request("OPTIONS", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers=request)
        response = connection.getresponse()
        headers = {}
        for name, value in response.getheaders():
            known = next((key for key in headers if key.lower() == name.lower()), name)
            headers[known] = f"{headers[known]}, {value}" if known in headers else value
        return response.status, headers
    finally:
        connection.close()
