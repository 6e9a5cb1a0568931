"""The doctor against known outcomes: the lab's own /lab policies, and a small "user API" of
this test's own with the classic misconfigurations, all on loopback. One Chromium for all, its
probe page on the lab's trusted origin (the doctor's default), mapped to the doctor's own server;
the command line itself runs as a subprocess, as people run it. The reasons are the lab's model
applied to the headers Chromium received: each case names the rule (a reason of
static/i18n/en.json) it expects, and the model must agree with Chromium (no disagreements)."""

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask import Flask, jsonify
from flask_cors import CORS
from werkzeug.serving import make_server

from frontend_server import STATIC_DIR
from labctl.doctor import (
    UsageError,
    describe,
    diagnose,
    main,
    parse,
    planned_preflight,
    preflight_only,
    probe_browser,
)
from labctl.findings import exit_status
from labctl.servers import free_port
from tests.e2e.conftest import HTTPS_ORIGIN

PROJECT_ROOT = Path(__file__).parents[2]

MESSAGES = json.loads((STATIC_DIR / "i18n" / "en.json").read_text())


def said(key, **params):
    """The reason ``key`` of the model's catalogue, as the doctor prints it with ``params``."""
    return re.sub(r"\{(\w+)\}", lambda found: str(params.get(found[1], found[0])), MESSAGES[key])


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

    @app.get("/broken")
    def broken():  # an error answer outside flask-cors' resources: no CORS headers on it
        return jsonify(error="boom"), 500

    @app.get("/star")
    def star():  # `*` with credentials, written by hand
        return jsonify(ok=True), 200, {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true"}

    @app.get("/no-vary")
    def no_vary():  # the page's origin, written by hand, without Vary: Origin
        return jsonify(ok=True), 200, {"Access-Control-Allow-Origin": origin}

    @app.get("/literally-echo")
    def literally_echo():  # a word the lab's /lab gives a meaning of its own: the model cannot take it literally
        return jsonify(ok=True), 200, {"Access-Control-Allow-Origin": "echo"}

    return app


@pytest.fixture(scope="module")
def user_api_url(lab):
    server = make_server("127.0.0.1", free_port(), user_api(lab.trusted_origin))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def check(doctor_browser, lab):
    return lambda url, *options: diagnose(parse([url, "--origin", lab.trusted_origin, *options]), doctor_browser)


def doctor(*argv):
    """``cors-lab doctor ARGV`` (``python -m labctl``, from this checkout): (exit status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "labctl", "doctor", *argv], capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("query", "options", "readable", "kind", "blocked_on", "console", "rule"),
    [
        pytest.param("acao=echo", [], True, None, None, None, said("reason.response.allowed"), id="allowed"),
        pytest.param(
            "acao=none", [], False, "missing-allow-origin", "actual",
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            said("reason.response.no-acao"), id="no-allow-origin",
        ),
        pytest.param(
            "pf_acao=echo&pf_acam=PUT", ["--method", "PUT"], False, "missing-allow-origin", "actual",
            "No 'Access-Control-Allow-Origin' header", said("reason.response.no-acao"),
            id="preflight-passes-answer-lacks-allow-origin",
        ),
        pytest.param(
            "acao=echo", ["--method", "PUT", "--transport", "xhr"], False, "method-disallowed-by-preflight-response",
            "preflight", "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
            said("reason.preflight.method", method="PUT", listed="-"), id="method-not-allowed",
        ),
        pytest.param(
            "acao=*&acac=true", ["--credentials"], False, "wildcard-origin-not-allowed", "actual",
            "must not be the wildcard '*' when the request's credentials mode is 'include'",
            said("reason.response.star-with-credentials"), id="star-with-credentials",
        ),
        pytest.param(
            "acao=echo&acam=PUT&preflight_status=404", ["--method", "PUT"], False, "preflight-invalid-status", "preflight",
            "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
            said("reason.preflight.status", status=404), id="preflight-404",
        ),
        pytest.param(
            "acao=echo&acac=True", ["--credentials"], False, "invalid-allow-credentials", "actual",
            "is 'True' which must be 'true'", said("reason.response.acac-not-true", value="True"), id="acac-True",
        ),
        pytest.param(
            "acao=echo&redirect=302&location=/lab%3Facao%3Dnone", [], False, "missing-allow-origin", "actual",
            "(redirected from", said("reason.redirect.followed", status=302, location="{lab.api_origin}/lab?acao=none&run={run}"),
            id="redirect-then-no-allow-origin",
        ),
    ],
)  # fmt: skip
def test_the_doctor_on_the_labs_policies(
    check, lab, read_log, run_prefix, query, options, readable, kind, blocked_on, console, rule
):
    run = f"{run_prefix}-doctor"
    result = check(f"{lab.api_origin}/lab?{query}&run={run}", *options)
    assert result["readable"] is readable
    assert result.get("kind") == kind
    assert result.get("blocked_on") == blocked_on
    # Why: the lab's model on the headers received names the rule, and agrees with Chromium.
    assert rule.format(lab=lab, run=run) in result["reasons"], result["reasons"]
    assert result["disagreements"] == []
    assert result["model"]["console"] == result["console"]
    if console:
        assert len(result["console"]) == 1 and console in result["console"][0]
        assert f"from origin '{lab.trusted_origin}'" in result["console"][0]
        # The whole fix, checked with the model: the request is readable with it.
        assert result["fix"] and result["plan"]["readable"] is True
        assert "with these changes (checked with the lab's model): readable" in describe(result)
    # What the doctor says it saw is what reached the API.
    wire = [(entry["method"], entry["status"]) for entry in read_log(run)]
    hops = [{"preflight": result["preflight"], "actual": result["actual"]}, *result.get("redirects", [])]
    seen = [(name, hop[key]["status"]) for hop in hops for key, name in (("preflight", "OPTIONS"), ("actual", "GET"))]
    assert wire == [
        (result["method"] if name == "GET" else name, status) for name, status in seen if status is not None
    ]


@pytest.mark.parametrize(
    ("path", "options", "kind", "rule"),
    [
        pytest.param(
            "/items", ["--method", "PUT", "--header", "Content-Type: application/json", "--body", "{}"],
            "preflight-disallowed-redirect", said("reason.preflight.redirect", status=308),
            id="trailing-slash-redirect-on-the-preflight",
        ),
        pytest.param(
            "/twice", [], "multiple-allow-origin-values", said("reason.response.acao-multiple", value="*, *"),
            id="allow-origin-sent-twice",
        ),
        pytest.param(
            "/items/", ["--method", "PUT", "--header", "Content-Type: application/json"], "header-disallowed-by-preflight-response",
            said("reason.preflight.header", name="content-type", listed="-"), id="content-type-not-allowed",
        ),
        pytest.param("/broken", [], "missing-allow-origin", said("reason.response.no-acao"), id="no-cors-on-an-error-answer"),
        pytest.param(
            "/star", ["--credentials", "--transport", "xhr"], "wildcard-origin-not-allowed",
            said("reason.response.star-with-credentials"), id="star-with-credentials",
        ),
    ],
)  # fmt: skip
def test_the_doctor_on_a_user_api(check, user_api_url, path, options, kind, rule):
    result = check(f"{user_api_url}{path}", *options)
    assert result["readable"] is False
    assert result["kind"] == kind
    assert rule in result["reasons"], result["reasons"]
    assert result["disagreements"] == []
    assert result["model"]["kind"] == kind and result["model"]["console"] == result["console"]
    assert result["plan"]["readable"] is True


def test_the_doctor_says_a_working_api_is_readable(check, user_api_url, lab):
    result = check(f"{user_api_url}/items/", "--method", "PUT")
    assert result["readable"] is True
    assert result["preflight"]["sent"] and result["preflight"]["status"] == 200
    assert result["actual"]["headers"]["Access-Control-Allow-Origin"] == lab.trusted_origin
    assert said("reason.preflight.passed") in result["reasons"] and said("reason.response.allowed") in result["reasons"]
    assert result["disagreements"] == [] and result["fix"] is None
    # Bodies: the answer's as Chromium received it; a preflight's Chromium does not keep.
    assert json.loads(result["actual"]["body"]) == {"items": []} and "body_note" not in result["actual"]
    assert result["preflight"]["body"] is None and "preflight" in result["preflight"]["body_note"]
    assert "body '{\"items\":[]}\\n'" in describe(result)


def test_where_the_model_and_chromium_disagree_the_doctor_says_so(check, user_api_url):
    """`Access-Control-Allow-Origin: echo` is /lab's word for "the request's Origin" to the model,
    a value that is not an origin to Chromium: the report says they disagree, in plain words."""
    result = check(f"{user_api_url}/literally-echo")
    assert result["readable"] is False and result["kind"] == "invalid-allow-origin-value"
    assert result["model"]["allowed"] is True
    assert any("JavaScript could read the answer: Chromium False" in line for line in result["disagreements"])
    assert any("'echo'" in line for line in result["disagreements"])
    assert "THE LAB'S MODEL AND CHROMIUM DISAGREE" in describe(result)


def test_an_https_probe_origin(doctor_browser, lab, run_prefix):
    run = f"{run_prefix}-https"
    url = f"{lab.api_origin}/lab?acao=echo&acam=PUT&run={run}"
    result = diagnose(parse([url, "--origin", f"{HTTPS_ORIGIN.upper()}", "--method", "PUT"]), doctor_browser)
    assert result["origin"] == HTTPS_ORIGIN and result["readable"] is True and result["disagreements"] == []
    # /lab echoes the Origin it got (the wire log keeps no other site's requests).
    echoed = [result[name]["headers"]["Access-Control-Allow-Origin"] for name in ("preflight", "actual")]
    assert echoed == [HTTPS_ORIGIN, HTTPS_ORIGIN]
    url = f"{lab.api_origin}/lab?acao={lab.trusted_origin}&run={run}-mismatch"
    result = diagnose(parse([url, "--origin", HTTPS_ORIGIN]), doctor_browser)
    assert result["kind"] == "allow-origin-mismatch" and result["disagreements"] == []
    assert f"from origin '{HTTPS_ORIGIN}'" in result["console"][0]


def test_a_script_set_authorization_is_named_as_such(check, lab):
    result = check(f"{lab.api_origin}/lab?acao=echo", "--header", "Authorization: Basic eDp5")
    assert result["kind"] == "header-disallowed-by-preflight-response"
    assert said("reason.preflight.header", name="authorization", listed="-") in result["reasons"]
    assert any("set by the page's script" in reason for reason in result["reasons"])


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["ftp://example.com/x"], id="not-http"),
        pytest.param(["http://localhost:5000/", "--origin", "ftp://app.example"], id="ftp-origin"),
        pytest.param(["http://localhost:5000/", "--origin", "https://app.example/path"], id="origin-with-a-path"),
        pytest.param(["http://localhost:5000/", "--header", "no colon"], id="bad-header"),
        pytest.param(["http://localhost:5000/", "--cookie", "nocookie"], id="bad-cookie"),
        pytest.param(["http://localhost:5000/", "--cookie", "a b=c"], id="cookie-name-with-a-space"),
        pytest.param(["http://localhost:5000/", "--cookie", "a=b;c"], id="cookie-unknown-attribute"),
        pytest.param(
            ["http://localhost:5000/", "--cookie", "a=b; SameSite=None"], id="cookie-samesite-none-without-secure"
        ),
        pytest.param(["http://localhost:99999/"], id="port-99999-in-url"),
        pytest.param(["http://localhost:5000/", "--origin", "http://localhost:99999"], id="port-99999-in-origin"),
        pytest.param(["http://localhost:0/"], id="port-0"),
        pytest.param(["http://[::1"], id="unclosed-ipv6"),
        pytest.param(["http://localhost:5000/", "--header", "Bad Name: 1", "--transport", "xhr"], id="bad-header-name"),
        pytest.param(["http://localhost:5000/", "--method", "P(UT", "--transport", "xhr"], id="bad-method"),
        pytest.param(["http://localhost:5000/", "--body", "{}"], id="get-with-a-body-under-fetch"),
        pytest.param(["http://localhost:8000/x", "--origin", "http://LOCALHOST:8000"], id="url-on-the-page-origin"),
        pytest.param(["http://localhost:5000/", "--timeout", "0"], id="timeout-0"),
        pytest.param(["http://localhost:5000/", "--deadline", "soon"], id="deadline-not-a-number"),
        pytest.param(["http://localhost:5000/", "--transport", "websocket"], id="unknown-transport"),
        pytest.param([], id="no-url"),
    ],
)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_bad_usage_is_one_line_and_exit_2(capsys, argv, as_json):
    assert main([*argv, *(["--json"] if as_json else [])]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("doctor: ") and err.count("\n") == 1 and "Traceback" not in err
    # With --json, stdout is one JSON object in every outcome; without, nothing.
    assert (json.loads(out) if as_json else out) == (
        {"error": err.removeprefix("doctor: ").strip(), "exit": 2} if as_json else ""
    )


def test_an_unreachable_url_is_exit_2_not_blocked(check, capsys, monkeypatch):
    with pytest.raises(UsageError, match="did not answer"):
        check(f"http://127.0.0.1:{free_port()}/x")
    monkeypatch.setattr("labctl.doctor.diagnose", lambda options: check(options.url))
    assert main([f"http://127.0.0.1:{free_port()}/x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("doctor: ") and "did not answer" in err and "Traceback" not in err


def test_the_command_line_reports_json_and_exits_1_when_blocked(lab):
    status, out, _err = doctor(f"{lab.api_origin}/lab?acao=none", "--origin", lab.trusted_origin, "--json")
    assert status == 1
    report = json.loads(out)
    expected = {"origin", "url", "method", "preflight", "actual", "readable", "console", "reasons", "fix"}
    assert expected <= set(report)
    assert report["actual"]["sent"] is True and report["actual"]["status"] == 200


def test_make_doctor_prints_nothing_but_the_json_report(lab):
    """Through make, a blocked request is make's exit status 2, and stdout is still the report alone."""
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env |= {"URL": f"{lab.api_origin}/lab?acao=none", "ORIGIN": lab.trusted_origin, "JSON": "1"}
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "doctor", f"VPY={sys.executable}"]
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert report["readable"] is False and report["kind"] == "missing-allow-origin"
    assert [line for line in done.stderr.splitlines() if not line.startswith("make:")] == []


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


@pytest.fixture
def preflight(doctor_browser, lab):
    """``--preflight-only --json`` on the shared browser: the report."""
    return lambda url, *options: preflight_only(
        parse([url, "--origin", lab.trusted_origin, "--preflight-only", *options]), doctor_browser
    )


def test_preflight_only_sends_the_preflight_chromium_sends(check, preflight, lab, read_log, run_prefix):
    """The same request from Chromium and with --preflight-only: the same Origin,
    Access-Control-Request-Method and -Headers reach the API, and nothing else does."""
    seen = {}
    for who in ("chromium", "python"):
        run = f"{run_prefix}-preflight-only-{who}"
        url = f"{lab.api_origin}/lab?acao=echo&run={run}"
        (check if who == "chromium" else preflight)(url, "--method", "put", *PREFLIGHT_HEADERS)
        entries = read_log(run)
        assert [entry["method"] for entry in entries] == ["OPTIONS"]
        names = ("origin", "access-control-request-method", "access-control-request-headers")
        seen[who] = {name: entries[0]["request_headers"].get(name) for name in names}
    assert seen["python"] == seen["chromium"]
    assert seen["python"]["access-control-request-headers"] == "content-type,x-b,x-lab-token"


@pytest.mark.parametrize(
    ("query", "options", "kind", "rule"),
    [
        pytest.param(
            "acao=echo&acam=PUT&acah=X-Lab-Token", ["--header", "X-Lab-Token: t"], None, said("reason.preflight.passed"),
            id="passes",
        ),
        pytest.param("acao=none", [], "missing-allow-origin", said("reason.preflight.no-acao"), id="no-allow-origin"),
        pytest.param(
            "acao=echo&acam=PUT&preflight_status=404", [], "preflight-invalid-status",
            said("reason.preflight.status", status=404), id="status-404",
        ),
        pytest.param(
            "acao=*&acac=true&acam=PUT", ["--credentials"], "wildcard-origin-not-allowed",
            said("reason.preflight.star-with-credentials"), id="star-credentials",
        ),
        pytest.param(
            "acao=echo", [], "method-disallowed-by-preflight-response", said("reason.preflight.method", method="PUT", listed="-"),
            id="method",
        ),
        pytest.param(
            "acao=echo&acam=PUT", ["--header", "X-Lab-Token: t"], "header-disallowed-by-preflight-response",
            said("reason.preflight.header", name="x-lab-token", listed="-"), id="header",
        ),
        pytest.param(
            "acao=echo&acam=PUT&redirect=307&redirect_on=preflight&location=/lab%3Facao%3Decho", [],
            "preflight-disallowed-redirect", said("reason.preflight.redirect", status=307), id="redirect",
        ),
    ],
)  # fmt: skip
def test_preflight_only_concludes_what_chromium_concludes(
    check, preflight, lab, read_log, run_prefix, query, options, kind, rule
):
    """--preflight-only sends the OPTIONS alone; the model's verdict, reason and predicted console
    line are those of Chromium sending the whole request."""
    run = f"{run_prefix}-pf-{kind}"
    url = f"{lab.api_origin}/lab?{query}&run={run}"
    report = preflight(url, "--method", "PUT", *options)
    assert (report.get("kind"), report["passes"]) == (kind, kind is None)
    assert rule in report["reasons"], report["reasons"]
    assert report["preflight"]["sent"] and not report["actual"]["sent"]
    assert [entry["method"] for entry in read_log(run)] == ["OPTIONS"]
    assert report["preflight"]["status"] == read_log(run)[0]["status"]
    assert report["console"] == [] and report["disagreements"] == []
    browser = check(url, "--method", "PUT", *options)
    if kind:
        assert (browser["blocked_on"], browser["kind"]) == ("preflight", kind)
        assert report["predicted_console"] == browser["console"]
        assert f"console (predicted by the lab's model; no browser sent it): {browser['console'][0]}" in describe(
            report
        )
    else:
        assert browser.get("blocked_on") != "preflight" and report["predicted_console"] == []


def test_preflight_only_sends_nothing_when_a_browser_would_not_preflight(preflight, lab, read_log, run_prefix):
    run = f"{run_prefix}-pf-none"
    report = preflight(f"{lab.api_origin}/lab?acao=echo&run={run}", "--header", "DPR: 2")
    assert report["passes"] and not report["preflight"]["sent"]
    assert said("reason.chromium.extra-safelisted", name="DPR") in report["reasons"]
    assert read_log(run) == []


@pytest.mark.parametrize(
    ("method", "headers", "expected"),
    [
        pytest.param("GET", ["Content-Type: text/plain; charset=utf-8", "Accept: */*"], None, id="simple"),
        pytest.param("post", [], None, id="post-lower-case-is-post"),
        pytest.param("patch", [], ("patch", None), id="patch-kept-as-written"),
        pytest.param("GET", ["Accept-Language: en_US"], ("GET", "accept-language"), id="language-with-underscore"),
        pytest.param("GET", ["Cookie: a=1", "X-Z: 1", "x-a: 2"], ("GET", "x-a,x-z"), id="forbidden-dropped-sorted"),
        pytest.param("GET", ["DPR: 1.5", "Width: 1.5"], ("GET", "width"), id="chromium-hints"),
    ],
)
def test_the_preflight_a_browser_would_send(doctor_browser, lab, method, headers, expected):
    options = parse(
        [
            "http://localhost:5000/",
            "--origin",
            lab.trusted_origin,
            "--method",
            method,
            *(f"--header={h}" for h in headers),
        ]
    )
    request = planned_preflight(options, doctor_browser)
    if expected is None:
        assert request is None
    else:
        assert request["Origin"] == lab.trusted_origin
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


@pytest.mark.parametrize(
    ("origin", "kind", "said"),
    [
        pytest.param("http://app.example", "insecure-local-network", "is not a secure context", id="http-page"),
        pytest.param(
            "https://app.example", "local-network-access-permission-denied", "Permission was denied", id="https-page"
        ),
    ],
)
def test_a_public_page_calling_loopback_meets_local_network_access(playwright, lab, origin, kind, said):
    """The probe page of a public origin is declared public to Chromium, so its request to the lab's
    API on loopback meets Local Network Access for real, before any CORS check: from http:// refused
    outright, from https:// the permission asked and (no user here) denied."""
    with probe_browser(origin, playwright) as browser:
        result = diagnose(parse([f"{lab.api_origin}/lab?acao=*", "--origin", origin]), browser)
    assert (result["readable"], result["kind"], result["actual"]["sent"]) == (False, kind, False)
    assert len(result["console"]) == 1 and said in result["console"][0]
    assert result["reasons"][0].startswith("Local Network Access") and result["fix"].startswith("not a CORS header")


def finding_kinds(result):
    return [(each["kind"], each["severity"]) for each in result["findings"]]


def test_a_redirect_that_turns_a_post_into_a_get_is_a_finding(check, lab, read_log, run_prefix):
    run = f"{run_prefix}-post-to-get"
    location = f"/lab%3Facao%3Decho%26run%3D{run}"
    result = check(
        f"{lab.api_origin}/lab?acao=echo&redirect=301&location={location}&run={run}",
        *("--method", "POST", "--header", "Content-Type: text/plain", "--body", "transfer=100"),
    )
    assert result["readable"] is True and finding_kinds(result) == [("method-changed-by-redirect", "finding")]
    assert exit_status(result) == 3
    assert [entry["method"] for entry in read_log(run)] == ["POST", "GET"]
    assert "finding: a 301 redirect turned the POST" in describe(result)


@pytest.mark.parametrize(
    ("api", "options", "sent", "why"),
    [
        pytest.param("api", ["--credentials"], True, None, id="same-site-credentialed-sent"),
        pytest.param("api", [], False, "not credentialed", id="not-credentialed"),
        pytest.param("api_alias", ["--credentials"], False, "cross-site", id="lax-cross-site"),
        pytest.param(
            "api",
            ["--credentials", "--cookie", "session=abc; Path=/nowhere"],
            False,
            "its Path does not match",
            id="path-attribute",
        ),
        pytest.param(
            "api_alias",
            ["--credentials", "--cookie", "session=abc; SameSite=None; Secure"],
            False,
            "Secure",
            id="secure-on-http",
        ),
    ],
)
def test_a_cookie_given_but_not_sent_is_a_finding_with_its_reason(
    check, lab, read_log, run_prefix, api, options, sent, why
):
    run = f"{run_prefix}-cookie-{api}-{len(options)}"
    cookie = [] if "--cookie" in options else ["--cookie", "session=abc"]
    result = check(f"{getattr(lab, f'{api}_origin')}/lab?acao=echo&acac=true&run={run}", *cookie, *options)
    assert result["readable"] is True
    (entry,) = read_log(run)
    assert ("session" in entry["request_headers"].get("cookie", [])) is sent
    if sent:
        assert result["findings"] == [] and exit_status(result) == 0
    else:
        assert finding_kinds(result) == [("cookie-not-sent", "finding")] and exit_status(result) == 3
        assert why in result["findings"][0]["text"]


def test_warnings_leave_the_exit_status_alone(check, lab, user_api_url):
    no_vary = check(f"{user_api_url}/no-vary")
    assert finding_kinds(no_vary) == [("vary-missing", "warning")] and exit_status(no_vary) == 0
    twice = check(f"{lab.api_origin}/lab?acao=echo&aceh=X-A&aceh=X-B")
    assert finding_kinds(twice) == [("header-twice", "warning")] and exit_status(twice) == 0
    assert "Access-Control-Expose-Headers was sent 2 times" in twice["findings"][0]["text"]
    assert check(f"{lab.api_origin}/lab?acao=echo")["findings"] == []  # /lab says Vary: Origin


def test_a_missing_browser_is_one_line_and_exit_2(tmp_path, lab):
    env = {**os.environ, "CHROMIUM_PATH": str(tmp_path / "no-such-chromium")}
    command = [
        sys.executable,
        "-m",
        "labctl",
        "doctor",
        f"{lab.api_origin}/lab",
        "--origin",
        lab.trusted_origin,
        "--json",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert json.loads(done.stdout) == {
        "error": f"CHROMIUM_PATH={tmp_path / 'no-such-chromium'} is not an executable file.",
        "exit": 2,
    }
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def checks_file(folder, lab, *tables):
    """A --checks file of ``tables`` (TOML source each, ``{api}`` and ``{origin}`` filled in)."""
    path = folder / "cors-checks.toml"
    body = "\n".join(f"[[check]]\n{table}\n" for table in tables)
    path.write_text(body.format(api=lab.api_origin, origin=lab.trusted_origin))
    return path


HOLDS = [
    'name = "readable"\nurl = "{api}/lab?acao=echo"\norigin = "{origin}"\nexpect = "readable"\nfindings = []',
    'url = "{api}/lab?acao=echo&acam=PUT"\norigin = "{origin}"\nmethod = "PUT"\nheaders = ["X-Token: t"]\nexpect = "blocked"',
]
DIFFERS = 'name = "claims readable"\nurl = "{api}/lab?acao=none"\norigin = "{origin}"\nexpect = "readable"'


def test_a_checks_file_holds_or_says_which_check_differs_and_why(doctor_browser, lab, tmp_path):
    from labctl.doctor import parsed_checks, run_checks

    outcomes = run_checks(parsed_checks(checks_file(tmp_path, lab, *HOLDS, DIFFERS)), doctor_browser)
    assert [(each["held"], each["got"]) for each in outcomes] == [
        (True, "readable"),
        (True, "blocked"),
        (False, "blocked"),
    ]
    assert "expected readable, Chromium said blocked (missing-allow-origin)" in outcomes[2]["why"]
    assert outcomes[0]["name"] == "readable" and outcomes[1]["name"].startswith("PUT ")


def test_cors_lab_doctor_checks_exits_0_or_1_and_writes_junit(lab, tmp_path):
    report = tmp_path / "junit.xml"
    status, out, err = doctor("--checks", str(checks_file(tmp_path, lab, *HOLDS, DIFFERS)), "--junit", str(report))
    assert status == 1 and out.splitlines()[-1] == "2 of 3 checks hold" and err == ""
    assert out.splitlines()[2].startswith("FAIL claims readable: expected readable, Chromium said blocked")
    import xml.etree.ElementTree as ElementTree

    suite = ElementTree.fromstring(report.read_text())
    assert (suite.get("tests"), suite.get("failures")) == ("3", "1")
    assert [case.get("name") for case in suite if case.find("failure") is not None] == ["claims readable"]


@pytest.mark.parametrize(
    ("source", "said"),
    [
        pytest.param("not toml [", "not a TOML file", id="not-toml"),
        pytest.param("[[check]]\nurl = 'http://localhost:5000/'\nexpect = 'maybe'", "expect", id="bad-expect"),
        pytest.param(
            "[[check]]\nurl = 'http://localhost:5000/'\nexpect = 'readable'\nverb = 'GET'",
            "unknown key 'verb'",
            id="unknown-key",
        ),
        pytest.param("[[check]]\nurl = 'ftp://x/'\nexpect = 'readable'", "check 1: URL", id="bad-url"),
        pytest.param("title = 'no checks'", "[[check]]", id="no-checks"),
    ],
)
def test_a_bad_checks_file_is_one_line_and_exit_2(tmp_path, capsys, source, said):
    path = tmp_path / "bad.toml"
    path.write_text(source)
    assert main(["--checks", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and said in err
