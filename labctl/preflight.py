"""The doctor's ``--preflight-only``: the OPTIONS a browser would send for a request, sent from Python,
never following a redirect. Which preflight (if any) a browser sends is the lab's model's answer
(static/js/model/explain-observed.js: ``preflightRequest``); this module writes it as Chromium does,
Access-Control-Request-Headers lower case, sorted, comma-separated without spaces
(tests/e2e/test_doctor.py compares it with Chromium's own preflight), and sends it.
"""

import contextlib
import socket
import threading
from http.client import HTTPConnection, HTTPException, HTTPSConnection, RemoteDisconnected
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


class PreflightError(Exception):
    """No usable answer to the preflight: nothing answered, not HTTP, or not in time."""


BODY_LIMIT = 2000  # characters of the answer's body kept


def send_preflight(url, request, timeout=10):
    """Sends the OPTIONS (never following a redirect): (status, {name: value}, repeated values joined
    with ", " as the browser reads them, the start of the body as text). ``timeout``: seconds for the whole exchange, however
    slowly the answer trickles in (the connection is shut then). PreflightError says what failed."""
    parts = urlsplit(url)
    connection = (HTTPSConnection if parts.scheme == "https" else HTTPConnection)(parts.netloc, timeout=timeout)
    expired = threading.Event()

    def expire():
        expired.set()
        if connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(timeout, expire)
    timer.start()
    try:
        connection.request("OPTIONS", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers=request)
        response = connection.getresponse()
        headers = {}
        for name, value in response.getheaders():
            known = next((key for key in headers if key.lower() == name.lower()), name)
            headers[known] = f"{headers[known]}, {value}" if known in headers else value
        body = response.read(BODY_LIMIT * 4).decode("utf-8", "replace")[:BODY_LIMIT]
        return response.status, headers, body
    except (OSError, HTTPException) as error:
        if expired.is_set() or isinstance(error, TimeoutError):
            raise PreflightError(f"no whole answer to the preflight within {timeout:g} s (--timeout)") from None
        if isinstance(error, HTTPException) and not isinstance(error, RemoteDisconnected):
            kind = type(error).__name__
            raise PreflightError(f"the answer to the preflight is not valid HTTP ({kind}: {error})") from None
        raise PreflightError(f"did not answer the preflight ({error}): is the server running?") from None
    finally:
        timer.cancel()
        connection.close()
