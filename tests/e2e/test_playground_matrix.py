"""Prediction against observation: hundreds of (request, policy) combinations sent for real
from Chromium through /lab, each compared with cors-model.js's predict() on preflight, sent and
allowed. The agreement must be total."""

import itertools
from urllib.parse import quote, urlencode

from playwright.sync_api import expect

TRUSTED_LITERAL = "{trusted}"  # replaced by the trusted page origin
OWN_ORIGIN_SLASH = "{origin}/"  # replaced by the page's own origin plus a slash

REQUESTS = [
    ("GET", {}),
    ("HEAD", {}),
    ("POST", {"Content-Type": "text/plain"}),
    ("POST", {"Content-Type": "application/json"}),
    ("PUT", {"X-Lab-Token": "t"}),
    ("PUT", {"Content-Type": "application/json", "X-Lab-Token": "t"}),
    ("patch", {}),
    ("PATCH", {}),
    ("DELETE", {}),
    ("GET", {"Authorization": "Bearer t"}),
    ("GET", {"Last-Event-ID": "42"}),
    ("GET", {"Accept-Language": "en_US"}),
]
ALL_METHODS = "PUT, PATCH, DELETE, patch"
ALL_HEADERS = "X-Lab-Token, Content-Type, Authorization, Last-Event-ID, Accept-Language"
POLICIES = [
    {},
    {"acao": "none"},
    {"acao": "*"},
    {"acao": "echo"},
    {"acao": TRUSTED_LITERAL},
    {"acao": OWN_ORIGIN_SLASH},
    {"acao": "null"},
    {"acao": "echo", "acac": "true"},
    {"acao": "echo", "acac": "True"},
    {"acao": "*", "acac": "true"},
    {"acao": "echo", "acam": "PUT, PATCH, DELETE", "acah": "X-Lab-Token, Content-Type"},
    {
        "acao": "echo",
        "acam": "PUT, PATCH, DELETE",
        "acah": "X-Lab-Token, Content-Type",
        "acac": "true",
        "max_age": "600",
    },
    {"acao": "*", "acam": "*", "acah": "*"},
    {"acao": "echo", "acam": "*", "acah": "*", "acac": "true"},
    {"acao": "echo", "acam": "patch", "acah": "x-lab-token"},
    {"acao": "echo", "acam": "PATCH", "acah": "authorization, last-event-id, content-type"},
    {"acao": "echo", "acam": "PUT", "acah": "X-Lab-Token", "preflight_status": "403"},
    {
        "acao": "echo",
        "acam": "PUT, DELETE",
        "acah": "X-Lab-Token, Content-Type",
        "preflight_status": "200",
        "status": "500",
    },
    {"acao": "echo", "acam": "PUT", "acah": "content-type,x-lab-token", "preflight_status": "304"},
    {"acao": "echo", "acam": "DELETE, PUT", "acah": "*", "preflight_status": "500", "status": "404"},
    {"acao": "echo", "acah": "Content-Type", "max_age": "0"},
    {"acao": "echo", "acah": "last-event-id, accept-language", "max_age": "-1"},
    {"acao": "echo", "aceh": "X-Lab-Custom", "status": "500"},
    {"acao": "*", "aceh": "*", "acah": "*", "acam": "*", "status": "201"},
    {"acao": "echo", "acac": "true", "aceh": "*", "acah": "*", "acam": "*"},
    {"acao": "echo", "acac": "True", "acam": ALL_METHODS, "acah": ALL_HEADERS, "preflight_status": "599"},
    {"acao": "echo", "acac": "true", "acam": ALL_METHODS, "acah": ALL_HEADERS, "max_age": "86400"},
    {"acao": TRUSTED_LITERAL, "acac": "true", "acam": ALL_METHODS, "acah": "*", "preflight_status": "299"},
    {"acao": "*", "acam": ALL_METHODS, "acah": ALL_HEADERS, "max_age": "600", "status": "599"},
    {"acao": OWN_ORIGIN_SLASH, "acam": ALL_METHODS, "acah": ALL_HEADERS},
]
ORIGINS = ["trusted", "untrusted"]

# Sends each combination from the page (six at a time, as many as Chromium opens to one host),
# alternating XMLHttpRequest and fetch(), and returns what JavaScript could read, with the
# predictions of the page's own model.
SEND_ALL = """
async (combinations) => {
  const { predict } = await import('/static/js/model/cors-model.js');
  const { send } = await import('/static/js/core/transport.js');
  const results = new Array(combinations.length);
  let next = 0;
  async function worker() {
    while (next < combinations.length) {
      const index = next++;
      const c = combinations[index];
      const body = ['GET', 'HEAD'].includes(c.method.toUpperCase()) ? null : 'x';
      const observed = await send({ method: c.method, url: c.url, headers: c.headers, body, withCredentials: c.credentials }, c.transport);
      const prediction = predict({ pageOrigin: location.origin, method: c.method, headers: c.headers, credentials: c.credentials }, c.policy);
      results[index] = { readable: observed.readable, prediction };
    }
  }
  await Promise.all(Array.from({ length: 6 }, worker));
  return results;
}
"""


def combinations(lab):
    """Every (request, policy) pair once, spread over both page origins and credential modes."""
    cases = []
    for (r, (method, headers)), (p, policy) in itertools.product(enumerate(REQUESTS), enumerate(POLICIES)):
        slot = (r + p) % 4
        origin_role, credentials = ORIGINS[slot // 2], bool(slot % 2)
        page_origin = lab.trusted if origin_role == "trusted" else lab.untrusted
        policy = {
            name: value.replace(TRUSTED_LITERAL, lab.trusted).replace("{origin}", page_origin)
            for name, value in policy.items()
        }
        cases.append(
            {
                "origin": origin_role,
                "method": method,
                "headers": headers,
                "credentials": credentials,
                "policy": policy,
                "transport": "fetch" if (r * len(POLICIES) + p) % 2 else "xhr",
                "run": f"matrix-{r}-{p}",
            }
        )
    return cases


def test_prediction_agrees_with_chromium_on_every_combination(page, lab, read_log, run_prefix):
    cases = combinations(lab)
    assert len(cases) >= 300
    assert len(
        {(c["origin"], c["method"], str(c["headers"]), c["credentials"], str(c["policy"])) for c in cases}
    ) == len(cases)
    disagreements = []
    for role in ORIGINS:
        batch = [c for c in cases if c["origin"] == role]
        for case in batch:
            case["run"] = f"{run_prefix}-{case['run']}"
            case["url"] = f"{lab.api}/lab?" + urlencode({**case["policy"], "run": case["run"]}, quote_via=quote)
        page.goto(f"{lab.trusted if role == 'trusted' else lab.untrusted}/playground")
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        results = page.evaluate(SEND_ALL, batch)
        for case, result in zip(batch, results, strict=True):
            entries = read_log(case["run"])
            observed = {
                "preflight": any(e["method"] == "OPTIONS" for e in entries),
                "sent": any(e["method"] != "OPTIONS" for e in entries),
                "allowed": result["readable"],
            }
            predicted = {key: result["prediction"][key] for key in observed}
            if observed != predicted:
                disagreements.append((case, predicted, observed, result["prediction"]["reasons"]))
    print(
        f"\nmatrix: {len(cases)} combinations sent from Chromium, {len(cases) - len(disagreements)} agreed with predict()"
    )
    assert disagreements == [], "\n".join(map(str, disagreements[:10]))
