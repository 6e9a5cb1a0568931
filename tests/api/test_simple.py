import pytest

from tests.conftest import LOOKALIKE_ORIGINS, TRUSTED, UNTRUSTED, cors_header_names


def test_allowed_origin_gets_its_exact_origin_back(client):
    response = client.get("/simple", headers={"Origin": TRUSTED})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("origin", LOOKALIKE_ORIGINS)
def test_refused_origin_gets_a_normal_answer_without_cors_headers(client, origin):
    response = client.get("/simple", headers={"Origin": origin})
    assert response.status_code == 200
    assert cors_header_names(response) == []
    assert "Origin" in response.headers["Vary"]


def test_request_without_origin_still_varies_on_origin(client):
    response = client.get("/simple")
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_post_echoes_method_origin_and_content_type(client, content_type):
    response = client.post("/simple", headers={"Origin": TRUSTED, "Content-Type": content_type}, data="a=b")
    assert response.get_json() == {
        "endpoint": "/simple",
        "method": "POST",
        "origin": TRUSTED,
        "content_type": content_type,
    }
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED


def test_head_is_answered_with_cors_headers(client):
    response = client.head("/simple", headers={"Origin": TRUSTED})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED


def test_put_is_not_a_simple_method_here(client):
    assert client.put("/simple", headers={"Origin": TRUSTED}).status_code == 405


def test_health_is_public_and_names_the_allowlist(client):
    response = client.get("/health", headers={"Origin": UNTRUSTED})
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "allowed_origins": [TRUSTED]}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
