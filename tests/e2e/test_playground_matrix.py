"""Prediction against observation: hundreds of (request, policy) combinations sent for real
from Chromium through /lab, each compared with cors-model.js's predict() on preflight, sent and
allowed, and on the console: the "has been blocked by CORS policy" lines Chromium printed for each
request (mapped to it by the run id in its URL) against predict()'s console lines, character for
character. The agreement must be total.

The second test covers where real CORS breaks with a sample chosen to meet each rule:
the preflight's own policy (pf_* overrides, an actual answer without Allow-Origin after a passed
preflight), header lines sent twice (Allow-Origin "*, *", Allow-Credentials "true, true",
Allow-Methods/-Headers/Max-Age lines combined, on the preflight too), redirects answering the
preflight, the actual request or both, to the same origin and to another one (Origin: null on the
next hop: echo, null, * and the page's origin as its Allow-Origin, with and without credentials),
the method change of 301/302/303 against 307/308 (POST, PUT, HEAD, with and without a body
header), a redirect chain, and Chromium's extra safelisted request headers with valid and invalid
values. There each case is compared on the whole wire (method and Origin of every request, in
order) as well as on what JavaScript could read."""

import itertools
import re
from urllib.parse import quote, urlencode

from playwright.sync_api import expect

from tests.e2e.conftest import flush_console
from tests.pages import open_ready

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
      const request = { method: c.method, url: c.url, headers: c.headers, body, withCredentials: c.credentials };
      const observed = await send(request, c.transport);
      const modelled = {
        pageOrigin: location.origin, method: c.method, headers: c.headers, credentials: c.credentials, target: c.target,
        url: c.url, transport: c.transport,
      };
      const prediction = predict(modelled, c.policy);
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
        page_origin = lab.trusted_origin if origin_role == "trusted" else lab.untrusted_origin
        policy = {
            name: value.replace(TRUSTED_LITERAL, lab.trusted_origin).replace("{origin}", page_origin)
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
    disagreements = send_and_compare(page, lab, read_log, run_prefix, cases, whole_wire=False)
    print(
        f"\nmatrix: {len(cases)} combinations sent from Chromium, {len(cases) - len(disagreements)} agreed with predict()"
        f" ({sum(bool(c['console']) for c in cases)} with a console line)"
    )
    assert disagreements == [], "\n".join(map(str, disagreements[:10]))


def query(policy):
    """A /lab query string: a list value is the parameter given once per element."""
    pairs = [(name, item) for name, value in policy.items() for item in (value if isinstance(value, list) else [value])]
    return urlencode(pairs, quote_via=quote)


BLOCKED = "has been blocked by CORS policy"


def console_lines(page):
    """The CORS lines Chromium prints in ``page`` from now on (console errors), in a list that fills."""
    lines = []
    page.on(
        "console",
        lambda message: lines.append(message.text) if message.type == "error" and BLOCKED in message.text else None,
    )
    return lines


def lines_of(lines, run):
    """The lines whose URL carries run id ``run`` (the first URL's, when redirected)."""
    pattern = re.compile(rf"[?&]run={re.escape(run)}(?:&|')")
    return [line for line in lines if pattern.search(line.split(" from origin ")[0])]


def send_and_compare(page, lab, read_log, run_prefix, cases, whole_wire):
    """Sends ``cases`` from their page origins; the disagreements with predict(). Each case gets
    the console lines Chromium printed for it (``console``)."""
    disagreements = []
    lines = console_lines(page)
    for role in ORIGINS:
        batch = [c for c in cases if c["origin"] == role]
        for case in batch:
            case["run"] = f"{run_prefix}-{case['run']}"
            case["url"] = f"{lab.api_origin}/lab?" + query({**case["policy"], "run": case["run"]})
            case["target"] = lab.api_origin
        open_ready(page, f"{lab.trusted_origin if role == 'trusted' else lab.untrusted_origin}/playground")
        results = page.evaluate(SEND_ALL, batch)
        flush_console(page)  # the last console lines may come after the script's promise
        for case, result in zip(batch, results, strict=True):
            entries = read_log(case["run"])
            observed = {
                "preflight": any(e["method"] == "OPTIONS" for e in entries),
                "sent": any(e["method"] != "OPTIONS" for e in entries),
                "allowed": result["readable"],
                "console": lines_of(lines, case["run"]),
            }
            case["console"] = observed["console"]
            predicted = {key: result["prediction"][key] for key in observed}
            if whole_wire:
                observed["wire"] = [(e["method"], e["request_headers"].get("origin")) for e in entries]
                predicted["wire"] = [(e["method"], e["origin"]) for e in result["prediction"]["wire"]]
            if observed != predicted:
                disagreements.append((case, predicted, observed, result["prediction"]["reasons"]))
    return disagreements


# Where real CORS breaks (see the module's docstring): requests, and policies on the API's two
# origins (``api`` the one asked, ``alias`` the other) for the trusted page origin.
BREAK_REQUESTS = [
    ("GET", {}),
    ("HEAD", {}),
    ("POST", {"Content-Type": "text/plain"}),
    ("POST", {"Content-Type": "application/json"}),
    ("PUT", {"X-Lab-Token": "t"}),
    ("PUT", {}),
    ("DELETE", {}),
    ("GET", {"DPR": "1.5", "Save-Data": "on"}),
    ("GET", {"Save-Data": "off"}),
    ("GET", {"ECT": "4g", "Width": "100", "Device-Memory": "0.5"}),
    ("GET", {"Width": "1.5", "RTT": "50"}),
]
METHODS = "PUT, DELETE"
HEADERS = "X-Lab-Token, Content-Type"
OPEN = {"acao": "echo", "acam": METHODS, "acah": HEADERS}
OPEN_CREDENTIALS = {**OPEN, "acac": "true"}
ANY = {"acao": "*", "acam": "*", "acah": "*"}


def hop(origin, policy):
    return f"{origin}/lab?" + query(policy)


def break_policies(api, alias, trusted):
    return [
        {"pf_acao": "echo", "acam": METHODS, "acah": HEADERS},
        {"acao": "*", "pf_acao": "echo", "pf_acam": METHODS, "pf_acah": "*"},
        {**OPEN, "pf_acam": "DELETE", "pf_max_age": "0"},
        {**OPEN, "acao": ["*", "*"]},
        {**OPEN_CREDENTIALS, "acac": ["true", "true"]},
        {**OPEN, "acam": ["PUT", "DELETE"], "acah": ["X-Lab-Token", "Content-Type"], "max_age": ["600", "600"]},
        {**OPEN_CREDENTIALS, "pf_acao": ["echo", "echo"]},
        {**OPEN, "acao": ["none", "echo"], "acah": ["X-Lab-Token", ""]},
        {**OPEN, "redirect": "307", "redirect_on": "preflight", "location": hop("", OPEN)},
        {**OPEN, "redirect": "308", "redirect_on": "both", "location": hop("", OPEN)},
        {**OPEN, "redirect": "302", "location": hop("", {"acao": "echo"})},
        {**OPEN, "redirect": "303", "location": hop("", OPEN)},
        {**OPEN, "redirect": "307", "location": hop("", OPEN)},
        {**ANY, "redirect": "302", "location": hop("", ANY)},
        {**OPEN, "redirect": "301", "location": hop(alias, OPEN)},
        {**OPEN_CREDENTIALS, "redirect": "301", "location": hop(alias, OPEN_CREDENTIALS)},
        {**ANY, "redirect": "302", "location": hop(alias, ANY)},
        {**OPEN, "redirect": "307", "location": hop(alias, {**OPEN, "acao": trusted})},
        {**OPEN_CREDENTIALS, "redirect": "303", "location": hop(alias, {**OPEN_CREDENTIALS, "acao": "null"})},
        {"redirect": "302", "location": hop("", {"acao": "*"})},
        {"acao": "echo", "acam": "DELETE", "acah": "X Lab Token"},  # both lists parsed before the method is looked at
        {**OPEN, "redirect": "308", "location": hop(alias, {**OPEN, "redirect": "302", "location": hop(api, OPEN)})},
    ]


def break_cases(lab):
    cases = []
    policies = break_policies(lab.api_origin, lab.api_alias_origin, lab.trusted_origin)
    for (r, (method, headers)), (p, policy) in itertools.product(enumerate(BREAK_REQUESTS), enumerate(policies)):
        cases.append(
            {
                "origin": ORIGINS[(r + p) % 2],
                "method": method,
                "headers": headers,
                "credentials": "acac" in policy and r % 2 == 0,
                "policy": policy,
                "transport": "fetch" if (r + p // 2) % 2 else "xhr",
                "run": f"break-{r}-{p}",
            }
        )
    return cases


def test_prediction_agrees_with_chromium_where_real_cors_breaks(page, lab, read_log, run_prefix):
    cases = break_cases(lab)
    disagreements = send_and_compare(page, lab, read_log, run_prefix, cases, whole_wire=True)
    print(
        f"\nbreaks: {len(cases)} combinations sent from Chromium, {len(cases) - len(disagreements)} agreed with predict()"
        f" ({sum(bool(c['console']) for c in cases)} with a console line)"
    )
    assert disagreements == [], "\n".join(map(str, disagreements[:10]))


def test_the_playground_shows_what_chromiums_console_will_say(page, lab):
    open_ready(page, f"{lab.trusted_origin}/playground?acao=none")
    line = page.locator("#console-prediction [data-console='error']")
    expect(line).to_have_count(1)
    expect(line).to_contain_text(
        f"from origin '{lab.trusted_origin}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin'"
    )
    page.goto(f"{lab.trusted_origin}/playground?acao=echo")
    expect(page.locator("#console-prediction [data-console='none']")).to_have_count(1)
