"""Derived pages kept on disk between builds, keyed by everything they are derived from: the
package's source, the templates, Python and the libraries that compute them. Off unless
SYMMLE_CACHE_DIR names a folder (the test suite sets one, so that a run derives the site once)."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from symmle.resources import PACKAGE, templates_dir
from symmle.site.page import Page

CACHE_DIR = "SYMMLE_CACHE_DIR"
LIBRARIES = ("sympy", "mpmath", "numpy", "scipy", "matplotlib", "jinja2")
SOURCES = (".py", ".jinja")


def source_key(roots: tuple[Path, ...] | None = None) -> str:
    """A digest of every source file (its path and bytes) and of the libraries' versions."""
    digest = hashlib.sha256(sys.version.encode())
    for root in roots or (PACKAGE, templates_dir()):
        for path in sorted(p for p in root.rglob("*") if p.suffix in SOURCES and p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name}=={metadata.version(name)}".encode())
    return digest.hexdigest()


def cached_pages(derive: Callable[[], list[Page]]) -> list[Page]:
    """The pages from the cache when it holds them for this source, else derived (and kept)."""
    folder = os.environ.get(CACHE_DIR)
    if not folder:
        return derive()
    path = Path(folder) / f"pages-{source_key()}.pickle"
    try:
        pages: list[Page] = pickle.loads(path.read_bytes())
        return pages
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass  # not there, or left half-written by an older version: derive again
    pages = derive()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(pickle.dumps(pages))
    os.replace(handle.name, path)  # whole or not at all, for a build running beside this one
    return pages
