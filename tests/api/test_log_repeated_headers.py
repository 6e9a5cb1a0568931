"""The wire log shows a header sent twice as the browser reads it: one value, the lines joined."""

from tests.conftest import TRUSTED


def test_a_header_sent_twice_is_logged_as_one_joined_value(client, log):
    response = client.get("/lab?acao=*&acao=*&run=twice", headers={"Origin": TRUSTED})
    assert response.headers.getlist("Access-Control-Allow-Origin") == ["*", "*"]
    (entry,) = log("twice")
    assert entry["response_headers"]["access-control-allow-origin"] == "*, *"


def test_a_header_sent_once_is_logged_as_it_is(client, log):
    client.get("/lab?acao=echo&run=once", headers={"Origin": TRUSTED})
    (entry,) = log("once")
    assert entry["response_headers"]["access-control-allow-origin"] == TRUSTED
