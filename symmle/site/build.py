"""The build and serve commands: MkDocs run on mkdocs.yml, whose hooks are symmle.site.hooks."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from symmle.errors import BuildError, SymmleError

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "mkdocs.yml"


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
