"""Pages whose content does not depend on the viewer are rendered once per catalogue version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SECRET, login, make_app, signup
from smartpick.data import bundled_catalogue
from smartpick.web.app import create_app
from smartpick.web.pages import PATH_CACHE_SIZE, BodyCache, route_path
from smartpick.web.settings import Mode, WebSettings


def test_body_cache_reuses_only_for_the_same_source_objects() -> None:
    cache = BodyCache(size=2)
    first, second = object(), object()
    cache.put("k", (first,), "T", "<p>one</p>")
    assert cache.get("k", (first,)) == ("T", "<p>one</p>")
    assert cache.get("k", (second,)) is None  # a new catalogue object: render again
    assert cache.get("other", (first,)) is None
    cache.put("a", (first,), "A", "a")
    cache.put("b", (first,), "B", "b")  # size 2: "k" was least recently used
    assert cache.get("k", (first,)) is None and cache.get("b", (first,)) == ("B", "b")


def test_programs_page_same_html_on_repeat_and_differs_by_filter() -> None:
    with TestClient(make_app()) as client:
        one, two = client.get("/programs"), client.get("/programs")
        south = client.get("/programs?region=South")
        assert one.status_code == two.status_code == south.status_code == 200
        assert one.text == two.text
        assert south.text != one.text
        assert client.get("/programs?region=South").text == south.text
        assert client.get("/programs?format=json").json()["programs"]


def test_new_catalogue_object_renders_afresh() -> None:
    app = make_app()
    with TestClient(app) as client:
        before = client.get("/programs").text
        catalogue = bundled_catalogue()
        gone = catalogue.programs[0]
        smaller = catalogue.with_programs(catalogue.programs[1:])

        def current(*_: Any) -> Any:
            return smaller

        app.state.catalogues.fresh = current
        after = client.get("/programs").text
        link = f'href="/programs/{gone.id}"'
        assert link in before and link not in after
        assert after != before


def test_layout_stays_per_viewer_while_the_list_is_shared() -> None:
    app = make_app(Mode.MULTI, login_ip_limit=1000, login_account_limit=1000)
    with TestClient(app) as first, TestClient(app) as second:
        signup(first, "ada")
        signup(second, "grace")
        login(first, "ada")
        login(second, "grace")
        a, b = first.get("/programs").text, second.get("/programs").text
        assert "ada" in a and "grace" not in a
        assert "grace" in b and "ada" not in b
        assert (
            a.split('<main id="main"', 1)[1].split("</main>")[0]
            == (b.split('<main id="main"', 1)[1].split("</main>")[0])
        )


def test_recommendations_page_reused_until_the_profile_changes() -> None:
    from conftest import create_profile, example_document

    with TestClient(make_app()) as client:
        pid = create_profile(client, "Alex")
        first = client.get(f"/profiles/{pid}/recommendations")
        again = client.get(f"/profiles/{pid}/recommendations")
        assert first.status_code == again.status_code == 200
        assert first.text == again.text
        budget = client.get(f"/profiles/{pid}/recommendations?budget=500")
        assert budget.status_code == 200 and budget.text != first.text
        document = example_document()
        document["preferences"]["budget_usd"] = 900
        changed = client.put(f"/api/v1/profiles/{pid}", json={"profile": document})
        assert changed.status_code == 200, changed.text
        assert client.get(f"/profiles/{pid}/recommendations").text != first.text


@given(profile_id=st.integers(min_value=1, max_value=2**31 - 1), name=st.sampled_from(["programs", "home"]))
@settings(max_examples=30, deadline=None)
def test_remembered_route_paths_equal_the_router(profile_id: int, name: str) -> None:
    app = _PATH_APP
    request = Request({"type": "http", "app": app, "headers": []})
    for _ in range(2):  # the second lookup is the remembered one
        assert route_path(request, "profile_view", profile_id=profile_id) == str(
            app.url_path_for("profile_view", profile_id=profile_id)
        )
        assert route_path(request, name) == str(app.url_path_for(name))
    assert len(app.state.route_paths) <= PATH_CACHE_SIZE


_PATH_APP = make_app()


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>")[0]


def test_an_edited_profile_shows_at_once_and_equals_a_fresh_render(tmp_path: Path) -> None:
    from conftest import create_profile, example_document

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    web_settings = WebSettings(database_url=url, secret_key=SECRET)
    warm = create_app(web_settings)
    with TestClient(warm) as client:
        pid = create_profile(client, "Alex")
        page = f"/profiles/{pid}/recommendations"
        seen = [client.get(page).text]
        for score in (226, 251):  # only the score changes: no part of the page's own key
            document = example_document()
            document["exams"]["step2_ck"] = score
            assert client.put(f"/api/v1/profiles/{pid}", json={"profile": document}).status_code == 200
            shown = client.get(page).text
            with TestClient(create_app(web_settings)) as cold:  # nothing cached: renders from scratch
                assert _main(shown) == _main(cold.get(page).text)
            seen.append(shown)
    assert _main(seen[0]) != _main(seen[1])  # the lower score changed the chances shown
    assert _main(seen[2]) == _main(seen[0])


def test_one_users_recommendations_never_reach_another() -> None:
    from conftest import create_profile, example_document

    app = make_app(Mode.MULTI, login_ip_limit=1000, login_account_limit=1000)
    with TestClient(app) as ada, TestClient(app) as grace:
        signup(ada, "zebrauser")
        signup(grace, "quokkauser")
        mine = create_profile(ada, "Zebra plan", example_document())
        hers = create_profile(grace, "Quokka plan", example_document())  # the same content: one memo entry
        a = ada.get(f"/profiles/{mine}/recommendations").text
        b = grace.get(f"/profiles/{hers}/recommendations").text
        assert "Zebra plan" in a and "zebrauser" in a and "quokka" not in a.casefold()
        assert "Quokka plan" in b and "quokkauser" in b and "zebra" not in b.casefold()
        for _ in range(2):  # neither warm cache hands over the other's page
            assert grace.get(f"/profiles/{mine}/recommendations").status_code == 404
            assert ada.get(f"/profiles/{hers}/recommendations").status_code == 404
        assert ada.get(f"/profiles/{mine}/recommendations").text == a


def test_a_layout_with_a_flash_message_is_shown_once_and_not_kept() -> None:
    from smartpick.web.pages import Chrome, Layouts

    app = make_app()
    request = Request({"type": "http", "app": app, "headers": [], "path": "/"})
    layouts = Layouts(size=2)
    plain = Chrome(None, "token-1", (), False, "v1", "2026-01-01")
    flashed = Chrome(None, "token-1", (), False, "v1", "2026-01-01", flash="Saved your profile.")
    head, tail = layouts.around(request, flashed, "Title")
    assert "Saved your profile." in head and "<title>Title" in head and "</html>" in tail
    again, _ = layouts.around(request, plain, "Title")
    assert "Saved your profile." not in again and 'value="token-1"' not in again  # local mode: no form
    assert layouts.around(request, plain, "Title")[0] is again  # the flash-less layout is kept
    assert layouts._entries.keys() == {(plain, "Title")}


def test_catalogue_version_is_asked_at_most_once_per_max_age(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartpick.web import deps

    now = [100.0]
    latest = [0]
    asked: list[int] = []

    def latest_import_id(session: object) -> int:
        asked.append(latest[0])
        return latest[0]

    def current_catalogue(session: object) -> object:
        return object()  # a new catalogue object per rebuild

    monkeypatch.setattr(deps, "latest_import_id", latest_import_id)
    monkeypatch.setattr(deps, "current_catalogue", current_catalogue)
    cache = deps.CatalogueCache(max_age=1.0, clock=lambda: now[0])
    assert cache.fresh() is None  # never checked
    first = cache.current(None)  # type: ignore[arg-type]
    now[0] += 0.5
    assert cache.fresh() is first and asked == [0]  # within a second: no query
    latest[0] = 7  # an import in another process
    now[0] += 0.6
    assert cache.fresh() is None
    newer = cache.current(None)  # type: ignore[arg-type]
    assert newer is not first and asked == [0, 7]
    now[0] += 1.5
    assert cache.fresh() is None and cache.current(None) is newer  # type: ignore[arg-type]


def test_programs_api_is_serialised_once_and_answers_304_to_its_etag() -> None:
    from fastapi.responses import JSONResponse

    from smartpick.web.program_views import ProgramQuery
    from smartpick.web.routes.programs import programs_document

    app = make_app()
    with TestClient(app) as client:
        first, again = client.get("/api/v1/programs"), client.get("/api/v1/programs")
        expected = JSONResponse(programs_document(bundled_catalogue(), ProgramQuery())).body
        assert first.status_code == again.status_code == 200
        assert first.content == again.content == expected  # the same bytes as serialising afresh
        assert first.headers["content-type"] == "application/json"
        etag = first.headers["etag"]
        assert again.headers["etag"] == etag
        unchanged = client.get("/api/v1/programs", headers={"If-None-Match": f'W/{etag}, "other"'})
        assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
        assert client.get("/api/v1/programs", headers={"If-None-Match": '"other"'}).status_code == 200
        south = client.get("/api/v1/programs?region=South")
        assert south.headers["etag"] != etag
        assert {p["region"]["value"] for p in south.json()["programs"]} == {"South"}
        smaller = bundled_catalogue().with_programs(bundled_catalogue().programs[1:])
        app.state.catalogues.fresh = lambda: smaller  # a newer import: a new catalogue object
        newer = client.get("/api/v1/programs", headers={"If-None-Match": etag})
        assert newer.status_code == 200 and newer.headers["etag"] != etag
        assert len(newer.json()["programs"]) == len(first.json()["programs"]) - 1


@given(
    tags=st.lists(st.from_regex(r'"[a-f0-9]{4}"', fullmatch=True), max_size=4),
    etag=st.from_regex(r'"[a-f0-9]{4}"', fullmatch=True),
    weak=st.booleans(),
)
def test_if_none_match_matches_exactly_when_it_lists_the_etag(tags: list[str], etag: str, weak: bool) -> None:
    from smartpick.web.pages import etag_matches

    header = ", ".join(("W/" if weak else "") + t for t in tags)
    assert etag_matches(header, etag) == (etag in tags)
    assert etag_matches(header + ", *", etag)


def test_a_catalogue_check_uses_the_requests_own_connection(tmp_path: Path) -> None:
    """With every pooled connection held by a request, a second one per request would wait forever."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    url = f"sqlite:///{tmp_path / 'one.sqlite3'}"
    app = create_app(WebSettings(database_url=url, secret_key=SECRET, mode=Mode.MULTI))
    one = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=0.5)
    app.state.sessionmaker = sessionmaker(bind=one, expire_on_commit=False)
    app.state.catalogues._max_age = 0.0  # every request checks the catalogue version
    with TestClient(app) as client:
        signup(client, "zebrauser")  # signed in: the viewer's query takes the request's connection first
        for url_path in ("/programs", "/api/v1/programs", "/programs"):
            assert client.get(url_path).status_code == 200
