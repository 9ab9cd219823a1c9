"""The "What helps most" panel when the day or the profile does not suit the advice: a message, not a 500."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import create_profile, example_document, page

sys.path.insert(0, str(Path(__file__).parents[1]))
from plain_language import page_problems

LOW = "us-img-228-step1-fail.toml"


@pytest.mark.parametrize(("day", "words"), [("2026-03-10", "10 March 2026"), ("1995-06-01", "1 June 1995")])
def test_a_practice_test_after_the_day_asked_is_a_message_not_a_500(
    client: TestClient, day: str, words: str
) -> None:
    pid = create_profile(client, "low", example_document(LOW))
    response = client.get(f"/profiles/{pid}?today={day}")  # the file's last practice test: 2026-03-24
    assert response.status_code == 200, response.text
    panel = page(client, f"/profiles/{pid}?today={day}").by_id("advice")
    assert f"No advice for this profile as of {words}: it has a practice test dated 24 March 2026" in (
        panel.text()
    )
    assert panel.find("svg") is None and page_problems(response.text) == []


def test_a_day_after_every_deadline_says_so_in_words(client: TestClient) -> None:
    pid = create_profile(client, "low", example_document(LOW))
    panel = page(client, f"/profiles/{pid}?today=2026-12-20").by_id("advice")
    assert "No action is still possible this cycle: every deadline has passed." in panel.text()
    assert panel.find("svg") is None
