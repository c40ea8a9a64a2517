"""Bad input raises a specific exception with one clear sentence."""

from __future__ import annotations

import math

import pytest

import symmle


@pytest.mark.parametrize(
    ("family", "data", "error", "message"),
    [
        ("poisson-ish", [1], symmle.UnknownFamilyError, "unknown family"),
        ("bernoulli", [0, 2], symmle.DataError, "outside the support"),
        ("bernoulli", [0.5], symmle.DataError, "outside the support"),
        ("normal", [], symmle.DataError, "empty"),
        ("normal", [1, math.nan], symmle.DataError, "finite"),
        ("normal", [1, math.inf], symmle.DataError, "finite"),
        ("normal", [1, "x"], symmle.DataError, "not a number"),
        ("normal", "1,2", symmle.DataError, "not a string"),
        ("normal", [1, None], symmle.DataError, "not a number"),
    ],
)
def test_bad_data(family: str, data: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        symmle.mle(family, data=data)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("known", "message"),
    [
        ({"tau": 1}, "no parameter"),
        ({"sigma": -1}, "outside its domain"),
        ({"sigma": "abc"}, "not a number"),
        ({"mu": 0, "sigma": 1}, "nothing is left"),
    ],
)
def test_bad_known(known: dict[str, object], message: str) -> None:
    with pytest.raises(symmle.OptionError, match=message):
        symmle.mle("normal", data=[1, 2], known=known)


def test_errors_are_value_errors() -> None:
    assert issubclass(symmle.SymmleError, ValueError)


def test_families_are_listed() -> None:
    assert {"bernoulli", "normal"} <= set(symmle.families())
