"""Shared fixtures: one website build per test session."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from symmle.site.build import build

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
