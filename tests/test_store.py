"""symmle's on-disk cache: keyed by the bytes of every source file and by the arguments, read
back whole, computed again when an entry is missing or broken, off with SYMMLE_NO_CACHE, and
cleared without touching anything it did not make."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from symmle import store
from symmle.resources import templates_dir


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SYMMLE_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SYMMLE_NO_CACHE", raising=False)
    return tmp_path


def counted(calls: list[int], value: object) -> object:
    calls.append(1)
    return value


def test_the_key_follows_every_source_file(tmp_path: Path) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy)
    before = store.source_digest((copy,))
    assert store.source_digest((copy,)) == before
    step = copy / "steps" / "score.md.jinja"
    step.write_text(step.read_text() + " ")
    assert store.source_digest((copy,)) != before
    step.rename(copy / "steps" / "renamed.md.jinja")
    assert len({before, store.source_digest((copy,))}) == 2


def test_a_result_is_computed_once_and_again_when_its_file_breaks(cache: Path) -> None:
    calls: list[int] = []
    for _ in range(3):
        assert store.kept("pages", "site", lambda: counted(calls, [1, 2])) == [1, 2]
    assert len(calls) == 1
    (entry,) = cache.glob("*/pages-*.pickle")
    entry.write_bytes(entry.read_bytes()[:10])  # a half-written file
    assert store.kept("pages", "site", lambda: counted(calls, [1, 2])) == [1, 2]
    assert len(calls) == 2


def test_the_arguments_are_part_of_the_key(cache: Path) -> None:
    assert store.kept("square", 3, lambda: 9) == 9
    assert store.kept("square", 4, lambda: 16) == 16
    assert store.kept("square", 3, lambda: -1) == 9
    assert len(list(cache.glob("*/square-*.pickle"))) == 2


def test_a_result_that_does_not_pickle_is_computed_each_time(cache: Path) -> None:
    calls: list[int] = []
    for _ in range(2):
        store.kept("function", "f", lambda: counted(calls, lambda: 1))
    assert len(calls) == 2
    assert not list(cache.glob("*/*.pickle"))


def test_nothing_is_kept_when_the_cache_is_off(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYMMLE_NO_CACHE", "1")
    calls: list[int] = []
    for _ in range(2):
        store.kept("pages", "site", lambda: counted(calls, 1))
    assert len(calls) == 2 and list(cache.iterdir()) == []


def test_clear_removes_only_what_the_cache_made(cache: Path) -> None:
    mine = cache / "notes.txt"
    mine.write_text("a user's file in the folder they named")
    store.kept("square", 3, lambda: 9)
    store.kept("square", 4, lambda: 16)
    assert store.clear() == (cache, 2)
    assert list(cache.iterdir()) == [mine]
    assert store.clear() == (cache, 0)


def test_a_new_source_removes_the_folders_of_older_ones(cache: Path) -> None:
    stale = cache / ("0" * 24)
    stale.mkdir()
    (stale / "pages-x.pickle").write_bytes(b"old")
    store.kept("square", 3, lambda: 9)
    assert not stale.exists()
