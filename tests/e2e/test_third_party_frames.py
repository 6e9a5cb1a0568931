"""The trusted origin's experiments, run for a page on the untrusted origin inside a hidden
third-party frame: each card expects what this browser does there (no Lax cookie kept; held HTTP
credentials only where third-party cookies are allowed) and says so."""

from playwright.sync_api import expect

from tests.pages import open_ready, run_card

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
            open_ready(page, f"{lab.untrusted_origin}/experiments")
        for experiment_id in IN_A_THIRD_PARTY_FRAME:
            cards = {profile: run_card(page, experiment_id, wait=False) for profile, page in pages.items()}
            for profile, card in cards.items():
                expect(card).to_have_attribute("data-state", "done", timeout=20_000)
                expect(card, f"{experiment_id} where third-party cookies are {profile}").to_have_attribute(
                    "data-match", "true"
                )
        for profile, page in pages.items():
            note = page.locator("#exp-cookies-sent-with-credentials .cookie-context")
            expect(note).to_contain_text(
                f"a hidden frame on {lab.trusted_origin} inside this page on {lab.untrusted_origin}"
            )
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


def test_the_cookie_claim_is_never_said_to_hold_where_the_cookie_did_not_go(
    full_chromium, third_party_cookie_context, lab, read_log
):
    """Claim 1 of the note's cookie paragraph, on the cross-site pair: where the browser keeps no
    third-party cookies the API's cookie does not go, and the card says the claim is not shown
    here (never "as the note says"); where they are allowed it goes, and the note holds."""
    blocked_context = full_chromium.new_context()
    pages = {"blocked": blocked_context.new_page(), "allowed": third_party_cookie_context.new_page()}
    try:
        for profile, page in pages.items():
            open_ready(page, f"{lab.trusted_origin}/experiments?lang=en")
            card = run_card(page, "samesite-none-cross-site")
            (entry,) = read_log(card.get_attribute("data-run"))
            went = "lab_session" in entry["request_headers"].get("cookie", [])
            assert went is (profile == "allowed")
            expect(card).to_have_attribute("data-claim", "shown" if went else "not-shown")
            expect(card.locator(".note-agrees")).to_have_count(1 if went else 0)
            expect(card.locator(".claim-not-shown")).to_have_count(0 if went else 1)
    finally:
        pages["allowed"].close()
        blocked_context.close()
