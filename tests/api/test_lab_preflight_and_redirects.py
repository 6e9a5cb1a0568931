"""/lab's preflight set apart from the actual response, headers sent twice, and redirects."""

import pytest

from tests.conftest import TRUSTED

PREFLIGHT = {"Origin": TRUSTED, "Access-Control-Request-Method": "PUT"}


def preflight(client, query):
    return client.options(f"/lab?{query}", headers=PREFLIGHT)


def actual(client, query, method="PUT"):
    return client.open(f"/lab?{query}", method=method, headers={"Origin": TRUSTED})


@pytest.mark.parametrize(
    ("query", "preflight_headers", "actual_headers"),
    [
        pytest.param(
            "acao=echo&acam=PUT",
            {"Access-Control-Allow-Origin": TRUSTED, "Access-Control-Allow-Methods": "PUT"},
            {"Access-Control-Allow-Origin": TRUSTED, "Access-Control-Allow-Methods": "PUT"},
            id="plain-sets-both",
        ),
        pytest.param(
            "pf_acao=echo&pf_acam=PUT",
            {"Access-Control-Allow-Origin": TRUSTED, "Access-Control-Allow-Methods": "PUT"},
            {"Access-Control-Allow-Origin": None, "Access-Control-Allow-Methods": None},
            id="preflight-passes-answer-lacks-allow-origin",
        ),
        pytest.param(
            "acao=*&pf_acao=echo",
            {"Access-Control-Allow-Origin": TRUSTED},
            {"Access-Control-Allow-Origin": "*"},
            id="preflight-overrides-acao",
        ),
        pytest.param(
            "max_age=600&pf_max_age=0",
            {"Access-Control-Max-Age": "0"},
            {"Access-Control-Max-Age": "600"},
            id="preflight-overrides-max-age",
        ),
        pytest.param(
            "acao=echo&pf_acah=X-Lab-Token",
            {"Access-Control-Allow-Origin": TRUSTED, "Access-Control-Allow-Headers": "X-Lab-Token"},
            {"Access-Control-Allow-Origin": TRUSTED, "Access-Control-Allow-Headers": None},
            id="preflight-adds-a-header",
        ),
    ],
)
def test_the_preflight_can_be_set_apart(client, query, preflight_headers, actual_headers):
    on_preflight, on_actual = preflight(client, query).headers, actual(client, query).headers
    assert {name: on_preflight.get(name) for name in preflight_headers} == preflight_headers
    assert {name: on_actual.get(name) for name in actual_headers} == actual_headers


@pytest.mark.parametrize(
    ("query", "header", "lines"),
    [
        pytest.param("acao=*&acao=*", "Access-Control-Allow-Origin", ["*", "*"], id="star-twice"),
        pytest.param("acao=echo&acao=*", "Access-Control-Allow-Origin", [TRUSTED, "*"], id="echo-then-star"),
        pytest.param(
            "acac=true&acac=true", "Access-Control-Allow-Credentials", ["true", "true"], id="credentials-twice"
        ),
    ],
)
def test_a_parameter_given_twice_is_sent_as_two_header_lines(client, query, header, lines):
    assert actual(client, query, "GET").headers.getlist(header) == lines
    assert preflight(client, query).headers.getlist(header) == lines


def test_a_repeated_echo_varies_on_origin(client):
    assert "Origin" in actual(client, "acao=echo&acao=echo", "GET").headers["Vary"]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_goes_to_the_next_hop_with_the_run_id(client, log, status):
    response = actual(client, f"redirect={status}&location=/lab%3Facao%3D*&acao=echo&run=hop", "GET")
    assert response.status_code == status
    assert response.headers["Location"] == "/lab?acao=%2A&run=hop"
    # The redirect carries this URL's own CORS policy.
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert [entry["status"] for entry in log("hop")] == [status]


def test_a_redirect_to_the_apis_other_origin_keeps_its_origin(client):
    response = actual(client, "redirect=307&location=http://127.0.0.1:8001/lab%3Facao%3Dnull", "GET")
    assert response.headers["Location"] == "http://127.0.0.1:8001/lab?acao=null"


@pytest.mark.parametrize(
    ("redirect_on", "preflight_redirects", "actual_redirects"),
    [("actual", False, True), ("preflight", True, False), ("both", True, True)],
)
def test_redirect_on_chooses_the_response(client, redirect_on, preflight_redirects, actual_redirects):
    query = f"redirect=308&location=/lab&redirect_on={redirect_on}&acao=echo&pf_acao=echo"
    assert (preflight(client, query).status_code == 308) is preflight_redirects
    assert (actual(client, query).status_code == 308) is actual_redirects


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        pytest.param("redirect=307&location=https://evil.example/lab", "location", id="another-site"),
        pytest.param("redirect=307&location=//evil.example/lab", "location", id="scheme-relative"),
        pytest.param("redirect=307&location=http://localhost:8000/lab", "location", id="the-pages-origin"),
        pytest.param("redirect=307&location=/simple", "location", id="not-lab"),
        pytest.param("redirect=307&location=/lab%3Fbogus%3D1", "location", id="next-hop-policy-invalid"),
        pytest.param("redirect=307", "location", id="no-location"),
        pytest.param("location=/lab", "location", id="location-without-redirect"),
        pytest.param("redirect=200&location=/lab", "redirect", id="not-a-redirect-status"),
        pytest.param("redirect=307&location=/lab&redirect_on=sometimes", "redirect_on", id="redirect-on-unknown"),
        pytest.param("pf_acao=a%0Db", "pf_acao", id="crlf-in-preflight-override"),
    ],
)
def test_bad_redirects_and_overrides_are_a_400_naming_the_parameter(client, query, parameter):
    response = actual(client, query, "GET")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == parameter
    assert "Location" not in response.headers
