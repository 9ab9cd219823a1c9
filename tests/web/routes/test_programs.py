"""The catalogue page: by state then name by default, sortable by column with links that keep the filters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from conftest import page


def _rows(doc):  # type: ignore[no-untyped-def]
    table = doc.one("table", class_="programs")
    return [
        (
            tr.one("th").text(),
            tr.find("td", data_label="State").text(),
            tr.find("td", data_label="City").text(),
        )
        for tr in table.one("tbody").find_all("tr")
    ]


def test_by_state_then_name_by_default(client: TestClient) -> None:
    rows = _rows(page(client, "/programs"))
    known = [(s, n.casefold()) for n, s, _ in rows if s != "unknown"]
    assert known == sorted(known) and len(rows) > 50
    assert all(s == "unknown" for _, s, _ in rows[len(known) :])


def test_every_sortable_column_sorts_and_keeps_the_filters(client: TestClient) -> None:
    doc = page(client, "/programs?region=South")
    links = [a.get("href") or "" for th in doc.find_all("th", scope="col") for a in th.find_all("a")]
    assert len(links) == 7 and all("region=South" in h and "sort=" in h for h in links)
    names = [n for n, _, _ in _rows(page(client, "/programs?region=South&sort=name"))]
    assert names == sorted(names, key=str.casefold)
    cities = [c for _, _, c in _rows(page(client, "/programs?sort=city")) if c != "unknown"]
    assert cities == sorted(cities)


def test_an_unknown_sort_is_a_clear_error(client: TestClient) -> None:
    response = client.get("/programs?sort=shoe")
    assert response.status_code == 422 and "sort" in response.text
