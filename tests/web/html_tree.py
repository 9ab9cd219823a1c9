"""A tiny DOM over the stdlib HTML parser, so tests check structure rather than substrings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def has(self, name: str) -> bool:
        """A present attribute, valued or not (``checked``, ``selected``)."""
        return name in self.attrs

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag) and all(_has(e, k, v) for k, v in wanted.items())
        ]

    def find(self, tag: str | None = None, **attrs: str) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def one(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def by_id(self, element_id: str) -> Element:
        return self.one(id=element_id)

    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return " ".join(" ".join(parts).split())

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def _has(e: Element, key: str, value: str) -> bool:
    if key == "class":
        return value in (e.get("class") or "").split()
    return e.get(key) == value


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Element(tag, dict(attrs), parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs), parent=self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        raise AssertionError(f"stray </{tag}>")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Element:
    """Parse a page; unclosed elements (other than void ones) fail the test."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    open_tags = [e.tag for e in builder.stack[1:]]
    assert not open_tags, f"unclosed elements: {open_tags}"
    return builder.root


def form_values(form: Element) -> dict[str, list[str]]:
    """What a browser would submit for a form as rendered (default submit button, checked boxes)."""
    out: dict[str, list[str]] = {}
    for e in form.iter():
        name = e.get("name")
        if not name or e.has("disabled"):
            continue
        if e.tag == "input" and e.get("type") in ("checkbox", "radio"):
            if e.has("checked"):
                out.setdefault(name, []).append(e.get("value") or "on")
        elif e.tag == "input" and e.get("type") not in ("submit", "file", "button"):
            out.setdefault(name, []).append(e.get("value") or "")
        elif e.tag == "select":
            chosen = [o for o in e.find_all("option") if o.has("selected")]
            out.setdefault(name, []).append((chosen[0].get("value") or "") if chosen else _first_option(e))
        elif e.tag == "textarea":
            out.setdefault(name, []).append(e.text())
    return out


def _first_option(select: Element) -> str:
    options = select.find_all("option")
    return (options[0].get("value") or "") if options else ""


def assert_landmarks(doc: Element) -> None:
    html = doc.one("html")
    assert html.get("lang") == "en"
    assert doc.one("head").one("title").text().endswith("· SmartPick")
    assert doc.one("main").get("id") == "main"
    assert doc.one("a", class_="skip-link").get("href") == "#main"
    assert doc.find("header") is not None and doc.find("footer") is not None
    assert doc.one("nav").get("aria-label") == "Main"
    assert len(doc.find_all("h1")) == 1


def assert_labelled(doc: Element) -> None:
    """Every visible form control has a label (for=id) or sits in a labelled fieldset/option."""
    labels = {lab.get("for") for lab in doc.find_all("label") if lab.get("for")}
    for control in [*doc.find_all("input"), *doc.find_all("select"), *doc.find_all("textarea")]:
        if control.get("type") in ("hidden", "submit"):
            continue
        wrapped = any(a.tag == "label" for a in control.ancestors())
        assert control.get("id") in labels or wrapped, f"unlabelled control {control.attrs}"
