"""The page cache: keyed by the bytes of every source file, read back whole, derived again when
it is missing or broken, off without SYMMLE_CACHE_DIR."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from symmle.resources import templates_dir
from symmle.site.cache import cached_pages, source_key
from symmle.site.page import Page

PAGES = [Page("a.md", "A", "first", "# A\n"), Page("b.md", "B", "second", "# B\n")]


def test_the_key_follows_every_source_file(tmp_path: Path) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy)
    before = source_key((copy,))
    assert source_key((copy,)) == before
    step = copy / "steps" / "score.md.jinja"
    step.write_text(step.read_text() + " ")
    assert source_key((copy,)) != before
    step.rename(copy / "steps" / "renamed.md.jinja")
    assert len({before, source_key((copy,))}) == 2


def test_pages_are_derived_once_and_again_when_the_cache_breaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYMMLE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def derive() -> list[Page]:
        calls.append(1)
        return PAGES

    assert cached_pages(derive) == PAGES and cached_pages(derive) == PAGES
    assert len(calls) == 1
    (kept,) = tmp_path.glob("pages-*.pickle")
    kept.write_bytes(kept.read_bytes()[:10])  # a half-written file
    assert cached_pages(derive) == PAGES and len(calls) == 2


def test_without_the_variable_nothing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYMMLE_CACHE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert cached_pages(lambda: PAGES) == PAGES
    assert list(tmp_path.iterdir()) == []
