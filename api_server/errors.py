"""Errors as JSON: a stable machine-readable ``error`` code and an English ``message``.

One code per kind of failure: ``invalid_parameter`` (and the finer codes views give to
BadParameter, e.g. ``malformed_json``) for a 400 naming the ``parameter``; for an HTTP error,
werkzeug's name in snake case (``not_found``, ``method_not_allowed``,
``request_entity_too_large``); and ``internal_error`` for every 500, whether a view raised,
a hook raised or something called ``abort(500)``.

The only HTML the API makes besides /baseline is werkzeug's: the "Redirecting..." page of its
router (``//simple`` to ``/simple``, which never reaches the handlers here). Every HTML answer
without a Content-Security-Policy of its own gets the inert one (lab_contract) and ``nosniff``,
so nothing in it can run.
"""

import re

from flask import current_app, jsonify
from werkzeug.exceptions import HTTPException

from lab_contract import INERT_CONTENT_SECURITY_POLICY

INTERNAL_ERROR = "internal_error"


class BadParameter(Exception):
    """A request parameter the API cannot use: answered 400, naming the parameter."""

    def __init__(self, parameter, message, code="invalid_parameter"):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.code = code


def error_response(status, code, message, **extra):
    response = jsonify(error=code, message=message, **extra)
    response.status_code = status
    return response


def internal_error_response():
    # Never leak a traceback to the page; the server log has it.
    return error_response(500, INTERNAL_ERROR, "The API failed unexpectedly; see the server log.")


def _bad_parameter(error):
    return error_response(400, error.code, error.message, parameter=error.parameter)


def http_error_code(error):
    """``Method Not Allowed`` -> ``method_not_allowed``."""
    return re.sub(r"[^a-z0-9]+", "_", (error.name or "error").lower()).strip("_")


def _http_error(error):
    if error.code == 500:
        # Flask answers an exception raised outside a view (in an after_request hook, say) with
        # InternalServerError, after logging it: the same kind of failure as _unexpected_error.
        return internal_error_response()
    response = error_response(error.code, http_error_code(error), error.description)
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def _unexpected_error(error):
    current_app.logger.exception("unexpected error")
    return internal_error_response()


def inert_html(response):
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", INERT_CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def init_app(app):
    app.after_request(inert_html)
    app.register_error_handler(BadParameter, _bad_parameter)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
