"""cors-model.js on what real CORS meets beyond one request and one answer: the preflight's own
policy, header lines sent twice, redirects, and Chromium's extra safelisted request headers.
Each rule was first observed in Chromium 156 against /lab (docs/browser-facts.md, "Where real
CORS breaks"); the e2e matrix checks the model against Chromium on these dimensions."""

import pytest

from tests.model.conftest import outcome
from tests.model.conftest import predict as predict_from_the_page

ORIGIN = "http://localhost:8000"
API = "http://localhost:8001"
ALIAS = "http://127.0.0.1:8001"


@pytest.fixture(scope="module")
def model(js):
    return js


def predict(model, *args, **kwargs):
    return predict_from_the_page(model, *args, target=API, **kwargs)


def wire(prediction):
    return [(entry["method"], entry["hop"], entry["origin"]) for entry in prediction["wire"]]


PUT = {"method": "PUT", "acao": "echo", "acam": "PUT"}


@pytest.mark.parametrize(
    ("kwargs", "expected", "reason"),
    [
        pytest.param(
            {**PUT, "acao": None, "pf_acao": "echo"},
            (True, True, False),
            "has no Access-Control-Allow-Origin",
            id="preflight-passes-answer-lacks-allow-origin",
        ),
        pytest.param(
            {**PUT, "pf_acam": "DELETE"},
            (True, False, False),
            "not in Access-Control-Allow-Methods (DELETE)",
            id="pf-acam-overrides",
        ),
        pytest.param(
            {**PUT, "acao": "*", "pf_acao": "echo"}, (True, True, True), "headers of its own", id="pf-acao-echo"
        ),
        pytest.param({"acao": ["*", "*"]}, (False, True, False), 'several values ("*, *")', id="star-twice"),
        pytest.param({"acao": ["echo", "echo"]}, (False, True, False), "several values", id="echo-twice"),
        pytest.param({"acao": ["none", "echo"]}, (False, True, True), "allows this origin", id="none-and-echo"),
        pytest.param(
            {"credentials": True, "acao": "echo", "acac": ["true", "true"]},
            (False, True, False),
            '"true, true" is not exactly "true"',
            id="acac-twice",
        ),
        pytest.param({**PUT, "acam": ["PATCH", "PUT"]}, (True, True, True), '"PATCH, PUT"', id="acam-lines-combined"),
        pytest.param(
            {**PUT, "acam": ["PUT", "P(T"]}, (True, False, False), "cannot be parsed", id="acam-second-line-bad"
        ),
        pytest.param(
            {**PUT, "acah": ["X-A", "X-Lab-Token"], "headers": {"X-Lab-Token": "t", "X-A": "a"}},
            (True, True, True),
            "2 header lines",
            id="acah-lines-combined",
        ),
        pytest.param(
            {**PUT, "pf_acao": ["*", "*"]},
            (True, False, False),
            "preflight response's Access-Control-Allow-Origin holds",
            id="pf-acao-twice",
        ),
    ],
)
def test_separate_preflight_and_doubled_headers(model, kwargs, expected, reason):
    policy = {key: value for key, value in kwargs.items() if value is not None}
    prediction = predict(model, **policy)
    assert outcome(prediction) == expected
    assert any(reason in text for text in prediction["reasons"]), prediction["reasons"]


def test_the_preflight_max_age_sets_the_cache(model):
    assert predict(model, **PUT, max_age="600", pf_max_age="0")["cacheSeconds"] == 0
    assert predict(model, **PUT, max_age="0", pf_max_age="600")["cacheSeconds"] == 600


SAME = "/lab?acao=echo"
CROSS = f"{ALIAS}/lab?acao=echo"


@pytest.mark.parametrize(
    ("kwargs", "expected_wire", "allowed"),
    [
        pytest.param(
            {**PUT, "redirect": "307", "redirect_on": "preflight", "location": "/lab?acao=echo&acam=PUT"},
            [("OPTIONS", 0, ORIGIN)],
            False,
            id="preflight-redirect-fails",
        ),
        pytest.param(
            {"acao": "echo", "redirect": "302", "location": SAME},
            [("GET", 0, ORIGIN), ("GET", 1, ORIGIN)],
            True,
            id="same-origin-redirect",
        ),
        pytest.param(
            {"redirect": "302", "location": SAME}, [("GET", 0, ORIGIN)], False, id="redirect-needs-allow-origin"
        ),
        pytest.param(
            {"acao": "echo", "redirect": "302", "location": CROSS},
            [("GET", 0, ORIGIN), ("GET", 1, "null")],
            True,
            id="cross-origin-echo-null",
        ),
        pytest.param(
            {"acao": "echo", "redirect": "302", "location": f"{ALIAS}/lab?acao={ORIGIN}"},
            [("GET", 0, ORIGIN), ("GET", 1, "null")],
            False,
            id="cross-origin-page-origin-fails",
        ),
        pytest.param(
            {
                "acao": "echo",
                "acac": "true",
                "credentials": True,
                "redirect": "302",
                "location": f"{ALIAS}/lab?acao=*&acac=true",
            },
            [("GET", 0, ORIGIN), ("GET", 1, "null")],
            False,
            id="cross-origin-star-credentials",
        ),
        pytest.param(
            {"method": "POST", "acao": "echo", "redirect": "301", "location": SAME},
            [("POST", 0, ORIGIN), ("GET", 1, ORIGIN)],
            True,
            id="301-post-to-get",
        ),
        pytest.param(
            {"method": "POST", "acao": "echo", "redirect": "307", "location": SAME},
            [("POST", 0, ORIGIN), ("POST", 1, ORIGIN)],
            True,
            id="307-keeps-post",
        ),
        pytest.param(
            {**PUT, "redirect": "301", "location": SAME},
            [("OPTIONS", 0, ORIGIN), ("PUT", 0, ORIGIN), ("OPTIONS", 1, ORIGIN)],
            False,
            id="301-keeps-put",
        ),
        pytest.param(
            {**PUT, "redirect": "303", "location": SAME},
            [("OPTIONS", 0, ORIGIN), ("PUT", 0, ORIGIN), ("GET", 1, ORIGIN)],
            True,
            id="303-put-to-get",
        ),
        pytest.param(
            {**PUT, "acah": "X-Lab-Token", "headers": {"X-Lab-Token": "t"}, "redirect": "303", "location": SAME},
            [("OPTIONS", 0, ORIGIN), ("PUT", 0, ORIGIN), ("OPTIONS", 1, ORIGIN)],
            False,
            id="303-keeps-custom-header",
        ),
        pytest.param(
            {
                "method": "POST",
                "headers": {"Content-Type": "application/json"},
                "acao": "echo",
                "acah": "Content-Type",
                "redirect": "302",
                "location": SAME,
            },
            [("OPTIONS", 0, ORIGIN), ("POST", 0, ORIGIN), ("GET", 1, ORIGIN)],
            True,
            id="302-drops-content-type",
        ),
        pytest.param(
            {**PUT, "redirect": "307", "location": f"{ALIAS}/lab?acao=echo&acam=PUT"},
            [("OPTIONS", 0, ORIGIN), ("PUT", 0, ORIGIN), ("OPTIONS", 1, "null"), ("PUT", 1, "null")],
            True,
            id="cross-origin-preflight-again",
        ),
        pytest.param(
            {
                "acao": "echo",
                "redirect": "302",
                "location": f"{ALIAS}/lab?acao=echo&redirect=302&location={API}/lab%3Facao%3Decho",
            },
            [("GET", 0, ORIGIN), ("GET", 1, "null"), ("GET", 2, "null")],
            True,
            id="null-stays-null",
        ),
        pytest.param(
            {"headers": {"Width": "1.5"}, "acao": "*", "acah": "*", "redirect": "302", "location": "/lab?acao=*"},
            [("OPTIONS", 0, ORIGIN), ("GET", 0, ORIGIN), ("GET", 1, ORIGIN)],
            True,
            id="client-hints-dropped",
        ),
        pytest.param(
            {
                "headers": {"Save-Data": "off"},
                "acao": "*",
                "acah": "*",
                "redirect": "302",
                "location": "/lab?acao=*&acah=*",
            },
            [("OPTIONS", 0, ORIGIN), ("GET", 0, ORIGIN), ("OPTIONS", 1, ORIGIN), ("GET", 1, ORIGIN)],
            True,
            id="save-data-kept",
        ),
    ],
)
def test_redirects(model, kwargs, expected_wire, allowed):
    prediction = predict(model, **kwargs)
    assert wire(prediction) == expected_wire
    assert prediction["allowed"] is allowed


@pytest.mark.parametrize(
    ("name", "value", "preflight"),
    [
        ("Save-Data", "on", False),
        ("Save-Data", "ON", False),
        ("Save-Data", " on ", False),
        ("Save-Data", "off", True),
        ("DPR", "2", False),
        ("DPR", "1.5", False),
        ("DPR", "0", False),
        ("DPR", " 2", False),
        ("DPR", "2.", True),
        ("DPR", ".5", True),
        ("DPR", "-1", True),
        ("DPR", "1e2", True),
        ("DPR", "1" * 129, True),
        ("Device-Memory", "0.5", False),
        ("Device-Memory", "1.25.5", True),
        ("Downlink", "0.25", False),
        ("Downlink", "1.", True),
        ("Width", "100", False),
        ("Width", "1.5", True),
        ("Width", "", True),
        ("Viewport-Width", "800", False),
        ("Viewport-Width", "8.0", True),
        ("RTT", "50", False),
        ("RTT", "1.5", True),
        ("ECT", "slow-2g", False),
        ("ECT", "4g", False),
        ("ECT", "4G", True),
        ("ECT", "5g", True),
        ("Intervention", "<x>", False),
        ("Viewport-Height", "100", True),
    ],
)
def test_chromium_extra_safelisted_headers(model, name, value, preflight):
    prediction = predict(model, headers={name: value}, acao="echo")
    assert prediction["preflight"] is preflight
    if preflight and name != "Viewport-Height" and len(value) <= 128:
        assert any("is not a value Chromium accepts" in text for text in prediction["reasons"])
    if not preflight:
        assert any("Chromium lets this header" in text for text in prediction["reasons"])


def server_code(model, policy, method="PUT"):
    return model.evaluate(
        """async ([policy, origin, method]) => (await import('/js/model/server-code.js')).serverCode(policy, origin, method)""",
        [policy, ORIGIN, method],
    )


def test_the_server_code_says_where_each_header_goes(model):
    code = server_code(
        model, {"acao": ["*", "*"], "pf_acao": "echo", "acam": "PUT", "aceh": "X-Lab-Custom", "max_age": "600"}
    )
    assert code["kind"] == "raw-headers"
    assert code["why"][0] == "server.why.doubled"
    preflight, actual = code["code"].split("    else:")
    assert 'response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "")' in preflight
    assert 'response.headers["Access-Control-Max-Age"] = "600"' in preflight
    assert "Expose-Headers" not in preflight
    assert actual.count('response.headers.add("Access-Control-Allow-Origin", "*")') == 2
    assert 'the browser reads "*, *"' in actual
    assert 'response.headers["Access-Control-Expose-Headers"] = "X-Lab-Custom"' in actual
    assert "Max-Age" not in actual and "Allow-Methods" not in actual


def test_the_server_code_of_a_redirect(model):
    code = server_code(model, {"acao": "echo", "redirect": "308", "redirect_on": "both", "location": "/lab?acao=echo"})
    assert code["why"][0] == "server.why.redirect"
    preflight, actual = code["code"].split("    else:")
    assert 'redirect("/lab?acao=echo", code=308)  # fails: a preflight is never followed' in preflight
    assert 'redirect("/lab?acao=echo", code=308)  # needs the CORS headers below' in actual


def test_a_policy_without_new_parameters_keeps_its_flask_cors_code(model):
    assert server_code(model, {"acao": "echo", "acam": "PUT", "max_age": "600"})["kind"] == "flask-cors"
