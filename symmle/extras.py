"""The optional extras of the package: a command that needs one says which to install."""

from __future__ import annotations

from importlib.util import find_spec

from symmle.errors import MissingExtraError

DOCS = ("mkdocs", "material", "pymdownx", "matplotlib", "quickjs")
"""The modules of the [docs] extra: MkDocs, Material, its extensions, figures, KaTeX's engine."""


def require_docs(command: str) -> None:
    """MissingExtraError naming the extra when a module of [docs] is not installed."""
    missing = [name for name in DOCS if find_spec(name) is None]
    if missing:
        raise MissingExtraError(
            f"symmle {command} needs the docs extra ({', '.join(missing)} not installed): "
            "pip install 'symmle[docs]'."
        )


def require_matplotlib(what: str) -> None:
    """MissingExtraError when matplotlib, which draws the plots, is not installed."""
    if find_spec("matplotlib") is None:
        raise MissingExtraError(
            f"{what} needs matplotlib, which is not installed: pip install 'symmle[docs]'."
        )
