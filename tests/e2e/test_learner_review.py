"""What a newcomer's review found (issue 14) and the learner-facing rest of issue 12: cookie
experiments in a third-party frame, the "allow CORS" extension warning, phone widths, the index
with the API stopped, code comments in Chinese, links to the note, the playground's preflight
column, the baseline's two wires and the preparation steps in the code panel."""

import json

import pytest
from playwright.sync_api import expect

from tests.frontend.test_start_page import trusted_without_api  # noqa: F401 (a fixture)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIRE_LABEL = "What reached the API, as a table"
FACTS_LABEL = "Expected against observed, as a table"


def open_ready(page, url):
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def run_card(page, experiment_id):
    card = page.locator(f"#exp-{experiment_id}")
    card.get_by_role("button", name="Run", exact=True).click()
    return card


def box(locator):
    return locator.bounding_box()


# One cookie experiment of each kind whose facts depend on where the page runs them: the API's Lax
# cookie sent, its Lax cookie read, the page's own Lax cookie, held HTTP credentials (the others
# share these rules: experiment-runner.js); and the baseline, whose runner frame on the other
# origin must be allowed to frame the API's /baseline.
IN_A_THIRD_PARTY_FRAME = [
    "cookies-sent-with-credentials",
    "httponly-and-ports",
    "page-cookie-same-host",
    "held-credentials-need-with-credentials",
    "same-origin-baseline",
]


def test_cookie_experiments_on_the_untrusted_page_expect_what_this_browser_does(
    full_chromium, third_party_cookie_context, lab, read_log
):
    """On the untrusted origin the trusted experiments run in a third-party frame: there no Lax
    cookie is kept, whatever the settings, and held HTTP credentials go only where third-party
    cookies are allowed, which the page detects. Both profiles at once, each card as expected:
    the full Chromium's default context blocks third-party cookies."""
    blocked_context = full_chromium.new_context()
    pages = {"blocked": blocked_context.new_page(), "allowed": third_party_cookie_context.new_page()}
    try:
        for page in pages.values():
            open_ready(page, f"{lab.untrusted}/experiments")
        for experiment_id in IN_A_THIRD_PARTY_FRAME:
            cards = {profile: run_card(page, experiment_id) for profile, page in pages.items()}
            for profile, card in cards.items():
                expect(card).to_have_attribute("data-state", "done", timeout=20_000)
                expect(card, f"{experiment_id} where third-party cookies are {profile}").to_have_attribute(
                    "data-match", "true"
                )
        for profile, page in pages.items():
            note = page.locator("#exp-cookies-sent-with-credentials .cookie-context")
            expect(note).to_contain_text(f"a hidden frame on {lab.trusted} inside this page on {lab.untrusted}")
            said = {
                "blocked": "This browser kept no SameSite=None cookie just now: it blocks third-party cookies",
                "allowed": "This browser allows third-party cookies (detected just now)",
            }[profile]
            expect(note).to_contain_text(said)
            expect(note).to_have_attribute("data-third-party", str(profile == "allowed").lower())
            # The facts shown beside the note: no cookie went, in either profile.
            sent = page.locator("#exp-cookies-sent-with-credentials tr[data-fact=cookieSent] .observed-value")
            expect(sent).to_have_text("no")
            held = page.locator("#exp-held-credentials-need-with-credentials")
            entries = read_log(held.get_attribute("data-run"))
            assert [entry["status"] for entry in entries] == ([401, 401] if profile == "blocked" else [401, 200])
        # A card that does not depend on cookies says nothing of them.
        expect(pages["blocked"].locator("#exp-same-origin-baseline .cookie-context")).to_have_count(0)
    finally:
        pages["allowed"].close()
        blocked_context.close()


def test_the_untrusted_index_never_says_readable_above_a_blocked_result(page, open_index):
    open_index("untrusted")
    page.get_by_role("button", name="Run both checks").click()
    expect(page.locator("#run-all-status")).to_have_text("Done: 2 of 2 ran.")
    for check in page.locator(".check").all():
        expect(check).to_have_attribute("data-verdict", "blocked")
        expect(check.locator(".rule")).not_to_contain_text("readable")
        expect(check.locator(".rule")).to_contain_text("does not allow this origin")


def test_the_index_without_the_api_says_so_once_and_runs_both_checks(page, trusted_without_api):  # noqa: F811
    origin, api = trusted_without_api
    open_ready(page, f"{origin}/?lang=en")
    expect(page.get_by_text("does not answer")).to_have_count(1)
    expect(page.get_by_role("alert")).to_contain_text(f"The API at {api} does not answer")
    page.get_by_role("button", name="Run both checks").click()
    expect(page.locator("#run-all-status")).to_have_text("Done: 2 of 2 ran.")
    expect(page.locator(".check[data-state=done]")).to_have_count(2)
    expect(page.get_by_text("does not answer")).to_have_count(1)


ALLOW_CORS_MANIFEST = {
    "manifest_version": 3,
    "name": "Allow CORS (the lab's test double of such extensions)",
    "version": "1.0",
    "permissions": ["declarativeNetRequest"],
    "host_permissions": ["<all_urls>"],
    "declarative_net_request": {"rule_resources": [{"id": "allow", "enabled": True, "path": "rules.json"}]},
}
ALLOW_CORS_RULES = [
    {
        "id": 1,
        "priority": 1,
        "action": {
            "type": "modifyHeaders",
            "responseHeaders": [{"header": "Access-Control-Allow-Origin", "operation": "set", "value": "*"}],
        },
        "condition": {"resourceTypes": ["xmlhttprequest"]},
    }
]


@pytest.fixture
def allow_cors_context(playwright, full_chromium_launch_args, tmp_path):
    """Chromium with a real unpacked MV3 extension that adds Access-Control-Allow-Origin: * to
    every answer, as the "Allow CORS" extensions do (extensions need a persistent context)."""
    extension = tmp_path / "extension"
    extension.mkdir()
    (extension / "manifest.json").write_text(json.dumps(ALLOW_CORS_MANIFEST))
    (extension / "rules.json").write_text(json.dumps(ALLOW_CORS_RULES))
    args = [f"--disable-extensions-except={extension}", f"--load-extension={extension}"]
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), **{**full_chromium_launch_args, "args": args}
    )
    yield context
    context.close()


def test_an_allow_cors_extension_is_detected_and_warned_of_on_every_page(allow_cors_context, lab):
    page = allow_cors_context.new_page()
    open_ready(page, f"{lab.trusted}/experiments")
    refused = run_card(page, "refused-origin")
    expect(refused).to_have_attribute("data-state", "done")
    # The extension made a read the API refuses succeed: the lesson is wrong, and the page says why.
    expect(refused).to_have_attribute("data-verdict", "allowed")
    warning = page.locator("[data-extension-warning]")
    expect(warning).to_contain_text("a browser extension")
    assert warning.evaluate("node => node === document.querySelector('main').firstElementChild")
    for path in ("/", "/playground", "/explain", "/security"):
        open_ready(page, f"{lab.trusted}{path}")
        expect(page.locator("main > [data-extension-warning]:first-child")).to_have_attribute("role", "alert")


def test_without_such_an_extension_the_check_warns_of_nothing(page, lab):
    open_ready(page, f"{lab.trusted}/experiments")
    refused = run_card(page, "refused-origin")
    expect(refused).to_have_attribute("data-verdict", "blocked")
    # The check itself, as a suspected extension would start it: the refused read stays refused.
    page.evaluate(
        "async (api) => (await import('/static/js/views/extension-warning.js')).checkForCorsExtension(api)", lab.api
    )
    expect(page.locator("[data-extension-warning]")).to_have_count(0)
    assert page.evaluate("localStorage.length") == 0


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_tables_at_phone_width_scroll_inside_a_labelled_focusable_box(page, lab):
    page.set_viewport_size(PHONE)
    open_ready(page, f"{lab.trusted}/experiments?lang=en")
    assert no_horizontal_scroll(page)
    for experiment_id in ("simple-get", "preflight-put", "same-origin-baseline", "httponly-and-ports"):
        expect(run_card(page, experiment_id)).to_have_attribute("data-state", "done")
    assert no_horizontal_scroll(page)
    boxes = page.locator(".experiment .table-scroll")
    # A facts table per card, and a wire table (two for the baseline) where something reached the API.
    expect(boxes).to_have_count(8)
    for scroll_box in boxes.all():
        expect(scroll_box).to_have_attribute("tabindex", "0")
        expect(scroll_box).to_have_attribute("role", "group")
        wire = scroll_box.locator("table.wire").count() == 1
        expect(scroll_box).to_have_attribute("aria-label", WIRE_LABEL if wire else FACTS_LABEL)
    open_ready(page, f"{lab.trusted}/playground?method=PUT&acao=echo&acam=PUT")
    page.get_by_role("button", name="Run it for real").click()
    expect(page.locator("#result")).to_have_attribute("data-state", "done")
    assert no_horizontal_scroll(page)
    for tick in page.locator("#result td.tick").all():
        assert box(tick)["x"] + box(tick)["width"] <= PHONE["width"]
    page.locator("#run").focus()
    assert box(page.locator("#run"))["x"] + box(page.locator("#run"))["width"] <= PHONE["width"]


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_a_link_to_the_note_lands_the_quote_below_the_sticky_controls(page, lab, viewport):
    page.set_viewport_size(viewport)
    open_ready(page, f"{lab.trusted}/experiments")
    page.locator("#exp-preflight-put .note-agrees a").click()
    quote = page.locator("#quote-preflight")
    page.wait_for_function(
        "([selector, height]) => Math.abs(document.querySelector(selector).getBoundingClientRect().y) < height",
        arg=["#quote-preflight", viewport["height"]],
        timeout=5000,
    )
    controls = box(page.locator(".controls"))
    assert box(quote)["y"] >= controls["y"] + controls["height"]


def test_generated_code_comments_follow_the_page_language(page, lab):
    query = "method=PUT&acao=echo&pf_acao=*&acam=PUT"
    open_ready(page, f"{lab.trusted}/playground?lang=zh-CN&{query}")
    server = page.locator("#code-server")
    expect(server).to_contain_text("# 预检请求：")
    expect(server).to_contain_text("# 实际请求：")
    expect(server).not_to_contain_text("checked on its own headers")
    expect(page.locator("#code-xhr")).to_contain_text("// 永远是 0")
    expect(page.locator("#code-fetch")).to_contain_text("// 失败时")
    open_ready(page, f"{lab.trusted}/experiments?lang=zh-CN")
    expect(page.locator("#exp-same-origin-baseline pre.code")).to_contain_text("// 首先，同源地运行同一段代码")
    # In English the page's messages and the model's own comments are the same words.
    open_ready(page, f"{lab.trusted}/playground?lang=en&{query}")
    same = page.evaluate(
        """async () => {
            const { t } = await import('/static/js/core/i18n.js');
            const { serverCode } = await import('/static/js/model/server-code.js');
            const { xhrSource, fetchSource } = await import('/static/js/model/code-samples.js');
            const twice = { acao: ['*', '*'], pf_acao: 'echo', acam: 'PUT', redirect: '307', redirect_on: 'both' };
            const none = { acam: 'PUT' };
            const request = { method: 'GET', url: 'http://api.test/' };
            return [
                [serverCode(twice, 'http://p.test', 'PUT').code, serverCode(twice, 'http://p.test', 'PUT', t).code],
                [serverCode(none, 'http://p.test', 'PUT').code, serverCode(none, 'http://p.test', 'PUT', t).code],
                [xhrSource(request), xhrSource(request, t)],
                [fetchSource(request), fetchSource(request, t)],
            ];
        }"""
    )
    for english, translated in same:
        assert english == translated


def test_the_preflight_fields_sit_beside_the_answer_fields_on_desktop_and_below_on_a_phone(page, lab):
    page.set_viewport_size(DESKTOP)
    open_ready(page, f"{lab.trusted}/playground")
    answer, preflight = box(page.locator(".response-policy")), box(page.locator(".preflight-policy"))
    assert preflight["x"] >= answer["x"] + answer["width"]
    assert preflight["y"] == answer["y"]
    page.set_viewport_size(PHONE)
    answer, preflight = box(page.locator(".response-policy")), box(page.locator(".preflight-policy"))
    assert preflight["y"] >= answer["y"] + answer["height"]
    assert no_horizontal_scroll(page)


def test_the_baseline_shows_its_two_wires_side_by_side_and_its_preparation_in_the_code(page, lab, read_log):
    page.set_viewport_size(DESKTOP)
    open_ready(page, f"{lab.trusted}/experiments")
    code = page.locator("#exp-same-origin-baseline pre.code")
    expect(code).to_contain_text(f'src: "{lab.api}/baseline"')
    expect(code).to_contain_text("frame.contentWindow.postMessage(")
    expect(page.locator("#exp-page-cookie-same-host pre.code")).to_contain_text('document.cookie = "lab_page=')
    expect(page.locator("#exp-held-credentials-need-with-credentials pre.code")).to_contain_text("window.open(")
    expect(page.locator("#exp-httponly-and-ports pre.code")).to_contain_text("console.log(document.cookie)")
    card = run_card(page, "same-origin-baseline")
    expect(card).to_have_attribute("data-match", "true")
    sides = card.locator(".wire-side")
    expect(sides).to_have_count(2)
    same, cross = sides.nth(0), sides.nth(1)
    expect(same).to_have_attribute("data-side", "same-origin")
    expect(same.locator("table.wire tbody tr")).to_have_count(2)
    expect(cross.locator("table.wire tbody tr")).to_have_count(3)
    expect(cross.locator("code.method.preflight")).to_have_count(1)
    expect(same.locator("code.method.preflight")).to_have_count(0)
    assert len(read_log(card.get_attribute("data-run"))) == 5
    left, right = box(same), box(cross)
    assert right["x"] >= left["x"] + left["width"]
    assert right["y"] == left["y"]
