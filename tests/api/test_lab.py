import pytest

from api_server.lab import Side, cors_headers
from tests.conftest import TRUSTED, UNTRUSTED, cors_header_names

PREFLIGHT = {"Origin": TRUSTED, "Access-Control-Request-Method": "PUT"}


@pytest.mark.parametrize(
    ("acao", "origin", "expected"),
    [
        pytest.param("none", TRUSTED, None, id="none-omits"),
        pytest.param("*", TRUSTED, "*", id="star"),
        pytest.param("echo", UNTRUSTED, UNTRUSTED, id="echo-reflects-any-origin"),
        pytest.param("echo", None, None, id="echo-without-origin"),
        pytest.param(TRUSTED + "/", TRUSTED, TRUSTED + "/", id="literal-trailing-slash"),
        pytest.param("null", TRUSTED, "null", id="literal-null"),
    ],
)
def test_allow_origin_policy(acao, origin, expected):
    assert dict(cors_headers(Side(acao=(acao,)), origin)).get("Access-Control-Allow-Origin") == expected


@pytest.mark.parametrize(
    ("parameter", "value", "header"),
    [
        ("acac", "True", "Access-Control-Allow-Credentials"),
        ("acam", "PATCH, DELETE", "Access-Control-Allow-Methods"),
        ("acah", "*", "Access-Control-Allow-Headers"),
        ("aceh", "X-Lab-Custom", "Access-Control-Expose-Headers"),
        ("max_age", "-1", "Access-Control-Max-Age"),
    ],
)
@pytest.mark.parametrize("preflight", [True, False], ids=["preflight", "actual"])
def test_header_parameters_are_sent_literally_on_both_responses(client, parameter, value, header, preflight):
    headers = PREFLIGHT if preflight else {"Origin": TRUSTED}
    response = client.open(f"/lab?{parameter}={value}", method="OPTIONS" if preflight else "GET", headers=headers)
    assert response.headers[header] == value


def test_absent_parameters_send_no_cors_header(client):
    response = client.get("/lab", headers={"Origin": TRUSTED})
    assert cors_header_names(response) == []


def test_preflight_default_204_and_actual_default_200(client):
    assert client.options("/lab?acao=*", headers=PREFLIGHT).status_code == 204
    assert client.put("/lab?acao=*", headers={"Origin": TRUSTED}).status_code == 200


def test_statuses_are_set_separately(client):
    assert client.options("/lab?preflight_status=403&status=500", headers=PREFLIGHT).status_code == 403
    actual = client.delete("/lab?preflight_status=403&status=500", headers={"Origin": TRUSTED})
    assert actual.status_code == 500
    assert actual.get_json()["method"] == "DELETE"


def test_options_without_request_method_is_an_actual_request(client):
    response = client.options("/lab?status=202", headers={"Origin": TRUSTED})
    assert response.status_code == 202
    assert response.get_json()["method"] == "OPTIONS"


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "patch", "PROPFIND", "x-custom"])
def test_any_method_token_is_echoed_as_sent(client, method):
    response = client.open("/lab?acao=echo", method="GET", environ_overrides={"REQUEST_METHOD": method})
    assert response.status_code == 200
    assert response.get_json()["method"] == method


def test_body_echoes_headers_and_cookie_names_but_no_secrets(client):
    client.set_cookie("lab_session", "s3cret-value", domain="localhost")
    response = client.get(
        "/lab?acao=echo",
        headers={"Origin": TRUSTED, "X-Lab-Token": "abc", "Authorization": "Bearer s3cret-token"},
    )
    body = response.get_json()
    assert body["origin"] == TRUSTED
    assert body["headers"]["x-lab-token"] == "abc"
    assert body["cookies"] == ["lab_session"]
    assert "s3cret" not in response.get_data(as_text=True)
    assert response.headers["X-Lab-Custom"]


def test_cookie_names_are_shown_to_the_labs_pages_only(client):
    client.set_cookie("other_app_token", "v", domain="localhost")
    outside = client.get("/lab?acao=echo&acac=true", headers={"Origin": "http://localhost:3000"}).get_json()
    assert outside["cookies"] is None
    inside = client.get("/lab?acao=echo&acac=true", headers={"Origin": UNTRUSTED}).get_json()
    assert inside["cookies"] == ["other_app_token"]


@pytest.mark.parametrize(
    ("acao", "varies"),
    [("echo", True), ("*", False), ("none", False), (TRUSTED, False)],
)
def test_vary_origin_exactly_when_the_answer_depends_on_origin(client, acao, varies):
    response = client.get(f"/lab?acao={acao}", headers={"Origin": TRUSTED})
    assert ("Origin" in response.headers.get("Vary", "")) is varies


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        pytest.param("status=abc", "status", id="non-numeric-status"),
        pytest.param("status=%C2%B2%C2%B2%C2%B2", "status", id="superscript-digits"),
        pytest.param("status=0200", "status", id="four-digits"),
        pytest.param("status=199", "status", id="status-too-low"),
        pytest.param("status=600", "status", id="status-too-high"),
        pytest.param("preflight_status=-204", "preflight_status", id="negative-preflight-status"),
        pytest.param("acao=x%0D%0ASet-Cookie:%20a=b", "acao", id="crlf-in-acao"),
        pytest.param("acam=GET%0Ax", "acam", id="lf-in-acam"),
        pytest.param("aceh=%E2%80%A8", "aceh", id="non-ascii"),
        pytest.param("acah=" + "a" * 1025, "acah", id="too-long"),
        pytest.param("acoa=*", "acoa", id="misspelled-parameter"),
        pytest.param("status=200&status=500", "status", id="status-given-twice"),
        pytest.param("run=a&run=b", "run", id="run-given-twice"),
        pytest.param("run=no%20spaces", "run", id="bad-run-id"),
    ],
)
def test_bad_parameter_is_a_400_naming_it(client, query, parameter):
    for method, headers in (("GET", {"Origin": TRUSTED}), ("OPTIONS", PREFLIGHT)):
        response = client.open(f"/lab?{query}", method=method, headers=headers)
        assert response.status_code == 400
        assert response.get_json()["parameter"] == parameter
        assert parameter in response.get_json()["message"]
        assert "Set-Cookie" not in response.headers
