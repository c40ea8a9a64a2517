"""The self-contained package: the wheel the project builds, installed with pip into a fresh
virtual environment (dependencies from PyPI, through pip's cache), builds the whole site from an
empty folder outside the repository, and its MkDocs plugin works in a user's project. Without
the [docs] extra, `symmle build` names the extra to install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from symmle.cli import main
from symmle.resources import CLONE

PIP = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]


def run(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A command with the environment of a user's shell: no variable points at this clone."""
    clone = ("PYTHONPATH", "VIRTUAL_ENV", "SOURCE_DATE_EPOCH")  # the last set by builds here
    env = {k: v for k, v in os.environ.items() if k not in clone}
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding only the wheel (first without the extras)."""
    root = tmp_path_factory.mktemp("wheel")
    built = run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "-w", root / "dist", CLONE, cwd=root,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (root / "dist").glob("symmle-*.whl")
    made = run(sys.executable, "-m", "venv", root / "venv", cwd=root)
    assert made.returncode == 0, made.stderr
    python = root / "venv" / "bin" / "python"
    installed = run(python, *PIP, wheel, cwd=root)
    assert installed.returncode == 0, installed.stderr
    return root / "venv"


def test_the_wheel_builds_the_site_from_an_empty_folder(venv: Path, tmp_path: Path) -> None:
    symmle = venv / "bin" / "symmle"
    derived = run(symmle, "derive", "poisson", "--data", "2,3,1", cwd=tmp_path)
    assert derived.returncode == 0 and "λ̂ = 2" in derived.stdout, derived.stderr
    bare = run(symmle, "build", "--site-dir", "out", cwd=tmp_path)
    assert bare.returncode == 2 and "pip install 'symmle[docs]'" in bare.stderr
    assert len(bare.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()

    wheel = next(venv.parent.glob("dist/symmle-*.whl"))
    docs = run(venv / "bin" / "python", *PIP, f"symmle[docs] @ {wheel.as_uri()}", cwd=tmp_path)
    assert docs.returncode == 0, docs.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    site = run(symmle, "build", "--site-dir", "out", cwd=empty)
    assert site.returncode == 0, site.stderr
    out = empty / "out"
    assert (out / "index.html").is_file() and (out / "assets/katex/katex.min.css").is_file()
    assert len(list((out / "assets/katex/fonts").glob("*.woff2"))) >= 20
    assert 'class="katex"' in (out / "normal" / "index.html").read_text()
    assert (out / "strikes-qq.svg").is_file()  # the shipped data sets' case studies
    assert sorted(p.name for p in empty.iterdir()) == ["out"]
    stamp = int.from_bytes((out / "sitemap.xml.gz").read_bytes()[4:8], "little")  # gzip mtime
    assert stamp > 1.7e9, "outside git, the build's own time, not 1970"

    user = tmp_path / "notes"
    (user / "docs").mkdir(parents=True)
    (user / "mkdocs.yml").write_text("site_name: Notes\nplugins:\n  - symmle\n")
    (user / "docs" / "index.md").write_text(
        "# Notes\n\n```symmle\nderive poisson --data 2,3,1\n```\n"
    )
    plugin = run(venv / "bin" / "mkdocs", "build", "--strict", cwd=user)
    assert plugin.returncode == 0, plugin.stderr
    assert ">MLE of the Poisson: 2, 3, 1<" in (user / "site" / "index.html").read_text()


def test_build_without_the_docs_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("symmle.extras.find_spec", lambda name: None)
    assert main(["build", "--site-dir", "never"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "symmle: error: symmle build needs the docs extra (mkdocs, material, pymdownx, "
        "matplotlib, quickjs not installed): pip install 'symmle[docs]'."
    )
