"""Which refused request header Chromium names, for real: random sets of 2 to 6 request headers
(random names and case, sometimes a JSON Content-Type, an Accept, a Content-Language, no body), none
allowed by the preflight, sent from one page with XMLHttpRequest and fetch() in turn; Chromium's
console line for each against predict()'s, character for character. The named header follows a
hash table's order (model/header-order.js), so a sample of fresh names each run is the test."""

import random
import re
import string

from tests.e2e.conftest import flush_console
from tests.pages import open_ready

SETS = 48
NOT_SCRIPT_HEADERS = {"content-type", "accept", "content-language", "accept-language", "range", "last-event-id"}
SEND_AND_PREDICT = """
async (cases) => {
  const { predict } = await import('/static/js/model/cors-model.js');
  const { send } = await import('/static/js/core/transport.js');
  const predicted = new Array(cases.length);
  let next = 0;
  async function worker() {
    while (next < cases.length) {
      const index = next++;
      const c = cases[index];
      await send({ method: c.method, url: c.url, headers: c.headers, body: c.body }, c.transport);
      const request = { pageOrigin: location.origin, method: c.method, headers: c.headers, url: c.url, transport: c.transport,
                        body: c.body !== null };
      predicted[index] = predict(request, { acao: 'echo', acam: 'PUT, DELETE' }).console;
    }
  }
  await Promise.all(Array.from({ length: 6 }, worker));
  return predicted;
}
"""


def header_name(rng):
    letters = string.ascii_lowercase
    word = rng.choice(letters) + "".join(rng.choice(letters + string.digits + "-_") for _ in range(rng.randint(0, 20)))
    return rng.choice([word, word.upper(), word.capitalize(), f"X-{word.capitalize()}"]).rstrip("-")


def random_sets(rng, lab, run_prefix):
    cases = []
    for index in range(SETS):
        names, count = [], rng.randint(2, 6)
        while len(names) < count:
            name = header_name(rng)
            lower = name.lower()
            if lower not in NOT_SCRIPT_HEADERS and lower not in [n.lower() for n in names] and len(lower) > 2:
                names.append(name)
        headers = [(name, "v") for name in names]
        for extra in [("Content-Type", "application/json"), ("Accept", "text/html"), ("Content-Language", "en")]:
            if rng.random() < 0.2:
                headers.insert(rng.randint(0, len(headers)), extra)
        body = None if rng.random() < 0.15 else "x"
        cases.append(
            {
                "method": "PUT" if body else rng.choice(["PUT", "DELETE"]),
                "headers": dict(headers),
                "body": body,
                "transport": "fetch" if index % 2 else "xhr",
                "url": f"{lab.api_origin}/lab?acao=echo&acam=PUT%2C%20DELETE&run={run_prefix}-refused-{index}",
            }
        )
    return cases


def test_chromium_names_the_refused_header_the_model_names(page, lab, run_prefix):
    seed = random.randrange(1 << 32)
    cases = random_sets(random.Random(seed), lab, run_prefix)
    lines = []
    page.on("console", lambda message: lines.append(message.text) if "blocked by CORS policy" in message.text else None)
    open_ready(page, f"{lab.trusted_origin}/playground")
    predicted = page.evaluate(SEND_AND_PREDICT, cases)
    flush_console(page)
    disagreements = []
    for index, (case, prediction) in enumerate(zip(cases, predicted, strict=True)):
        seen = [line for line in lines if re.search(rf"run={run_prefix}-refused-{index}'", line)]
        if seen != prediction:
            disagreements.append((case["transport"], case["method"], case["headers"], prediction, seen))
    assert all(predicted), "every set is refused, so each has a line"
    assert disagreements == [], f"seed {seed}: " + "\n".join(map(str, disagreements[:5]))
