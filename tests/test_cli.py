"""The command line: outputs, and one clear line with exit code 2 for every bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy as sp
from scipy import stats

import symmle
from symmle.cli import main
from symmle.families import get
from symmle.results import Result


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_derive_bernoulli_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "derive", "bernoulli", "--data", "0,0,0,1,0", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["family"] == "bernoulli" and document["method"] == "closed form"
    theta = document["estimate"]["theta"]
    assert sp.sympify(theta["expr"]) == sp.Rational(1, 5) and theta["value"] == 0.2
    kinds = [s["kind"] for s in document["steps"]]
    assert kinds[0] == "model" and kinds[-1] == "estimate" and "second_order" in kinds
    assert all(set(s) == {"kind", "title", "latex", "text"} for s in document["steps"])
    assert document["checks"] and all(c["passed"] for c in document["checks"])


def test_derive_normal_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "derive", "normal", "--data", "-1,0,1")
    assert code == 0
    assert "1. The Normal model" in out and "9. Maximum-likelihood estimate" in out
    assert "√6" in out and "[pass]" in out and "[FAIL]" not in out


def test_derive_general_latex(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "derive", "normal", "--format", "latex")
    assert code == 0 and r"\sum_{i=1}^{n}" in out and r"\hat{\sigma}" in out


def test_known_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "derive", "normal", "--data", "1,2,6", "--known", "sigma=2", "--format", "json"
    )
    assert code == 0 and list(json.loads(out)["estimate"]) == ["mu"]


def test_loss_bernoulli(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "loss", "bernoulli")
    assert code == 0 and "binary cross-entropy" in out and "log" in out


def test_loss_with_options(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["loss", "poisson-nll", "--option", "log_input=false", "--option", "full=true"]
    code, out, _ = run(capsys, *argv, "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["loss"] == "poisson-nll"
    assert any("Stirling" in s["title"] for s in document["steps"])
    assert document["checks"] and all(c["passed"] for c in document["checks"])


@pytest.mark.parametrize("form", ["markdown", "json", "latex", "text"])
def test_loss_formats(capsys: pytest.CaptureFixture[str], form: str) -> None:
    code, out, _ = run(capsys, "loss", "normal", "--format", form)
    assert code == 0 and "squared error" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["derive", "bernouli"], "unknown family"),
        (["derive", "bernoulli", "--data", "0,2"], "outside the support"),
        (["derive", "bernoulli", "--data", ""], "empty"),
        (["derive", "normal", "--data", "1,x"], "not a number"),
        (["derive", "normal", "--data", "1,nan"], "finite"),
        (["derive", "normal", "--data", "1,inf"], "finite"),
        (["derive", "normal", "--data", "1,,2"], "missing"),
        (["derive", "normal", "--bogus"], "unrecognized"),
        (["derive", "normal", "--format", "pdf"], "invalid choice"),
        (["derive", "normal", "--known", "sigma"], "NAME=VALUE"),
        (["derive", "normal", "--known", "tau=1"], "no parameter"),
        (["derive", "normal", "--data", "2,2"], "no maximum-likelihood estimate"),
        (["loss", "gaussian"], "unknown loss"),
        (["loss", "poisson-nll", "--option", "ful=1"], "no option 'ful'"),
        (["loss", "poisson-nll", "--option", "full"], "malformed --option"),
        (["loss", "gaussian-nll", "--option", "eps=-1"], "must lie in"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_console_entry_point_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "symmle", "derive", "bernoulli", "--data", "0,1,2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert (
        done.stderr.strip() == "symmle: error: 2 lies outside the support of the Bernoulli, {0, 1}."
    )


def exit_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)


BIG = "9" * 4301


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["derive", "normal", "--data", "1e1000000,0"], "too large"),
        (["derive", "normal", "--data", "1,2", "--known", "mu=1e400"], "too large"),
        (["derive", "normal", "--data", "1e400,0"], "too large"),
        (["derive", "normal", "--data", "1e5000,0"], "too large"),
        (["derive", "normal", "--data", "1e-5000,0"], "too small"),
        (["derive", "normal", "--data", f"{BIG},0"], "too long"),
        (["derive", "normal", "--data", "1,2", "--known", "sigma=1e400"], "too large"),
        (["derive", "normal", "--data", "1,2", "--known", "sigma=1e-400"], "too small"),
        (["derive", "normal", "--data", "1,2", "--known", "sigma=nan"], "known sigma: nan"),
        (["derive", "bernoulli", "--data", "1e5000"], "too large"),
        (["derive", "normal", "--data", "1e300,0"], "too large"),
        (["derive", "normal", "--data", "1e200,-1e200"], "too large"),
        (["derive", "normal", "--data", "1", "--data", "2"], "--data is given twice"),
        (["derive", "normal", "--data", "1,2", "--known", "mu=1", "--known", "mu=2"], "twice"),
        (["derive", "normal", "--data", "--format", "json"], "argument --data"),
        (["derive", "normal", "--known", "--data", "1,2"], "argument --known"),
        (["derive", "normal", "--data", "1", "--data-file", "x"], "not both"),
        (["derive", "normal", "--data-file", "/nonexistent/data"], "cannot read"),
        (["fit", "bogus", "--data-file", "/nonexistent/data"], "unknown family"),
        (["build", "--site-dir", ""], "--site-dir is empty"),
        (["build", "--site-dir", "."], "will not build into"),
        (["build", "--site-dir", "/"], "will not build into"),
        (["build", "--site-dir", "/proc/symmle/site"], "cannot write the website"),
        (["serve", "--dev-addr", "127.0.0.1:70000"], "malformed --dev-addr"),
        (["serve", "--dev-addr", "localhost"], "malformed --dev-addr"),
        (["serve", "--dev-addr", "no-such-host.invalid:8000"], "cannot serve"),
    ],
)
def test_bad_input_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code = exit_code(argv)
    out, err = capsys.readouterr()
    assert code == 2 and out == "", err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_serve_on_an_address_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = exit_code(["serve", "--dev-addr", f"127.0.0.1:{port}"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot serve" in err and len(err.strip().splitlines()) == 1


def test_negative_data_and_data_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "derive", "normal", "--data", "-1,0,1", "--format", "json")
    assert code == 0 and json.loads(out)["estimate"]["mu"]["value"] == 0
    path = tmp_path / "sample.txt"
    path.write_text("-1\n0\n1\n")
    code, out, _ = run(capsys, "derive", "normal", "--data-file", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["estimate"]["sigma"]["value"] == pytest.approx(0.8164965)
    monkeypatch.setattr("sys.stdin", io.StringIO("0,0,0,1,0\n"))
    code, out, _ = run(capsys, "derive", "bernoulli", "--data-file", "-", "--format", "json")
    assert code == 0 and json.loads(out)["estimate"]["theta"]["value"] == 0.2


def test_a_large_sample_from_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Beyond ~70,000 values the OS refuses a command-line argument; a file has no limit."""
    values = np.random.default_rng(0).integers(0, 2, size=100_000)
    path = tmp_path / "sample.txt"
    path.write_text("\n".join(map(str, values)) + "\n")
    code, out, _ = run(capsys, "derive", "bernoulli", "--data-file", str(path), "--format", "json")
    assert code == 0
    assert json.loads(out)["estimate"]["theta"]["value"] == pytest.approx(values.mean())


@pytest.mark.parametrize(
    ("written", "fast"),
    [
        (lambda v: f"{v:.3f}", True),  # read as floats: each is the decimal written
        (lambda v: f"{v:.15e}", False),  # 16 digits: the float may print shorter
        (lambda v: f"{round(v * 7)}/7", False),  # fractions
    ],
)
def test_a_large_file_derives_the_values_as_written(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    written: Callable[[float], str],
    fast: bool,
) -> None:
    texts = [written(v) for v in np.random.default_rng(3).normal(5, 2, 3000)]
    path = tmp_path / "sample.txt"
    path.write_text("\n".join(texts) + "\n")
    seen: list[tuple[object, Result]] = []

    def mle(*args: Any, **kwargs: Any) -> Result:
        seen.append((kwargs["data"], derive(*args, **kwargs)))
        return seen[-1][1]

    derive = symmle.mle
    monkeypatch.setattr("symmle.mle", mle)
    monkeypatch.setenv("SYMMLE_NO_CACHE", "1")  # a kept document would bypass the patch
    code, _, _ = run(capsys, "derive", "normal", "--data-file", str(path), "--format", "json")
    ((data, result),) = seen
    assert code == 0 and isinstance(data, np.ndarray) == fast
    mean = Fraction(sum(Fraction(t) for t in texts), len(texts))
    assert result.estimate["mu"] == sp.Rational(mean.numerator, mean.denominator)


def test_a_failed_check_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from symmle import results
    from symmle.checks import Check

    def failing(*args: object) -> tuple[Check, ...]:
        return (Check("estimate equals the optimiser's", False, 0.5, 1e-5),)

    monkeypatch.setattr(results, "check_mle", failing)
    monkeypatch.setenv("SYMMLE_NO_CACHE", "1")  # a kept document would bypass the patch
    code, out, err = run(capsys, "derive", "bernoulli", "--data", "0,1")
    assert code == 1 and "[FAIL]" in out
    assert "1 numeric check(s) failed" in err and "not confirmed" in err
    assert len(err.strip().splitlines()) == 1


def test_a_failed_build_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from symmle.errors import BuildError
    from symmle.site import build

    def broken(site_dir: str) -> Path:
        raise BuildError("the website build failed: KaTeX parse error")

    monkeypatch.setattr(build, "build", broken)
    code, out, err = run(capsys, "build", "--site-dir", str(tmp_path / "site"))
    assert (
        code == 1
        and out == ""
        and err.strip() == ("symmle: error: the website build failed: KaTeX parse error")
    )


def test_an_interrupted_build_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from symmle.site import build

    def interrupted(site_dir: str) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "build", interrupted)
    code, _, err = run(capsys, "build", "--site-dir", str(tmp_path / "site"))
    assert code == 130 and err.strip() == "symmle: interrupted."


def test_markdown_format_is_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "derive", "bernoulli", "--data", "0,0,0,1,0", "--format", "markdown")
    assert code == 0 and out.startswith("# ") and "\n$$\n" in out and "| pass |" in out
    assert "Numeric checks:" not in out


def test_examples_print_every_family(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "examples")
    assert code == 0
    for name in symmle.families("scalar"):
        assert f"The {get(name).title} model" in out, name
    for title in ("multivariate Normal", "Multinomial", "Dirichlet"):
        assert f"The {title} model" in out, title
    assert "[FAIL]" not in out and out.count("[pass]") > 2 * len(symmle.families())


def test_list_shows_every_family_with_its_method(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == len(symmle.families()) + 1
    assert any(line.split()[0] == "uniform" and line.endswith("boundary") for line in lines)
    assert any(line.startswith("categorical") and "constrained" in line for line in lines)


def test_list_shows_the_mixtures_parameters_indexed(capsys: pytest.CaptureFixture[str]) -> None:
    """Each parameter of a component once, as a range over the k components, as the family at
    k = 3 names them; the method column aligned under its heading."""
    code, out, _ = run(capsys, "list")
    lines = out.splitlines()
    found = {line.split()[0]: line for line in lines}
    assert " w_1..w_k, mu_1..mu_k, sigma_1..sigma_k [k known] " in found["normal_mixture"]
    for name in ("normal_mixture", "poisson_mixture", "exponential_mixture"):
        names = [p.name for p in get(name).sized(3).parameters]  # type: ignore[misc]
        stems = dict.fromkeys(full.rsplit("_", 1)[0] for full in names)
        assert names == [f"w_{c}" for c in (1, 2, 3)] + [
            f"{stem}_{c}" for c in (1, 2, 3) for stem in list(stems)[1:]
        ]
        ranges = ", ".join(f"{stem}_1..{stem}_k" for stem in stems)
        assert f" {ranges} [k known] " in found[name] and found[name].endswith(" EM")
    column = lines[0].index("method")
    assert code == 0 and all(line[column - 1] == " " != line[column] for line in lines)


def test_the_console_script_runs() -> None:
    script = Path(sys.executable).parent / "symmle"
    done = subprocess.run(
        [str(script), "derive", "poisson", "--data", "2,3,1", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["estimate"]["lambda"]["value"] == 2.0


def test_derive_with_data_prints_standard_errors_and_intervals(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "derive", "poisson", "--data", "2,3,1")
    assert code == 0 and "Standard errors, 95% Wald and profile-likelihood intervals" in out
    assert "0.8165" in out  # √(λ̂/n) = √(2/3)
    code, out, _ = run(capsys, "derive", "poisson", "--data", "2,3,1", "--format", "json")
    document = json.loads(out)
    assert document["standard_errors"]["lambda"] == pytest.approx((2 / 3) ** 0.5)
    low, high = document["intervals"]["lambda"]
    assert (low + high) / 2 == pytest.approx(2.0)
    assert high - low == pytest.approx(2 * 1.959964 * (2 / 3) ** 0.5, rel=1e-6)
    y = np.array([2, 3, 1])  # at each profile end, 2(ℓ̂ − ℓ(λ)) = χ²₁,₀.₉₅ (scipy's pmf)
    top = float(np.sum(stats.poisson.logpmf(y, 2.0)))
    for end in document["profile_intervals"]["lambda"]:
        deviance = 2 * (top - float(np.sum(stats.poisson.logpmf(y, end))))
        assert deviance == pytest.approx(stats.chi2.ppf(0.95, 1), rel=1e-9)


def test_derive_boundary_family_says_why_there_are_no_standard_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "derive", "uniform", "--data", "1,2,5", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["standard_errors"] is None
    assert "regularity conditions fail" in document["inference_note"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--known", "alpha=1000"], "more than 4300 digits"),
        (["--known", "alpha=1e50", "--budget", "1"], "did not finish"),
        (["--budget", "1"], "--budget limits"),
    ],
)
def test_known_values_too_large_to_derive_are_one_clear_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "derive", "gamma", "--data", "1,2,3", *argv)
    assert code == 2 and out == "" and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
