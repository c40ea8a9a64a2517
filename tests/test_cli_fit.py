"""symmle fit: estimates from a data file or standard input; one line and exit 2 on bad input."""

from __future__ import annotations

import importlib
import io
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from symmle.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_fit_file_json_with_standard_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    x = np.random.default_rng(3).normal(2.0, 0.5, 1000)
    path = tmp_path / "x.txt"
    np.savetxt(path, x)
    code, out, err = run(
        capsys, "fit", "normal", "--data-file", str(path), "--se", "--format", "json"
    )
    assert code == 0 and err == ""
    document = json.loads(out)
    assert document["family"] == "normal" and document["n"] == 1000
    assert document["estimate"]["mu"] == pytest.approx(np.mean(x), rel=1e-12)
    assert document["standard_errors"]["mu"] == pytest.approx(np.std(x) / np.sqrt(1000), rel=1e-9)


def test_fit_stdin_comma_separated_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("1, 2, 3\n4\n"))
    code, out, _ = run(capsys, "fit", "binomial", "--data-file", "-", "--known", "m=10")
    assert code == 0
    assert out.splitlines() == ["Binomial (closed form), n = 4", "  p = 0.25"]


def test_fit_uniform_has_no_standard_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("1,2,3,4\n"))
    code, out, _ = run(capsys, "fit", "uniform", "--data-file", "-", "--se", "--format", "json")
    assert code == 0 and json.loads(out)["standard_errors"] == {"a": None, "b": None}


@pytest.mark.parametrize(
    ("text", "argv", "message"),
    [
        ("1,,2\n", ["normal"], "a value is missing: line 1"),
        ("1\n2\nx\n", ["normal"], "'x' is not a number"),
        ("1\nnan\n", ["normal"], "the data contain nan"),
        ("", ["normal"], "the data are empty"),
        ("1\n-2\n", ["exponential"], "-2 lies outside the support"),
        ("1\n2\n", ["nosuch"], "unknown family 'nosuch'"),
        ("1\n2\n", ["student_t"], "needs the degrees of freedom nu"),
        ("1\n1\n", ["normal"], "no maximum-likelihood estimate exists"),
        ("1\n2\n", ["normal", "--known", "mu"], "malformed --known"),
    ],
)
def test_fit_bad_input_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code, out, err = run(capsys, "fit", *argv[:1], "--data-file", "-", *argv[1:])
    assert code == 2 and out == ""
    assert err.startswith("symmle: error: ") and message in err and err.count("\n") == 1


def test_fit_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "fit", "normal", "--data-file", "/nonexistent/x.txt")
    assert code == 2 and "cannot read the data file '/nonexistent/x.txt'" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1\n1e-400\n2\n", "1e-400 is too small for a 64-bit float"),
        ("1\n-2.5e-999\n", "-2.5e-999 is too small"),
        ("1\n1e400\n", "1e400 is too large for a 64-bit float"),
    ],
)
def test_a_value_a_float_cannot_hold_is_refused_not_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (tmp_path / "x.txt").write_text(text)
    code, out, err = run(capsys, "fit", "exponential", "--data-file", str(tmp_path / "x.txt"))
    assert code == 2 and out == "" and message in err


def test_zeros_written_as_zeros_are_zeros(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x.txt").write_text("0\n0.000\n-0\n0e5\n2\n")
    code, out, err = run(capsys, "fit", "poisson", "--data-file", str(tmp_path / "x.txt"))
    assert code == 0 and "0.4" in out, err


@pytest.mark.parametrize(
    ("written", "error"),
    [("1/3\n2\n0.5\n1e-3\n", None), ("1/3, 2\n", None), ("1/0\n2\n", "'1/0' is not a number")],
)
def test_derive_and_fit_read_a_file_the_same_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, error: str | None
) -> None:
    path = tmp_path / "values.txt"
    path.write_text(written)
    codes = []
    for command in ("derive", "fit"):
        codes.append(main([command, "exponential", "--data-file", str(path), "--format", "json"]))
        out, err = capsys.readouterr()
        if error is None:
            found = json.loads(out)["estimate"]["lambda"]
            estimate = found["value"] if command == "derive" else found
            values = [Fraction(v) for v in written.replace(",", " ").split()]
            assert estimate == pytest.approx(len(values) / sum(values), rel=1e-14)
        else:
            assert err.strip() == f"symmle: error: {error}."
    assert codes == ([0, 0] if error is None else [2, 2])


def test_known_values_sympy_cannot_prepare_stop_at_the_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fixing ν = 10⁵⁰ in Γ((ν + 1)/2) runs in a worker under FORMULA_WITHIN, for the API and the
    CLI alike: one line, exit 2, no hang."""
    monkeypatch.setattr(importlib.import_module("symmle.fit.estimate"), "FORMULA_WITHIN", 3.0)
    path = tmp_path / "values.txt"
    path.write_text("1\n2\n4\n")
    assert main(["fit", "student_t", "--data-file", str(path), "--known", "nu=1e50"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "symmle: error: SymPy did not finish preparing the Student's t with nu known within "
        "3 s; give smaller known values."
    )
    monkeypatch.undo()  # the default budget: a busy machine may take 3 s to start a worker
    assert main(["fit", "student_t", "--data-file", str(path), "--known", "nu=3"]) == 0
