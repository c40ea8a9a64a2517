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

from symmle.store import kept

_MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
_DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}


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


def render_tex(tex: str, display: bool, dist: Path) -> str:
    """KaTeX's HTML for one formula."""
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


def render_page(page: str, dist: Path) -> str:

    def replace(match: re.Match[str]) -> str:
        tag, body = match.group(1), html.unescape(match.group(2)).strip()
        start, end = _DELIMITERS[tag]
        if body.startswith(start) and body.endswith(end):
            body = body[len(start) : -len(end)]
        # The wrapper stays: Material styles div.arithmatex (horizontal scrolling).
        rendered = render_tex(body.strip(), tag == "div", dist)
        return f'<{tag} class="arithmatex">{rendered}</{tag}>'

    return _MATH.sub(replace, page)
