"""What the lab changes in gunicorn itself, for both servers (see servers.py).

- ``AccessLog``, the access log's logger class (``--logger-class``): every URL it writes, the
  request line, the query, the referrer and any header, shows ``lab_key=(not recorded)`` and never
  the running lab's key, as /log does (lab_contract.without_key_parameter).
- ``json_error_pages()``: the answers gunicorn writes itself before any app runs (a malformed
  request line, too many or too long headers, a bad chunk) are JSON, ``{"error": ..., "message":
  ...}`` like the API's, with ``X-Content-Type-Options: nosniff`` and the lab's inert
  Content-Security-Policy, instead of gunicorn's HTML page.
"""

import json
import os
import re

from gunicorn import glogging, util

from lab_contract import INERT_CONTENT_SECURITY_POLICY, LAB_KEY_VARIABLE, without_key, without_key_parameter


def without_lab_key(url, lab_key):
    """A URL (absolute or a path) without the lab key in its path or its query."""
    head, question, query = url.partition("?")
    return without_key(head, lab_key) + (question + without_key_parameter(query, lab_key) if question else "")


class AccessLog(glogging.Logger):
    def atoms(self, resp, req, environ, request_time):
        lab_key = os.environ.get(LAB_KEY_VARIABLE)
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if not isinstance(value, str):
                continue
            if name == "r":  # METHOD TARGET PROTOCOL
                method, _, rest = value.partition(" ")
                target, _, protocol = rest.rpartition(" ")
                atoms[name] = f"{without_key(method, lab_key)} {without_lab_key(target, lab_key)} {protocol}"
            elif name == "q":
                atoms[name] = without_key_parameter(value, lab_key)
            else:
                atoms[name] = without_lab_key(value, lab_key)
        return atoms


def error_code(reason):
    """``Bad Request`` -> ``bad_request``, as the API names HTTP errors (api_server/errors.py)."""
    return re.sub(r"[^a-z0-9]+", "_", reason.lower()).strip("_")


def write_json_error(sock, status_int, reason, mesg):
    body = json.dumps({"error": error_code(reason), "message": mesg or reason}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Security-Policy: {INERT_CONTENT_SECURITY_POLICY}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def json_error_pages():
    """Make gunicorn write its own error answers as JSON (its workers call util.write_error)."""
    util.write_error = write_json_error
