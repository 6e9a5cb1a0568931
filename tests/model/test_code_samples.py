"""The code the pages show (static/js/model/code-samples.js and the security lab's samples): it
names what the lab is configured with, never an origin or cookie of its own."""

import pytest

from lab_contract import published_contract

SESSION = published_contract()["session_cookie"]


def security_samples(js, config):
    return js.evaluate(
        """async (config) => {
            const { SCENARIOS, sampleParams } = await import('/js/catalogues/security-catalogue.js');
            const lab = sampleParams(config);
            return Object.fromEntries(SCENARIOS.flatMap((s) => s.variants.map((v) => [`${s.id}/${v.id}`, v.code(lab)])));
        }""",
        config,
    )


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [
        pytest.param(
            "http://localhost:8000",
            {
                "reflect-origin/safe": 'CORS(app, origins=["http://localhost:8000"], supports_credentials=True)',
                "null-origin/vulnerable": 'allowed = ["http://localhost:8000", "null"]',
                "origin-checks/prefix": 're.match(r"http://localhost", origin)',
                "origin-checks/suffix": 'origin.endswith("localhost:8000")',
                "origin-checks/substring": '"localhost:8000" in origin',
                "origin-checks/exact": 'origin in {"http://localhost:8000"}',
                "csrf/samesite-lax": f'response.set_cookie("{SESSION}", token, samesite="Lax")',
            },
            id="default-origin",
        ),
        pytest.param(
            "http://lab.localhost:9000",
            {
                "reflect-origin/safe": 'CORS(app, origins=["http://lab.localhost:9000"], supports_credentials=True)',
                "null-origin/safe": 'allowed = ["http://lab.localhost:9000"]',
                "origin-checks/prefix": 're.match(r"http://lab.localhost", origin)',
                "origin-checks/suffix": 'origin.endswith("lab.localhost:9000")',
                "origin-checks/substring": '"lab.localhost:9000" in origin',
            },
            id="changed-origin",
        ),
    ],
)
def test_security_samples_name_the_configured_origin_and_cookie(js, contract, trusted, expected):
    samples = security_samples(js, {"trusted_origin": trusted, "contract": contract})
    assert {key: samples[key] for key in expected} == expected
    if trusted != "http://localhost:8000":
        assert [code for code in samples.values() if "8000" in code] == []


@pytest.mark.parametrize(
    ("request_", "xhr", "fetch"),
    [
        pytest.param(
            {"method": "GET", "url": "http://api.test/simple"},
            'const xhr = new XMLHttpRequest();\nxhr.open("GET", "http://api.test/simple");',
            'fetch("http://api.test/simple", { method: "GET" })',
            id="simple-get",
        ),
        pytest.param(
            {
                "method": "PUT",
                "url": "http://api.test/p",
                "headers": {"X-Lab-Token": "t"},
                "body": "{}",
                "withCredentials": True,
            },
            'xhr.withCredentials = true;\nxhr.setRequestHeader("X-Lab-Token", "t");',
            'fetch("http://api.test/p", { method: "PUT", credentials: \'include\', headers: {"X-Lab-Token":"t"}, body: "{}" })',
            id="credentialed-put",
        ),
    ],
)
def test_request_samples(js, request_, xhr, fetch):
    sources = js.evaluate(
        """async (request) => {
            const { fetchSource, xhrSource } = await import('/js/model/code-samples.js');
            return [xhrSource(request), fetchSource(request)];
        }""",
        request_,
    )
    assert xhr in sources[0]
    assert fetch in sources[1]
