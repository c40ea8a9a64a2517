"""Files symmle ships: the templates, the site configuration and KaTeX's JS, CSS and fonts.

An installed wheel holds them inside the package (KaTeX copied from the npm package when the
wheel is built); a clone holds them at the top of the repository (KaTeX in node_modules)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("symmle")))
CLONE = PACKAGE.parent
"""The repository, when symmle runs from a clone (an editable install)."""


def shipped(inside: str, in_clone: str) -> Path:
    """``inside`` the installed package, or ``in_clone`` of the repository."""
    packaged = PACKAGE / inside
    return packaged if packaged.exists() else CLONE / in_clone


def templates_dir() -> Path:
    return shipped("templates", "templates")


def site_config() -> Path:
    """The website's mkdocs.yml."""
    return shipped("mkdocs.yml", "mkdocs.yml")


def katex_dist() -> Path:
    """KaTeX's katex.min.js, katex.min.css and fonts/."""
    return shipped("assets/katex", "node_modules/katex/dist")
