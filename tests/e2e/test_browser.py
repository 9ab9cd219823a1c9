"""End to end in headless Chromium against a real server: create a profile, browse the catalogue.

Screenshots go to test-artifacts/ (desktop and phone widths).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def page(browser_context):  # type: ignore[no-untyped-def]
    page = browser_context.new_page()
    yield page
    page.close()


def test_create_a_profile_through_the_form(server: str, page, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.get_by_role("link", name="New profile").first.click()
    page.get_by_label("Profile name").first.fill("my 2027 cycle")
    page.get_by_label("Applicant type").select_option("us_img")
    page.get_by_role("group", name="Needs a visa").get_by_label("No").check()
    page.get_by_label("Graduation year").fill("2025")
    page.get_by_label("Target start year").fill("2027")
    page.get_by_label("Step 1 result").select_option("pass")
    page.get_by_label("Step 2 CK score").fill("400")  # a typo: the server must point at this field
    page.get_by_role("button", name="Save profile").click()
    summary = page.locator(".error-summary")
    assert "Step 2 CK score" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    score = page.get_by_label("Step 2 CK score")
    assert score.get_attribute("aria-invalid") == "true"
    shot(page, "form-errors")
    summary.get_by_role("link", name="USMLE exams · Step 2 CK score").click()
    assert page.evaluate("document.activeElement.id") == "f-exams-step2_ck"
    score.fill("241")
    page.get_by_label("Writer's specialty").select_option("pmr")
    page.get_by_role("group", name="Writer practises in the US").get_by_label("Yes").check()
    page.get_by_role("group", name="Regions").get_by_label("Midwest").check()
    page.get_by_role("button", name="Save profile").click()
    assert page.locator(".flash").inner_text() == "Saved profile my 2027 cycle."
    assert page.locator(".standing .badge").inner_text().lower() == "solid"
    shot(page, "profile")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download profile.toml").click()
    data = tomllib.loads(Path(info.value.path()).read_text())
    assert data["exams"]["step2_ck"] == 241 and data["preferences"]["regions"] == ["Midwest"]


def test_upload_a_profile_file(server: str, page, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/profiles/new")
    page.locator("#u-name").fill("uploaded")
    page.set_input_files("#f-file", str(EXAMPLES / "us-img-228-step1-fail.toml"))
    page.get_by_role("button", name="Upload").click()
    assert page.locator("h1").inner_text() == "Profile uploaded"
    assert page.locator(".standing .badge").inner_text().lower() == "low"
    shot(page, "uploaded")


def test_browse_the_catalogue_with_filters(server: str, page, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/programs")
    total = page.locator("table.programs tbody tr").count()
    page.get_by_label("State").select_option("FL")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/programs?*state=FL*")
    rows = page.locator("table.programs tbody tr")
    assert 0 < rows.count() < total
    for i in range(rows.count()):
        assert rows.nth(i).locator("td").nth(1).inner_text() == "FL"
    shot(page, "catalogue-florida")
    rows.first.locator("a").click()
    page.wait_for_url("**/programs/*")
    assert page.locator("table.facts-table tbody tr").count() > 5
    assert "catalogue version" in page.locator("footer").inner_text()
    shot(page, "program")


def test_keyboard_reaches_the_main_content_first(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/programs")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_pages_fit_a_phone_screen(server: str, browser_context, shot) -> None:  # type: ignore[no-untyped-def]
    page = browser_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in (
        ("/", "phone-home"),
        ("/programs?state=NY", "phone-programs"),
        ("/profiles/new", "phone-form"),
    ):
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        shot(page, name)
    page.close()
