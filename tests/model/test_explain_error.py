"""The recogniser of pasted console messages (static/js/model/explain-error.js) on the corpus in
tests/model/corpus/: Chromium's lines as the real lab made Chromium print them (captured once by
labctl/capture_console.py, read here, never rewritten), Chromium's older wordings, Firefox's own strings
(en-US and zh-CN, from its security.properties) and Safari's (WebKit's source)."""

import json
import re
from pathlib import Path

import pytest

from frontend_server import STATIC_DIR
from labctl.probe import NOT_SENT  # what the doctor reports of an exchange that did not happen
from tests.conftest import TRUSTED
from tests.model.conftest import ENGLISH

CORPUS = Path(__file__).parent / "corpus"
CHROMIUM = json.loads((CORPUS / "chromium.json").read_text())
OLDER = json.loads((CORPUS / "chromium-older.json").read_text())
SAFARI = json.loads((CORPUS / "safari.json").read_text())
KINDS = [
    "missing-allow-origin", "wildcard-origin-not-allowed", "multiple-allow-origin-values",
    "invalid-allow-origin-value", "allow-origin-mismatch", "invalid-allow-credentials", "preflight-invalid-status",
    "preflight-disallowed-redirect", "method-disallowed-by-preflight-response",
    "header-disallowed-by-preflight-response", "invalid-allow-methods-preflight-response",
    "invalid-allow-headers-preflight-response", "redirect-contains-credentials",
]  # fmt: skip
# Firefox's keys -> (kind, the field its %2$S fills, a value for it). None: not a header check.
FIREFOX_KINDS = {
    "CORSDisabled": (None, None, None),
    "CORSDidNotSucceed2": (None, None, None),
    "CORSOriginHeaderNotAdded": (None, None, None),
    "CORSExternalRedirectNotAllowed": (None, None, None),
    "CORSRequestNotHttp": (None, None, None),
    "CORSMissingAllowOrigin2": ("missing-allow-origin", "status", "404"),
    "CORSMultipleAllowOriginNotAllowed": ("multiple-allow-origin-values", None, None),
    "CORSAllowOriginNotMatchingOrigin": ("allow-origin-mismatch", "value", "http://localhost:8000/"),
    "CORSNotSupportingCredentials": ("wildcard-origin-not-allowed", None, None),
    "CORSMethodNotFound": ("method-disallowed-by-preflight-response", None, None),
    "CORSMissingAllowCredentials": ("invalid-allow-credentials", None, None),
    "CORSPreflightDidNotSucceed3": ("preflight-invalid-status", "status", "403"),
    "CORSInvalidAllowMethod": ("invalid-allow-methods-preflight-response", "value", "PUT GET"),
    "CORSInvalidAllowHeader": ("invalid-allow-headers-preflight-response", "value", "X Token"),
    "CORSMissingAllowHeaderFromPreflight2": ("header-disallowed-by-preflight-response", "header", "x-lab-token"),
}
FIREFOX_URL = "http://localhost:8001/lab?acao=none&run=ff"
EXPLAIN = """async (texts) => {
  const { explainError } = await import('/js/model/explain-error.js');
  return texts.map((text) => explainError(text));
}"""


def firefox_messages(language):
    """Each CORS string of Firefox's properties file, filled in as Firefox fills it."""
    found = []
    for line in (CORPUS / f"firefox-{language}.properties").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        key, template = (part.strip() for part in line.split("=", 1))
        if key not in FIREFOX_KINDS:
            continue
        kind, field, value = FIREFOX_KINDS[key]
        text = template.replace("\\u0020", " ").replace("%1$S", FIREFOX_URL).replace("%2$S", value or "200")
        found.append((key, text, kind, field, value))
    return found


@pytest.fixture(scope="module")
def explain(js):
    return lambda texts: js.evaluate(EXPLAIN, texts)


def chromium_lines():
    return [(entry, line) for entry in CHROMIUM["messages"] for line in entry["console"]]


def test_the_corpus_has_every_kind_the_lab_builds_and_one_line_per_case():
    captured = {entry["kind"] for entry in CHROMIUM["messages"]}
    assert captured == set(KINDS) - {"redirect-contains-credentials"}
    assert all(len(entry["console"]) == 1 for entry in CHROMIUM["messages"])


def test_every_captured_chromium_line_is_recognised(explain):
    lines = chromium_lines()
    results = explain([line for _, line in lines])
    for (entry, line), result in zip(lines, results, strict=True):
        url = re.search(r"Access to \w+ at '([^']*)'", line)[1]
        expected = {
            "browser": "chromium",
            "kind": entry["kind"],
            "preflight": entry["preflight"],
            "origin": CHROMIUM["page_origin"],
            "url": url,
            "transport": entry["transport"],
            "wording": "today",
        }
        assert {key: result[key] for key in expected} == expected, line
        assert result["kind"] in KINDS


def test_chromium_names_the_method_header_and_value(explain):
    by_case = {(entry["case"], entry["transport"]): entry["console"][0] for entry in CHROMIUM["messages"]}
    page = CHROMIUM["page_origin"]
    cases = {
        ("lowercase-patch", "xhr"): {"method": "patch"},
        ("put-not-allowed", "fetch"): {"method": "PUT"},
        ("content-type-not-allowed", "xhr"): {"header": "content-type"},
        ("token-not-allowed", "fetch"): {"header": "x-lab-token"},
        ("trailing-slash", "fetch"): {"value": f"{page}/"},
        ("null-origin", "xhr"): {"value": "null"},
        ("two-origins", "xhr"): {"value": f"{page}, {page}"},
        ("invalid-origin", "fetch"): {"value": "not-an-origin"},
        ("acac-True", "xhr"): {"value": "True"},
        ("acac-missing", "fetch"): {"value": ""},
    }
    results = explain([by_case[case] for case in cases])
    for (case, expected), result in zip(cases.items(), results, strict=True):
        assert {key: result[key] for key in expected} == expected, case
    redirected = explain([by_case[("redirect-then-no-acao", "xhr")]])[0]
    assert redirected["redirectedFrom"].startswith(CHROMIUM["api_origin"])
    assert redirected["url"].startswith(CHROMIUM["api_alias_origin"])


def test_chromiums_older_wordings(explain):
    results = explain([message["text"] for message in OLDER["messages"]])
    for message, result in zip(OLDER["messages"], results, strict=True):
        expected = {key: value for key, value in message.items() if key != "text"}
        assert {key: result[key] for key in expected} == expected, message["text"]
        assert result["browser"] == "chromium"


@pytest.mark.parametrize("language", ["en-US", "zh-CN"])
def test_every_firefox_cors_string(explain, language):
    messages = firefox_messages(language)
    assert {key for key, *_ in messages} == set(FIREFOX_KINDS)
    results = explain([text for _, text, *_ in messages])
    for (key, text, kind, field, value), result in zip(messages, results, strict=True):
        assert (result["browser"], result["kind"], result["url"]) == ("firefox", kind, FIREFOX_URL), text
        if field:
            assert result[field] == (int(value) if field == "status" else value), text
        if kind is None:
            assert result["note"] == key and result["playground"] is None
        else:
            assert result["language"] == ("en" if language == "en-US" else "zh-CN")


def test_safari(explain):
    results = explain([message["text"] for message in SAFARI["messages"]])
    for message, result in zip(SAFARI["messages"], results, strict=True):
        expected = {key: value for key, value in message.items() if key != "text"}
        assert {key: result[key] for key in expected} == expected, message["text"]
        assert result["browser"] == "safari"


UNKNOWN = [
    "Uncaught ReferenceError: fetch2 is not defined",
    "Refused to connect to 'http://evil.example/' because it violates the following Content Security Policy directive",
    "",
    "   ",
    "<img src=x onerror=alert(1)> Access-Control-Allow-Origin",
]


def test_unknown_text_gets_no_kind_and_at_most_the_closest(explain):
    results = explain(UNKNOWN)
    for text, result in zip(UNKNOWN, results, strict=True):
        assert result["kind"] is None and result["browser"] is None and result["playground"] is None, text
        assert set(result["closest"]) <= set(KINDS)
    assert results[-1]["closest"][0] in {
        "missing-allow-origin",
        "multiple-allow-origin-values",
        "invalid-allow-origin-value",
    }


def test_an_unknown_chromium_reason_is_chromium_without_a_kind(explain):
    unknown = (
        "Access to fetch at 'http://localhost:5000/api' from origin 'https://app.example' has been blocked by CORS "
        "policy: A check the lab has never heard of."
    )
    result = explain([unknown])[0]
    assert (result["browser"], result["kind"], result["note"]) == ("chromium", None, "unknown-reason")
    assert result["origin"] == "https://app.example"


# What people paste that is not one of the CORS header checks: (text, the note that names it).
OTHER = [
    pytest.param("TypeError: Failed to fetch", "js-failed", id="chromium-failed-to-fetch"),
    pytest.param("Uncaught (in promise) TypeError: Failed to fetch\n    at main.js:3:1", "js-failed", id="uncaught"),
    pytest.param("TypeError: NetworkError when attempting to fetch resource.", "js-failed", id="firefox-networkerror"),
    pytest.param("[Error] TypeError: Load failed", "js-failed", id="safari-load-failed"),
    pytest.param("GET http://localhost:8001/lab net::ERR_CONNECTION_REFUSED", "connection-refused", id="refused"),
    pytest.param("GET http://api.exmaple.com/items net::ERR_NAME_NOT_RESOLVED", "name-not-resolved", id="no-such-host"),
    pytest.param("GET http://localhost:8001/lab net::ERR_FAILED 200 (OK)", "err-failed", id="err-failed-alone"),
    pytest.param(
        "Access to fetch at 'http://192.168.1.10/api' from origin 'http://app.example' has been blocked by CORS policy: "
        "The request client is not a secure context and the resource is in more-private address space `private`.",
        "local-network",
        id="local-network-from-http",
    ),
    pytest.param(
        "Access to fetch at 'http://localhost:5000/api' from origin 'https://app.example' has been blocked by CORS policy: "
        "Permission was denied for this request to access the `loopback` address space.",
        "local-network",
        id="local-network-denied",
    ),
    pytest.param(
        "GET https://cdn.example/font.woff2 net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin 200 (OK)", "corp", id="corp"
    ),
    pytest.param("GET https://api.example/data.json net::ERR_BLOCKED_BY_ORB 200 (OK)", "orb", id="orb"),
    pytest.param(
        "Mixed Content: The page at 'https://app.example/' was loaded over HTTPS, but requested an insecure resource "
        "'http://api.example/items'. This request has been blocked; the content must be served over HTTPS.",
        "mixed-content",
        id="mixed-content",
    ),
]


@pytest.mark.parametrize(("text", "note"), OTHER)
def test_what_is_not_a_cors_header_check_is_named_as_such(explain, text, note):
    result = explain([text])[0]
    assert (result["kind"], result["note"], result["other"]) == (None, note, True)
    assert result["playground"] is None


def test_a_cors_line_is_the_reason_and_failed_to_fetch_beside_it_only_repeats_it(explain):
    cors = (
        "Access to fetch at 'http://localhost:8001/lab' from origin 'http://localhost:8000' has been blocked by CORS "
        "policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
    )
    pasted = f"{cors}\nGET http://localhost:8001/lab net::ERR_FAILED 200 (OK)\nUncaught (in promise) TypeError: Failed to fetch"
    result = explain([pasted])[0]
    assert (result["kind"], result["other"]) == ("missing-allow-origin", False)
    assert sorted(result["alongside"]) == ["err-failed", "js-failed"]
    assert explain([cors])[0]["alongside"] == []


def test_a_paste_over_20000_characters_is_refused_at_once(explain):
    result = explain(["Access to " * 60_000])[0]  # 600 KB
    assert (result["kind"], result["note"], result["length"]) == (None, "too-long", 600_000)
    assert explain(["x" * 20_000])[0]["note"] == "unknown"


def test_matching_takes_linear_time(js):
    """The paste that froze the page for a minute (repeated starts of a Chromium line), at 2,000 and
    at 20,000 characters: ten times the text takes about ten times as long (a quadratic matcher: a
    hundred times). Compared in one page, best of five, so the machine's load cancels out."""
    ratio = js.evaluate(
        """() => import('/js/model/explain-error.js').then(({ explainError }) => {
          const best = (text) => Math.min(...[0, 1, 2, 3, 4].map(() => {
            const start = performance.now();
            for (let i = 0; i < 5; i += 1) explainError(text);
            return performance.now() - start;
          }));
          const smallest = best('Access to '.repeat(200));
          const largest = best('Access to '.repeat(2000));
          return largest / Math.max(smallest, 0.05);
        })"""
    )
    assert ratio < 40


def test_playground_links_use_the_playgrounds_parameters(explain, contract):
    known = (
        set(contract["lab_parameters"])
        | set(contract["lab_redirect_parameters"])
        | {"method", "ctype", "headers", "body", "cred", "transport", "host"}
    )
    results = explain([line for _, line in chromium_lines()])
    for (entry, line), result in zip(chromium_lines(), results, strict=True):
        if entry["case"] == "redirect-then-no-acao":  # the link reproduces the reason, not the redirect
            continue
        assert result["playground"] is not None, line
        assert set(result["playground"]) <= known, line
    redirect = next(
        r for (e, _), r in zip(chromium_lines(), results, strict=True) if e["kind"] == "preflight-disallowed-redirect"
    )
    assert (redirect["playground"]["redirect"], redirect["playground"]["redirect_on"]) == ("307", "preflight")


def test_the_recogniser_is_pure():
    source = (STATIC_DIR / "js" / "model" / "explain-error.js").read_text()
    for forbidden in ("fetch(", "XMLHttpRequest(", "localStorage", "console.", "innerHTML", "sendBeacon"):
        assert forbidden not in source


# The model applied to what a browser received (static/js/model/explain-observed.js, the doctor's "why").
API = "http://localhost:5000"
ALIAS = "http://127.0.0.1:5000"


def exchange(status, **headers):
    return {
        "sent": True,
        "status": status,
        "headers": {name.replace("_", "-"): value for name, value in headers.items()},
    }


@pytest.fixture(scope="module")
def observe(js, contract):
    """explainObserved() of a request from the trusted page (fetch unless said), given its hops."""

    def run(hops, method="GET", headers=None, credentials=False, transport="fetch", preflight_only=False):
        observed = {
            "pageOrigin": TRUSTED, "method": method, "headers": headers or {}, "credentials": credentials,
            "transport": transport, "preflightOnly": preflight_only, "hops": hops,
        }  # fmt: skip
        return js.evaluate(
            """async ([observed, contract]) => {
                const { explainObserved } = await import('/js/model/explain-observed.js');
                return explainObserved(observed, contract, window.translate);
            }""",
            [observed, contract],
        )

    return run


def test_observed_a_header_sent_twice_is_one_value_of_two(observe):
    result = observe(
        [{"url": f"{API}/a", "preflight": NOT_SENT, "actual": exchange(200, Access_Control_Allow_Origin="*\n*")}]
    )
    assert (result["allowed"], result["kind"], result["onPreflight"]) == (False, "multiple-allow-origin-values", False)
    assert result["console"] == [
        f"Access to fetch at '{API}/a' from origin '{TRUSTED}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' "
        "header contains multiple values '*, *', but only one is allowed. Have the server send the header with a valid value."
    ]
    assert any("came as 2 header lines" in reason for reason in result["reasons"])
    assert "Access-Control-Allow-Origin: http://localhost:8000" in result["fix"]["headers"]


def test_observed_the_preflight_is_checked_against_its_own_headers(observe):
    """A credentialed PUT whose preflight answer lacks Allow-Credentials fails there, and goes no further."""
    hop = {
        "url": f"{API}/a",
        "preflight": exchange(204, Access_Control_Allow_Origin=TRUSTED, Access_Control_Allow_Methods="PUT"),
        "actual": NOT_SENT,
    }
    result = observe([hop], method="PUT", credentials=True, transport="xhr")
    assert (result["kind"], result["onPreflight"], result["sent"]) == ("invalid-allow-credentials", True, False)
    assert ENGLISH["reason.preflight.no-acac"] in result["reasons"]
    assert result["literal"] == []


def test_observed_a_redirect_chain_names_the_real_urls(observe):
    hops = [
        {
            "url": f"{API}/a",
            "preflight": NOT_SENT,
            "actual": exchange(302, Access_Control_Allow_Origin=TRUSTED, Location=f"{ALIAS}/b"),
        },
        {"url": f"{ALIAS}/b", "preflight": NOT_SENT, "actual": exchange(200, Access_Control_Allow_Origin=TRUSTED)},
    ]
    result = observe(hops)
    assert (result["kind"], result["onPreflight"]) == ("allow-origin-mismatch", False)
    assert result["console"][0].startswith(
        f"Access to fetch at '{ALIAS}/b' (redirected from '{API}/a') from origin '{TRUSTED}'"
    )
    assert any(f"redirect to {ALIAS}/b;" in reason for reason in result["reasons"])
    assert any('Origin is "null"' in reason for reason in result["reasons"])


def test_observed_allow_origin_words_of_the_lab_are_named(observe):
    result = observe(
        [{"url": f"{API}/a", "preflight": NOT_SENT, "actual": exchange(200, Access_Control_Allow_Origin="echo")}]
    )
    assert result["literal"] == ["echo"]


def test_observed_preflight_only_stops_at_the_preflights_verdict(observe):
    hop = {"url": f"{API}/a", "preflight": NOT_SENT, "actual": NOT_SENT}
    planned = observe([hop], method="PUT", headers={"X-Lab-Token": "t", "DPR": "2"}, preflight_only=True)
    assert planned["preflightRequest"] == {"method": "PUT", "headers": "x-lab-token"}
    answered = exchange(
        204,
        Access_Control_Allow_Origin=TRUSTED,
        Access_Control_Allow_Methods="PUT",
        Access_Control_Allow_Headers="X-Lab-Token",
    )
    result = observe([{**hop, "preflight": answered}], method="PUT", headers={"X-Lab-Token": "t"}, preflight_only=True)
    assert (result["allowed"], result["console"], result["sent"]) == (True, [], False)
    assert result["reasons"][-2] == ENGLISH["reason.preflight.passed"]
    simple = observe([hop], preflight_only=True)
    assert simple["preflightRequest"] is None and simple["reasons"] == [ENGLISH["reason.simple"]]


# The whole fix (static/js/model/fix-plan.js): every header each answer needs, in one go, checked.
STARLETTE_PREFLIGHT = exchange(
    400,
    access_control_allow_origin=TRUSTED,
    access_control_allow_methods="DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
    access_control_allow_headers="Accept, Accept-Language, Content-Language, Content-Type, x-requested-with",
)


def test_the_whole_fix_of_a_refused_header_names_the_header_not_a_method(observe):
    """Starlette answers a preflight that asks for a header it does not allow with a 400: the fix
    is Allow-Headers: authorization (and a 2xx), and no Allow-Methods for a GET."""
    hop = {"url": f"{API}/items", "preflight": STARLETTE_PREFLIGHT, "actual": NOT_SENT}
    result = observe([hop], headers={"Authorization": "Bearer t"})
    assert result["kind"] == "preflight-invalid-status"
    plan = result["plan"]
    assert plan["preflight"] == {
        "status": 204,
        "headers": [
            ["Access-Control-Allow-Origin", TRUSTED],
            ["Vary", "Origin"],
            ["Access-Control-Allow-Headers", "authorization"],
        ],
    }
    assert plan["readable"] is True and plan["console"] == []
    assert "PUT" not in json.dumps(plan) and "PUT" not in json.dumps(result["fix"])


def test_the_whole_fix_of_a_delete_without_a_preflight_route(observe):
    """A credentialed DELETE whose OPTIONS gets no CORS headers at all: origin, method, credentials
    and Vary, on the preflight and on every answer, at once."""
    hop = {"url": f"{API}/items/1", "preflight": exchange(200, Allow="GET, HEAD, DELETE"), "actual": NOT_SENT}
    plan = observe([hop], method="DELETE", credentials=True)["plan"]
    common = [
        ["Access-Control-Allow-Origin", TRUSTED],
        ["Vary", "Origin"],
        ["Access-Control-Allow-Credentials", "true"],
    ]
    assert plan["preflight"]["headers"] == [*common, ["Access-Control-Allow-Methods", "DELETE"]]
    assert plan["actual"]["headers"] == common and plan["readable"] is True
    assert observe([{**hop, "preflight": STARLETTE_PREFLIGHT}], method="patch")["plan"]["method"] == "patch"


def test_the_whole_fix_of_an_error_answer_and_of_a_redirect(observe):
    plan = observe([{"url": f"{API}/boom", "preflight": NOT_SENT, "actual": exchange(500)}])["plan"]
    assert (plan["preflight"], plan["errors"]["statuses"], plan["readable"]) == (None, [500], True)
    redirected = exchange(301, Location="/items/")
    hop = {"url": f"{API}/items", "preflight": redirected, "actual": NOT_SENT}
    plan = observe([hop], method="POST", headers={"Content-Type": "application/json"})["plan"]
    assert plan["redirect"] == {"from": f"{API}/items", "to": f"{API}/items/", "status": 301, "on": "preflight"}
    assert plan["url"] == f"{API}/items/" and plan["readable"] is True
    assert (
        observe([{**hop, "preflight": NOT_SENT, "actual": exchange(200, Access_Control_Allow_Origin=TRUSTED)}])["plan"]
        is None
    )


def test_explain_names_your_method_where_the_message_does_not(js):
    fixes = js.evaluate(
        """async () => {
            const { fixFor } = await import('/js/model/explain-fix.js');
            return [fixFor({ kind: 'preflight-invalid-status', preflight: true }, 'http://a.example'),
                    fixFor({ kind: 'preflight-invalid-status', preflight: true, method: 'GET' }, 'http://a.example'),
                    fixFor({ kind: 'method-disallowed-by-preflight-response', preflight: true, method: 'DELETE' }, 'http://a.example')];
        }"""
    )
    assert "Access-Control-Allow-Methods: <your method>" in fixes[0]["headers"]
    assert not any("Allow-Methods" in line for line in fixes[1]["headers"])
    assert "Access-Control-Allow-Methods: DELETE" in fixes[2]["headers"] and 'methods=["DELETE"]' in fixes[2]["flask"]
    assert "PUT" not in json.dumps(fixes)


# The fix in the user's framework (static/js/model/framework-fix.js): recognised from the answers; each
# framework's edit is proven with the real package by make test-packages (tests/packages/test_frameworks.py).
@pytest.mark.parametrize(
    ("headers", "framework"),
    [
        ({"Server": "uvicorn"}, "fastapi"),
        ({"X-Powered-By": "Express"}, "express"),
        ({"Server": "nginx/1.22.1", "X-Powered-By": "Express"}, "nginx"),
        ({"Server": "Werkzeug/3.1.9 Python/3.11.7"}, "flask-cors"),
        ({"access-control-allow-headers": "accept, authorization, content-type, user-agent, x-csrftoken"}, "django"),
        ({"Server": "Apache"}, "raw"),
    ],
)
def test_the_framework_is_recognised_from_the_answers(observe, headers, framework):
    hop = {"url": f"{API}/items", "preflight": NOT_SENT, "actual": exchange(500, **headers)}
    plan = observe([hop])["plan"]
    assert plan["framework"]["name"] == framework
    assert set(plan["frameworks"]) == {"flask-cors", "fastapi", "express", "django", "nginx", "raw"}


def test_the_framework_level_cause_is_named(observe):
    preflight = exchange(
        400, server="uvicorn", **{k.replace("-", "_"): v for k, v in STARLETTE_PREFLIGHT["headers"].items()}
    )
    fastapi = observe(
        [{"url": f"{API}/items", "preflight": preflight, "actual": NOT_SENT}], headers={"Authorization": "t"}
    )
    fix = fastapi["plan"]["frameworks"]["fastapi"]
    assert [cause["id"] for cause in fix["causes"]] == ["header-not-allowed"]
    assert 'allow_headers=["authorization"]' in fix["code"] and 'allow_methods=["GET"]' in fix["code"]
    express = exchange(200, X_Powered_By="Express", Allow="DELETE")
    hop = {"url": f"{API}/items", "preflight": express, "actual": NOT_SENT}
    fix = observe([hop], method="DELETE")["plan"]["frameworks"]["express"]
    assert "no-options-route" in [cause["id"] for cause in fix["causes"]]
    assert "app.options('/items', cors(corsOptions))" in fix["code"] and "'*'" not in fix["code"].split("//")[0]


def test_where_the_headers_must_go_starts_with_the_response_that_failed(js):
    """A simple GET that failed on its actual response: the fix names the actual response first,
    and the preflight's only where the request has one."""
    simple = (
        "Access to XMLHttpRequest at 'http://localhost:8001/x' from origin 'http://localhost:8000' has been blocked by "
        "CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
    )
    preflight = (
        "Access to fetch at 'http://localhost:8001/x' from origin 'http://localhost:8000' has been blocked by CORS "
        "policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."
    )
    wheres = js.evaluate(
        """async (lines) => {
          const { explainError } = await import('/js/model/explain-error.js');
          const { fixFor } = await import('/js/model/explain-fix.js');
          return lines.map((line) => fixFor(explainError(line), 'http://page').where);
        }""",
        [simple, preflight],
    )
    assert wheres == [["actual", "errors", "preflight-if-any"], ["preflight"]]
