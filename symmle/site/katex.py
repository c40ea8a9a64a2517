"""Math rendered to HTML at build time: KaTeX (from npm) run by an embedded JS engine.

Pages carry arithmatex's generic markup, <span class="arithmatex">\\(..\\)</span> and
<div class="arithmatex">\\[..\\]</div>; each is replaced by KaTeX's HTML. A formula KaTeX
cannot parse raises KatexError, which fails the build.
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import lru_cache
from pathlib import Path

import quickjs
from markdown import Markdown  # type: ignore[import-untyped]  # MkDocs's Markdown, no stubs

from symmle.store import kept

_MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
_DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
_EXTENSIONS = ["admonition", "tables", "attr_list", "md_in_html", "pymdownx.arithmatex"]
_CONFIGS = {"pymdownx.arithmatex": {"generic": True}}
"""Markdown as mkdocs.yml reads it, as far as the math goes."""


class KatexError(Exception):
    """A formula that KaTeX could not render."""


@lru_cache(maxsize=4)
def _renderer(dist: Path) -> quickjs.Function:
    # quickjs.Function keeps its own context on its own thread: `mkdocs serve` rebuilds
    # from another thread than the first build, and a bare Context would crash there.
    source = (dist / "katex.min.js").read_text(encoding="utf-8")
    return quickjs.Function(
        "render",
        source + "\nfunction render(tex, display) {"
        " return katex.renderToString(tex, {displayMode: display, throwOnError: true}); }",
    )


_TYPESET: dict[tuple[str, bool, Path], str] = {}
"""Formulas typeset ahead (while the pages are derived), by TeX, display mode and KaTeX."""


def render_tex(tex: str, display: bool, dist: Path) -> str:
    """KaTeX's HTML for one formula."""
    found = _TYPESET.get((tex, display, dist))
    if found is not None:
        return found
    try:
        return str(_renderer(dist)(tex, display))
    except quickjs.JSException as error:
        message = str(error).splitlines()[0]
        raise KatexError(f"{message} in TeX: {tex!r}") from None


@lru_cache(maxsize=4)
def katex_digest(dist: Path) -> str:
    return hashlib.sha256((dist / "katex.min.js").read_bytes()).hexdigest()


def render_html(page: str, dist: Path) -> str:
    """Every arithmatex element of a page's HTML replaced by rendered KaTeX, kept on disk for
    this page and this KaTeX (a build with nothing changed renders no formula again)."""
    return kept("katex", (katex_digest(dist), page), lambda: render_page(page, dist))


def formula(match: re.Match[str]) -> tuple[str, bool]:
    """The TeX of an arithmatex element and whether it is displayed."""
    tag, body = match.group(1), html.unescape(match.group(2)).strip()
    start, end = _DELIMITERS[tag]
    if body.startswith(start) and body.endswith(end):
        body = body[len(start) : -len(end)]
    return body.strip(), tag == "div"


def render_page(page: str, dist: Path) -> str:

    def replace(match: re.Match[str]) -> str:
        tag = match.group(1)
        # The wrapper stays: Material styles div.arithmatex (horizontal scrolling).
        rendered = render_tex(*formula(match), dist)
        return f'<{tag} class="arithmatex">{rendered}</{tag}>'

    return _MATH.sub(replace, page)


def forget_typeset() -> None:
    """Start a build with no formulas typeset ahead (`mkdocs serve` builds many times)."""
    _TYPESET.clear()


def typeset_ahead(markdown: str, dist: Path) -> None:
    """Typeset the formulas of a page's Markdown now (the build does it while the workers
    derive the other pages), for render_page to find. A formula KaTeX refuses is left for
    render_page, which names its page."""
    page = Markdown(extensions=_EXTENSIONS, extension_configs=_CONFIGS).convert(markdown)
    for match in _MATH.finditer(page):
        tex, display = formula(match)
        if (tex, display, dist) not in _TYPESET:
            try:
                _TYPESET[tex, display, dist] = render_tex(tex, display, dist)
            except KatexError:
                continue
