"""The API origin of the CORS lab: lesson endpoints, /lab, /jsonp, the security lab and the wire log."""

from flask import Flask, abort, current_app, request

from . import config, cors, credentials, errors, jsonp, lab, lessons, log_hook, log_view, security, storage


def reject_large_bodies():
    # MAX_CONTENT_LENGTH only acts when a view reads the body; this answers 413 on every endpoint.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        abort(413, f"The request body is larger than {limit} bytes.")


def create_app(config_overrides=None):
    """The API app: defaults, then LAB_* environment variables, then ``config_overrides``."""
    app = Flask(__name__)
    config.configure(app, config_overrides)
    storage.init_app(app)
    errors.init_app(app)
    log_hook.init_app(app)  # registered first, so it runs last and sees the final headers
    cors.init_app(app)
    app.before_request(reject_large_bodies)
    for blueprint in (lessons.bp, credentials.bp, jsonp.bp, lab.bp, log_view.bp, security.bp):
        app.register_blueprint(blueprint)
    return app
