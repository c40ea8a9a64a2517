"""The build and serve commands: MkDocs run on mkdocs.yml, whose hooks are symmle.site.hooks."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from symmle.errors import BuildError, SymmleError
from symmle.resources import PACKAGE, site_config
from symmle.site.folder import (
    ROOT,
    clear_leftovers,
    mark,
    refuse,
    replace,
    site_target,
    staging_folder,
    terminate_as_interrupt,
)

CONFIG = site_config()
HOOKS = Path(__file__).with_name("hooks.py")
"""Named here, not relative to mkdocs.yml: the wheel ships the configuration elsewhere."""


def source_date() -> str | None:
    """The commit's time, so that two builds of one commit are byte-identical; None outside a
    git clone (an installed wheel), where the build's own time dates the pages, not 1970."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def show_mkdocs_warnings() -> None:
    """MkDocs logs through `logging`; outside its own CLI nobody shows the warnings."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("mkdocs: %(levelname)s %(message)s"))
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)


def run_mkdocs(staging: Path) -> None:
    config = load_config(
        config_file=str(CONFIG), site_dir=str(staging), strict=True, hooks=[str(HOOKS)]
    )
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    mark(staging)


def build(site_dir: str | Path = "site") -> Path:
    """Build the website into site_dir; a failed or interrupted build leaves the old site_dir
    untouched and nothing behind."""
    date = source_date()
    if date is not None:
        os.environ.setdefault("SOURCE_DATE_EPOCH", date)
    show_mkdocs_warnings()
    target = site_target(site_dir)
    clear_leftovers(target)
    staging = staging_folder(target)
    try:
        with terminate_as_interrupt():
            run_mkdocs(staging)
            replace(target, staging)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, MkDocsException | SymmleError):
            cause = error.__context__ or error  # MkDocs logs the cause, raises a bare Abort
            raise BuildError(f"the website build failed: {cause}") from error
        if isinstance(error, OSError):
            raise BuildError(f"the website could not be written to {target}: {error}") from error
        raise
    print(f"symmle: built {target}", file=sys.stderr)
    return target


def dev_address(dev_addr: str) -> tuple[str, int]:
    """IP:PORT, checked: a port in 1..65535 on an address of this machine that is free."""
    host, sep, port = dev_addr.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        refuse(f"malformed --dev-addr {dev_addr!r}; write IP:PORT, e.g. 127.0.0.1:8000.")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host.strip("[]"), int(port)))
    except OSError as error:
        refuse(f"cannot serve on {dev_addr}: {error.strerror or error}.")
    return host, int(port)


def serve(dev_addr: str = "127.0.0.1:8000") -> None:
    """Preview the website with live reload."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    dev_address(dev_addr)
    mkdocs_serve(
        config_file=str(CONFIG),
        dev_addr=dev_addr,
        livereload=True,
        watch=[str(PACKAGE)],
        hooks=[str(HOOKS)],
    )
