"""The build replaces only a folder it wrote, leaves nothing behind when it fails or is
interrupted, and fails when a numeric check fails."""

from __future__ import annotations

import importlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from symmle.checks import Check
from symmle.errors import BuildError, OptionError
from symmle.site import build as site
from symmle.site import folder, hooks
from symmle.site.page import Page


@pytest.mark.parametrize(
    "where", ["", ".", "..", "~", "/", str(folder.ROOT), str(folder.ROOT / "templates")]
)
def test_never_replaces_a_folder_that_holds_the_project_or_the_current_folder(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder.ROOT)
    with pytest.raises(OptionError, match=r"empty|will not build into"):
        folder.site_target(where)
    assert (folder.ROOT / ".git").exists() and (folder.ROOT / "mkdocs.yml").is_file()


def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    with pytest.raises(OptionError, match="did not write"):
        site.build(mine)
    assert (mine / "thesis.tex").read_text() == "years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


def test_refuses_a_file(tmp_path: Path) -> None:
    path = tmp_path / "site"
    path.write_text("a file")
    with pytest.raises(OptionError, match="is a file"):
        site.build(path)
    assert path.read_text() == "a file"


@pytest.mark.parametrize("where", ["/proc/symmle/site", "file/site"])
def test_an_unwritable_place_is_refused_and_nothing_is_left(tmp_path: Path, where: str) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OptionError, match="cannot write the website"):
        site.build(tmp_path / where if not where.startswith("/") else where)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_an_empty_folder_or_a_site_it_built_is_accepted(tmp_path: Path) -> None:
    assert folder.site_target(tmp_path) == tmp_path.resolve()
    (tmp_path / "index.html").write_text("old")
    (tmp_path / folder.MARKER).write_text("")
    assert folder.site_target(tmp_path) == tmp_path.resolve()


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_an_interrupted_build_leaves_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    (target / folder.MARKER).write_text("")

    def stopped(staging: Path) -> None:
        (staging / "half.html").write_text("half")
        raise interruption()

    monkeypatch.setattr(site, "run_mkdocs", stopped)
    with pytest.raises(KeyboardInterrupt if interruption is KeyboardInterrupt else BuildError):
        site.build(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (target / "index.html").read_text() == "old"


def test_the_site_is_readable_by_others_and_marked(built_site: Path) -> None:
    assert (built_site / folder.MARKER).is_file()
    mode = stat.S_IMODE(built_site.stat().st_mode)
    assert mode & stat.S_IROTH and mode & stat.S_IXOTH, oct(mode)
    assert folder.site_target(built_site) == built_site  # a site it built may be replaced


def test_a_failed_check_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    failed = Page("x.md", "X", "", "# X", checks=(("X", Check("score is zero", False, 1.0, 1e-8)),))

    class Pages:
        @staticmethod
        def site_pages(progress: object) -> list[Page]:
            return [failed]

    monkeypatch.setattr(hooks, "fresh_pages", lambda: Pages)
    monkeypatch.setattr(hooks, "SERVING", True)
    with pytest.raises(PluginError, match=r"x\.md: score is zero"):
        hooks.on_files(None, {})  # type: ignore[arg-type]


def test_live_reload_imports_the_engine_anew() -> None:
    """`mkdocs serve` rebuilds through fresh_pages: a changed engine module must show."""
    importlib.import_module("symmle.site.pages")
    loaded = {name: m for name, m in sys.modules.items() if name.split(".")[0] == "symmle"}
    try:
        pages = hooks.fresh_pages()
        assert sys.modules["symmle.derive.general"] is not loaded["symmle.derive.general"]
        assert pages is sys.modules["symmle.site.pages"] is not loaded["symmle.site.pages"]
        assert sys.modules["symmle.errors"] is loaded["symmle.errors"]  # the build catches these
    finally:  # the other tests hold the modules as first imported
        for name in [m for m in sys.modules if m.split(".")[0] == "symmle"]:
            del sys.modules[name]
        sys.modules.update(loaded)


BUILD_ANOTHER_DAY = textwrap.dedent(
    """
    import datetime, sys
    import mkdocs.utils

    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime(2031, 5, 17, 12, 0, tzinfo=tz)

    mkdocs.utils.datetime = Later  # the clock of a build on another day
    from symmle.site.build import build
    build(sys.argv[1])
    """
)


def test_builds_on_different_days_are_byte_identical(
    built_site: Path, tmp_path: Path, digest: Callable[[Path], dict[str, str]]
) -> None:
    """SOURCE_DATE_EPOCH (the commit's time) is what makes them so: this build runs in a fresh
    process, without the variable, with the clock on another day."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    subprocess.run(
        [sys.executable, "-c", BUILD_ANOTHER_DAY, str(tmp_path / "site")],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert digest(tmp_path / "site") == digest(built_site)


def old_site(target: Path, listed: bool = True) -> Path:
    """A site symmle built earlier: an index and the marker that lists it."""
    target.mkdir()
    (target / "index.html").write_text("old")
    files = f"{folder.FILES}\nindex.html\n" if listed else ""
    (target / folder.MARKER).write_text(f"Built by symmle.\n{files}")
    return target


def new_site(staging: Path) -> None:
    (staging / "index.html").write_text("new")
    (staging / folder.MARKER).write_text(f"Built by symmle.\n{folder.FILES}\nindex.html\n")


@pytest.mark.parametrize("before", ["missing", "empty", "built"])
def test_a_file_saved_into_the_folder_during_the_build_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: str
) -> None:
    target = tmp_path / "site"
    if before == "built":
        old_site(target)
    elif before == "empty":
        target.mkdir()

    def saved_meanwhile(staging: Path) -> None:
        new_site(staging)
        target.mkdir(exist_ok=True)
        (target / "notes.md").write_text("mine")

    monkeypatch.setattr(site, "run_mkdocs", saved_meanwhile)
    with pytest.raises(BuildError, match=r"notes\.md"):
        site.build(target)
    assert (target / "notes.md").read_text() == "mine"
    assert (target / "index.html").read_text() == "old" if before == "built" else True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_file_added_to_a_built_site_keeps_it_from_being_replaced(tmp_path: Path) -> None:
    target = old_site(tmp_path / "site")
    assert folder.site_target(target) == target.resolve()
    (target / "sub").mkdir()
    (target / "sub" / "draft.md").write_text("mine")
    with pytest.raises(OptionError, match=r"sub/draft\.md"):
        folder.site_target(target)


@pytest.mark.parametrize("atomic", [True, False])
def test_the_old_site_stays_until_the_new_one_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, atomic: bool
) -> None:
    target = old_site(tmp_path / "site")

    def during(staging: Path) -> None:
        new_site(staging)
        assert (target / "index.html").read_text() == "old"

    monkeypatch.setattr(site, "run_mkdocs", during)
    if not atomic:
        monkeypatch.setattr(folder, "exchange", lambda first, second: False)
    site.build(target)
    assert (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("atomic", [True, False])
def test_a_failed_final_rename_leaves_the_old_site_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, atomic: bool
) -> None:
    target = old_site(tmp_path / "site")
    monkeypatch.setattr(site, "run_mkdocs", new_site)
    real_rename = Path.rename

    def failing_rename(self: Path, to: Path) -> Path:
        if Path(to) == target and ".symmle-build-" in self.name and not self.name.endswith("old"):
            raise OSError(28, "No space left on device")
        return real_rename(self, to)

    def failing_exchange(first: Path, second: Path) -> bool:
        raise OSError(28, "No space left on device")

    if atomic:
        monkeypatch.setattr(folder, "exchange", failing_exchange)
    else:
        monkeypatch.setattr(folder, "exchange", lambda first, second: False)
        monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(BuildError, match="No space left"):
        site.build(target)
    assert (target / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


SLOW_BUILD = textwrap.dedent(
    """
    import sys, time
    from functools import partial
    from symmle.site import build as site, pages

    def slow(staging):
        (staging / "half.html").write_text("half")
        jobs = [partial(time.sleep, 120)] * 2
        print("building", flush=True)
        list(pages.derive_pages(jobs))

    site.run_mkdocs = slow
    site.build(sys.argv[1])
    """
)


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux's /proc)."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(c) for c in text.split()]


def running(pid: int) -> bool:
    """Whether ``pid`` runs: a zombie nobody reaps (PID 1 in a container) has stopped."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rpartition(")")[2].split()[0] != "Z"


def start_slow_build(target: Path) -> tuple[subprocess.Popen[str], list[int]]:
    build = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert build.stdout is not None and build.stdout.readline() == "building\n"
    deadline = time.monotonic() + 30
    while len(children(build.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    return build, children(build.pid)


def gone(pids: list[int], within: float = 20) -> bool:
    deadline = time.monotonic() + within
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(running(p) for p in pids)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_build_leaves_the_old_site_no_workers_and_no_lasting_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: signal.Signals
) -> None:
    target = old_site(tmp_path / "site")
    build, workers = start_slow_build(target)
    assert len(workers) == 2
    build.send_signal(how)
    build.wait(timeout=60)
    assert build.stdout is not None
    build.stdout.close()
    assert gone(workers), "a worker outlived its build"
    assert (target / "index.html").read_text() == "old"
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["site"] if how == signal.SIGTERM else len(left) == 2
    monkeypatch.setattr(site, "run_mkdocs", new_site)
    site.build(target)  # the next build clears what a killed one left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_old_site_moved_aside_by_a_dead_build_is_put_back(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    aside = old_site(tmp_path / f".site.{folder.STAGING}-{dead.pid}-abc123-old")
    mine = old_site(tmp_path / f".site.{folder.STAGING}-{os.getpid()}-abc123")
    folder.clear_leftovers(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "old"
    assert not aside.exists() and mine.exists()  # a running build's folder is kept
