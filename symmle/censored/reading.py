"""Censored data as the command line gives them: ``--observed 1,1,0`` beside the times, or a
file of two columns under the header ``time,observed`` (as lifelines' ``event_observed`` and
R's ``Surv(time, event)``)."""

from __future__ import annotations

from fractions import Fraction

from symmle.data import parse_value, token
from symmle.derive.censored.sample import CensoredSample
from symmle.errors import DataError

HEADER = ("time", "observed")
FLAGS = {"1": True, "true": True, "0": False, "false": False}


def flag(text: str) -> bool:
    found = FLAGS.get(text.strip().lower())
    if found is None:
        raise DataError(
            f"{token(text.strip())!r} is not an event indicator: write 1 (event seen) or 0 "
            "(censored), or true/false."
        )
    return found


def parse_observed(text: str) -> list[bool]:
    """--observed 1,1,0: one indicator per value."""
    return [flag(part) for part in text.replace("\n", ",").split(",") if part.strip()]


def header(line: str) -> tuple[str, ...]:
    return tuple(cell.strip().lower() for cell in line.split(","))


def is_table(text: str) -> bool:
    """Whether a data file opens with the header time,observed."""
    first = text.lstrip().split("\n", 1)[0]
    return header(first) == HEADER


def parse_table(text: str) -> CensoredSample:
    """Rows ``time,observed`` under the header."""
    times: list[Fraction] = []
    events: list[bool] = []
    for number, line in enumerate(text.strip().split("\n")[1:], start=2):
        if not line.strip():
            continue
        cells = line.split(",")
        if len(cells) != 2:
            raise DataError(f"line {number} of the data file has {len(cells)} columns, not 2.")
        times.append(parse_value(cells[0]))
        events.append(flag(cells[1]))
    if not times:
        raise DataError("the data file has the header time,observed but no rows.")
    return CensoredSample(times, events)
