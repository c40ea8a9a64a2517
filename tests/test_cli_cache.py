"""A derive or loss command's checked document is kept on disk: the same command in a new
process prints it without importing SymPy or SciPy; a different input, data file or option
derives again, and a failed derivation is never kept. ``import symmle`` costs nothing until a
public name is used, and the functions symmle.fit, symmle.families and symmle.losses keep
their names beside their subpackages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import symmle
from symmle import results
from symmle.checks import Check
from symmle.cli import main

PROBE = """
import sys
from symmle.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("sympy", "scipy", "numpy", "jinja2") if m in sys.modules)
print(code, ",".join(heavy) or "-", file=sys.stderr)
"""


def command(cache: Path, *argv: str, stdin: str | None = None) -> tuple[str, str]:
    """The command run in a new process: its output, and its exit code with the heavy
    libraries it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        input=stdin,
        env={"SYMMLE_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    return done.stdout, done.stderr.strip().splitlines()[-1]


def test_a_second_derivation_is_printed_from_disk_without_sympy(tmp_path: Path) -> None:
    argv = ("derive", "bernoulli", "--data", "0,0,0,1,0")
    first, first_run = command(tmp_path, *argv)
    second, second_run = command(tmp_path, *argv)
    assert first_run == "0 jinja2,numpy,scipy,sympy" and "θ̂ = 1/5" in first
    assert second_run == "0 -" and second == first
    other, other_run = command(tmp_path, "derive", "bernoulli", "--data", "0,0,1,1,0")
    assert other_run.endswith("sympy") and "θ̂ = 2/5" in other


def test_the_data_file_s_text_is_the_key_not_its_path(tmp_path: Path) -> None:
    values = tmp_path / "values.txt"
    values.write_text("2\n3\n1\n")
    first, _ = command(tmp_path, "derive", "poisson", "--data-file", str(values))
    values.write_text("2\n3\n4\n")
    second, _ = command(tmp_path, "derive", "poisson", "--data-file", str(values))
    piped, piped_run = command(tmp_path, "derive", "poisson", "--data-file", "-", stdin="2\n3\n4\n")
    assert "λ̂ = 2" in first and "λ̂ = 3" in second
    assert piped == second and piped_run == "0 -"


def test_options_are_part_of_the_key(tmp_path: Path) -> None:
    text, _ = command(tmp_path, "loss", "bce")
    full, _ = command(tmp_path, "loss", "bce", "--format", "json")
    assert full != text and full.lstrip().startswith("{")


def test_a_failed_derivation_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SYMMLE_CACHE_DIR", str(tmp_path))

    def failing(*args: object) -> tuple[Check, ...]:
        return (Check("estimate equals the optimiser's", False, 0.5, 1e-5),)

    with monkeypatch.context() as patched:
        patched.setattr(results, "check_mle", failing)
        assert main(["derive", "bernoulli", "--data", "0,1,1"]) == 1
    assert "[FAIL]" in capsys.readouterr().out
    assert main(["derive", "bernoulli", "--data", "0,1,1"]) == 0
    assert "[FAIL]" not in capsys.readouterr().out


def test_import_symmle_imports_no_library_until_a_name_is_used() -> None:
    probe = (
        "import sys, symmle; before = 'sympy' in sys.modules or 'numpy' in sys.modules; "
        "import symmle.fit.estimate, symmle.losses.registry, symmle.families.base; "
        "print(before, callable(symmle.fit), callable(symmle.losses), symmle.families()[0])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "True", "bernoulli"]
    assert callable(symmle.fit) and "fit" in dir(symmle)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        symmle.nothing  # type: ignore[attr-defined]  # noqa: B018


def test_the_help_still_names_every_family(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["derive", "--help"])
    assert "one of: bernoulli, beta" in capsys.readouterr().out.replace("\n", " ")
