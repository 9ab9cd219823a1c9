"""A resident builds a fellowship portfolio in Chromium through the form, without writing TOML (issue 18).

Screenshots of the form (blank, with an error, filled) at phone, tablet and desktop widths: test-artifacts/
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
WIDTHS = (375, 768, 1280)


def _at_widths(page, shot, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Screenshots at every width; the widths at which the page scrolls sideways."""
    too_wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append(f"{name} at {width}px")
        shot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    return too_wide


def test_a_portfolio_is_built_in_the_form(server: str, browser_context, shot) -> None:  # type: ignore[no-untyped-def]
    page = browser_context.new_page()
    try:
        page.goto(server + "/fellowship")
        page.click("#new-portfolio")
        page.wait_for_selector("#f-resident-name")
        too_wide = _at_widths(page, shot, "blank")
        page.fill("#f-name", "e2e portfolio")
        page.fill("#f-resident-name", "Ana Ruiz")
        page.fill("#f-resident-pgy", "9")  # out of range: the error comes back beside the field
        page.fill("#f-resident-residency_start_year", "2025")
        page.check("input[name='resident.interests'][value='pain']")
        page.fill("#f-rotations-0-name", "Pain clinic")
        page.fill("#f-rotations-0-start", "2026-01-05")
        page.fill("#f-rotations-0-end", "2026-01-30")
        page.click("button[value='add:rotations']")
        page.wait_for_selector("#f-rotations-1-name")
        assert page.input_value("#f-rotations-0-name") == "Pain clinic"  # kept across "add another"
        page.fill("#f-rotations-1-name", "Electrodiagnostics")
        page.fill("#f-rotations-1-start", "2026-03-02")
        page.fill("#f-rotations-1-end", "2026-03-27")
        page.fill("#f-mentors-0-name", "Dr. Lee")
        page.select_option("#f-mentors-0-letter", "asked")
        page.fill("#f-mentors-0-letter_asked", "2026-02-01")
        page.click(".actions button[value='save']")
        page.wait_for_selector("#f-resident-pgy-error")
        assert "1 to 8" in page.inner_text("#f-resident-pgy-error")
        summary = page.inner_text(".error-summary")
        assert "Postgraduate year (PGY)" in summary and "resident.pgy" not in summary
        too_wide += _at_widths(page, shot, "error")
        page.fill("#f-resident-pgy", "2")
        page.click(".actions button[value='save']")
        page.wait_for_selector("#edit-link")
        assert "Ana Ruiz" in page.inner_text("h1")
        too_wide += _at_widths(page, shot, "plan")
        page.click("#edit-link")
        page.wait_for_selector("#f-rotations-1-name")
        assert page.input_value("#f-rotations-1-name") == "Electrodiagnostics"
        assert page.input_value("#f-mentors-0-letter") == "asked"
        too_wide += _at_widths(page, shot, "edit")
        assert too_wide == []
    finally:
        page.close()
