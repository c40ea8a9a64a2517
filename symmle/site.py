"""The website: MkDocs hooks that generate every page, KaTeX at build time, and the build
and serve commands. The only module that imports MkDocs."""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import symmle.pages
from symmle import katex
from symmle.errors import BuildError, SymmleError

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"


def katex_dist(config: MkDocsConfig) -> Path:
    """KaTeX from the npm registry, installed beside mkdocs.yml by `npm ci`."""
    dist = Path(config.config_file_path).parent / "node_modules" / "katex" / "dist"
    if not (dist / "katex.min.js").is_file():
        raise PluginError(f"KaTeX is missing at {dist}: run `npm ci` (make run does).")
    return dist


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Generate every page and figure, and add KaTeX's stylesheet and fonts."""
    importlib.reload(symmle.pages)  # `mkdocs serve` shows changes to the page builders
    start = time.perf_counter()

    def progress(page: symmle.pages.Page) -> None:
        print(f"symmle: derived {page.path} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)

    for page in symmle.pages.site_pages(progress):
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


def source_date() -> str:
    """The commit's time, so that two builds of one commit are byte-identical."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip() or "0"
    except (OSError, subprocess.CalledProcessError):
        return "0"


def show_mkdocs_warnings() -> None:
    """MkDocs logs through `logging`; outside its own CLI nobody shows the warnings."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)


def build(site_dir: str | Path = "site") -> Path:
    """Build the website into site_dir; a failed build leaves the old site_dir untouched."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", source_date())
    show_mkdocs_warnings()
    target = Path(site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        config = load_config(config_file=str(CONFIG), site_dir=str(staging), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, MkDocsException | SymmleError):
            cause = error.__context__ or error  # MkDocs logs the cause, raises a bare Abort
            raise BuildError(f"the website build failed: {cause}") from error
        raise
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    print(f"symmle: built {target}", file=sys.stderr)
    return target


def serve(dev_addr: str = "127.0.0.1:8000") -> None:
    """Preview the website with live reload."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(config_file=str(CONFIG), dev_addr=dev_addr, livereload=True)
