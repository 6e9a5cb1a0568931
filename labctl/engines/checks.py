"""What `make test-engines` runs in each engine, in the lab's own pages: the experiments page's
"Run all" from both page origins, the playground's presets, and a sample of the model's matrix.

Every check returns ``Outcome`` rows: (check, what, passed, detail). The pages judge themselves
against the expectations written in them for the engine they detect (static/js/core/engine.js and
catalogues/experiments/, each entry's engines): the runner only reads their verdicts and, where one differs,
the facts marked ✗; it never writes an expectation.
"""

import itertools
from dataclasses import dataclass
from urllib.parse import quote, urlencode

# Polls in the page: no fixed waits.
UNTIL = """
const until = async (test, ms, what) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const ready = () => until(() => document.body.dataset.ready === 'true', 20000, 'the page never became ready');
"""


def in_page(body):
    """An async function for the page: UNTIL's helpers, a wait until the page is ready, then ``body``."""
    return "async () => {" + UNTIL + "  await ready();\n" + body + "}"


# "Run all" on the experiments page, then each card's verdict and the facts it marked ✗.
RUN_ALL = in_page(
    """
  const summary = document.getElementById('summary');
  const running = () => [...document.querySelectorAll('article.experiment[data-state=running]')].map((card) => card.id);
  document.getElementById('run-all').click();
  await until(() => summary.dataset.stopped !== undefined, 150000, () => `"Run all" still running ${running()}`);
  const cell = (row, index) => row.cells[index].textContent.trim();
  return {
    engine: document.documentElement.dataset.engine ?? null,
    stopped: summary.dataset.stopped === 'true',
    cards: [...document.querySelectorAll('article.experiment')].map((card) => ({
      id: card.id.replace(/^exp-/, ''),
      title: card.querySelector('h3')?.firstChild?.textContent ?? null,
      verdict: card.dataset.verdict,
      match: card.dataset.match === 'true',
      run: card.dataset.run,
      differs: [...card.querySelectorAll('tr[data-ok=false]')].map((row) => ({
        fact: row.dataset.fact, expected: cell(row, 1), observed: cell(row, 2),
      })),
      observed: Object.fromEntries([...card.querySelectorAll('tr[data-fact]')].map((row) => [row.dataset.fact, cell(row, 2)])),
      engineFacts: [...card.querySelectorAll('tr[data-engine-tag]')].map((row) => ({
        fact: row.dataset.fact, expected: cell(row, 1), ok: row.dataset.ok === 'true',
      })),
      error: card.dataset.verdict === 'failed' ? card.querySelector('.result').textContent.trim().slice(0, 300) : null,
    })),
  };
"""
)

# The playground's preset links, as the page lists them.
PRESET_LINKS = in_page(
    """
  return [...document.querySelectorAll('#presets a')].map((link) => ({ label: link.textContent, href: link.href }));
"""
)

# "Run it for real" on the playground as it stands: prediction against observation.
RUN_PLAYGROUND = in_page(
    """
  const result = document.getElementById('result');
  document.getElementById('run').click();
  await until(() => result.dataset.state === 'done', 30000, 'the playground never finished');
  return {
    match: result.dataset.match === 'true',
    observed: { preflight: result.dataset.preflight, sent: result.dataset.sent, allowed: result.dataset.allowed },
    text: result.querySelector('.verdict')?.textContent.trim() ?? result.textContent.trim().slice(0, 300),
  };
"""
)

# The matrix sample, sent from the playground's page like tests/e2e/test_playground_matrix.py:
# each case's observation (preflight and actual request on the wire, from /log; readable) against
# predict() for this engine.
SEND_MATRIX = in_page(
    """
  const cases = CASES;
  const { predict } = await import('/static/js/model/cors-model.js');
  const { ENGINE } = await import('/static/js/core/engine.js');
  const { send } = await import('/static/js/core/transport.js');
  const { readLog } = await import('/static/js/core/api.js');
  const { splitWire } = await import('/static/js/model/wire.js');
  const api = (await (await fetch('/config.json')).json()).api_origin;
  const results = new Array(cases.length);
  let next = 0;
  async function one(c) {
    const body = ['GET', 'HEAD'].includes(c.method.toUpperCase()) ? null : 'x';
    const url = `${api}/lab?${c.query}&run=${c.run}`;
    const observed = await send({ method: c.method, url, headers: c.headers, body, withCredentials: c.credentials }, c.transport);
    const { preflights, actuals } = splitWire(await readLog(api, c.run));
    const policy = Object.fromEntries(new URLSearchParams(c.query));
    const request = { pageOrigin: location.origin, method: c.method, headers: c.headers, credentials: c.credentials,
      target: api, url, transport: c.transport, engine: ENGINE.id };
    const prediction = predict(request, policy);
    const seen = { preflight: preflights.length > 0, sent: actuals.length > 0, allowed: observed.readable };
    const predicted = { preflight: prediction.preflight, sent: prediction.sent, allowed: prediction.allowed };
    return { observed: seen, predicted, reasons: prediction.reasons };
  }
  // Four at a time, each with a run id of its own (fewer than the six connections a browser opens to one host).
  async function worker() {
    while (next < cases.length) {
      const index = next++;
      results[index] = await one(cases[index]);
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker));
  return results;
"""
)

# A sample of the model's matrix (tests/e2e/test_playground_matrix.py sends 360 combinations from
# Chromium): the requests and policies where engines are known to differ or could (Authorization
# under *, wildcards with credentials, lowercase methods, Last-Event-ID, preflight statuses).
MATRIX_REQUESTS = [
    ("GET", {}),
    ("POST", {"Content-Type": "application/json"}),
    ("PUT", {"X-Lab-Token": "t"}),
    ("patch", {}),
    ("GET", {"Authorization": "Bearer t"}),
    ("GET", {"Last-Event-ID": "42"}),
    ("GET", {"Accept-Language": "en_US"}),
    # Chromium's own safelist (client hints): simple there only.
    ("GET", {"Save-Data": "on"}),
    ("GET", {"DPR": "1.5", "Width": "100"}),
]
MATRIX_POLICIES = [
    {"acao": "echo"},
    {"acao": "*", "acac": "true"},
    {"acao": "*", "acam": "*", "acah": "*"},
    {"acao": "echo", "acam": "*", "acah": "*", "acac": "true"},
    {"acao": "echo", "acam": "patch, PUT", "acah": "x-lab-token, content-type"},
    {"acao": "echo", "acam": "PUT,", "acah": "authorization, last-event-id, accept-language, content-type"},
    {"acao": "echo", "acam": "PUT", "acah": "X-Lab-Token", "preflight_status": "299"},
    {"acao": "echo", "acah": "last-event-id, accept-language", "max_age": "-1"},
]


def matrix_cases(run_prefix):
    cases = []
    for (r, (method, headers)), (p, policy) in itertools.product(
        enumerate(MATRIX_REQUESTS), enumerate(MATRIX_POLICIES)
    ):
        cases.append(
            {
                "method": method,
                "headers": headers,
                "credentials": bool((r + p) % 2),
                "transport": "fetch" if (r * len(MATRIX_POLICIES) + p) % 3 == 0 else "xhr",
                "query": urlencode(policy, quote_via=quote),
                "run": f"{run_prefix}-m{r}-{p}",
                "label": f"{method} {headers or ''} against /lab?{urlencode(policy)}",
            }
        )
    return cases


@dataclass
class Outcome:
    check: str  # "experiments", "playground", "matrix"
    what: str  # an experiment id, a preset, a combination
    origin: str  # "trusted" or "untrusted"
    passed: bool
    detail: str = ""


def describe_card(card):
    if card["error"]:
        return card["error"]
    return "; ".join(f"{d['fact']}: expected {d['expected']}, observed {d['observed']}" for d in card["differs"])


def run_experiments(engine, origins, role):
    tab = engine.open(f"{getattr(origins, f'{role}_origin')}/experiments")
    try:
        answer = tab.run(RUN_ALL)
    finally:
        tab.close()
    if answer["stopped"]:
        return [Outcome("experiments", "run-all", role, False, "the API was down: Run all stopped")], answer
    if not answer["cards"]:
        return [Outcome("experiments", "run-all", role, False, "the page showed no experiment")], answer
    outcomes = [
        Outcome("experiments", card["id"], role, card["match"], "" if card["match"] else describe_card(card))
        for card in answer["cards"]
    ]
    return outcomes, answer


def run_presets(engine, origins, role="trusted"):
    tab = engine.open(f"{getattr(origins, f'{role}_origin')}/playground")
    outcomes = []
    try:
        presets = tab.run(PRESET_LINKS)
        if not presets:
            return [Outcome("playground", "presets", role, False, "the page showed no preset")]
        for preset in presets:
            tab.goto(preset["href"])
            result = tab.run(RUN_PLAYGROUND)
            outcomes.append(Outcome("playground", preset["label"], role, result["match"], result["text"]))
    finally:
        tab.close()
    return outcomes


def run_matrix(engine, origins, role, run_prefix):
    cases = matrix_cases(f"{run_prefix}-{role[0]}")
    import json

    tab = engine.open(f"{getattr(origins, f'{role}_origin')}/playground")
    try:
        results = tab.run(SEND_MATRIX.replace("CASES", json.dumps(cases)))
    finally:
        tab.close()
    outcomes = []
    for case, result in zip(cases, results, strict=True):
        passed = result["observed"] == result["predicted"]
        detail = "" if passed else f"predicted {result['predicted']}, observed {result['observed']}"
        what = f"{case['label']} credentials={case['credentials']} {case['transport']}"
        outcomes.append(Outcome("matrix", what, role, passed, detail))
    return outcomes
