"""Errors as JSON: a stable machine-readable ``error`` code and an English ``message``."""

from flask import current_app, jsonify
from werkzeug.exceptions import HTTPException


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


def _bad_parameter(error):
    return error_response(400, error.code, error.message, parameter=error.parameter)


def _http_error(error):
    code = (error.name or "error").lower().replace(" ", "_")
    response = error_response(error.code, code, error.description)
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def _unexpected_error(error):
    # Never leak a traceback to the page; the server log has it.
    current_app.logger.exception("unexpected error")
    return error_response(500, "internal_error", "The API failed unexpectedly; see the server log.")


def init_app(app):
    app.register_error_handler(BadParameter, _bad_parameter)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
