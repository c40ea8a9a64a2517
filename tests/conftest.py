"""Shared fixtures: one website build per test session."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def kept_modules() -> Iterator[None]:
    """An in-process build imports the engine anew (symmle.site.hooks.fresh_pages); put back
    the modules the test files imported, or their functions and classes stop being the ones
    in sys.modules (pickling to the page workers, monkeypatching a module then fail)."""
    loaded = {name: m for name, m in sys.modules.items() if name.split(".")[0] == "symmle"}
    try:
        yield
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == "symmle"]:
            del sys.modules[name]
        sys.modules.update(loaded)


@pytest.fixture(autouse=True)
def engine_modules() -> Iterator[None]:
    with kept_modules():
        yield


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from symmle.site.build import build

    with kept_modules():
        return build(tmp_path_factory.mktemp("www") / "site")


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def digest() -> Callable[[Path], dict[str, str]]:
    """Every file of a folder by its SHA-256."""
    return tree_digest
