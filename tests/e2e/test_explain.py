"""The "Explain an error" page in a real Chromium: a Chromium message from the corpus is recognised,
and the playground link it gives, run in the lab, makes Chromium print the same kind with the same
reason (the lab's URL and origin in place of the captured ones). The page works by keyboard, renders
pasted text as text, and sends nothing anywhere."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_languages import assert_all_chinese, chinese_page  # noqa: F401 (a fixture)

CORPUS = Path(__file__).parents[1] / "model" / "corpus"
CHROMIUM = json.loads((CORPUS / "chromium.json").read_text())
BLOCKED = "has been blocked by CORS policy: "
REPRODUCED = [
    ("no-acao-get", "xhr"),
    ("no-acao-put", "fetch"),
    ("star-credentials", "xhr"),
    ("two-origins", "fetch"),
    ("invalid-origin", "xhr"),
    ("trailing-slash-put", "xhr"),
    ("acac-True", "fetch"),
    ("preflight-403", "xhr"),
    ("preflight-redirect", "fetch"),
    ("lowercase-patch", "xhr"),
    ("content-type-not-allowed", "fetch"),
    ("invalid-allow-methods", "xhr"),
    ("invalid-allow-headers", "fetch"),
]
MESSAGES = {(entry["case"], entry["transport"]): entry for entry in CHROMIUM["messages"]}


def open_explain(page, origin):
    page.goto(f"{origin}/explain")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def explain_by_keyboard(page, text):
    page.locator("#message").fill("")
    page.locator("#message").focus()
    page.keyboard.insert_text(text)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "explain"
    page.keyboard.press("Enter")


def reason(line):
    return line.split(BLOCKED, 1)[1]


@pytest.mark.parametrize(("case", "transport"), REPRODUCED, ids=[f"{c}-{t}" for c, t in REPRODUCED])
def test_the_playground_link_reproduces_the_message(page, lab, console_errors, case, transport):
    entry = MESSAGES[(case, transport)]
    (captured,) = entry["console"]
    open_explain(page, lab.trusted)
    explain_by_keyboard(page, captured)
    expect(page.locator("#verdict")).to_have_attribute("data-kind", entry["kind"])
    assert console_errors == []
    with page.expect_navigation():
        page.locator("#playground-link").click()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator("#run").click()
    expect(page.locator("#result")).to_have_attribute("data-state", "done")
    printed = [line for line in console_errors if BLOCKED in line]
    assert len(printed) == 1, console_errors
    (line,) = printed
    assert f"from origin '{lab.trusted}'" in line
    assert f"at '{lab.api}/lab?" in line
    assert reason(line) == reason(captured)


def test_keyboard_only_explains_and_makes_a_link_with_the_text_after_the_hash(page, lab, console_errors):
    open_explain(page, lab.trusted)
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    (captured,) = MESSAGES[("lowercase-patch", "xhr")]["console"]
    explain_by_keyboard(page, captured)
    expect(page.locator("#explanation")).to_have_attribute("data-state", "known")
    expect(page.locator("#recognised dd[data-field='method']")).to_have_text("patch")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "make-link"
    page.keyboard.press("Enter")
    link = page.locator("#share-link").input_value()
    assert link.startswith(f"{lab.trusted}/explain?lang=") and "#message=" in link
    assert sent == [], "explaining sent requests"
    assert "patch" not in page.url and "CORS" not in page.url
    page.goto(link)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#verdict")).to_have_attribute("data-kind", "method-disallowed-by-preflight-response")
    assert console_errors == []


def test_pasted_markup_stays_text(page, lab, console_errors):
    open_explain(page, lab.trusted)
    hostile = (
        "Access to fetch at 'http://x.example/<b id=injected>bold</b>' from origin 'http://<img id=img src=x>' has been "
        "blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '<i id=italic>v</i>' that is not "
        "equal to the supplied origin."
    )
    explain_by_keyboard(page, hostile)
    expect(page.locator("#verdict")).to_have_attribute("data-kind", "allow-origin-mismatch")
    assert page.locator("#injected, #img, #italic").count() == 0
    expect(page.locator("#recognised dd[data-field='url']")).to_have_text("http://x.example/<b id=injected>bold</b>")
    assert console_errors == []


def test_unknown_text_is_said_to_be_unknown_with_the_closest_kinds(page, lab, console_errors):
    open_explain(page, lab.trusted)
    explain_by_keyboard(page, "Access-Control-Allow-Origin is wrong somewhere, I think")
    output = page.locator("#explanation")
    expect(output).to_have_attribute("data-state", "unknown")
    expect(page.locator("#verdict")).to_have_attribute("data-kind", "")
    assert page.locator("#closest li").count() >= 1
    assert page.locator("#playground-link").count() == 0
    assert console_errors == []


def test_a_chinese_firefox_message_in_chinese(chinese_page, lab):  # noqa: F811 (the fixture)
    open_explain(chinese_page, lab.trusted)
    message = (
        "已拦截跨源请求：同源策略禁止读取位于 http://localhost:8001/data 的远程资源。"
        "（原因：CORS 预检响应的 'Access-Control-Allow-Headers'，不允许使用头 'x-token'）。"
    )
    explain_by_keyboard(chinese_page, message)
    expect(chinese_page.locator("#verdict")).to_have_attribute("data-kind", "header-disallowed-by-preflight-response")
    expect(chinese_page.locator("#recognised dd[data-field='header']")).to_have_text("x-token")
    assert_all_chinese(chinese_page)
    explain_by_keyboard(
        chinese_page, "[Error] Origin http://localhost:8000 is not allowed by Access-Control-Allow-Origin."
    )
    expect(chinese_page.locator("#explanation")).to_have_attribute("data-state", "unknown")
    assert_all_chinese(chinese_page)


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("zh-CN", 390)], ids=["en-desktop", "zh-CN-phone"])
def test_no_axe_violations_with_an_explanation_shown(browser, lab, lang, width):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    page = browser.new_page(viewport={"width": width, "height": 900})
    (captured,) = MESSAGES[("content-type-not-allowed", "fetch")]["console"]
    page.goto(f"{lab.trusted}/explain?lang={lang}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    explain_by_keyboard(page, captured)
    expect(page.locator("#explanation")).to_have_attribute("data-state", "known")
    violations = axe.run(page).response["violations"]
    page.close()
    assert [(violation["id"], len(violation["nodes"])) for violation in violations] == []
