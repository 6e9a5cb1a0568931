import pytest

from tests.conftest import TRUSTED, UNTRUSTED, cors_header_names


def preflight(client, origin=TRUSTED, method="PUT", headers=None):
    request_headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        request_headers["Access-Control-Request-Headers"] = headers
    return client.options("/preflight", headers=request_headers)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_allowed_origin_may_use_the_non_simple_methods(client, method):
    response = preflight(client, method=method, headers="x-lab-token,content-type")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert method in [m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")]
    allowed_headers = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert allowed_headers == {"x-lab-token", "content-type"}
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert "Origin" in response.headers["Vary"]


def test_refused_origin_gets_200_and_no_access_control_header_at_all(client):
    response = preflight(client, origin=UNTRUSTED, headers="x-lab-token")
    assert response.status_code == 200
    assert cors_header_names(response) == []
    assert "Origin" in response.headers["Vary"]


def test_a_header_not_on_the_list_is_not_allowed(client):
    response = preflight(client, headers="x-other")
    assert "x-other" not in response.headers.get("Access-Control-Allow-Headers", "").lower()


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_actual_request_gets_the_exact_origin_and_echoes_json(client, method):
    response = client.open(
        "/preflight",
        method=method,
        headers={"Origin": TRUSTED, "X-Lab-Token": "t0k"},
        json={"hello": "cors"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    body = response.get_json()
    assert (body["method"], body["x_lab_token"], body["json"]) == (method, "t0k", {"hello": "cors"})


def test_malformed_json_is_a_400_that_says_so(client):
    response = client.put(
        "/preflight", headers={"Origin": TRUSTED, "Content-Type": "application/json"}, data='{"hello": '
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "malformed_json"
    assert "not valid JSON" in body["message"]
    # The error is still readable by the allowed page, so it can show the message.
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
