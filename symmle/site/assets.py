"""KaTeX in a MkDocs site, for symmle's own site (the hooks) and users' sites (the plugin):
its stylesheet and fonts added to the site, and every page's math typeset at build time."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from symmle import resources
from symmle.site import katex

STYLESHEET = "assets/katex/katex.min.css"


def katex_dist() -> Path:
    """KaTeX from the npm registry: shipped in the wheel, or installed by `npm ci` in a clone."""
    dist = resources.katex_dist()
    if not (dist / "katex.min.js").is_file():
        raise PluginError(f"KaTeX is missing at {dist}: run `npm ci` (make run does).")
    return dist


def katex_files(config: MkDocsConfig) -> list[File]:
    """KaTeX's stylesheet and its woff2 fonts (every browser Material supports)."""
    dist = katex_dist()
    found = [File.generated(config, STYLESHEET, abs_src_path=str(dist / "katex.min.css"))]
    for font in sorted((dist / "fonts").glob("*.woff2")):
        found.append(
            File.generated(config, f"assets/katex/fonts/{font.name}", abs_src_path=str(font))
        )
    return found


def typeset_ahead(markdown: str) -> None:
    """Typeset a generated page's math before MkDocs turns it into HTML (while the workers
    derive the other pages), so that ``typeset`` finds it done."""
    katex.typeset_ahead(markdown, katex_dist())


def typeset(output: str, page: Page) -> str:
    """A page's HTML with its math rendered by KaTeX; a formula KaTeX refuses fails the build."""
    try:
        return katex.render_html(output, katex_dist())
    except katex.KatexError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error
