"""Every command's output and every page read like plain words for physicians (issue 18).

Data-driven: the CLI is walked from its command tree and the web app is crawled from its home page, so
commands
and pages added later are checked without editing this file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "web"))

from plain_language import cli_invocations, crawl, page_problems, problems

ROOT = Path(__file__).parents[1]
EXAMPLE_PROFILES = ("strong-us-img.toml", "non-us-img-visa.toml", "us-img-228-step1-fail.toml")


@pytest.fixture(scope="module")
def cli_outputs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    from smartpick.cli import app

    tmp = tmp_path_factory.mktemp("walk")
    env = {"SMARTPICK_DATABASE_URL": f"sqlite:///{tmp / 'walk.sqlite3'}", "COLUMNS": "100"}
    runner = CliRunner()
    outputs = []
    old = dict(os.environ)
    os.environ.update(env)
    try:
        for args in cli_invocations(tmp):
            result = runner.invoke(app, args, env=env)
            outputs.append((" ".join(args), result.output + (result.stderr if result.stderr_bytes else "")))
            if result.exception and not isinstance(result.exception, SystemExit):
                outputs.append((" ".join(args), f"traceback: {result.exception!r}"))
    finally:
        os.environ.clear()
        os.environ.update(old)
    return outputs


def test_every_command_speaks_plainly(cli_outputs: list[tuple[str, str]]) -> None:
    assert len(cli_outputs) > 60
    found = [f"smartpick {cmd}: {p}" for cmd, out in cli_outputs for p in problems(out)]
    assert not found, "\n".join(found[:80])


def test_the_walker_catches_what_it_should() -> None:
    assert problems("(band strong, seed 002)")
    assert problems("Source: seeds/000 FAQ 3")
    assert problems("[pgy1].logit_offset")
    assert problems("missing (experience.us_clinical_months_hands_on)")
    assert problems("status us_img")
    assert problems("stable=True")
    assert problems("got nothing; this key is required")
    assert problems("['a', 'b']")
    assert problems("Message to 1631340 logged")
    assert not problems(f"Message to {_name('1631340')} (1631340) logged")
    assert not problems("US citizen IMG, hands-on rotation, thank-you note")


def _name(pid: str) -> str:
    from plain_language import program_names

    return program_names()[pid]


def _seed(client: object) -> list[int]:
    """Profiles, a portfolio, a tracker with messages and a rank list, so every page has content."""
    import tomllib

    from conftest import create_profile, example_document, portfolio_document

    ids = [create_profile(client, n, example_document(n)) for n in EXAMPLE_PROFILES]  # type: ignore[arg-type]
    client.put("/api/v1/fellowship/portfolios/walk", json={"portfolio": portfolio_document()})  # type: ignore[attr-defined]
    prefs = tomllib.loads((ROOT / "examples" / "rank-preferences.toml").read_text(encoding="utf-8"))
    client.put("/api/v1/ranklist/preferences", json={"preferences": prefs})  # type: ignore[attr-defined]
    for program, day in (("1147340", "2026-11-03"), ("1295340", "2026-11-17"), ("1548340", "2026-12-01")):
        body = {"program": program, "status": "interviewed", "date": day}
        client.put("/api/v1/tracker/status", json=body)  # type: ignore[attr-defined]
    message = {"program": "1548340", "date": "2026-12-11", "direction": "sent", "kind": "thank_you",
               "text": "Thank you for the interview day."}  # fmt: skip
    client.post("/api/v1/tracker/messages", json=message)  # type: ignore[attr-defined]
    return ids


def _starts(ids: list[int]) -> tuple[str, ...]:
    starts: tuple[str, ...] = (
        "/",
        "/no-such-page",
        "/programs/no-such-program",
        "/tracker/draft?kind=intent",
    )
    for i in ids:
        starts += (f"/profiles/{i}", f"/profiles/{i}/recommendations", f"/profiles/{i}/plan")
    return starts


def test_every_page_speaks_plainly() -> None:
    from fastapi.testclient import TestClient

    from conftest import make_app

    with TestClient(make_app()) as client:
        pages = crawl(client.get, _starts(_seed(client)))
    assert len(pages) > 10
    found = [f"{path}: {p}" for path, html in pages.items() for p in page_problems(html)]
    assert not found, "\n".join(found[:80])


def test_every_page_of_the_multi_user_app_speaks_plainly() -> None:
    from fastapi.testclient import TestClient

    from conftest import make_app, share, signup
    from smartpick.web.settings import Mode

    app = make_app(Mode.MULTI, login_ip_limit=1000, login_account_limit=1000)
    pages: dict[str, str] = {}
    with TestClient(app) as visitor:
        pages.update(
            {f"signed out {k}": v for k, v in crawl(visitor.get, ("/", "/login", "/signup", "/nope")).items()}
        )
    with TestClient(app) as alice, TestClient(app) as dave:
        signup(alice, "alice")
        ids = _seed(alice)
        signup(dave, "dave")
        share(alice, dave)
        pages.update({f"alice {k}": v for k, v in crawl(alice.get, _starts(ids)).items()})
        pages.update({f"advisor {k}": v for k, v in crawl(dave.get, ("/", *_starts(ids))).items()})
    found = [f"{path}: {p}" for path, html in pages.items() for p in page_problems(html)]
    assert not found, "\n".join(found[:80])
