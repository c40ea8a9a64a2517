"""Results kept on disk between processes: derivations, compiled estimators and site pages.

They live in the user's cache folder (``SYMMLE_CACHE_DIR`` moves it, ``SYMMLE_NO_CACHE=1``
turns it off, ``symmle cache clear`` empties it), in a folder named for a digest of symmle's
source, templates and data sets, Python and the libraries' versions: a change to any of them
starts an empty folder (and removes all but the latest few). Each result is one pickle named
for its kind and a digest of its pickled arguments, written whole or not at all (a temporary
file renamed into place), so two processes writing at once each leave a complete file.
Anything that fails to pickle or to load is computed again, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from platformdirs import user_cache_dir

from symmle.resources import PACKAGE, templates_dir

T = TypeVar("T")
CACHE_DIR = "SYMMLE_CACHE_DIR"
NO_CACHE = "SYMMLE_NO_CACHE"
LIBRARIES = ("sympy", "mpmath", "numpy", "scipy", "matplotlib", "jinja2")
SOURCES = (".py", ".jinja", ".csv")
KEEP = 4
"""Folders of sources kept side by side (the newest)."""
FAILED_TO_LOAD = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError)


def cache_root() -> Path | None:
    """The cache folder, or None when the cache is off."""
    if os.environ.get(NO_CACHE, "") not in ("", "0"):
        return None
    return Path(os.environ.get(CACHE_DIR) or user_cache_dir("symmle", appauthor=False))


@lru_cache(maxsize=1)
def source_key() -> str:
    """The digest of this process's symmle: read once."""
    return source_digest((PACKAGE, templates_dir()))


def source_digest(roots: tuple[Path, ...]) -> str:
    """A digest of every source file (its path and bytes) and of the libraries' versions."""
    digest = hashlib.sha256(sys.version.encode())
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.suffix in SOURCES and p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name}=={library_version(name)}".encode())
    return digest.hexdigest()


def library_version(name: str) -> str:
    """The installed version, or "absent" (matplotlib and its extra are optional)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def entry(kind: str, key: object) -> Path | None:
    """Where the result of ``kind`` for ``key`` is kept (None: the cache is off, or the key
    does not pickle)."""
    root = cache_root()
    if root is None:
        return None
    try:
        digest = hashlib.sha256(pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return root / source_key()[:24] / f"{kind}-{digest[:32]}.pickle"


def kept(kind: str, key: object, compute: Callable[[], T]) -> T:
    """The result of ``compute()`` for ``key``: from the cache when it holds it, else computed
    and kept."""
    path = entry(kind, key)
    if path is None:
        return compute()
    try:
        found: T = pickle.loads(path.read_bytes())
        return found
    except FAILED_TO_LOAD:
        pass  # not there yet, or written by a different library: compute it again
    result = compute()
    keep(path, result)
    return result


def keep(path: Path, result: object) -> None:
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # a result that cannot be kept (a user's function inside) is computed each time
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(path.parent)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only or full disk costs speed, not the result


def source_folders(root: Path) -> list[Path]:
    """The folders the cache made in ``root`` (named for a source digest), nothing else of a
    folder a user named."""
    if not root.is_dir():
        return []
    return [f for f in root.iterdir() if f.is_dir() and re.fullmatch(r"[0-9a-f]{24}", f.name)]


def remove_stale(current: Path) -> None:
    """The folders of other sources (an older symmle, an edited clone) removed, but for the
    latest few: an installed wheel and a clone, or two versions, may share the cache."""
    others = [f for f in source_folders(current.parent) if f != current]
    others.sort(key=lambda f: f.stat().st_mtime, reverse=True)
    for folder in others[KEEP - 1 :]:
        shutil.rmtree(folder, ignore_errors=True)


def clear() -> tuple[Path | None, int]:
    """Empty the cache: its folder and the number of results removed."""
    root = cache_root()
    if root is None:
        return None, 0
    count = 0
    for folder in source_folders(root):
        count += sum(1 for p in folder.iterdir() if p.suffix == ".pickle")
        shutil.rmtree(folder, ignore_errors=True)
    return root, count
