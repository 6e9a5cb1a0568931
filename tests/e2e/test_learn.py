"""The note, step by step (/learn): from the index, a learner follows the note paragraph by
paragraph. Each step sends a real request; the test checks what reached the API (/log), what
JavaScript got, and that the console line the step shows is the one Chromium printed."""

from playwright.sync_api import expect

from tests.e2e.test_languages import assert_all_chinese
from tests.pages import open_ready, wait_ready

# Each step: what JavaScript gets, and what reaches the API (method of each request, in order).
PATH = {
    "refused": ("blocked", ["GET"]),
    "simple": ("allowed", ["GET"]),
    "exact-origin": ("blocked", ["GET"]),
    "expose": ("allowed", ["GET"]),
    "cookies-need-both": ("blocked", ["GET"]),
    "no-star-with-credentials": ("blocked", ["GET"]),
    "credentials-allowed": ("allowed", ["GET"]),
    "preflight-method": ("blocked", ["OPTIONS"]),
    "preflight-header": ("blocked", ["OPTIONS"]),
    "preflight-passes": ("allowed", ["OPTIONS", "PUT"]),
    "max-age": ("allowed", ["OPTIONS", "PUT", "PUT", "PUT"]),
}
CORS_LINE = "blocked by CORS policy"


def test_the_whole_path_from_the_index(page, lab, read_log):
    printed = []
    page.on("console", lambda message: printed.append(message.text) if CORS_LINE in message.text else None)
    open_ready(page, f"{lab.trusted_origin}/?lang=en")
    page.get_by_role("link", name="New to CORS? Start here").click()
    wait_ready(page)
    steps = page.locator("li.step")
    expect(steps).to_have_count(len(PATH) + 1)  # and JSONP, which links to its experiments
    shown = []
    for step_id, (verdict, wire) in PATH.items():
        card = page.locator(f"#step-{step_id}")
        card.get_by_role("button", name="Run it").click()
        expect(card).to_have_attribute("data-state", "done")
        expect(card).to_have_attribute("data-verdict", verdict)
        expect(card).to_have_attribute("data-match", "true")
        assert [entry["method"] for entry in read_log(card.get_attribute("data-run"))] == wire, step_id
        lines = card.locator(".console-line").all_inner_texts()
        assert bool(lines) is (verdict == "blocked"), step_id
        shown += lines
    # Step 1: a blocked request, and the line Chromium prints for it, word for word.
    first = page.locator("#step-refused .console-line")
    expect(first).to_contain_text("No 'Access-Control-Allow-Origin' header is present on the requested resource.")
    assert sorted(shown) == sorted(printed)
    expect(page.locator("#step-expose")).to_contain_text("JavaScript read X-Lab-Custom: yes.")
    expect(page.locator("#step-max-age")).to_contain_text("1 preflight(s) and 3 request(s) reached the API")


def test_the_path_in_chinese_on_a_phone(chinese_page, lab):
    chinese_page.set_viewport_size({"width": 390, "height": 844})
    open_ready(chinese_page, f"{lab.trusted_origin}/learn")
    expect(chinese_page.locator("#step-no-star-with-credentials h2")).to_have_text(
        "6. 这一段什么意思：带凭证时不能用 *"
    )
    card = chinese_page.locator("#step-refused")
    card.get_by_role("button", name="运行").click()
    expect(card).to_have_attribute("data-verdict", "blocked")
    expect(card.locator(".takeaway")).to_contain_text("报错来自浏览器，而不是服务器")
    assert_all_chinese(chinese_page)
    assert chinese_page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
