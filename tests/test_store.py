"""symmle's on-disk cache: keyed by the bytes of every source file and by the arguments, read
back whole, computed again when an entry is missing or broken, off with SYMMLE_NO_CACHE, and
cleared without touching anything it did not make."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from symmle import store
from symmle.cli import main
from symmle.derive.lambdified import per_sample
from symmle.resources import templates_dir
from symmle.symbols import value


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


def test_a_new_source_removes_the_folders_of_older_ones_but_the_latest(cache: Path) -> None:
    older = [cache / (str(k) * 24) for k in range(store.KEEP + 1)]
    for age, folder in enumerate(older):
        folder.mkdir()
        (folder / "pages-x.pickle").write_bytes(b"old")
        os.utime(folder, (1e9 - age, 1e9 - age))
    store.kept("square", 3, lambda: 9)
    assert [f.exists() for f in older] == [True] * (store.KEEP - 1) + [False, False]


LOADED = """
import json, sys
import numpy as np
import symmle
from symmle.derive import general
from symmle.fit import estimator

def derived_again(*args):
    raise AssertionError("derived again instead of read from the cache")

if sys.argv[1] == "read":
    general.uncached_general = estimator.compile_estimator = derived_again
x = np.random.default_rng(3).gamma(2.0, 1.5, 2000)
names = ("gamma", "weibull", "cauchy", "lognormal", "beta", "poisson")
data = {"beta": x / (x.max() + 1), "poisson": np.round(x)}
fits = {name: symmle.fit(name, data.get(name, x), se=True) for name in names}
print(json.dumps(fits))
"""


def test_estimators_read_from_the_cache_in_a_new_process_fit_as_when_derived(
    cache: Path,
) -> None:
    """A second process reads every derivation and compiled estimator (the lambdified code
    included) from disk, derives nothing, and fits the same numbers."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", LOADED, mode], capture_output=True, text=True, check=True
        ).stdout
        for mode in ("derive", "read")
    ]
    assert runs[0] == runs[1]
    estimate, errors = json.loads(runs[1])["gamma"]
    assert estimate["alpha"] == pytest.approx(2.0, rel=0.1) and errors["alpha"] > 0
    assert len(list(cache.glob("*/estimator-*.pickle"))) == 6


def test_the_cache_command_prints_its_folder_and_clears_it(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store.kept("square", 3, lambda: 9)
    assert main(["cache", "dir"]) == 0 and capsys.readouterr().out == f"{cache}\n"
    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out == f"removed 1 kept result(s) from {cache}\n"
    with pytest.raises(SystemExit) as exit_:
        main(["cache", "empty"])
    assert exit_.value.code == 2


def test_a_compiled_function_read_back_pickles_again() -> None:
    """Dask sends an estimator read from the cache to its workers: pickled a second time."""
    terms = per_sample([sp.log(1 + value**2), sp.exp(-value) * sp.loggamma(value)], [])
    again = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(terms))))
    x = np.array([0.5, 2.0, 7.0])
    assert np.array_equal(np.asarray(again(x)), np.asarray(terms(x)))
