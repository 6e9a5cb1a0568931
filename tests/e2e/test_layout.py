"""Layout at a phone's width (390 px) and on a desktop: no page scrolls sideways, wide tables scroll
inside a labelled box, a link to the note lands its quote below the sticky controls, the
playground's preflight fields sit beside the response fields (below them on a phone), the
baseline's two wires side by side."""

import pytest
from playwright.sync_api import expect

from tests.pages import open_ready, run_card, show_details

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIRE_LABEL = "What reached the API, as a table"
FACTS_LABEL = "Expected against observed, as a table"


def box(locator):
    return locator.bounding_box()


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_tables_at_phone_width_scroll_inside_a_labelled_focusable_box(page, lab):
    page.set_viewport_size(PHONE)
    open_ready(page, f"{lab.trusted_origin}/experiments?lang=en")
    assert no_horizontal_scroll(page)
    for experiment_id in ("simple-get", "preflight-put", "same-origin-baseline", "httponly-and-ports"):
        show_details(run_card(page, experiment_id))
    assert no_horizontal_scroll(page)
    boxes = page.locator(".experiment .table-scroll")
    # A facts table per card, and a wire table (two for the baseline) where something reached the API.
    expect(boxes).to_have_count(8)
    for scroll_box in boxes.all():
        expect(scroll_box).to_have_attribute("tabindex", "0")
        expect(scroll_box).to_have_attribute("role", "group")
        wire = scroll_box.locator("table.wire").count() == 1
        expect(scroll_box).to_have_attribute("aria-label", WIRE_LABEL if wire else FACTS_LABEL)
    open_ready(page, f"{lab.trusted_origin}/playground?method=PUT&acao=echo&acam=PUT")
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
    open_ready(page, f"{lab.trusted_origin}/experiments")
    page.locator("#exp-last-event-id .note-differs a").click()
    quote = page.locator("#quote-simple")
    page.wait_for_function(
        "([selector, height]) => Math.abs(document.querySelector(selector).getBoundingClientRect().y) < height",
        arg=["#quote-simple", viewport["height"]],
        timeout=5000,
    )
    controls = box(page.locator(".controls"))
    assert box(quote)["y"] >= controls["y"] + controls["height"]


def test_the_preflight_fields_sit_beside_the_answer_fields_on_desktop_and_below_on_a_phone(page, lab):
    page.set_viewport_size(DESKTOP)
    open_ready(page, f"{lab.trusted_origin}/playground")
    answer, preflight = box(page.locator(".response-policy")), box(page.locator(".preflight-policy"))
    assert preflight["x"] >= answer["x"] + answer["width"]
    assert preflight["y"] == answer["y"]
    page.set_viewport_size(PHONE)
    answer, preflight = box(page.locator(".response-policy")), box(page.locator(".preflight-policy"))
    assert preflight["y"] >= answer["y"] + answer["height"]
    assert no_horizontal_scroll(page)


def test_the_baseline_shows_its_two_wires_side_by_side_and_its_preparation_in_the_code(page, lab, read_log):
    page.set_viewport_size(DESKTOP)
    open_ready(page, f"{lab.trusted_origin}/experiments")
    code = page.locator("#exp-same-origin-baseline pre.code")
    expect(code).to_contain_text(f'src: "{lab.api_origin}/baseline?parent=')
    expect(code).to_contain_text("frame.contentWindow.postMessage(")
    expect(page.locator("#exp-page-cookie-same-host pre.code")).to_contain_text('document.cookie = "lab_page=')
    expect(page.locator("#exp-held-credentials-need-with-credentials pre.code")).to_contain_text("window.open(")
    expect(page.locator("#exp-httponly-and-ports pre.code")).to_contain_text("console.log(document.cookie)")
    card = show_details(run_card(page, "same-origin-baseline"))
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


def covered_by_the_sticky_bar(page):
    """The height of the screen the experiments page's controls cover while the page scrolls."""
    return page.evaluate(
        """() => {
            const controls = document.querySelector('.controls');
            if (getComputedStyle(controls).position !== 'sticky') return 0;
            return controls.getBoundingClientRect().height;
        }"""
    )


def one_line(locator):
    """Whether each element of ``locator`` is laid out on one line (no word broken letter by letter)."""
    return locator.evaluate_all(
        """nodes => nodes.map((node) => {
            const text = document.createRange();
            text.selectNodeContents(node);
            return new Set([...text.getClientRects()].map((rect) => Math.round(rect.top))).size === 1;
        })"""
    )


def test_on_a_phone_the_controls_cover_at_most_15_percent_and_no_word_breaks_letter_by_letter(page, lab):
    page.set_viewport_size(PHONE)
    open_ready(page, f"{lab.trusted_origin}/experiments?lang=en")
    for experiment_id in ("preflight-put", "simple-get"):
        show_details(run_card(page, experiment_id))
    page.locator("#exp-preflight-put table.wire").scroll_into_view_if_needed()
    assert covered_by_the_sticky_bar(page) <= 0.15 * PHONE["height"]
    cells = page.locator("#exp-preflight-put table.wire td:first-child code")
    expect(cells.first).to_be_visible()
    assert all(one_line(cells)), cells.all_inner_texts()
    open_ready(page, f"{lab.trusted_origin}/?lang=zh-CN")
    labels = page.locator("table.origins th[scope=row]")
    assert labels.count() > 0 and all(one_line(labels)), labels.all_inner_texts()
    assert no_horizontal_scroll(page)
