"""The applicant's season end to end in headless Chromium against a real server.

Create a profile, get recommendations, change the budget, download the plan's ICS, log an interview and
a thank-you, build a rank list. Screenshots (desktop and phone width) go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
FIRST, SECOND = "1631340", "1007340"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def page(browser_context):  # type: ignore[no-untyped-def]
    page = browser_context.new_page()
    yield page
    page.close()


def _both(page, shot, name: str) -> None:  # type: ignore[no-untyped-def]
    shot(page, name)
    page.set_viewport_size(PHONE)
    shot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def _create_profile(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/profiles/new")
    page.get_by_label("Profile name").first.fill("season 2027")
    page.get_by_label("Applicant type").select_option("us_img")
    page.get_by_role("group", name="Needs a visa").get_by_label("No").check()
    page.get_by_label("Graduation year").fill("2025")
    page.get_by_label("Target start year").fill("2027")
    page.get_by_label("Step 1 result").select_option("pass")
    page.get_by_label("Step 2 CK score").fill("246")
    page.get_by_label("Writer's specialty").select_option("pmr")
    page.get_by_role("group", name="Writer practises in the US").get_by_label("Yes").check()
    page.get_by_role("group", name="Regions").get_by_label("Northeast").check()
    page.get_by_role("button", name="Save profile").click()
    assert page.locator(".flash").inner_text() == "Saved profile season 2027."


def _recommendations(page, shot) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Recommendations").click()
    page.wait_for_url("**/recommendations")
    full = int(page.locator("#rec-count").inner_text())
    assert full > 0 and page.locator("table.recs tbody tr").count() == full
    assert page.locator("svg[role=img]").count() == 2
    assert "est." in page.locator("table.recs thead").first.inner_text()
    _both(page, shot, "recommendations")
    page.get_by_label("ERAS fee budget (USD)").fill("200")
    page.get_by_role("button", name="Re-optimize").click()
    page.wait_for_url("**/recommendations?budget=200*")
    cheaper = int(page.locator("#rec-count").inner_text())
    assert 0 < cheaper < full
    assert page.locator("table.recs tbody tr").count() == cheaper
    cost = float(page.locator("#rec-cost").inner_text().strip("$").replace(",", ""))
    assert cost <= 200
    shot(page, "recommendations-budget-200")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    lines = Path(info.value.path()).read_text().splitlines()
    assert lines[0].startswith("id,name") and len(lines) == cheaper + 1


def _plan(page, shot) -> None:  # type: ignore[no-untyped-def]
    page.locator(".crumbs a").click()
    page.get_by_role("link", name="Plan", exact=True).click()
    page.wait_for_url("**/plan")
    assert page.locator("ol.timeline > li").count() > 5
    _both(page, shot, "plan")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download calendar (.ics)").click()
    ics = Path(info.value.path()).read_text()
    assert (
        ics.startswith("BEGIN:VCALENDAR")
        and ics.count("BEGIN:VEVENT") == page.locator("ol.timeline > li").count()
    )


def _tracker(page, shot) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Tracker").click()
    for program, day in ((FIRST, "2026-11-10"), (SECOND, "2026-11-12")):
        form = page.locator("form", has=page.locator("#iv-program"))
        form.locator("#iv-program").select_option(program)
        form.locator("#iv-date").fill(day)
        form.get_by_role("button", name="Log interview").click()
        assert "logged" in page.locator(".flash").inner_text()
    rows = page.locator("table.tracked tbody tr")
    assert rows.count() == 2 and "interviewed" in rows.first.inner_text()
    page.locator("#msg-program").select_option(FIRST)
    page.locator("#msg-date").fill("2026-11-12")
    page.locator("#msg-kind").select_option("thank_you")
    page.locator("#msg-text").fill("Thank you for the interview on Tuesday; I enjoyed meeting the residents.")
    page.get_by_role("button", name="Log message").click()
    assert "logged" in page.locator(".flash").inner_text()
    checks = page.locator("table.findings").inner_text()
    assert "thank-you.missing" in checks and SECOND in checks  # the second interview has no thank-you yet
    _both(page, shot, "tracker")


def _rank_list(page, shot) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Rank list").click()
    page.locator(f"#score-{FIRST}").fill("70")
    page.locator(f"#score-{SECOND}").fill("90")
    page.locator("#f-pgy1").fill("TY-LOCAL-1, 80, PA")
    page.get_by_role("button", name="Build rank list").click()
    rows = page.locator("table.ranks tbody tr")
    assert rows.count() == 2
    assert SECOND in rows.nth(0).inner_text() and FIRST in rows.nth(1).inner_text()
    assert "TY-LOCAL-1" in rows.nth(1).inner_text()  # the advanced program carries the PGY-1 list
    assert page.locator("#rank-pmatch").inner_text().endswith("%")
    _both(page, shot, "ranklist")


def test_an_applicants_season(server: str, page, shot) -> None:  # type: ignore[no-untyped-def]
    _create_profile(page, server)
    _recommendations(page, shot)
    _plan(page, shot)
    _tracker(page, shot)
    _rank_list(page, shot)
