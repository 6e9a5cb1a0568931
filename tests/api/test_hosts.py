"""DNS rebinding: a site that points its own name at 127.0.0.1 reaches the API's port with its
own Host header. The API answers the Host names of its own origins only."""

import pytest


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("rebind.example:8001", id="rebound-name"),
        pytest.param("rebind.example", id="rebound-name-no-port"),
        pytest.param("localhost:8000", id="the-pages-host"),
        pytest.param("LOCALHOST:8001.evil", id="suffixed"),
        pytest.param("", id="empty"),
    ],
)
@pytest.mark.parametrize("path", ["/health", "/log?run=r", "/security/key", "/credentials//whoami?run=rebind"])
def test_foreign_hosts_are_refused_before_any_handler(client, log, host, path):
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 421
    assert response.get_json()["error"] == "unknown_host"
    assert "Location" not in response.headers
    assert "Access-Control-Allow-Origin" not in response.headers
    assert log("rebind") == []


@pytest.mark.parametrize("host", ["localhost:8001", "127.0.0.1:8001"])
def test_the_apis_own_hosts_are_served(client, host):
    assert client.get("/health", headers={"Host": host}).status_code == 200
