"""Wheel build hook: KaTeX's JS, CSS and woff2 fonts, copied from the npm package (node_modules,
installed by `npm ci`) into the wheel at symmle/assets/katex. Never committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TARGET = "symmle/assets/katex"


class KatexHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install finds KaTeX in node_modules
        dist = Path(self.root) / "node_modules" / "katex" / "dist"
        if not (dist / "katex.min.js").is_file():
            raise RuntimeError(f"KaTeX is missing at {dist}: run `npm ci` before building.")
        files = [dist / "katex.min.js", dist / "katex.min.css"]
        files += sorted((dist / "fonts").glob("*.woff2"))
        for path in files:
            build_data["force_include"][str(path)] = f"{TARGET}/{path.relative_to(dist)}"
