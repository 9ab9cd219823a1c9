"""Pages a physician reads without help: error pages keep who is signed in; advisors see whose profiles."""

from __future__ import annotations

from fastapi.testclient import TestClient

from conftest import create_profile, example_document, make_app, page, share, signup
from smartpick.web.settings import Mode


def _multi() -> TestClient:
    return TestClient(make_app(Mode.MULTI, login_ip_limit=1000, login_account_limit=1000))


def test_a_missing_page_keeps_the_signed_in_header() -> None:
    with _multi() as client:
        signup(client, "alice")
        for path in ("/no-such-page", "/profiles/999"):
            doc = page(client, path, status=404)
            header = doc.one("header").text()
            assert "Signed in as alice" in header and "Sign in" not in header.replace("Signed in", "")
            assert doc.find("link", rel="stylesheet") is not None


def test_a_missing_page_for_a_visitor_offers_sign_in() -> None:
    with _multi() as client:
        assert "Sign in" in page(client, "/no-such-page", status=404).one("header").text()


def test_the_advisor_sees_whose_profiles_they_are() -> None:
    app = make_app(Mode.MULTI, login_ip_limit=1000, login_account_limit=1000)
    with TestClient(app) as alice, TestClient(app) as dave:
        signup(alice, "alice")
        create_profile(alice, "cycle 2027", example_document("strong-us-img.toml"))
        signup(dave, "dave")
        share(alice, dave)
        rows = page(dave, "/").find_all("tr")
        shared = [r.text() for r in rows if "cycle 2027" in r.text()]
        assert shared and "Alex Rivera" in shared[0] and "alice" in shared[0]
