"""Accounts in multi-user mode: hashing, cookies, sessions, rate limits, sign-up rules."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient
from html_tree import form_values, parse_html
from sqlalchemy import select

from conftest import csrf, make_app, page, signup
from smartpick.store.web_models import UserRow
from smartpick.web.settings import Mode

PASSWORD = "correct horse battery"


def _login(client: TestClient, username: str, password: str) -> int:
    return client.post("/api/v1/session", json={"username": username, "password": password}).status_code


def _cookie_attrs(response: object) -> dict[str, str | bool]:
    header = response.headers["set-cookie"]  # type: ignore[attr-defined]
    morsel = next(iter(SimpleCookie(header).values()))
    return {k: morsel[k] for k in ("httponly", "samesite", "secure", "path")}


def test_passwords_are_stored_as_argon2id_hashes(multi_app) -> None:
    signup(TestClient(multi_app), "alice")
    with multi_app.state.sessionmaker() as session:
        stored = session.scalar(select(UserRow.password_hash).where(UserRow.username == "alice"))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_session_cookie_is_signed_httponly_and_samesite_lax(multi_app) -> None:
    client = TestClient(multi_app)
    response = client.post("/api/v1/users", json={"username": "alice", "password": "correct horse battery"})
    attrs = _cookie_attrs(response)
    assert attrs["httponly"] is True and str(attrs["samesite"]).lower() == "lax" and not attrs["secure"]
    secure = TestClient(make_app(Mode.MULTI, secure_cookies=True), base_url="https://testserver")
    response = secure.post("/api/v1/users", json={"username": "bob", "password": "correct horse battery"})
    assert _cookie_attrs(response)["secure"] is True


def test_a_tampered_cookie_is_not_a_session(multi_app) -> None:
    client = TestClient(multi_app)
    signup(client, "alice")
    value = client.cookies["smartpick_session"]
    client.cookies.set("smartpick_session", value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB"))
    assert client.get("/api/v1/me").status_code == 401


def test_login_page_signs_in_and_returns_to_the_page_asked_for(multi_app) -> None:
    signup(TestClient(multi_app), "alice")
    client = TestClient(multi_app)
    first = client.get("/profiles", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login?next=%2Fprofiles"
    doc = page(client, first.headers["location"])
    form = doc.one("form")
    data = {**form_values(form), "username": "alice", "password": "correct horse battery"}
    response = client.post(form.get("action") or "", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/profiles"
    assert client.get("/api/v1/me").json()["username"] == "alice"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"]
)
def test_next_never_leaves_the_site(multi_app, target: str) -> None:
    signup(TestClient(multi_app), "alice")
    client = TestClient(multi_app)
    doc = page(client, "/login")
    data = {"csrf_token": csrf(doc), "username": "alice", "password": "correct horse battery", "next": target}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_wrong_password_is_401_and_does_not_say_which_part_was_wrong(multi_app) -> None:
    signup(TestClient(multi_app), "alice")
    client = TestClient(multi_app)
    doc = page(client, "/login")
    for username in ("alice", "nobody"):
        data = {"csrf_token": csrf(doc), "username": username, "password": "not the password"}
        response = client.post("/login", data=data)
        assert response.status_code == 401
        assert (
            parse_html(response.text)
            .one("div", class_="error-summary")
            .text()
            .endswith("wrong username or password")
        )


def test_sign_out_ends_every_copy_of_the_session(multi_app) -> None:
    client = TestClient(multi_app)
    signup(client, "alice")
    stolen = client.cookies["smartpick_session"]
    form = page(client, "/").one("form", action="/logout")
    assert client.post("/logout", data=form_values(form), follow_redirects=False).status_code == 303
    thief = TestClient(multi_app)
    thief.cookies.set("smartpick_session", stolen)
    assert thief.get("/api/v1/me").status_code == 401


def test_logins_are_rate_limited_per_account() -> None:
    app = make_app(Mode.MULTI, login_account_limit=3, login_ip_limit=100)
    signup(TestClient(app), "alice")
    client = TestClient(app)
    for _ in range(3):
        assert (
            client.post("/api/v1/session", json={"username": "alice", "password": "wrong!"}).status_code
            == 401
        )
    blocked = client.post("/api/v1/session", json={"username": "alice", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    assert blocked.json()["detail"][0]["field"] == "login"
    signup(TestClient(app), "bob")  # other accounts are not blocked
    assert (
        client.post(
            "/api/v1/session", json={"username": "bob", "password": "correct horse battery"}
        ).status_code
        == 200
    )


def test_logins_are_rate_limited_per_ip() -> None:
    app = make_app(Mode.MULTI, login_account_limit=100, login_ip_limit=4)
    client = TestClient(app)
    codes = [
        client.post("/api/v1/session", json={"username": f"u{i}", "password": "x"}).status_code
        for i in range(6)
    ]
    assert codes == [401, 401, 401, 401, 429, 429]


def test_login_form_shows_the_rate_limit_as_a_page() -> None:
    app = make_app(Mode.MULTI, login_account_limit=1, login_ip_limit=100)
    client = TestClient(app)
    doc = page(client, "/login")
    data = {"csrf_token": csrf(doc), "username": "alice", "password": "x"}
    client.post("/login", data=data)
    response = client.post("/login", data=data)
    assert response.status_code == 429
    assert "too many attempts" in parse_html(response.text).one("div", class_="error-summary").text()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "ab", "password": "long enough password"}, "username"),
        ({"username": "has space", "password": "long enough password"}, "username"),
        ({"username": "alice2", "password": "short"}, "password"),
        ({"username": "alice2", "password": "long enough password", "role": "advisor"}, "role"),
        ({"username": "alice2", "password": "aaaaaaaaaa"}, "password"),
        ({"username": "alice2", "password": "1234567890"}, "password"),
        ({"username": "alice2", "password": "alice2-Qv9#xLm"}, "password"),
    ],
)
def test_sign_up_rules(multi_app, body: dict[str, str], field: str) -> None:
    response = TestClient(multi_app).post("/api/v1/users", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_usernames_are_unique_case_insensitively(multi_app) -> None:
    signup(TestClient(multi_app), "alice")
    response = TestClient(multi_app).post(
        "/api/v1/users", json={"username": "ALICE", "password": "another password"}
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "username"


def test_sign_up_can_be_closed() -> None:
    client = TestClient(make_app(Mode.MULTI, allow_signup=False))
    assert (
        client.post("/api/v1/users", json={"username": "alice", "password": "long enough pw"}).status_code
        == 422
    )
    assert client.get("/signup").status_code == 422


def test_sign_up_page_creates_an_account(multi_app) -> None:
    client = TestClient(multi_app)
    form = page(client, "/signup").one("form")
    data = {**form_values(form), "username": "Alice", "password": "correct horse battery",
            "confirm": "correct horse battery", "role": "advisor"}  # fmt: skip
    response = client.post("/signup", data=data, follow_redirects=False)
    assert response.status_code == 303  # a role field sent by the form is ignored: nobody declares a role
    assert client.get("/api/v1/me").json() == {"id": 1, "username": "alice", "role": "applicant"}


def test_sharing_page_invites_and_revokes(multi_app) -> None:
    adv = TestClient(multi_app)
    signup(adv, "adv")
    client = TestClient(multi_app)
    signup(client, "alice")
    form = page(client, "/sharing").one("form", action="/sharing/invite")
    created = parse_html(client.post("/sharing/invite", data=form_values(form)).text)
    code = created.one("code", id="invite-code").text().strip()
    redeem = page(adv, f"/sharing/redeem?code={code}").one("form", action="/sharing/redeem")
    assert adv.post("/sharing/redeem", data=form_values(redeem), follow_redirects=False).status_code == 303
    assert adv.get("/api/v1/shares").json()["applicants"] == ["alice"]
    doc = page(client, "/sharing")
    shares = doc.one("ul", class_="shares").find_all("li")
    assert [li.find("form").find("input", name="advisor").get("value") for li in shares] == ["adv"]
    revoke = shares[0].one("form")
    client.post(revoke.get("action") or "", data=form_values(revoke))
    assert client.get("/api/v1/shares").json() == {"advisors": [], "applicants": []}


def test_shares_cannot_be_granted_to_a_typed_username(multi_app) -> None:
    signup(TestClient(multi_app), "bob")
    client = TestClient(multi_app)
    signup(client, "alice")
    assert client.post("/api/v1/shares", json={"advisor": "bob"}).status_code in (404, 405)
    assert client.get("/api/v1/shares").json() == {"advisors": [], "applicants": []}


def test_an_invitation_code_works_once_and_not_for_its_creator(multi_app) -> None:
    alice, bob, eve = TestClient(multi_app), TestClient(multi_app), TestClient(multi_app)
    for c, name in ((alice, "alice"), (bob, "bob"), (eve, "eve")):
        signup(c, name)
    code = alice.post("/api/v1/shares/invites").json()["code"]
    assert alice.post("/api/v1/shares/redeem", json={"code": code}).status_code == 422
    assert bob.post("/api/v1/shares/redeem", json={"code": code}).json() == {"applicant": "alice"}
    again = eve.post("/api/v1/shares/redeem", json={"code": code})
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "code"
    assert eve.post("/api/v1/shares/redeem", json={"code": "guess"}).status_code == 422
    assert alice.get("/api/v1/shares").json()["advisors"] == ["bob"]


def test_local_mode_has_no_login(client: TestClient) -> None:
    assert client.get("/api/v1/me").json() == {"id": None, "username": "local user", "role": "applicant"}
    assert client.get("/login").status_code == 404
