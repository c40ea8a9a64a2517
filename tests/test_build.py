"""The build replaces only a folder it wrote, leaves nothing behind when it fails or is
interrupted, and fails when a numeric check fails."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from symmle.checks import Check
from symmle.errors import BuildError, OptionError
from symmle.site import build as site
from symmle.site import hooks
from symmle.site.pages import Page


@pytest.mark.parametrize(
    "where", ["", ".", "..", "~", "/", str(site.ROOT), str(site.ROOT / "templates")]
)
def test_never_replaces_a_folder_that_holds_the_project_or_the_current_folder(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.ROOT)
    with pytest.raises(OptionError, match=r"empty|will not build into"):
        site.site_target(where)
    assert (site.ROOT / ".git").exists() and (site.ROOT / "mkdocs.yml").is_file()


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
    assert site.site_target(tmp_path) == tmp_path.resolve()
    (tmp_path / "index.html").write_text("old")
    (tmp_path / site.MARKER).write_text("")
    assert site.site_target(tmp_path) == tmp_path.resolve()


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_an_interrupted_build_leaves_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    (target / site.MARKER).write_text("")

    def stopped(staging: Path) -> None:
        (staging / "half.html").write_text("half")
        raise interruption()

    monkeypatch.setattr(site, "run_mkdocs", stopped)
    with pytest.raises(KeyboardInterrupt if interruption is KeyboardInterrupt else BuildError):
        site.build(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (target / "index.html").read_text() == "old"


def test_the_site_is_readable_by_others_and_marked(built_site: Path) -> None:
    assert (built_site / site.MARKER).is_file()
    mode = stat.S_IMODE(built_site.stat().st_mode)
    assert mode & stat.S_IROTH and mode & stat.S_IXOTH, oct(mode)
    assert site.site_target(built_site) == built_site  # a site it built may be replaced


def test_a_failed_check_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    failed = Page("x.md", "X", "", "# X", checks=(("X", Check("score is zero", False, 1.0, 1e-8)),))

    class Pages:
        Page = Page

        @staticmethod
        def site_pages(progress: object) -> list[Page]:
            return [failed]

    monkeypatch.setattr(hooks, "fresh_pages", lambda: Pages)
    monkeypatch.setattr(hooks, "SERVING", True)
    with pytest.raises(hooks.PluginError, match=r"x\.md: score is zero"):
        hooks.on_files(None, {})  # type: ignore[arg-type]


def test_live_reload_imports_the_engine_anew() -> None:
    """`mkdocs serve` rebuilds through fresh_pages: a changed engine module must show."""
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
