"""The playground checks its input before it predicts: what the browser itself refuses
is predicted as the browser's exception and shown as such; what the lab's servers refuse is caught
in the form, next to the field, naming the limit, with the prediction cleared meanwhile; the page's
URL keeps only what fits."""

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect

from lab_contract import MAX_BODY_BYTES, MAX_HEADER_FIELD_BYTES, MAX_LAB_VALUE_CHARS, MAX_REQUEST_LINE_BYTES
from tests.pages import open_ready


def open_playground(page, origin, query=""):
    open_ready(page, f"{origin}/playground{query}")


def set_field(page, name, value):
    """Sets a large value at once (fill() types it into the page's event loop)."""
    page.locator(f'[name="{name}"]').evaluate(
        "(field, value) => { field.value = value; field.dispatchEvent(new Event('input', { bubbles: true })); }", value
    )


@pytest.mark.parametrize(
    ("query", "exception", "says"),
    [
        pytest.param(
            "?headers=" + quote("X-Lab-Name: 中文") + "&acao=echo", "TypeError", "not Latin-1", id="latin1-xhr"
        ),
        pytest.param(
            "?headers=" + quote("X-Lab-Name: 中文") + "&acao=echo&transport=fetch",
            "TypeError",
            "not Latin-1",
            id="latin1-fetch",
        ),
        pytest.param(
            "?method=" + quote("BAD METHOD") + "&acao=echo", "SyntaxError", "not a valid HTTP method", id="method"
        ),
    ],
)
def test_what_the_browser_refuses_is_predicted_as_its_exception(page, lab, read_log, query, exception, says):
    open_playground(page, lab.trusted_origin, query)
    expect(page.locator("#form-errors")).to_be_hidden()
    refusal = page.locator(".browser-refusal")
    expect(refusal).to_contain_text(says)
    expect(refusal).to_have_attribute("data-exception", exception)
    expect(page.locator('[data-outcome="preflight"]')).to_have_attribute("data-value", "false")
    expect(page.locator('[data-outcome="sent"]')).to_have_attribute("data-value", "false")
    page.get_by_role("button", name="Run it for real").click()
    result = page.locator("#result")
    expect(result).to_have_attribute("data-state", "done")
    expect(result).to_have_attribute("data-match", "true")
    expect(result).to_have_attribute("data-threw", "true")
    expect(result.locator(".thrown")).to_contain_text(exception)
    assert read_log(result.get_attribute("data-run")) == []


def test_a_forbidden_header_name_is_shown_as_dropped_by_the_browser(page, lab, read_log):
    open_playground(page, lab.trusted_origin, "?headers=" + quote("Cookie: a=b") + "&acao=echo")
    expect(page.locator(".browser-refusal")).to_contain_text("drops them silently")
    page.get_by_role("button", name="Run it for real").click()
    result = page.locator("#result")
    expect(result).to_have_attribute("data-match", "true")
    (entry,) = read_log(result.get_attribute("data-run"))
    assert "a=b" not in entry["request_headers"].get("cookie", "")


@pytest.mark.parametrize(
    ("field", "value", "names"),
    [
        pytest.param(
            "headers", "X-Lab-Token: " + "a" * MAX_HEADER_FIELD_BYTES, str(MAX_HEADER_FIELD_BYTES), id="header"
        ),
        pytest.param("acah", "X-" * (MAX_LAB_VALUE_CHARS // 2 + 1), str(MAX_LAB_VALUE_CHARS), id="lab-value-length"),
        pytest.param("acao", "https://é.example", "printable ASCII", id="lab-value-ascii"),
        pytest.param(
            "location", "/lab?acao=" + "a" * MAX_REQUEST_LINE_BYTES, str(MAX_REQUEST_LINE_BYTES), id="request-line"
        ),
    ],
)
def test_what_the_labs_servers_refuse_is_caught_next_to_the_field(page, lab, field, value, names):
    open_playground(page, lab.trusted_origin, "?method=PUT&acao=echo&redirect=307&location=" + quote("/lab?acao=echo"))
    expect(page.locator("#prediction li")).not_to_have_count(0)
    before = page.locator(f'[name="{field}"]').input_value()
    set_field(page, field, value)
    note = page.locator(f"#error-{field}")
    expect(note).to_contain_text(names)
    expect(page.locator(f'[name="{field}"]')).to_have_attribute("aria-describedby", f"error-{field}")
    expect(page.get_by_role("button", name="Run it for real")).to_be_disabled()
    expect(page.locator("#prediction li")).to_have_count(0)
    expect(page.locator("#prediction-panel")).to_have_attribute("data-stale", "true")
    set_field(page, field, before)
    expect(note).to_have_count(0)
    expect(page.locator("#prediction li")).not_to_have_count(0)


def test_a_body_over_the_apis_limit_is_caught_and_not_written_into_the_url(page, lab):
    open_playground(page, lab.trusted_origin, "?method=POST&acao=echo")
    set_field(page, "body", "a" * (MAX_BODY_BYTES + 1))
    expect(page.locator("#error-body")).to_contain_text(str(MAX_BODY_BYTES))
    expect(page.get_by_role("button", name="Run it for real")).to_be_disabled()
    assert "body" not in parse_qs(urlsplit(page.url).query)
    expect(page.locator("#url-note")).to_contain_text("body")


def test_the_url_keeps_what_fits_and_says_what_it_left_out(page, lab):
    open_playground(page, lab.trusted_origin, "?method=POST&acao=echo")
    set_field(page, "body", "b" * 5000)
    expect(page.locator("#url-note")).to_be_visible()
    expect(page.locator("#url-note")).to_contain_text("body")
    query = parse_qs(urlsplit(page.url).query)
    assert (query["method"], query["acao"], "body" in query) == (["POST"], ["echo"], False)
    assert len(page.url) < MAX_REQUEST_LINE_BYTES // 2 + 200
    set_field(page, "body", "small")
    expect(page.locator("#url-note")).to_be_hidden()
    assert parse_qs(urlsplit(page.url).query)["body"] == ["small"]


def test_a_mismatch_is_called_a_model_error_only_when_nothing_else_explains_it(page, lab):
    open_playground(page, lab.trusted_origin)
    causes = page.evaluate(
        """async () => {
          const { mismatchCause } = await import('/static/js/pages/playground-form.js');
          const predicted = { preflight: true, sent: true };
          return [
            mismatchCause(predicted, [], {}),
            mismatchCause(predicted, [{ method: 'PUT', status: 413 }], {}),
            mismatchCause(predicted, [{ method: 'PUT', status: 400 }], { status: '400' }),
          ].map(([key]) => key);
        }"""
    )
    assert causes == ["play.mismatch.unlogged", "play.mismatch.server", "play.mismatch"]
