"""Captures tests/model/corpus/chromium.json once, by hand: ``.venv/bin/python -m labctl.capture_console``.

Starts the lab on free ports, opens its trusted page in Chromium and sends, for each case below, a
request to /lab with XMLHttpRequest or fetch, and keeps the console lines Chromium printed (ports
and run ids as they were). The tests read the file and never rewrite it: rerun this only to
capture anew, after a Chromium upgrade, and review the difference.
"""

import json
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

from labctl.servers import Lab, Origins, free_port

HERE = Path(__file__).resolve().parent.parent / "tests" / "model" / "corpus"
JSON = {"Content-Type": "application/json"}
PUT = {"method": "PUT"}
# (case id, the kind Chromium reports, on the preflight?, request, /lab query)
CASES = [
    ("no-acao-get", "missing-allow-origin", False, {}, {"acao": "none"}),
    ("no-acao-500", "missing-allow-origin", False, {}, {"acao": "none", "status": "500"}),
    ("no-acao-put", "missing-allow-origin", True, PUT, {"acao": "none"}),
    ("preflight-404-no-acao", "missing-allow-origin", True, PUT, {"acao": "none", "preflight_status": "404"}),
    ("star-credentials", "wildcard-origin-not-allowed", False, {"cred": True}, {"acao": "*", "acac": "true"}),
    ("star-credentials-put", "wildcard-origin-not-allowed", True, {**PUT, "cred": True}, {"acao": "*", "acac": "true"}),
    ("two-origins", "multiple-allow-origin-values", False, {}, {"acao": "ORIGIN, ORIGIN"}),
    ("invalid-origin", "invalid-allow-origin-value", False, {}, {"acao": "not-an-origin"}),
    ("null-origin", "allow-origin-mismatch", False, {}, {"acao": "null"}),
    ("trailing-slash", "allow-origin-mismatch", False, {}, {"acao": "ORIGIN/"}),
    ("trailing-slash-put", "allow-origin-mismatch", True, PUT, {"acao": "ORIGIN/", "acam": "PUT"}),
    ("acac-True", "invalid-allow-credentials", False, {"cred": True}, {"acao": "echo", "acac": "True"}),
    ("acac-missing", "invalid-allow-credentials", False, {"cred": True}, {"acao": "echo"}),
    (
        "acac-True-put",
        "invalid-allow-credentials",
        True,
        {**PUT, "cred": True},
        {"acao": "echo", "acac": "True", "acam": "PUT"},
    ),
    (
        "preflight-403",
        "preflight-invalid-status",
        True,
        PUT,
        {"acao": "echo", "acam": "PUT", "preflight_status": "403"},
    ),
    (
        "preflight-500",
        "preflight-invalid-status",
        True,
        PUT,
        {"acao": "echo", "acam": "PUT", "preflight_status": "500"},
    ),
    (
        "preflight-redirect",
        "preflight-disallowed-redirect",
        True,
        PUT,
        {
            "acao": "echo",
            "acam": "PUT",
            "redirect": "307",
            "redirect_on": "preflight",
            "location": "/lab?acao=echo&acam=PUT",
        },
    ),
    ("put-not-allowed", "method-disallowed-by-preflight-response", True, PUT, {"acao": "echo"}),
    (
        "lowercase-patch",
        "method-disallowed-by-preflight-response",
        True,
        {"method": "patch"},
        {"acao": "echo", "acam": "PATCH"},
    ),
    (
        "content-type-not-allowed",
        "header-disallowed-by-preflight-response",
        True,
        {"method": "POST", "headers": JSON},
        {"acao": "echo", "acah": "X-Lab-Token"},
    ),
    (
        "token-not-allowed",
        "header-disallowed-by-preflight-response",
        True,
        {"headers": {"X-Lab-Token": "secret"}},
        {"acao": "echo"},
    ),
    (
        "invalid-allow-methods",
        "invalid-allow-methods-preflight-response",
        True,
        PUT,
        {"acao": "echo", "acam": "PUT GET"},
    ),
    (
        "invalid-allow-headers",
        "invalid-allow-headers-preflight-response",
        True,
        {"headers": {"X-Lab-Token": "secret"}},
        {"acao": "echo", "acah": "X Lab Token"},
    ),
    (
        "redirect-then-no-acao",
        "missing-allow-origin",
        False,
        {},
        {"acao": "echo", "redirect": "302", "location": "ALIAS/lab?acao=none"},
    ),
]

SEND = """async ([transport, url, request]) => {
  const headers = request.headers || {};
  const method = request.method || 'GET';
  if (transport === 'fetch') {
    const init = { method, headers, credentials: request.cred ? 'include' : 'same-origin' };
    try { await fetch(url, init); return 'read'; } catch (error) { return String(error); }
  }
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = Boolean(request.cred);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.onloadend = () => resolve(xhr.status ? 'read' : 'error');
    xhr.send();
  });
}"""


def lab_url(origins, query, run):
    filled = {
        name: value.replace("ORIGIN", origins.trusted_origin).replace("ALIAS", origins.api_alias_origin)
        for name, value in query.items()
    }
    if "location" in filled:
        filled["location"] += f"&run={run}"
    return f"{origins.api_origin}/lab?{urlencode({**filled, 'run': run})}"


def capture():
    origins = Origins.on_ports(free_port(), free_port())
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    entries = []
    with Lab(origins, output=open(os.devnull, "w")), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        version = browser.version
        for case, kind, preflight, request, query in CASES:
            for transport in ("xhr", "fetch"):
                page = browser.new_page()
                lines = []
                page.on(
                    "console",
                    lambda message, lines=lines: lines.append(message.text) if message.type == "error" else None,
                )
                page.goto(f"{origins.trusted_origin}/")
                run = f"corpus-{secrets.token_hex(3)}"
                outcome = page.evaluate(SEND, [transport, lab_url(origins, query, run), request])
                # The console line may arrive after the script's promise settles: poll for it.
                for _ in range(0 if outcome == "read" else 100):
                    if any("CORS policy" in line for line in lines):
                        break
                    page.wait_for_timeout(50)
                cors = [line for line in lines if "CORS policy" in line]
                entries.append(
                    {
                        "case": case,
                        "transport": transport,
                        "kind": kind,
                        "preflight": preflight,
                        "request": request,
                        "lab": query,
                        "outcome": outcome,
                        "console": cors,
                    }
                )
                print(case, transport, outcome, cors, file=sys.stderr)
                page.close()
        browser.close()
    data = {
        "browser": f"Chromium {version} (headless)",
        "page_origin": origins.trusted_origin,
        "api_origin": origins.api_origin,
        "api_alias_origin": origins.api_alias_origin,
        "messages": entries,
    }
    (HERE / "chromium.json").write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    capture()
