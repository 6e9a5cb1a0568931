"""Unit tests of static/js/model/cors-model.js, run in Chromium's JavaScript engine with none of
the lab's servers (see conftest.py): the model is configured with the lab contract, as the
playground configures it from /config.json."""

import pytest

from tests.model.conftest import outcome, predict

ORIGIN = "http://localhost:8000"


@pytest.fixture(scope="module")
def model(js):
    return js


SIMPLE_ALLOWED = (False, True, True)
SIMPLE_REFUSED = (False, True, False)
PREFLIGHT_REFUSED = (True, False, False)
PREFLIGHT_ALLOWED = (True, True, True)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({}, SIMPLE_REFUSED, id="no-allow-origin"),
        pytest.param({"acao": "echo"}, SIMPLE_ALLOWED, id="exact-origin"),
        pytest.param({"acao": "*"}, SIMPLE_ALLOWED, id="star"),
        pytest.param({"acao": ORIGIN + "/"}, SIMPLE_REFUSED, id="trailing-slash"),
        pytest.param({"acao": "null"}, SIMPLE_REFUSED, id="literal-null"),
        pytest.param({"acao": f"{ORIGIN}, {ORIGIN}"}, SIMPLE_REFUSED, id="two-values"),
        pytest.param({"acao": "echo", "status": "500"}, SIMPLE_ALLOWED, id="status-500-still-readable"),
        pytest.param({"credentials": True, "acao": "*", "acac": "true"}, SIMPLE_REFUSED, id="star-with-credentials"),
        pytest.param({"credentials": True, "acao": "echo"}, SIMPLE_REFUSED, id="credentials-without-acac"),
        pytest.param({"credentials": True, "acao": "echo", "acac": "True"}, SIMPLE_REFUSED, id="acac-True"),
        pytest.param({"credentials": True, "acao": "echo", "acac": " true "}, SIMPLE_ALLOWED, id="acac-trimmed"),
        pytest.param({"credentials": True, "acao": "echo", "acac": "true"}, SIMPLE_ALLOWED, id="credentials-allowed"),
        pytest.param({"method": "HEAD", "acao": "echo"}, SIMPLE_ALLOWED, id="head-simple"),
        pytest.param(
            {"method": "POST", "headers": {"Content-Type": "text/plain;charset=UTF-8"}, "acao": "echo"},
            SIMPLE_ALLOWED,
            id="text-plain-charset",
        ),
        pytest.param(
            {"method": "POST", "headers": {"Content-Type": 'text/plain; a="b"'}, "acao": "echo"},
            PREFLIGHT_REFUSED,
            id="quote-in-content-type",
        ),
        pytest.param(
            {"method": "POST", "headers": {"Content-Type": "application/json"}, "acao": "echo"},
            PREFLIGHT_REFUSED,
            id="json-needs-acah",
        ),
        pytest.param(
            {"method": "POST", "headers": {"Content-Type": "application/json"}, "acao": "echo", "acah": "content-type"},
            PREFLIGHT_ALLOWED,
            id="json-allowed",
        ),
        pytest.param({"headers": {"Accept": "a" * 129}, "acao": "echo"}, PREFLIGHT_REFUSED, id="accept-129-bytes"),
        pytest.param(
            {"headers": {"Accept-Language": "en_US"}, "acao": "echo"},
            PREFLIGHT_REFUSED,
            id="accept-language-underscore",
        ),
        pytest.param(
            {"headers": {"Accept-Language": "en-US,en;q=0.9"}, "acao": "echo"}, SIMPLE_ALLOWED, id="accept-language-ok"
        ),
        pytest.param({"headers": {"Range": "bytes=0-1"}, "acao": "echo"}, SIMPLE_ALLOWED, id="range-safelisted"),
        pytest.param({"headers": {"Range": "bytes=-500"}, "acao": "echo"}, PREFLIGHT_REFUSED, id="suffix-range"),
        pytest.param({"headers": {"Last-Event-ID": "1"}, "acao": "echo"}, PREFLIGHT_REFUSED, id="last-event-id"),
        pytest.param({"headers": {"Cookie": "a=b"}, "acao": "echo"}, SIMPLE_ALLOWED, id="forbidden-header-dropped"),
        pytest.param({"method": "PUT", "acao": "echo"}, PREFLIGHT_REFUSED, id="put-without-acam"),
        pytest.param({"method": "PUT", "acao": "echo", "acam": "PUT"}, PREFLIGHT_ALLOWED, id="put-allowed"),
        pytest.param({"method": "PUT", "acao": "echo", "acam": "put"}, PREFLIGHT_REFUSED, id="acam-case-sensitive"),
        pytest.param({"method": "put", "acao": "echo", "acam": "PUT"}, PREFLIGHT_ALLOWED, id="put-upper-cased"),
        pytest.param({"method": "patch", "acao": "echo", "acam": "PATCH"}, PREFLIGHT_REFUSED, id="lowercase-patch"),
        pytest.param(
            {"method": "patch", "acao": "echo", "acam": "patch"}, PREFLIGHT_ALLOWED, id="lowercase-patch-listed"
        ),
        pytest.param({"method": "PATCH", "acao": "echo", "acam": "*"}, PREFLIGHT_ALLOWED, id="method-star"),
        pytest.param(
            {"method": "PATCH", "credentials": True, "acao": "echo", "acac": "true", "acam": "*"},
            PREFLIGHT_REFUSED,
            id="method-star-credentials",
        ),
        pytest.param(
            {"method": "PUT", "acao": "echo", "acam": "PUT,"}, PREFLIGHT_ALLOWED, id="empty-list-element-skipped"
        ),
        pytest.param({"method": "PUT", "acao": "echo", "acam": "PUT, GET X"}, PREFLIGHT_REFUSED, id="unparsable-acam"),
        pytest.param(
            {"method": "PUT", "acao": "echo", "acam": "PUT", "preflight_status": "403"},
            PREFLIGHT_REFUSED,
            id="preflight-403",
        ),
        pytest.param(
            {"method": "PUT", "acao": "echo", "acam": "PUT", "preflight_status": "304"},
            PREFLIGHT_REFUSED,
            id="preflight-304",
        ),
        pytest.param(
            {"method": "PUT", "acao": "echo", "acam": "PUT", "preflight_status": "299"},
            PREFLIGHT_ALLOWED,
            id="preflight-299",
        ),
        pytest.param(
            {"method": "PUT", "acam": "PUT", "acao": "echo", "credentials": True},
            PREFLIGHT_REFUSED,
            id="preflight-needs-acac",
        ),
        pytest.param({"headers": {"X-Lab-Token": "t"}, "acao": "*", "acah": "*"}, PREFLIGHT_ALLOWED, id="header-star"),
        pytest.param(
            {"headers": {"X-Lab-Token": "t"}, "acao": "echo", "acah": "X-LAB-TOKEN"},
            PREFLIGHT_ALLOWED,
            id="header-names-case-insensitive",
        ),
        pytest.param(
            {"headers": {"X-Lab-Token": "t"}, "credentials": True, "acao": "echo", "acac": "true", "acah": "*"},
            PREFLIGHT_REFUSED,
            id="header-star-credentials",
        ),
        pytest.param({"method": "CONNECT", "acao": "*"}, (False, False, False), id="forbidden-method"),
    ],
)
def test_predict(model, kwargs, expected):
    assert outcome(predict(model, **kwargs)) == expected


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        pytest.param({"acao": ORIGIN + "/"}, "byte for byte", id="trailing-slash"),
        pytest.param({"method": "patch", "acao": "echo", "acam": "PATCH"}, "upper-cases only", id="lowercase-patch"),
        pytest.param({"credentials": True, "acao": "echo", "acac": "True"}, "case matters", id="acac-True"),
        pytest.param(
            {"method": "PUT", "acao": "echo", "acam": "PUT", "preflight_status": "403"}, "2xx", id="preflight-403"
        ),
    ],
)
def test_reasons_name_the_rule(model, kwargs, words):
    assert any(words in reason for reason in predict(model, **kwargs)["reasons"])


def test_authorization_under_star_names_the_chromium_deviation(model):
    prediction = predict(model, headers={"Authorization": "Bearer t"}, acao="echo", acah="*")
    assert outcome(prediction) == PREFLIGHT_ALLOWED
    assert any("Chromium" in reason and "Fetch standard" in reason for reason in prediction["reasons"])
    # The other engines' versions come from verified.js's VERIFIED, the one place they are written.
    assert any("Firefox 153.8 ESR and WebKitGTK 2.50.6" in reason for reason in prediction["reasons"])


@pytest.mark.parametrize(
    ("max_age", "seconds", "words"),
    [
        pytest.param(None, 5, "default", id="absent-5s"),
        pytest.param("0", 0, None, id="zero"),
        pytest.param("-1", 0, "the default of 5 s", id="negative-is-0-in-chromium"),
        pytest.param("86400", 7200, "Chromium 7200 s, Firefox 86400 s, WebKit 600 s", id="capped"),
        pytest.param("10.5", 5, "not a whole number", id="fraction-keeps-the-default"),
        pytest.param("+10", 5, "not a whole number", id="plus-sign-keeps-the-default"),
    ],
)
def test_max_age(model, max_age, seconds, words):
    policy = {"acao": "echo", "acam": "PUT"} | ({"max_age": max_age} if max_age is not None else {})
    prediction = predict(model, method="PUT", **policy)
    assert prediction["cacheSeconds"] == seconds
    if words:
        assert any(words in reason for reason in prediction["reasons"])
    assert not any("cap on Max-Age" in reason for reason in prediction["reasons"]) or max_age == "86400"
    assert not any("{" in reason for reason in prediction["reasons"]), "a placeholder left unfilled"


@pytest.mark.parametrize(
    ("credentials", "aceh", "exposed"),
    [
        pytest.param(False, "X-Lab-Custom", ["x-lab-custom"], id="listed"),
        pytest.param(False, "*", ["*"], id="star"),
        pytest.param(True, "*", [], id="star-with-credentials-exposes-nothing"),
        pytest.param(True, "*, X-Lab-Custom", ["x-lab-custom"], id="star-and-name-with-credentials"),
    ],
)
def test_exposed_headers(model, credentials, aceh, exposed):
    policy = {"acao": "echo", "aceh": aceh} | ({"acac": "true"} if credentials else {})
    assert predict(model, credentials=credentials, **policy)["exposedHeaders"] == exposed


@pytest.mark.parametrize(
    "text", ["line\u2028separator", "paragraph\u2029separator", "</script><script>alert(1)</script>"]
)
def test_jsonp_literal_is_valid_javascript_in_the_browser(model, text):
    """The API's JSONP payload must parse as JavaScript whatever the data holds."""
    from api_server.jsonp import javascript_literal

    literal = javascript_literal({"text": text})
    assert model.evaluate("(source) => new Function(`return ${source};`)().text", literal) == text


@pytest.mark.parametrize(
    ("pattern", "value", "parsed"),
    [
        pytest.param(None, "PUT, X-Lab-Token", ["PUT", "X-Lab-Token"], id="the-contract-token"),
        pytest.param(None, "PUT, GET X", None, id="the-contract-refuses-a-space"),
        pytest.param("^[a-z]+$", "put, patch", ["put", "patch"], id="another-pattern-lowercase"),
        pytest.param("^[a-z]+$", "PUT", None, id="another-pattern-refuses-uppercase"),
    ],
)
def test_header_lists_parse_with_the_contracts_pattern(model, contract, pattern, value, parsed):
    """The model has no token pattern of its own: configure() gives it the contract's. A fresh
    instance of the module (another URL) is configured here, leaving the shared one alone."""
    configured = contract | ({"header_name_pattern": pattern} if pattern else {})
    result = model.evaluate(
        """async ([contract, value]) => {
            const fresh = await import(`/js/model/cors-model.js?pattern=${encodeURIComponent(contract.header_name_pattern)}`);
            fresh.configure(contract);
            return fresh.parseList(value);
        }""",
        [configured, value],
    )
    assert result == parsed


def test_an_unconfigured_model_says_so(model):
    error = model.evaluate(
        """async () => {
            const fresh = await import('/js/model/cors-model.js?unconfigured');
            try {
                fresh.predict({ pageOrigin: 'http://a.test', method: 'PUT', headers: {}, credentials: false }, { acam: 'PUT' });
                return null;
            } catch (error) {
                return error.message;
            }
        }"""
    )
    assert error is not None and "configure(contract)" in error
