"""Pages whose content does not depend on the viewer are rendered once per catalogue version."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import login, make_app, signup
from smartpick.data import bundled_catalogue
from smartpick.web.pages import PATH_CACHE_SIZE, BodyCache, route_path
from smartpick.web.settings import Mode


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

        def current(_: Any) -> Any:
            return smaller

        app.state.catalogues.current = current
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
