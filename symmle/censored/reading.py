"""Censored data as the command line gives them: ``--observed 1,1,0`` beside the times, or a
file of two columns under the header ``time,observed`` (as lifelines' ``event_observed`` and
R's ``Surv(time, event)``)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from symmle.data import LARGEST, MAX_TEXT, Floats, exact_values, parse_value, token
from symmle.derive.censored.sample import CensoredSample
from symmle.derive.exact import DecimalSample
from symmle.errors import DataError

HEADER = ("time", "observed")
FLAGS = {"1": True, "true": True, "0": False, "false": False}
ROWS = 1000
"""From this many rows on, a table is read by NumPy (row by row below: as quick either way)."""


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
    """Rows ``time,observed`` under the header: a large table of plain decimals by NumPy (the
    times exact as a ``DecimalSample``), anything else row by row as exact fractions (small
    tables, fractions like 1/3, longer decimals, blank lines), and every mistake is told by
    the row-by-row reader."""
    body = text.strip().partition("\n")[2]
    found = columns(body) if body.count("\n") + 1 >= ROWS else None
    return by_rows(body) if found is None else found


def by_rows(body: str) -> CensoredSample:
    times: list[Fraction] = []
    events: list[bool] = []
    for number, line in enumerate(body.split("\n"), start=2):
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


def columns(body: str) -> CensoredSample | None:
    """The rows read by NumPy, or None where one needs the row-by-row reader."""
    chars = np.frombuffer(body.encode(), dtype=np.uint8)
    breaks, commas = np.flatnonzero(chars == ord("\n")), np.flatnonzero(chars == ord(","))
    if not one_comma_a_line(breaks, commas):
        return None
    cells = body.replace("\n", ",").split(",")
    times = plain(cells[0::2])
    ends = np.append(breaks, chars.size)
    digits = chars[commas + 1] if np.all(ends - commas == 2) else None  # the usual 1 or 0
    events = indicators(cells[1::2]) if digits is None else flag_digits(digits)
    if times is None or events is None:
        return None
    return CensoredSample(DecimalSample(times), events)


def one_comma_a_line(breaks: np.ndarray, commas: np.ndarray) -> bool:
    """Whether every line holds exactly one comma (no blank line, no third column), from the
    places of the line breaks and the commas."""
    if commas.size != breaks.size + 1:
        return False
    return bool(np.all(commas[:-1] < breaks) and np.all(commas[1:] > breaks))


def plain(cells: list[str]) -> Floats | None:
    """Times whose floats stand exactly for the decimals written, each one that parse_value
    accepts as it is (finite, short, within the bounds); else None."""
    values = exact_values(cells)
    if values is None or max(map(len, cells)) > MAX_TEXT:
        return None
    size = np.abs(values)
    inside = (size == 0) | ((size > 10.0**-LARGEST) & (size < 10.0**LARGEST))  # NaN: False
    return values if bool(np.all(inside)) else None


def flag_digits(digits: np.ndarray) -> np.ndarray | None:
    """Indicators written as one character each: 1 or 0, else None."""
    seen = digits == ord("1")
    return seen if bool(np.all(seen | (digits == ord("0")))) else None


def indicators(cells: list[str]) -> np.ndarray | None:
    """The event indicators (1/0, true/false in any case, spaces around), or None."""
    written = np.strings.lower(np.strings.strip(np.array(cells)))
    seen, censored = np.isin(written, ["1", "true"]), np.isin(written, ["0", "false"])
    return seen if bool(np.all(seen | censored)) else None
