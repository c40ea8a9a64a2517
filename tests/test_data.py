"""Inputs: every value is bounded, exact, and refused with one clear sentence when it is not a
number symmle can work with."""

from __future__ import annotations

import io
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy as sp

import symmle
from symmle import data, files
from symmle.data import parse_list, to_fraction
from symmle.files import read_data_file, read_text


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("0.1", Fraction(1, 10)),
        (" 2/3 ", Fraction(2, 3)),
        ("-1e-3", Fraction(-1, 1000)),
        (0.1, Fraction(1, 10)),
        (np.float32(0.5), Fraction(1, 2)),
        (np.int64(7), Fraction(7)),
        (np.True_, Fraction(1)),
        (True, Fraction(1)),
        (Decimal("1.25"), Fraction(5, 4)),
        (sp.Rational(1, 3), Fraction(1, 3)),
        (sp.Float("0.25"), Fraction(1, 4)),
        (10**50, Fraction(10**50)),
        ("-1e-50", Fraction(-1, 10**50)),
    ],
)
def test_values_are_exact(item: object, expected: Fraction) -> None:
    assert to_fraction(item) == expected


TOO_MANY_DIGITS = "9" * 4301  # beyond Python's int-to-str limit


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("1e1000000", "too large"),
        ("1e400", "too large"),
        ("-1e5000", "too large"),
        ("1e-5000", "too small"),
        (TOO_MANY_DIGITS, "too long"),
        pytest.param(10**4301 - 1, "too large", id="int-of-4301-digits"),
        pytest.param(10**5000, "too large", id="int-of-5001-digits"),
        (1e300, "too large"),
        (1e-300, "too small"),
        ("0." + "1" * 200, "too long"),
        (Fraction(1, 3 * 10**50), "too small"),
        ("1e51", "too large"),
        (Fraction(10**130 + 1, 10**130), "too long"),
        (Decimal("1e400"), "too large"),
        (float("nan"), "not a finite number"),
        ("-inf", "not a finite number"),
        (Decimal("NaN"), "not a finite number"),
        (sp.nan, "not a finite number"),
        (sp.pi, "irrational"),
        (sp.sqrt(2), "irrational"),
        (sp.Symbol("x"), "not a number"),
        ("x", "not a number"),
        ("", "missing"),
        (None, "not a number"),
    ],
)
def test_bad_values_are_refused_quickly(item: object, message: str) -> None:
    start = time.process_time()
    with pytest.raises(symmle.DataError, match=message) as error:
        to_fraction(item)
    assert time.process_time() - start < 5  # refused, not computed (1e1000000 took minutes)
    assert len(str(error.value)) < 200 and "\n" not in str(error.value)


def test_the_bound_is_stated() -> None:
    with pytest.raises(symmle.DataError, match=r"at most 1e50 and, unless zero, at least 1e-50"):
        to_fraction("1e51")


@pytest.mark.parametrize(
    ("family", "data", "error", "message"),
    [
        (None, [1], symmle.UnknownFamilyError, "unknown family"),
        (1, [1], symmle.UnknownFamilyError, "unknown family"),
        ("normal", 1.5, symmle.DataError, "sequence of numbers"),
        ("normal", {1: 2, 3: 4}, symmle.DataError, "not a mapping"),
        ("normal", {1, 2}, symmle.DataError, "not a set"),
        ("normal", np.zeros((2, 2)), symmle.DataError, "one-dimensional"),
        ("normal", np.array(3.0), symmle.DataError, "one-dimensional"),
        ("normal", [sp.pi, 1], symmle.DataError, "irrational"),
        ("normal", ["1e400", 0], symmle.DataError, "too large"),
        ("normal", [1e300, 0], symmle.DataError, "too large"),
        ("bernoulli", ["1e5000"], symmle.DataError, "too large"),
        ("bernoulli", [0, 2], symmle.DataError, "2 lies outside the support of the Bernoulli"),
    ],
)
def test_bad_data_raise_specific_errors(
    family: object, data: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        symmle.mle(family, data=data)  # type: ignore[call-overload]


def test_loss_of_none_asks_for_a_name_or_a_formula() -> None:
    with pytest.raises(symmle.UnknownFamilyError, match="a family's name, or a formula"):
        symmle.loss(None)


@pytest.mark.parametrize(
    ("known", "message"),
    [
        ({"sigma": float("nan")}, "known sigma: nan is not a finite number"),
        ({"sigma": float("inf")}, "known sigma: inf is not a finite number"),
        ({"sigma": "1e400"}, "known sigma: 1e400 is too large"),
        ({"sigma": "1e-400"}, "known sigma: 1e-400 is too small"),
        ({"mu": "1e400"}, "known mu: 1e400 is too large"),
    ],
)
def test_bad_known_values_name_the_parameter(known: dict[str, object], message: str) -> None:
    with pytest.raises(symmle.OptionError, match=message):
        symmle.mle("normal", data=[1, 2], known=known)


def test_numpy_bools_and_decimals_are_data() -> None:
    bools = symmle.mle("bernoulli", data=np.array([True, False, False, False, False]))
    assert bools.estimate["theta"] == sp.Rational(1, 5)
    decimals = symmle.mle("normal", data=[Decimal("-1"), Decimal("0"), Decimal("1")])
    assert sp.simplify(decimals.estimate["sigma"] - sp.sqrt(sp.Rational(2, 3))) == 0


def test_large_counts_keep_their_factorials_whole() -> None:
    """log(10¹²!) would be computed exactly; a Poisson sample of 300 counts made a likelihood
    constant with more than 4,300 digits."""
    r = symmle.mle("poisson", data=["2000000000000", "3000000000000", "5"])
    assert r.estimate["lambda"] == sp.Rational(5000000000005, 3)
    assert sp.factorial(sp.Integer(2 * 10**12), evaluate=False) in r.log_likelihood.atoms(
        sp.factorial
    )
    counts = np.random.default_rng(0).poisson(40, size=300).tolist()
    many = symmle.mle("poisson", data=counts)
    assert many.estimate["lambda"] == sp.Rational(sum(counts), len(counts))
    assert all(str(step.expr) for step in many.steps) and all(c.passed for c in many.checks)


def test_a_long_known_decimal_does_not_blow_up() -> None:
    """factor() of exp(μ/β) with a 15-digit μ built a polynomial of degree 10¹⁴."""
    r = symmle.mle("gumbel", data=[-1, 0, 1, 2, 5], known={"mu": "1.53299411444334"})
    assert r.method == "numeric" and all(c.passed for c in r.checks)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1,2,3", (1, 2, 3)),
        ("1\n2\n\n3\n", (1, 2, 3)),
        ("1, 2\n3,4\n", (1, 2, 3, 4)),
        ("1 2 3\n", (1, 2, 3)),
    ],
)
def test_data_files(tmp_path: Path, text: str, values: tuple[int, ...]) -> None:
    path = tmp_path / "data.txt"
    path.write_text(text)
    assert parse_list(read_data_file(str(path))) == tuple(Fraction(v) for v in values)
    assert parse_list(read_data_file("-", io.StringIO(text))) == tuple(Fraction(v) for v in values)


@pytest.mark.parametrize(
    ("name", "message"), [("missing.txt", "cannot read"), ("empty.txt", "holds no values")]
)
def test_bad_data_files(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "empty.txt").write_text("\n \n")
    with pytest.raises(symmle.DataError, match=message):
        read_data_file(str(tmp_path / name))


def test_a_byte_order_mark_is_not_data(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"\xef\xbb\xbf1\n2\n")
    assert parse_list(read_data_file(str(path))) == (Fraction(1), Fraction(2))
    assert read_text(str(path)) == "1\n2\n"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_file_is_refused_without_reading_it_all(device: str) -> None:
    with pytest.raises(symmle.DataError, match=r"larger than 256 MiB|not a UTF-8 text file"):
        read_text(device)


def test_the_size_limit_holds_for_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    with pytest.raises(symmle.DataError, match="larger than"):
        read_text("-", io.StringIO("1\n" * 6))
    assert read_text("-", io.StringIO("1\n" * 5)) == "1\n" * 5


def test_a_value_from_a_file_is_quoted_as_a_short_token() -> None:
    secret = "ghp_0123456789abcdefghijklmnop"
    with pytest.raises(symmle.DataError) as caught:
        parse_list(f"1\n{secret}\n")
    assert secret[: data.TOKEN - 1] in str(caught.value)
    assert secret[data.TOKEN :] not in str(caught.value)


def test_parse_list_refuses_an_empty_entry() -> None:
    with pytest.raises(symmle.DataError, match="missing"):
        parse_list("1,,2")


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("size", [2, 2000])
def test_a_narrow_float_is_read_as_its_own_shortest_decimal(dtype: type, size: int) -> None:
    """A float32 0.1 is 0.1, not the float64 0.100000001490116… it widens to."""
    x: np.ndarray[Any, Any] = np.resize(np.array([0.1, 0.2, 0.7], dtype=dtype), size)
    x[: min(size, 50)] = np.linspace(0.1, 5, min(size, 50)).astype(dtype)
    mean = symmle.mle("normal", data=x).estimate["mu"]
    written = [Fraction(np.format_float_scientific(v, unique=True)) for v in x]
    assert mean == sp.Rational(sum(written, Fraction(0)) / size)
    assert symmle.mle("normal", data=np.array([0.1, 0.2], dtype=dtype)).estimate[
        "mu"
    ] == sp.Rational(3, 20)
