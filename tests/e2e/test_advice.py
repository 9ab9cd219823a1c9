"""'What helps most' in a real browser: sign in, upload a profile, read the panel and the plan's links to it.

The figures on the page are checked against ``smartpick advise --format json`` for the same profile file and
the same day (run as a separate process), at phone, tablet and desktop widths, with no horizontal scroll;
screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from examples_as_of import as_of

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TODAY = "2026-03-01"
PROFILE = as_of(ROOT / "examples" / "us-img-228-step1-fail.toml", TODAY)
WIDTHS = (375, 768, 1280)
PASSWORD = "amber-kettle-violin-harbor-27"


@pytest.fixture(scope="module")
def advice_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``smartpick advise`` on the same file and day, in its own process and database."""
    db = tmp_path_factory.mktemp("e2e-advice-cli") / "cli.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SMARTPICK_DATABASE_URL": f"sqlite:///{db}"}
    args = ["advise", "--profile", str(PROFILE), "--today", TODAY, "--format", "json"]
    out = subprocess.run(
        [sys.executable, "-m", "smartpick", *args], env=env, capture_output=True, check=True, text=True
    )
    doc: dict[str, Any] = json.loads(out.stdout)
    assert sum(1 for a in doc["actions"] if a["delta_p_match"] is not None) >= 3
    return doc


@pytest.fixture(scope="module")
def profile_path(multi_server: str, browser_context) -> str:  # type: ignore[no-untyped-def]
    """Sign up, sign in and upload the profile file through the forms; the profile page's path."""
    page = browser_context.new_page()
    try:
        page.goto(multi_server + "/signup")
        page.get_by_label("Username").fill("advice-e2e")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Password again").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        page.wait_for_url(multi_server + "/")
        page.goto(multi_server + "/profiles/new")
        page.locator("#u-name").fill("advice season")
        page.locator("#f-file").set_input_files(str(PROFILE))
        page.get_by_role("button", name="Upload").click()
        page.wait_for_url("**/profiles/*")
        path = page.url.removeprefix(multi_server).split("?")[0]
        assert path.startswith("/profiles/") and path.removeprefix("/profiles/").isdigit(), path
        return path
    finally:
        page.close()


def _points(delta: float) -> str:
    return f"{delta * 100:+.1f} points"


def _no_horizontal_scroll(page, width: int) -> None:  # type: ignore[no-untyped-def]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide in a {width}px window"


def _check_rows(panel, actions: list[dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    rows = panel.locator("tr[id^=advice-]")
    assert rows.evaluate_all("rs => rs.map(r => r.id)") == [f"advice-{a['id']}" for a in actions]
    for k, a in enumerate(actions):
        text = rows.nth(k).inner_text()
        assert a["title"] in text and f"${a['cost_usd']:,.0f}" in text
        assert ("(estimate)" in text) == ("estimate" in a["cost_note"])  # an estimated cost says so
        if a["delta_p_match"] is None:
            assert "not scored by the model" in text
            continue
        assert _points(a["delta_p_match"]) in text and "(model estimate)" in text
        if a["delta_interval"]:
            low, high = (x * 100 for x in a["delta_interval"])
            assert f"range {low:+.1f} to {high:+.1f}" in text
        sources = rows.nth(k).locator("details p.hint").text_content(timeout=1000) or ""
        assert sources.startswith("Sources: ") and all(s in sources for s in a["sources"])


def _check_bars(panel, scored: list[dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    bars = panel.locator("svg[role=img] rect")
    assert bars.count() == len(scored)
    widths = bars.evaluate_all("bs => bs.map(b => b.getBoundingClientRect().width)")
    gains = [a["delta_p_match"] for a in scored]
    assert widths == sorted(widths, reverse=True) and widths[0] > 0  # drawn, longest first
    for width, gain in zip(widths, gains, strict=True):  # lengths in proportion to the gains shown
        assert width / widths[0] == pytest.approx(gain / gains[0], abs=0.02)
    titles = bars.evaluate_all("bs => bs.map(b => b.querySelector('title').textContent)")
    labels = panel.locator("svg[role=img] text").evaluate_all("ts => ts.map(t => t.textContent)")
    for k, (title, a) in enumerate(zip(titles, scored, strict=True)):  # each bar named in words
        assert title == f"{a['title']}: {_points(a['delta_p_match'])}"
        assert f"{k + 1}. {a['title']}" in labels and _points(a["delta_p_match"]) in labels


def test_the_panel_ranks_actions_by_gain_with_the_advise_figures(  # type: ignore[no-untyped-def]
    multi_server: str, browser_context, profile_path: str, advice_json: dict[str, Any], shot
) -> None:
    actions = advice_json["actions"]
    scored = [a for a in actions if a["delta_p_match"] is not None]
    assert [a["delta_p_match"] for a in scored] == sorted((a["delta_p_match"] for a in scored), reverse=True)
    page = browser_context.new_page()
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{multi_server}{profile_path}?today={TODAY}")
            panel = page.locator("#advice")
            assert panel.get_by_role("heading", name="What helps most").is_visible()
            text = panel.inner_text()
            assert f"{advice_json['p_match_now']:.0%}" in text and "(model estimate)" in text
            assert advice_json["gain_meaning"] in text and advice_json["interval_meaning"] in text
            plan = advice_json["plan"]
            assert f"{plan['p_match']:.0%} with it" in text and _points(plan["delta_p_match"]) in text
            _check_rows(panel, actions)
            _check_bars(panel, scored)
            _no_horizontal_scroll(page, width)
            shot(page, f"profile-{width}")
    finally:
        page.close()


def test_each_plan_task_links_to_its_gain(  # type: ignore[no-untyped-def]
    multi_server: str, browser_context, profile_path: str, advice_json: dict[str, Any], shot
) -> None:
    gains = {a["id"]: a["delta_p_match"] for a in advice_json["actions"] if a["delta_p_match"] is not None}
    page = browser_context.new_page()
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{multi_server}{profile_path}/plan?today={TODAY}")
            links = page.locator("p.gain a")
            assert links.count() >= 2
            for k in range(links.count()):
                href, text = links.nth(k).get_attribute("href") or "", links.nth(k).inner_text()
                action = href.rsplit("#advice-", 1)[1]
                assert href.startswith(f"{profile_path}?today={TODAY}#advice-") and action in gains
                assert text == f"Adds {_points(gains[action])} to your chance of matching"
            assert "#advice-away-rotation" in (
                page.locator("#task-rotation-new-1-apply p.gain a").get_attribute("href") or ""
            )
            _no_horizontal_scroll(page, width)
            shot(page, f"plan-{width}")
        first = page.locator("p.gain a").first
        target = (first.get_attribute("href") or "").rsplit("#", 1)[1]
        first.click()
        page.wait_for_url(f"**#{target}")
        assert page.locator(f"#{target}").is_visible()  # the link lands on that action's row
        assert ARTIFACTS.exists()
    finally:
        page.close()
