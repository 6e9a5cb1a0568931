"""The lab's own servers against the attacks its security pages show."""

import pytest

from tests.api.conftest import LAB_KEY
from tests.conftest import LOOKALIKE_ORIGINS, TRUSTED

# Every endpoint whose CORS headers depend on Origin: (method, path, extra request headers).
ORIGIN_DEPENDENT = [
    pytest.param("GET", "/simple", {}, id="simple"),
    pytest.param("OPTIONS", "/preflight", {"Access-Control-Request-Method": "PUT"}, id="preflight-options"),
    pytest.param("PUT", "/preflight", {}, id="preflight-put"),
    pytest.param("GET", "/expose", {}, id="expose"),
    pytest.param("GET", "/data", {}, id="data"),
    pytest.param("POST", "/credentials/login", {}, id="login"),
    pytest.param("GET", "/credentials/whoami", {}, id="whoami"),
    pytest.param("GET", "/credentials/no-allow-credentials", {}, id="no-allow-credentials"),
    pytest.param("GET", "/lab?acao=echo", {}, id="lab-echo"),
    pytest.param("GET", f"/security/secret/exact?lab_key={LAB_KEY}", {}, id="security-exact"),
]
# All but /lab?acao=echo, which reflects any origin on purpose.
ORIGIN_DEPENDENT_SAFE = [p for p in ORIGIN_DEPENDENT if p.id != "lab-echo"]


@pytest.mark.parametrize(("method", "path", "headers"), ORIGIN_DEPENDENT_SAFE)
@pytest.mark.parametrize("origin", LOOKALIKE_ORIGINS)
def test_allowlist_compares_exact_origins_everywhere(client, method, path, headers, origin):
    response = client.open(path, method=method, headers={"Origin": origin, **headers})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(("method", "path", "headers"), ORIGIN_DEPENDENT_SAFE)
def test_two_origin_headers_get_no_allow_origin(client, method, path, headers):
    both = [("Origin", TRUSTED), ("Origin", "http://evil.localhost"), *headers.items()]
    response = client.open(path, method=method, headers=both)
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(("method", "path", "headers"), ORIGIN_DEPENDENT)
@pytest.mark.parametrize("origin", [TRUSTED, "http://127.0.0.1:8000", None], ids=["allowed", "refused", "absent"])
def test_vary_origin_whenever_the_answer_depends_on_origin(client, method, path, headers, origin):
    request_headers = dict(headers) | ({"Origin": origin} if origin else {})
    response = client.open(path, method=method, headers=request_headers)
    assert "Origin" in [value.strip() for value in response.headers.get("Vary", "").split(",")]


@pytest.mark.parametrize(("method", "path", "headers"), ORIGIN_DEPENDENT)
def test_private_network_access_is_never_granted(client, method, path, headers):
    response = client.open(
        path, method=method, headers={"Origin": TRUSTED, "Access-Control-Request-Private-Network": "true", **headers}
    )
    assert response.headers.get("Access-Control-Allow-Private-Network") != "true"


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("samesite=Lax%0D%0ASet-Cookie:%20evil=1", id="crlf-in-samesite"),
        pytest.param("samesite=Lax%0A", id="lf-in-samesite"),
    ],
)
def test_crlf_never_reaches_a_header(client, query):
    response = client.post(f"/credentials/login?{query}", headers={"Origin": TRUSTED})
    assert response.status_code == 400
    assert "evil" not in str(response.headers)
