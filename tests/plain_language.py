"""Reusable checks that what a physician reads holds no internal terms and names programs, not ids.

Use it from any test: ``problems(text)`` for terminal or page text, ``page_problems(html)`` for a page
(visible
text only: attributes such as ``title`` or ``value`` may carry ids and enum spellings), ``cli_invocations()``
for
every command of the CLI (walked from the command tree, so new commands are covered without edits here) and
``crawl(client)`` for every page reachable from the home page.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"

# Phrases that never belong in front of a user, whatever the command or page.
FORBIDDEN: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("internal source reference", r"\bseeds?(?:/| |_)?0\d\d\b|shared/seeds|\bseeds/"),
        ("internal spec reference", r"FORMATS contract|shared/FORMATS|PUBLIC_FIGURES|DOMAIN\.md|PF §"),
        ("model internals", r"\blogit\w*|log-odds|\blog odds\b|expected utility"),
        (
            "field path",
            r"\((?:applicant|exams|experience|letters|rotations|research|visa|preferences|"
            r"resident|mentors|projects|progress|pgy1|market)(?:\[\d+\])?\.[a-z_\[\].0-9]+\)",
        ),
        (
            "python repr",
            r"\[\s*'[^']*'\s*(?:,|\])|\(\s*'[^']*'\s*,|\{'[a-z_]+':|<[A-Z]\w+\.\w+: |"
            r"\bdatetime\.date\(|\bDecimal\(|\b\w+=(?:True|False|None)\b|\bNoneType\b",
        ),
        ("validation jargon", r"got nothing|allowed: tuple|this key is required|\(s\)"),
        ("formula", r"P\(match\) = 1 - prod"),
    )
)


@cache
def enum_spellings() -> frozenset[str]:
    """Every enum value of the domain spelled with an underscore (``us_img``, ``thank_you``, ...)."""
    import smartpick.domain as domain

    found: set[str] = set()
    for info in pkgutil.walk_packages(domain.__path__, "smartpick.domain."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == info.name:
                found.update(str(m.value) for m in value if isinstance(m.value, str) and "_" in m.value)
    return frozenset(found)


@cache
def program_names() -> dict[str, str]:
    """Catalogue program id -> name."""
    from smartpick.services.catalogue import current_catalogue

    return {p.id: p.name for p in current_catalogue(None).programs}


def problems(text: str, *, lines_name_programs: bool = True) -> list[str]:
    """What is wrong with a text shown to a user: forbidden terms, enum spellings and bare program ids.

    A JSON document is data for programs, not prose (ids and enum values belong there): it is not checked.
    """
    found: list[str] = []
    if _is_json(text):
        return found
    for label, pattern in FORBIDDEN:
        for match in pattern.finditer(text):
            found.append(f"{label}: {_around(text, match.start(), match.end())!r}")
    spellings = enum_spellings()
    # A table column headed "id" lists identifiers the user types back (``--kind``, ``interests``): allowed
    # there.
    # Help text lists the values an option accepts (<a|b|c>): those are what the user types.
    prose = "\n".join(line for line in _logical_lines(text) if not line.strip().lower().startswith("id "))
    prose = re.sub(r"<[^<>\n]*\|[^<>\n]*>", "", prose)
    for match in re.finditer(r"(?<![\w/.-])[a-z0-9]+(?:_[a-z0-9]+)+(?![\w/-])", prose):
        if match.group(0) in spellings:
            found.append(f"enum spelling: {_around(prose, match.start(), match.end())!r}")
    if lines_name_programs:
        found.extend(bare_ids(text))
    return found


def _is_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
    except ValueError:
        return False
    return text.lstrip().startswith(("{", "["))


def bare_ids(text: str) -> list[str]:
    """Program ids not beside the program's name: on the same line, table row or table column."""
    names = program_names()
    rows = {" ".join(line.split()) for line in text.splitlines()}
    found: list[str] = []
    for line in _logical_lines(text):
        flat = " ".join(line.split())
        for match in re.finditer(r"(?<![\w-])[\w-]+(?![\w-])", flat):
            name = names.get(match.group(0))
            if name is None:
                continue
            head = "".join(name.split())[:10].lower()
            near = flat[max(0, match.start() - len(name) - 80) : match.end() + len(name) + 80]
            first = re.split(r"[\s/]", name)[0][:8].lower()
            row = next((r for r in rows if match.group(0) in r and first in r.lower()), None)
            if head not in near.replace(" ", "").lower() and row is None:
                where = _around(flat, match.start(), match.end())
                found.append(f"bare program id {match.group(0)} ({name}): {where!r}")
    return found


def _logical_lines(text: str) -> list[str]:
    """Lines of text, with each column of a terminal table (box-drawn with │) joined into one line."""
    out: list[str] = []
    block: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if "│" in line or "┃" in line:
            block.append(line.strip().strip("│┃").replace("┃", "│").split("│"))
            continue
        if block and line.strip() and set(line.strip()) <= set("━─┏┓┗┛┳┻╇┡┩┣┫╋┼├┤┌┐└┘┬┴═╪"):
            continue  # a rule inside the table
        if block:
            width = max(len(r) for r in block)
            out.extend(" ".join(r[i] for r in block if i < len(r)) for i in range(width))
            block = []
        out.append(line)
    return out


def _around(text: str, start: int, end: int) -> str:
    return text[max(0, start - 50) : end + 50].replace("\n", " ")


class _Visible(HTMLParser):
    """Blocks of visible text: one line per block element, attributes ignored."""

    BLOCK = frozenset(
        [
            "p",
            "div",
            "li",
            "tr",
            "td",
            "th",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "dt",
            "dd",
            "option",
            "summary",
            "caption",
            "label",
            "legend",
            "pre",
            "section",
            "header",
            "footer",
            "nav",
            "table",
            "ul",
            "ol",
            "form",
            "fieldset",
            "br",
            "title",
            "text",
        ]
    )
    HIDDEN = frozenset(["script", "style", "textarea", "template"])

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees, one block element per line (rows of a table are lines)."""
    parser = _Visible()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def page_problems(html: str) -> list[str]:
    """``problems`` over a page's visible text; an id must share its table row or block with the name."""
    return problems(_rows(html))


def _rows(html: str) -> str:
    """Visible text with each table row on one line (a name cell and an id cell belong together)."""
    html = re.sub(r"(?is)<t[dh]\b", " <span", html)
    html = re.sub(r"(?is)</t[dh]>", "</span> ", html)
    return visible_text(html)


# ---------------------------------------------------------------- the CLI, walked


def example_arguments() -> dict[str, list[str]]:
    """Values for parameters by name: example files and a program the examples talk about."""
    return {
        "--profile": [str(EXAMPLES / "strong-us-img.toml"), str(EXAMPLES / "non-us-img-visa.toml"),
                      str(EXAMPLES / "us-img-228-step1-fail.toml")],
        "--preferences": [str(EXAMPLES / "rank-preferences.toml")],
        "--rank-list": [str(EXAMPLES / "ranklist.toml")],
        "--log": [str(EXAMPLES / "messages.toml")],
        "--instance": [str(EXAMPLES / "instance.json")],
        "--portfolio": [str(EXAMPLES / "resident-portfolio.toml")],
        "--kind": ["thank-you", "update", "intent", "interest", "rotation-request"],
        "--program": ["1147340"],
        "--runs": ["200"],
        "--today": ["2026-11-20"],
        "program": ["1147340"],
        "program_id": ["1147340"],
        "text": ["Mayo"],
        "name": ["walk"],
        "status": ["interviewed"],
        "--date": ["2026-11-20"],
    }  # fmt: skip


# Positional file arguments differ per command; these are the commands' own examples.
PATHS: dict[str, list[str]] = {
    "profile": [str(EXAMPLES / "strong-us-img.toml"), str(EXAMPLES / "us-img-228-step1-fail.toml")],
    "track": [str(EXAMPLES / "messages.toml")],
    "fellowship": [str(EXAMPLES / "resident-portfolio.toml")],
}

# Commands that would start a server, write outside the temporary directory, or change shared data.
SKIP = frozenset(["serve", "programs import"])

# Options that keep a command's run inside the temporary directory (and short): the calibration writes its
# files to --out, which defaults to the package's own data; only its quick table rebuild is walked.
CONFINE: dict[str, list[str]] = {"model calibrate": ["--tables-only", "--out", "{tmp}"]}


def cli_commands() -> Iterator[tuple[list[str], Any]]:
    """Every leaf command of the CLI as (words, click command)."""
    import typer

    from smartpick.cli import app

    def walk(command: Any, words: list[str]) -> Iterator[tuple[list[str], Any]]:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                yield from walk(command.get_command(None, name), [*words, name])
            if not getattr(command, "invoke_without_command", False):
                return
        yield words, command

    yield from walk(typer.main.get_command(app), [])


def cli_invocations(tmp: Path) -> Iterator[list[str]]:
    """Argument lists that exercise every command: ``--help`` and real runs in each text format."""
    values = example_arguments()
    for words, command in cli_commands():
        yield [*words, "--help"]
        joined = " ".join(words)
        if joined in SKIP or not words:
            continue
        base: list[str] = [a.format(tmp=tmp) for a in CONFINE.get(joined, [])]
        variants: list[tuple[str, list[str]]] = []
        for param in command.params:
            opt = next((o for o in param.opts if o.startswith("--")), None)
            key = opt or param.name
            if key in ("--ics", "--plot", "--out", "--output", "--file"):
                if param.required:
                    base += [key, str(tmp / f"{words[-1]}-{key.strip('-')}.out")]
                continue
            if param.name == "path":
                choices = PATHS.get(words[0], [])
                if choices:
                    variants.append(("path", choices))
                continue
            if key == "--format":
                variants.append((key, ["table"]))
                continue
            if key in values and (param.required or key in ("--today", "--rank-list", "--log", "--profile")):
                choices = _choices(param)
                wanted = [v for v in values[key] if not choices or v in choices] or choices[:3]
                variants.append((key, wanted))
        yield from _expand(words, base, variants)


def _choices(param: Any) -> list[str]:
    """The values an option accepts when it is a choice (an enum), else []."""
    declared = getattr(param, "type", None)
    if declared is not None and getattr(declared, "choices", None):
        return [str(c) for c in declared.choices]
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(m.value) for m in annotation]
    return []


def _expand(words: list[str], base: list[str], variants: list[tuple[str, list[str]]]) -> Iterator[list[str]]:
    """One run per value of the parameter with the most values; the others take their first value."""
    if not variants:
        yield [*words, *base]
        return
    widest = max(range(len(variants)), key=lambda i: len(variants[i][1]))
    for value in variants[widest][1]:
        args = [*words, *base]
        for i, (key, values) in enumerate(variants):
            chosen = value if i == widest else values[0]
            args += (
                [chosen]
                if key in ("path", "program", "program_id", "text", "name", "status")
                else [key, chosen]
            )
        yield args


# ---------------------------------------------------------------- the web app, crawled


def crawl(get: Callable[[str], Any], start: tuple[str, ...] = ("/",), per_pattern: int = 2) -> dict[str, str]:
    """Every HTML page reachable by links from ``start``: path -> HTML.

    At most ``per_pattern`` pages per route shape (``/programs/1147340`` and ``/programs/1103340`` share
    one), so a catalogue of a hundred programs costs two requests.
    """
    seen: dict[str, str] = {}
    shapes: dict[str, int] = {}
    queue = list(start)
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        shape = re.sub(r"/[^/]*\d[^/]*", "/N", path.split("?")[0])
        if shapes.get(shape, 0) >= per_pattern:
            continue
        response = get(path)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        seen[path] = response.text
        for href in re.findall(r'href="([^"#]+)"', response.text):
            target = urlsplit(urljoin(path, href))
            if target.netloc or target.path.startswith(("/static", "/api")):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen
