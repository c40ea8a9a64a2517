"""The MkDocs hooks named in mkdocs.yml: generate every page and figure from the engine, and
typeset the math with KaTeX at build time."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from symmle.site import assets, katex

KEEP = {
    "symmle.errors",
    "symmle.site.assets",
    "symmle.site.build",
    "symmle.site.folder",
    "symmle.site.hooks",
    "symmle.site.katex",
}
"""Modules not imported anew: the running build and the exceptions it catches."""


def fresh_pages() -> ModuleType:
    """symmle.site.pages with the engine imported anew from disk, so that `mkdocs serve` shows
    a change to any module (families, derivations, templates' helpers), not only to pages."""
    for name in [m for m in sys.modules if m.split(".")[0] == "symmle" and m not in KEEP]:
        del sys.modules[name]
    return importlib.import_module("symmle.site.pages")


SERVING = False


def on_startup(command: str, dirty: bool) -> None:
    """Under `mkdocs serve` (where this hook stays loaded across rebuilds) each rebuild
    imports the engine anew; a single build does not need to."""
    global SERVING
    SERVING = command == "serve"


def failures(pages: Sequence[Any]) -> list[str]:
    return [f"{p.path}: {c.name}" for p in pages for _, c in p.checks if not c.passed]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Generate every page and figure, and add KaTeX's stylesheet and fonts. A failed numeric
    check fails the build."""
    pages_module = fresh_pages() if SERVING else importlib.import_module("symmle.site.pages")
    start = time.perf_counter()
    katex.forget_typeset()

    def progress(page: Any) -> None:
        print(f"symmle: derived {page.path} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
        assets.typeset_ahead(page.markdown)  # this process waits for the workers meanwhile

    pages = pages_module.site_pages(progress)
    failed = failures(pages)
    if failed:
        raise PluginError(f"numeric checks failed: {'; '.join(failed)}")
    config["nav"] = pages_module.navigation(pages)
    for page in pages:
        files.append(File.generated(config, page.path, content=page.markdown))
        for figure in page.figures:
            files.append(File.generated(config, figure.name, content=figure.svg))
    for file in assets.katex_files(config):
        files.append(file)
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Typeset the math. Runs after the search plugin has indexed the raw TeX."""
    return assets.typeset(output, page)
