"""The doctor against known outcomes: the lab's own /lab policies, and a small "user API" of
this test's own with the classic misconfigurations, all on loopback. One Chromium for all, its
probe page on the lab's trusted origin (the doctor's default), mapped to the doctor's own server;
the command line itself runs as a subprocess, as people run it."""

import json
import subprocess
import sys
import threading

import pytest
from flask import Flask, jsonify
from flask_cors import CORS
from werkzeug.serving import make_server

from labctl.doctor import UsageError, diagnose, main, parse, probe_browser
from labctl.servers import free_port


def user_api(origin):
    """An API as people write them: flask-cors on /items, a route with a trailing slash, and a
    proxy that adds Access-Control-Allow-Origin a second time."""
    app = Flask("user_api")
    CORS(app, resources={"/items*": {"origins": [origin], "allow_headers": ["Authorization"]}})

    @app.route("/items/", methods=["GET", "PUT"])
    def items():
        return jsonify(items=[])

    @app.get("/twice")
    def twice():
        response = jsonify(ok=True)
        response.headers.add("Access-Control-Allow-Origin", "*")
        response.headers.add("Access-Control-Allow-Origin", "*")
        return response

    return app


@pytest.fixture(scope="module")
def user_api_url(lab):
    server = make_server("127.0.0.1", free_port(), user_api(lab.trusted))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def doctor_browser(lab, playwright):
    with probe_browser(lab.trusted, playwright) as browser:
        yield browser


@pytest.fixture
def check(doctor_browser, lab):
    return lambda url, *options: diagnose(parse([url, "--origin", lab.trusted, *options]), doctor_browser)


def doctor(*argv):
    """``python -m labctl.doctor ARGV``: (exit status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "labctl.doctor", *argv], capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("query", "options", "readable", "kind", "blocked_on", "console"),
    [
        pytest.param("acao=echo", [], True, None, None, None, id="allowed"),
        pytest.param(
            "acao=none", [], False, "missing-allow-origin", "actual",
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.", id="no-allow-origin",
        ),
        pytest.param(
            "pf_acao=echo&pf_acam=PUT", ["--method", "PUT"], False, "missing-allow-origin", "actual",
            "No 'Access-Control-Allow-Origin' header", id="preflight-passes-answer-lacks-allow-origin",
        ),
        pytest.param(
            "acao=echo", ["--method", "PUT", "--transport", "xhr"], False, "method-disallowed-by-preflight-response",
            "preflight", "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.", id="method-not-allowed",
        ),
        pytest.param(
            "acao=*&acac=true", ["--credentials"], False, "wildcard-origin-not-allowed", "actual",
            "must not be the wildcard '*' when the request's credentials mode is 'include'", id="star-with-credentials",
        ),
    ],
)  # fmt: skip
def test_the_doctor_on_the_labs_policies(
    check, lab, read_log, run_prefix, query, options, readable, kind, blocked_on, console
):
    run = f"{run_prefix}-doctor"
    result = check(f"{lab.api}/lab?{query}&run={run}", *options)
    assert result["readable"] is readable
    assert result.get("kind") == kind
    assert result.get("blocked_on") == blocked_on
    if console:
        assert len(result["console"]) == 1 and console in result["console"][0]
        assert f"from origin '{lab.trusted}'" in result["console"][0]
        assert result["fix"]
    # What the doctor says it saw is what reached the API.
    wire = [(entry["method"], entry["status"]) for entry in read_log(run)]
    seen = [(name, result[key]["status"]) for key, name in (("preflight", "OPTIONS"), ("actual", result["method"]))]
    assert wire == [(method, status) for method, status in seen if status is not None]


@pytest.mark.parametrize(
    ("path", "options", "kind", "parameter"),
    [
        pytest.param(
            "/items", ["--method", "PUT", "--header", "Content-Type: application/json", "--body", "{}"],
            "preflight-disallowed-redirect", None, id="trailing-slash-redirect-on-the-preflight",
        ),
        pytest.param("/twice", [], "multiple-allow-origin-values", None, id="allow-origin-sent-twice"),
        pytest.param(
            "/items/", ["--method", "PUT", "--header", "Content-Type: application/json"], "header-disallowed-by-preflight-response",
            "content-type",
            id="header-not-allowed",
        ),
    ],
)  # fmt: skip
def test_the_doctor_on_a_user_api(check, user_api_url, path, options, kind, parameter):
    result = check(f"{user_api_url}{path}", *options)
    assert result["readable"] is False
    assert result["kind"] == kind
    if parameter:
        assert parameter in result["reasons"][0]


def test_the_doctor_says_a_working_api_is_readable(check, user_api_url, lab):
    result = check(f"{user_api_url}/items/", "--method", "PUT")
    assert result["readable"] is True
    assert result["preflight"]["sent"] and result["preflight"]["status"] == 200
    assert result["actual"]["headers"]["Access-Control-Allow-Origin"] == lab.trusted


def test_a_script_set_authorization_is_named_as_such(check, lab):
    result = check(f"{lab.api}/lab?acao=echo", "--header", "Authorization: Basic eDp5")
    assert result["kind"] == "header-disallowed-by-preflight-response"
    assert any("set by the page's script" in reason for reason in result["reasons"])


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["ftp://example.com/x"], id="not-http"),
        pytest.param(["http://localhost:5000/", "--origin", "https://app.example"], id="https-origin"),
        pytest.param(["http://localhost:5000/", "--header", "no colon"], id="bad-header"),
        pytest.param(["http://localhost:5000/", "--cookie", "nocookie"], id="bad-cookie"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("doctor: ") and err.count("\n") == 1 and "Traceback" not in err


def test_an_unreachable_url_is_exit_2_not_blocked():
    status, _out, err = doctor(f"http://127.0.0.1:{free_port()}/x")
    assert status == 2
    assert err.startswith("doctor: ") and "did not answer" in err and "Traceback" not in err


def test_the_command_line_reports_json_and_exits_1_when_blocked(lab):
    status, out, _err = doctor(f"{lab.api}/lab?acao=none", "--origin", lab.trusted, "--json")
    assert status == 1
    report = json.loads(out)
    expected = {"origin", "url", "method", "preflight", "actual", "readable", "console", "reasons", "fix"}
    assert expected <= set(report)
    assert report["actual"]["sent"] is True and report["actual"]["status"] == 200


def test_usage_from_makes_environment():
    from labctl.doctor import from_environment

    environ = {
        "URL": "http://localhost:5000/a?x=1&y=2",
        "METHOD": "PUT",
        "HEADERS": "A: 1\nB: 'q';x",
        "CREDENTIALS": "1",
    }
    assert from_environment(environ) == [
        "http://localhost:5000/a?x=1&y=2", "--method", "PUT", "--header", "A: 1", "--header", "B: 'q';x", "--credentials",
    ]  # fmt: skip
    with pytest.raises(UsageError):
        from_environment({})


PREFLIGHT_HEADERS = ["--header", "X-Lab-Token: t", "--header", "Content-Type: application/json", "--header", "X-B: 1"]


def preflight_only(capsys, url, *options):
    """``python -m labctl.doctor URL --preflight-only --json OPTIONS`` in this process: (status, report)."""
    status = main([url, "--preflight-only", "--json", *options])
    return status, json.loads(capsys.readouterr().out)


def test_preflight_only_sends_the_preflight_chromium_sends(check, capsys, lab, read_log, run_prefix):
    """The same request from Chromium and with --preflight-only: the same Origin,
    Access-Control-Request-Method and -Headers reach the API, and nothing else does."""
    seen = {}
    for who in ("chromium", "python"):
        run = f"{run_prefix}-preflight-only-{who}"
        url = f"{lab.api}/lab?acao=echo&run={run}"
        if who == "chromium":
            check(url, "--method", "put", *PREFLIGHT_HEADERS)
        else:
            preflight_only(capsys, url, "--origin", lab.trusted, "--method", "put", *PREFLIGHT_HEADERS)
        entries = read_log(run)
        assert [entry["method"] for entry in entries] == ["OPTIONS"]
        names = ("origin", "access-control-request-method", "access-control-request-headers")
        seen[who] = {name: entries[0]["request_headers"].get(name) for name in names}
    assert seen["python"] == seen["chromium"]
    assert seen["python"]["access-control-request-headers"] == "content-type,x-b,x-lab-token"


@pytest.mark.parametrize(
    ("query", "options", "status", "kind"),
    [
        pytest.param("acao=echo&acam=PUT&acah=X-Lab-Token", ["--header", "X-Lab-Token: t"], 0, None, id="passes"),
        pytest.param("acao=none", [], 1, "missing-allow-origin", id="no-allow-origin"),
        pytest.param("acao=echo&acam=PUT&preflight_status=404", [], 1, "preflight-invalid-status", id="status-404"),
        pytest.param("acao=*&acac=true&acam=PUT", ["--credentials"], 1, "wildcard-origin-not-allowed", id="star-credentials"),
        pytest.param("acao=echo", [], 1, "method-disallowed-by-preflight-response", id="method"),
        pytest.param(
            "acao=echo&acam=PUT", ["--header", "X-Lab-Token: t"], 1, "header-disallowed-by-preflight-response", id="header"
        ),
        pytest.param(
            "acao=echo&acam=PUT&redirect=307&redirect_on=preflight&location=/lab%3Facao%3Decho", [], 1,
            "preflight-disallowed-redirect", id="redirect",
        ),
    ],
)  # fmt: skip
def test_preflight_only_concludes_what_chromium_concludes(
    check, capsys, lab, read_log, run_prefix, query, options, status, kind
):
    run = f"{run_prefix}-pf-{kind}"
    url = f"{lab.api}/lab?{query}&run={run}"
    exit_status, report = preflight_only(capsys, url, "--origin", lab.trusted, "--method", "PUT", *options)
    assert (exit_status, report.get("kind"), report["passes"]) == (status, kind, status == 0)
    assert report["preflight"]["sent"] and not report["actual"]["sent"]
    assert [entry["method"] for entry in read_log(run)] == ["OPTIONS"]
    assert report["preflight"]["status"] == read_log(run)[0]["status"]
    browser = check(url, "--method", "PUT", *options)
    if status:
        assert (browser["blocked_on"], browser["kind"]) == ("preflight", kind)
    else:
        assert browser.get("blocked_on") != "preflight"


def test_preflight_only_sends_nothing_when_a_browser_would_not_preflight(capsys, lab, read_log, run_prefix):
    run = f"{run_prefix}-pf-none"
    status, report = preflight_only(capsys, f"{lab.api}/lab?acao=echo&run={run}", "--origin", lab.trusted)
    assert status == 0 and report["passes"] and not report["preflight"]["sent"]
    assert read_log(run) == []


@pytest.mark.parametrize(
    ("method", "headers", "expected"),
    [
        pytest.param("GET", {"Content-Type": "text/plain; charset=utf-8", "Accept": "*/*"}, None, id="simple"),
        pytest.param("post", {}, None, id="post-lower-case-is-post"),
        pytest.param("patch", {}, ("patch", None), id="patch-kept-as-written"),
        pytest.param("GET", {"Accept-Language": "en_US"}, ("GET", "accept-language"), id="language-with-underscore"),
        pytest.param(
            "GET", {"Cookie": "a=1", "X-Z": "1", "x-a": "2"}, ("GET", "x-a,x-z"), id="forbidden-dropped-sorted"
        ),
    ],
)
def test_the_preflight_a_browser_would_send(method, headers, expected):
    from labctl.preflight import preflight_request

    request = preflight_request("http://localhost:8000", method, headers)
    if expected is None:
        assert request is None
    else:
        assert request["Origin"] == "http://localhost:8000"
        assert (request["Access-Control-Request-Method"], request.get("Access-Control-Request-Headers")) == expected


@pytest.mark.parametrize(
    ("url", "public"),
    [
        pytest.param("http://localhost:5000/", False, id="localhost"),
        pytest.param("http://app.localhost/", False, id="dot-localhost"),
        pytest.param("http://127.0.0.1:5000/", False, id="loopback"),
        pytest.param("http://192.168.1.2/", False, id="private"),
        pytest.param("http://[::1]:8001/", False, id="ipv6-loopback"),
        pytest.param("https://app.example.com/", True, id="a-name"),
        pytest.param("http://93.184.216.34/", True, id="public-address"),
    ],
)
def test_which_hosts_are_public(url, public):
    from labctl.doctor import is_public

    assert is_public(url) is public


@pytest.mark.parametrize(("origin", "warned"), [("http://app.example", True), ("http://localhost:3000", False)])
def test_a_public_page_calling_loopback_is_told_about_local_network_access(origin, warned):
    from labctl.doctor import report

    exchange = {"sent": True, "status": 200, "headers": {}}
    seen = {
        "unreachable": None,
        "preflight": exchange,
        "actual": exchange,
        "readable": True,
        "console": [],
        "cors_error": None,
    }
    result = report(parse(["http://127.0.0.1:5000/items", "--origin", origin]), {}, seen)
    assert any("Local Network Access" in reason for reason in result["reasons"]) is warned
