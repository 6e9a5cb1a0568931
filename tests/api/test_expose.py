from tests.conftest import TRUSTED, UNTRUSTED


def test_only_x_lab_exposed_is_listed(client):
    response = client.get("/expose", headers={"Origin": TRUSTED})
    assert response.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert response.headers["Access-Control-Expose-Headers"] == "X-Lab-Exposed"
    assert response.headers["X-Lab-Exposed"]
    assert response.headers["X-Lab-Hidden"]


def test_refused_origin_gets_no_expose_headers(client):
    response = client.get("/expose", headers={"Origin": UNTRUSTED})
    assert "Access-Control-Expose-Headers" not in response.headers
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_safelisted_response_headers_are_all_sent(client):
    response = client.get("/expose", headers={"Origin": TRUSTED})
    for name in (
        "Cache-Control",
        "Content-Language",
        "Content-Length",
        "Content-Type",
        "Expires",
        "Last-Modified",
        "Pragma",
    ):
        assert response.headers.get(name), name
