"""Shared fixtures: one website build per test run, shared by pytest-xdist's workers, and one
derivation of its pages (symmle's page cache, in a folder of this run)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock


def pytest_configure(config: pytest.Config) -> None:
    """The controller names the run's page cache before xdist starts its workers, which
    inherit the environment; a build in a subprocess (the wheel's, another day's) reads it too."""
    if not hasattr(config, "workerinput") and "SYMMLE_CACHE_DIR" not in os.environ:
        os.environ["SYMMLE_CACHE_DIR"] = tempfile.mkdtemp(prefix="symmle-pages-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ.pop("SYMMLE_CACHE_DIR")))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The first worker builds the site in the run's shared temporary folder; the others wait
    for it under a file lock and read the same build."""
    from symmle.site.build import build

    if worker_id == "master":  # not run by xdist
        return build(tmp_path_factory.mktemp("www") / "site")
    shared = tmp_path_factory.getbasetemp().parent / "www"
    with FileLock(f"{shared}.lock"):
        return shared / "site" if (shared / "site").is_dir() else build(shared / "site")


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
