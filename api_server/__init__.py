"""The API origin of the CORS lab: lesson endpoints, /lab, /jsonp, the security lab and the wire log."""

import io

from flask import Flask, abort, current_app, request

from lab_contract import api_origins, hosts, refuse_foreign_hosts

from . import (
    auth,
    auth_without_credentials,
    baseline,
    config,
    cors,
    credentials,
    errors,
    jsonp,
    lab,
    lessons,
    log_hook,
    log_view,
    security,
    storage,
)


def reject_large_bodies():
    """Reads the whole body before any view runs, or refuses it: 413 over MAX_CONTENT_LENGTH,
    counted or chunked alike; 400 if it ends before its Content-Length. Views then read the
    cached copy (``request.get_data()``)."""
    # MAX_CONTENT_LENGTH alone acts only when a view reads the body, and then cuts a chunked
    # body at the limit instead of refusing it; and gunicorn hands over a body shorter than its
    # Content-Length (the client stopped sending) as if it were whole.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    declared = request.content_length
    if declared is not None and declared > limit:
        abort(413, f"The request body is larger than {limit} bytes.")
    if declared is None and not request.environ.get("wsgi.input_terminated"):
        return  # no body: without a length, only a stream that the server ends may be read
    wanted = limit + 1 if declared is None else declared
    source = request.environ["wsgi.input"]
    chunks, size = [], 0
    try:
        while size < wanted:
            chunk = source.read(min(64 * 1024, wanted - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except Exception:  # the server's own errors for a broken body (gunicorn: NoMoreData, InvalidChunkSize...)
        abort(400, "The request body could not be read.")
    if size > limit:
        abort(413, f"The request body is larger than {limit} bytes.")
    if declared is not None and size < declared:
        abort(400, f"The request body ended after {size} of the {declared} bytes its Content-Length announced.")
    request.environ["wsgi.input"] = io.BytesIO(b"".join(chunks))
    request.get_data()  # cached: every later get_data() and form parsing read this copy


def create_app(config_overrides=None):
    """The API app: defaults, then LAB_* environment variables, then ``config_overrides``."""
    app = Flask(__name__)
    config.configure(app, config_overrides)
    storage.init_app(app)
    security.remember_key(app)
    errors.init_app(app)
    log_hook.init_app(app)  # registered first, so it runs last and sees the final headers
    cors.init_app(app)
    app.before_request(reject_large_bodies)
    for blueprint in (
        lessons.bp,
        credentials.bp,
        auth.bp,
        auth_without_credentials.bp,
        baseline.bp,
        jsonp.bp,
        lab.bp,
        log_view.bp,
        security.bp,
    ):
        app.register_blueprint(blueprint)
    # DNS rebinding: another site's name pointed at 127.0.0.1 brings its own Host; refused here.
    app.wsgi_app = refuse_foreign_hosts(app.wsgi_app, hosts(api_origins(app.config["LAB_ORIGINS"])))
    return app
