import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.pages import open_ready, wait_ready

# Preset label -> what must happen: (preflight on the wire, actual request on the wire, readable).
PRESETS = [
    pytest.param("Trailing slash in Allow-Origin", (False, True, False), "raw headers", id="trailing-slash"),
    pytest.param("* with credentials", (False, True, False), "raw headers", id="star-with-credentials"),
    pytest.param("Allow-Credentials: True (case matters)", (False, True, False), "raw headers", id="acac-True"),
    pytest.param(
        "Content-Type missing from Allow-Headers", (True, False, False), "flask-cors", id="content-type-not-allowed"
    ),
    pytest.param("A 403 preflight", (True, False, False), "raw headers", id="preflight-403"),
    pytest.param("Lowercase patch", (True, False, False), "flask-cors", id="lowercase-patch"),
    pytest.param("A preflighted PUT that works", (True, True, True), "flask-cors", id="working-put"),
    pytest.param(
        "Preflight passes, the response lacks Allow-Origin", (True, True, False), "raw headers", id="answer-lacks-acao"
    ),
    pytest.param("Allow-Origin sent twice (*, *)", (False, True, False), "raw headers", id="star-twice"),
    pytest.param("A redirected preflight", (True, False, False), "raw headers", id="preflight-redirect"),
    pytest.param(
        "A redirect to another origin (Origin: null)", (False, True, False), "raw headers", id="cross-origin-redirect"
    ),
]


def open_playground(page, origin, query=""):
    open_ready(page, f"{origin}/playground{query}")


@pytest.fixture(scope="module")
def presets_run(browser, lab):
    """Every preset as a learner meets it, in one page: its link clicked on the playground it is
    on, then run for real. Label -> (the server code's title, the result's attributes)."""
    context = browser.new_context()
    page = context.new_page()
    open_playground(page, lab.trusted_origin)
    results = {}
    for preset in PRESETS:
        label = preset.values[0]
        with page.expect_navigation():
            page.get_by_role("link", name=label, exact=True).click()
        wait_ready(page)
        title = page.locator("#server-title").text_content()
        page.get_by_role("button", name="Run it for real").click()
        result = page.locator("#result")
        expect(result).to_have_attribute("data-state", "done")
        results[label] = title, {name: result.get_attribute(f"data-{name}") for name in ("match", "run", "allowed")}
    yield results
    context.close()


@pytest.mark.parametrize(("label", "outcome", "server_kind"), PRESETS)
def test_preset_runs_for_real_and_matches_its_prediction(presets_run, read_log, label, outcome, server_kind):
    title, result = presets_run[label]
    assert title == f"Server: {server_kind}"
    assert result["match"] == "true"
    entries = read_log(result["run"])
    preflight, sent, readable = outcome
    assert any(entry["method"] == "OPTIONS" for entry in entries) is preflight
    assert any(entry["method"] != "OPTIONS" for entry in entries) is sent
    assert result["allowed"] == str(readable).lower()


def test_the_url_holds_the_whole_configuration(page, lab):
    open_playground(
        page,
        lab.trusted_origin,
        "?method=PUT&headers=X-Lab-Token%3A%20s&cred=1&acao=echo&acac=true&acam=PUT&acah=X-Lab-Token",
    )
    expect(page.get_by_label("Method", exact=True)).to_have_value("PUT")
    expect(page.get_by_label("withCredentials")).to_be_checked()
    expect(page.locator('[data-outcome="sent"]')).to_have_attribute("data-value", "true")
    # Editing the server side updates the prediction and the URL as you type.
    page.get_by_label("Access-Control-Allow-Credentials", exact=True).fill("True")
    expect(page.locator('[data-outcome="sent"]')).to_have_attribute("data-value", "false")
    expect(page.locator("#reasons")).to_contain_text('"True" is not exactly "true"')
    assert parse_qs(urlsplit(page.url).query)["acac"] == ["True"]


def test_bad_input_gets_a_clear_message_and_no_run(page, lab):
    open_playground(page, lab.trusted_origin)
    page.get_by_label("Status of the preflight").fill("99")
    page.get_by_label("Other headers").fill("not a header line")
    errors = page.locator("#form-errors")
    expect(errors).to_contain_text("Preflight status must be a number from 200 to 599")
    expect(errors).to_contain_text('"not a header line" is not a header line')
    expect(page.get_by_role("button", name="Run it for real")).to_be_disabled()


def test_the_same_configuration_from_the_untrusted_origin(page, lab, read_log):
    open_playground(page, lab.trusted_origin, f"?acao={lab.trusted_origin}")
    page.get_by_role("link", name=re.compile("Open this configuration on")).click()
    page.wait_for_url(f"{lab.untrusted_origin}/playground*")
    wait_ready(page)
    expect(page.locator('[data-outcome="allowed"]')).to_have_attribute("data-value", "false")
    page.get_by_role("button", name="Run it for real").click()
    result = page.locator("#result")
    expect(result).to_have_attribute("data-match", "true")
    (entry,) = read_log(result.get_attribute("data-run"))
    assert entry["request_headers"]["origin"] == lab.untrusted_origin
    assert entry["response_headers"]["access-control-allow-origin"] == lab.trusted_origin


def test_generated_code_for_both_clients_and_the_server(page, lab):
    open_playground(page, lab.trusted_origin, "?method=PUT&acao=echo&acam=PUT&max_age=600")
    expect(page.locator("#code-xhr")).to_contain_text('xhr.open("PUT"')
    expect(page.locator("#code-fetch")).to_contain_text('method: "PUT"')
    expect(page.locator("#code-server")).to_contain_text(f'"origins": ["{lab.trusted_origin}"]')
    expect(page.locator("#code-server")).to_contain_text('"max_age": 600')


def test_a_method_the_browser_refuses_is_predicted_and_shown_not_stuck(page, lab, read_log):
    open_playground(page, lab.trusted_origin, "?method=TRACE&acao=echo")
    expect(page.locator('[data-outcome="sent"]')).to_have_attribute("data-value", "false")
    page.get_by_role("button", name="Run it for real").click()
    result = page.locator("#result")
    expect(result).to_have_attribute("data-match", "true")
    expect(result.locator(".js-error")).to_contain_text("TRACE")
    assert read_log(result.get_attribute("data-run")) == []
    expect(page.get_by_role("button", name="Run it for real")).to_be_enabled()


WORKING_PUT = "?method=PUT&headers=X-Lab-Token%3A%20s&acao=echo&acam=PUT&acah=X-Lab-Token"


@pytest.mark.parametrize(
    ("policy", "preflights", "summary"),
    [
        pytest.param("&max_age=600", 1, "then 2 served from the preflight cache", id="max-age-600"),
        pytest.param("&max_age=600&pf_max_age=0", 3, "A preflight every time", id="preflight-max-age-0"),
    ],
)
def test_three_times_to_one_url_shows_the_preflight_cache(page, lab, read_log, policy, preflights, summary):
    open_playground(page, lab.trusted_origin, WORKING_PUT + policy)
    page.get_by_role("button", name="Send it three times (the preflight cache)").click()
    result = page.locator("#result")
    expect(result).to_have_attribute("data-state", "done")
    expect(result).to_have_attribute("data-match", "true")
    expect(result).to_have_attribute("data-preflights", str(preflights))
    expect(result).to_have_attribute("data-actuals", "3")
    expect(result.locator(".explanation").first).to_contain_text(summary)
    entries = read_log(result.get_attribute("data-run"))
    assert len({entry["query"] for entry in entries}) == 1  # one URL, one run
    assert [entry["method"] for entry in entries].count("OPTIONS") == preflights


def test_preflight_column_doubled_header_and_redirect_live_in_the_url(page, lab, read_log):
    open_playground(page, lab.trusted_origin, WORKING_PUT.replace("acao=echo", "acao=%2A&pf_acao=echo") + "&twice=acao")
    expect(page.get_by_label("Preflight: Access-Control-Allow-Origin")).to_have_value("echo")
    expect(page.locator("#reasons")).to_contain_text('several values ("*, *")')
    expect(page.locator("#code-server")).to_contain_text(
        '# sent 2 times (say by a proxy and by the app): the browser reads "*, *"'
    )
    expect(page.locator("#server-why")).to_contain_text("a second line (acao)")
    page.get_by_label("Send one header twice").select_option("")
    expect(page.locator('[data-outcome="allowed"]')).to_have_attribute("data-value", "true")
    page.get_by_label("Redirect status").select_option("307")
    page.get_by_label("Location").fill(f"{lab.api_alias_origin}/lab?acao=echo&acam=PUT&acah=X-Lab-Token")
    expect(page.locator("#reasons")).to_contain_text('Origin is "null"')
    query = parse_qs(urlsplit(page.url).query)
    assert (query["pf_acao"], query["redirect"], "twice" in query) == (["echo"], ["307"], False)
    page.get_by_role("button", name="Run it for real").click()
    result = page.locator("#result")
    expect(result).to_have_attribute("data-match", "true")
    expect(result).to_have_attribute("data-allowed", "true")
    entries = read_log(result.get_attribute("data-run"))
    assert [(e["method"], e["request_headers"]["origin"]) for e in entries] == [
        ("OPTIONS", lab.trusted_origin),
        ("PUT", lab.trusted_origin),
        ("OPTIONS", "null"),
        ("PUT", "null"),
    ]


def test_the_radio_groups_have_a_name(page, lab):
    open_playground(page, lab.trusted_origin)
    expect(page.get_by_role("radiogroup", name="Send with")).to_be_visible()
    expect(page.get_by_role("radiogroup", name="API host")).to_be_visible()
    page.get_by_role("radiogroup", name="Send with").get_by_role("radio", name="fetch()").check()
    assert parse_qs(urlsplit(page.url).query)["transport"] == ["fetch"]
