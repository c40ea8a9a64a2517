"""Shared fixtures: one website build per test session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from symmle.site.build import build

    return build(tmp_path_factory.mktemp("www") / "site")
