"""The MkDocs plugin for users' sites, registered as ``symmle`` (``plugins: - symmle``).

In any Markdown page a fenced block

    ```symmle
    derive poisson --data 2,3,1
    ```

expands at build time into the rendered derivation with its numeric checks (any derive, loss
or regress command of the CLI, --pdf formulas included). A bad command or a failed check fails
the build. Math is typeset by KaTeX at build time, as on symmle's own site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from symmle.budget import seconds
from symmle.errors import SymmleError
from symmle.site import assets
from symmle.site.blocks import BUDGET, Unconfirmed, expand

EXTENSIONS = {"pymdownx.arithmatex": {"generic": True}, "admonition": {}, "tables": {}}
"""What the rendered derivations need: math in KaTeX-ready markup, admonitions, tables."""


# MkDocs' Config and BasePlugin register subclasses in an untyped __init_subclass__.
class SymmleConfig(base.Config):  # type: ignore[no-untyped-call]
    heading_level = c.Type(int, default=2)
    """The heading level of each block's title; its steps sit one level below."""
    block_budget = c.Type((int, float), default=BUDGET)
    """Seconds one block may take; a block still running then fails the build."""


class SymmlePlugin(BasePlugin[SymmleConfig]):  # type: ignore[no-untyped-call]
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        for name, options in EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
            config.mdx_configs.setdefault(name, {}).update(options)
        if assets.STYLESHEET not in config.extra_css:
            config.extra_css.append(assets.STYLESHEET)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for file in assets.katex_files(config):
            files.append(file)
        return files

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, **kwargs: Any
    ) -> str:
        folder = Path(page.file.abs_src_path or ".").parent
        try:
            return expand(
                markdown,
                folder,
                Path(config.docs_dir),
                self.config.heading_level,
                seconds(self.config.block_budget, "block_budget"),
            )
        except (SymmleError, Unconfirmed) as error:
            raise PluginError(f"{page.file.src_uri}: {error}") from None

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Typeset the math after the search plugin has indexed the raw TeX."""
        return assets.typeset(output, page)
