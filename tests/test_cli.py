"""The command line: outputs, and one clear line with exit code 2 for every bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy as sp

from symmle.cli import main


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
        (["loss", "gaussian"], "unknown family"),
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


def test_derive_with_data_prints_standard_errors_and_intervals(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "derive", "poisson", "--data", "2,3,1")
    assert code == 0 and "Standard errors and 95% Wald intervals" in out
    assert "0.8165" in out  # √(λ̂/n) = √(2/3)
    code, out, _ = run(capsys, "derive", "poisson", "--data", "2,3,1", "--format", "json")
    document = json.loads(out)
    assert document["standard_errors"]["lambda"] == pytest.approx((2 / 3) ** 0.5)
    low, high = document["intervals"]["lambda"]
    assert (low + high) / 2 == pytest.approx(2.0)
    assert high - low == pytest.approx(2 * 1.959964 * (2 / 3) ** 0.5, rel=1e-6)


def test_derive_boundary_family_says_why_there_are_no_standard_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "derive", "uniform", "--data", "1,2,5", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["standard_errors"] is None
    assert "regularity conditions fail" in document["inference_note"]
