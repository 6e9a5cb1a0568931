"""predict()'s console lines against the lines Chromium 156 printed (tests/model/corpus/chromium.json):
each message of the corpus, predicted from its request, its URL and its page origin, character for
character; none when nothing is blocked."""

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.model.conftest import predict

CORPUS = json.loads((Path(__file__).parent / "corpus" / "chromium.json").read_text())
LINE = re.compile(r"Access to \S+ at '([^']*)' (?:\(redirected from '([^']*)'\) )?from origin '([^']*)'")


def request_of(message):
    """The request a corpus message was printed for: its URL (the first one), transport and page origin."""
    final, initial, origin = LINE.match(message["console"][0]).groups()
    url = initial or final
    policy = {name: value for name, value in parse_qsl(urlsplit(url).query) if name != "run"}
    target = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    fields = message["request"]
    request = {
        "pageOrigin": origin,
        "method": fields.get("method", "GET"),
        "headers": fields.get("headers", {}),
        "credentials": bool(fields.get("cred")),
        "target": target,
        "url": url,
        "transport": message["transport"],
    }
    return request, policy


@pytest.mark.parametrize(
    "message", CORPUS["messages"], ids=[f"{m['case']}-{m['transport']}" for m in CORPUS["messages"]]
)
def test_predicted_console_lines_are_chromiums(js, message):
    request, policy = request_of(message)
    prediction = js.evaluate(
        """async ([request, policy]) => (await import('/js/model/cors-model.js')).predict(request, policy)""",
        [request, policy],
    )
    assert prediction["console"] == message["console"]


def test_nothing_blocked_prints_nothing(js):
    assert predict(js, acao="echo")["console"] == []
    assert predict(js, "PUT", acao="*", acam="PUT")["console"] == []


def test_without_a_url_the_line_names_the_labs_url_with_a_placeholder_run_id(js):
    prediction = predict(js, target="http://localhost:8001", acao="none")
    assert prediction["console"] == [
        "Access to XMLHttpRequest at 'http://localhost:8001/lab?acao=none&run=RUN_ID' from origin "
        "'http://localhost:8000' has been blocked by CORS policy: "
        "No 'Access-Control-Allow-Origin' header is present on the requested resource."
    ]


def test_explain_error_reads_the_predicted_lines(js):
    """One source for each wording: what the predictor writes, the recogniser reads back."""
    for message in CORPUS["messages"]:
        request, policy = request_of(message)
        found = js.evaluate(
            """async ([request, policy]) => {
                const line = (await import('/js/model/cors-model.js')).predict(request, policy).console[0];
                return (await import('/js/model/explain-error.js')).explainError(line);
            }""",
            [request, policy],
        )
        assert (found["kind"], found["transport"]) == (message["kind"], message["transport"])
