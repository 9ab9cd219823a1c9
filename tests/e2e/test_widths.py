"""Every page at phone, tablet and desktop widths: nothing wider than the window (issue 18).

The pages are found by crawling the running app from its home page after storing the example profiles, a
portfolio, a tracker log and a rank list, so pages added later are covered. A full-page screenshot of each
page at
each width goes to test-artifacts/.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from plain_language import crawl

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = (375, 768, 1280)


@pytest.fixture(scope="module")
def pages(server: str) -> Iterator[list[str]]:
    with httpx.Client(base_url=server, timeout=60) as client:
        ids = []
        for name in ("strong-us-img.toml", "non-us-img-visa.toml"):
            doc = tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))
            response = client.post(
                "/api/v1/profiles", json={"name": f"width {name}", "profile": _jsonable(doc)}
            )
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        portfolio = tomllib.loads((EXAMPLES / "resident-portfolio.toml").read_text(encoding="utf-8"))
        client.put("/api/v1/fellowship/portfolios/widths", json={"portfolio": _jsonable(portfolio)})
        prefs = tomllib.loads((EXAMPLES / "rank-preferences.toml").read_text(encoding="utf-8"))
        client.put("/api/v1/ranklist/preferences", json={"preferences": prefs})
        client.put(
            "/api/v1/tracker/status",
            json={"program": "1147340", "status": "interviewed", "date": "2026-11-03"},
        )
        starts = ["/", "/no-such-page"]
        for i in ids:
            starts += [f"/profiles/{i}/recommendations", f"/profiles/{i}/plan"]
        found = crawl(client.get, tuple(starts), per_pattern=1)
    yield list(found)


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def test_no_page_is_wider_than_the_window(server: str, browser_context, pages: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert any("/recommendations" in p for p in pages) and len(pages) > 8
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_context.new_page()
    too_wide = []
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in pages:
                page.goto(server + path)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    too_wide.append(f"{path} at {width}px: {scroll}px wide")
                name = re.sub(r"[^A-Za-z0-9]+", "-", path.strip("/")) or "home"
                page.screenshot(path=str(ARTIFACTS / f"page-{name}-{width}.png"), full_page=True)
    finally:
        page.close()
    assert not too_wide, "\n".join(too_wide)


def test_the_why_column_wraps_inside_the_page(server: str, browser_context, pages: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = next(p for p in pages if p.endswith("/recommendations"))
    page = browser_context.new_page()
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(server + path)
            right = page.evaluate(
                "Math.max(...[...document.querySelectorAll('table.recs td[data-label=Why]')]"
                ".map(td => td.getBoundingClientRect().right))"
            )
            assert right <= width, f"'Why' ends at {right}px in a {width}px window"
            shown = page.locator("table.recs:visible tbody tr").count()
            assert 0 < shown <= 25
    finally:
        page.close()
