"""A loss's keyword options and how they are read from Python or from the command line's text:
flags, numbers, integers, one of a few choices, or a list of numbers (class weights)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symmle.errors import OptionError

Value = bool | int | float | str | tuple[float, ...] | None
Options = Mapping[str, Value]

_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


def split(text: str) -> list[str]:
    """Items separated by commas (an empty one kept, to be refused: 1,,2) or else by spaces."""
    if "," in text:
        return [item.strip() for item in text.split(",")]
    return text.split() or [""]


@dataclass(frozen=True)
class Option:
    """A keyword option: a flag (default bool), a number in ``domain`` (an integer if the
    domain is sp.Integers), one of ``choices``, or a list of numbers in ``domain`` (``vector``)."""

    name: str
    default: Value
    meaning: str
    domain: sp.Set = sp.Reals
    choices: tuple[str, ...] = ()
    vector: bool = False

    def parse(self, raw: object) -> Value:
        """The value, from Python or from the command line's text; OptionError if it is bad."""
        if self.vector:
            return None if raw is None else self._vector(raw)
        if isinstance(self.default, bool):
            return self._flag(raw)
        if self.choices:
            if raw not in self.choices:
                raise OptionError(
                    f"{self.name} must be one of {', '.join(self.choices)}; got {raw!r}."
                )
            return str(raw)
        if self.domain is sp.Integers:
            return self._integer(raw)
        return self._number(raw, raw)

    def _integer(self, raw: object) -> int:
        """An integer read exactly (never through a float), within 64 bits as PyTorch's."""
        if (isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d+\s*", raw)) or (
            isinstance(raw, int | np.integer) and not isinstance(raw, bool)
        ):
            number = int(raw)
        else:
            value = self._number(raw, raw)
            if not value.is_integer():
                raise OptionError(f"{self.name} must be an integer; got {raw!r}.")
            number = int(value)
        if not -(2**63) <= number < 2**63:
            raise OptionError(f"{self.name} must be an integer of 64 bits; got {raw!r}.")
        return number

    def _number(self, raw: object, given: object) -> float:
        try:
            number = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise OptionError(f"{self.name} must be a number; got {given!r}.") from None
        inside = self.domain is sp.Integers or self.domain.contains(number)
        if isinstance(raw, bool) or not math.isfinite(number) or not inside:
            raise OptionError(f"{self.name} must lie in {sp.pretty(self.domain)}; got {given!r}.")
        return number

    def _vector(self, raw: object) -> tuple[float, ...]:
        """Numbers given as a list, an array or text separated by commas or spaces."""
        items: Any = split(raw) if isinstance(raw, str) else raw
        if isinstance(items, np.ndarray):
            items = items.tolist()
        bad = OptionError(
            f"{self.name} must be a list of numbers in {sp.pretty(self.domain)}, e.g. "
            f"{self.name}=1,2,0.5; got {raw!r}."
        )
        if not isinstance(items, list | tuple) or not items or "" in items:
            raise bad
        try:
            values = tuple(self._number(item, raw) for item in items)
        except OptionError:
            raise bad from None
        if not any(values):
            raise OptionError(f"{self.name} needs at least one positive number; got {raw!r}.")
        return values

    def _flag(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE + _FALSE:
            return raw.strip().lower() in _TRUE
        raise OptionError(f"{self.name} is true or false; got {raw!r}.")


REDUCTIONS = ("none", "mean", "sum")


def reduction_option(extra: tuple[str, ...] = ()) -> Option:
    """PyTorch's ``reduction``, 'mean' by default as in PyTorch."""
    return Option(
        "reduction",
        "mean",
        "how `reduced` combines the per-sample losses, as PyTorch: "
        + ", ".join(f"'{c}'" for c in (*REDUCTIONS, *extra)),
        choices=(*REDUCTIONS, *extra),
    )


CLASS_OPTIONS = (
    Option(
        "weight",
        None,
        "class weights ω₁, …, ω_k (PyTorch's weight), e.g. weight=1,2,0.5",
        sp.Interval(0, sp.oo),
        vector=True,
    ),
    Option("ignore_index", -100, "a target class that counts for nothing", sp.Integers),
)
"""Options of the losses of class-index targets (cross-entropy and nll)."""


def real(value: Value) -> float:
    """A numeric option's value as a float (options are checked when parsed)."""
    if not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    return float(value)
