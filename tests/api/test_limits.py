import pytest

from tests.conftest import TRUSTED

ONE_MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/simple"),
        ("POST", "/no-cors"),
        ("PUT", "/preflight"),
        ("GET", "/expose"),
        ("POST", "/credentials/login"),
        ("GET", "/jsonp?callback=cb"),
        ("POST", "/lab"),
        ("GET", "/log?run=x"),
        ("GET", "/health"),
    ],
)
def test_body_over_one_mib_is_413_on_every_endpoint(client, method, path):
    response = client.open(path, method=method, data=b"x" * (ONE_MIB + 1), headers={"Origin": TRUSTED})
    assert response.status_code == 413
    assert response.get_json()["error"] == "request_entity_too_large"


def test_body_of_exactly_one_mib_is_accepted(client):
    assert client.post("/no-cors", data=b"x" * ONE_MIB).status_code == 200


def test_unknown_path_is_a_json_404(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


@pytest.mark.parametrize("depth", [1, 64, 65, 990, 5000, 100_000])
@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
def test_nested_json_is_echoed_or_a_400_naming_the_body_never_a_500(client, depth, closed):
    body = "[" * depth + ("]" * depth if closed else "")
    response = client.put("/preflight", data=body, headers={"Content-Type": "application/json"})
    if closed and depth <= 64:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert response.get_json()["parameter"] == "body"
