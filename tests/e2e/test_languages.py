"""The lab in 简体中文: every page translated, no raw key, no untranslated English, and the
lessons still run. Chromium starts in zh-CN, so navigator.languages chooses the language."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.test_experiments import CORS_CONSOLE_ERRORS
from tests.pages import open_ready, wait_ready

# Text outside code is English if it has a Latin word and no Chinese character. Code, the
# wire's values, origins and the note's quotations are marked translate="no" or are <code>.
UNTRANSLATED = """() => {
  const chinese = /[\\u3400-\\u9fff\\uff00-\\uffef]/;
  const found = { english: [], keys: [] };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const parent = walker.currentNode.parentElement;
    if (!text || parent.closest('code, pre, [translate="no"], select, textarea, [hidden]')) continue;
    if (/^[a-z]+(\\.[\\w-]+)+$/.test(text)) found.keys.push(text);
    else if (/[A-Za-z]{3,}/.test(text) && !chinese.test(text)) found.english.push(text);
  }
  return found;
}"""


def assert_all_chinese(page):
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    found = page.evaluate(UNTRANSLATED)
    assert found == {"english": [], "keys": []}
    assert [error for error in page.console_errors if not any(part in error for part in CORS_CONSOLE_ERRORS)] == []


def test_index_in_chinese_with_its_checks_run(chinese_page, lab):
    open_ready(chinese_page, f"{lab.trusted_origin}/")
    chinese_page.locator("#run-all").click()
    expect(chinese_page.locator(".check[data-state=done]")).to_have_count(2)
    expect(chinese_page.locator("#check-simple-get")).to_have_attribute("data-verdict", "allowed")
    expect(chinese_page.locator("#trust-banner")).to_contain_text("受信任的源")
    assert_all_chinese(chinese_page)


ONE_PER_SECTION = [
    "last-event-id",
    "refused-origin",
    "expose-headers",
    "httponly-and-ports",
    "preflight-put",
    "jsonp-from-untrusted-origin",
]


def test_one_experiment_per_section_in_chinese(chinese_page, lab):
    open_ready(chinese_page, f"{lab.trusted_origin}/experiments")
    for experiment in ONE_PER_SECTION:
        card = chinese_page.locator(f"#exp-{experiment}")
        card.locator("button.run").click()
        expect(card).to_have_attribute("data-state", "done")
        expect(card).to_have_attribute("data-match", "true")
    expect(chinese_page.locator("#exp-last-event-id .note-differs")).to_contain_text("笔记已过时之处")
    assert_all_chinese(chinese_page)


def test_playground_in_chinese_runs_a_preset(chinese_page, lab, read_log):
    open_ready(chinese_page, f"{lab.trusted_origin}/playground")
    with chinese_page.expect_navigation():
        chinese_page.get_by_role("link", name="小写的 patch").click()
    wait_ready(chinese_page)
    chinese_page.locator("#run").click()
    result = chinese_page.locator("#result")
    expect(result).to_have_attribute("data-match", "true")
    assert [entry["method"] for entry in read_log(result.get_attribute("data-run"))] == ["OPTIONS"]
    expect(chinese_page.locator("#reasons")).to_contain_text("区分大小写")
    assert_all_chinese(chinese_page)


def test_security_page_in_chinese_runs_a_scenario(chinese_page, lab):
    open_ready(chinese_page, f"{lab.trusted_origin}/security")
    chinese_page.locator("#scenario-cache-vary button.run-scenario").click()
    expect(chinese_page.locator("#run-all-status")).to_contain_text("完成", timeout=60_000)
    expect(chinese_page.locator("#attack-cache-vary-no-vary-cross-site")).to_have_attribute("data-outcome", "leaked")
    assert_all_chinese(chinese_page)


@pytest.mark.parametrize("path", ["/attack?scenario=origin-checks&variant=exact&run=zh-1", "/frame"])
def test_the_helper_pages_in_chinese(chinese_page, lab, path):
    chinese_page.goto(f"{lab.trusted_origin}{path}")
    expect(chinese_page.locator("html")).to_have_attribute("lang", "zh-CN")
    chinese_page.wait_for_load_state("networkidle")
    assert_all_chinese(chinese_page)


def test_the_choice_is_switchable_remembered_and_shared(page, lab):
    open_ready(page, f"{lab.trusted_origin}/")
    expect(page.locator("h1")).to_have_text("CORS lab")
    page.locator("select#language").select_option("zh-CN")
    expect(page.locator("h1")).to_have_text("CORS 实验室")
    open_ready(page, f"{lab.trusted_origin}/experiments")  # no ?lang=: remembered in localStorage
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    open_ready(page, f"{lab.trusted_origin}/playground?acao=echo")
    assert parse_qs(urlsplit(page.url).query)["lang"] == ["zh-CN"]  # a shared link keeps it
    page.locator("select#language").select_option("en")
    expect(page.locator("h1")).to_have_text(re.compile("Playground"))


def test_the_check_would_catch_english(page, lab):
    """The same walk over the English index finds English: the check above can fail."""
    open_ready(page, f"{lab.trusted_origin}/?lang=en")
    assert "Where this page is" in page.evaluate(UNTRANSLATED)["english"]


def test_generated_code_comments_follow_the_page_language(page, lab):
    query = "method=PUT&acao=echo&pf_acao=*&acam=PUT"
    open_ready(page, f"{lab.trusted_origin}/playground?lang=zh-CN&{query}")
    server = page.locator("#code-server")
    expect(server).to_contain_text("# 预检请求：")
    expect(server).to_contain_text("# 正式请求：")
    expect(server).not_to_contain_text("checked on its own headers")
    expect(page.locator("#code-xhr")).to_contain_text("// 永远是 0")
    expect(page.locator("#code-fetch")).to_contain_text("// 失败时")
    open_ready(page, f"{lab.trusted_origin}/experiments?lang=zh-CN")
    expect(page.locator("#exp-same-origin-baseline pre.code")).to_contain_text("// 首先，同源地运行同一段代码")
    # In English the page's messages and the model's own comments are the same words.
    open_ready(page, f"{lab.trusted_origin}/playground?lang=en&{query}")
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
