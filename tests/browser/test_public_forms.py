"""The public forms (suggest an offer, report a problem) after a wrong submission: the
focus moves to the list of what to correct, also for keyboard and screen reader users."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("live_demo_data")


@pytest.mark.parametrize(
    "address", ["/de/offers/suggest/", "/de/offers/badminton-castrop-rauxel/report/"]
)
def test_after_a_wrong_submission_the_focus_is_on_the_error_summary(page, browser_log, address):
    page.goto(address)
    page.locator("form.public-form [type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    browser_log.assert_clean()
