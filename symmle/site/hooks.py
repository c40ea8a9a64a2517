"""The MkDocs hooks named in mkdocs.yml: generate every page and figure from the engine, and
typeset the math with KaTeX at build time."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import symmle.site.pages
from symmle.site import katex


def katex_dist(config: MkDocsConfig) -> Path:
    """KaTeX from the npm registry, installed beside mkdocs.yml by `npm ci`."""
    dist = Path(config.config_file_path).parent / "node_modules" / "katex" / "dist"
    if not (dist / "katex.min.js").is_file():
        raise PluginError(f"KaTeX is missing at {dist}: run `npm ci` (make run does).")
    return dist


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Generate every page and figure, and add KaTeX's stylesheet and fonts."""
    importlib.reload(symmle.site.pages)  # `mkdocs serve` shows changes to the page builders
    start = time.perf_counter()

    def progress(page: symmle.site.pages.Page) -> None:
        print(f"symmle: derived {page.path} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)

    pages = symmle.site.pages.site_pages(progress)
    config["nav"] = symmle.site.pages.navigation(pages)
    for page in pages:
        files.append(File.generated(config, page.path, content=page.markdown))
        for figure in page.figures:
            files.append(File.generated(config, figure.name, content=figure.svg))
    dist = katex_dist(config)
    files.append(
        File.generated(
            config, "assets/katex/katex.min.css", abs_src_path=str(dist / "katex.min.css")
        )
    )
    for font in sorted((dist / "fonts").glob("*.woff2")):  # every browser Material supports
        files.append(
            File.generated(config, f"assets/katex/fonts/{font.name}", abs_src_path=str(font))
        )
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Typeset the math. Runs after the search plugin has indexed the raw TeX."""
    try:
        return katex.render_html(output, katex_dist(config))
    except katex.KatexError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error
