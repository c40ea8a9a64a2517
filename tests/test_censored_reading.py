"""The time,observed reader (symmle/censored/reading.py): a large table read by NumPy gives the
very sample that the row-by-row reader gives (checked against Python's csv module and exact
fractions), and every mistake the same one-line message."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import symmle
from symmle.censored.reading import ROWS, parse_table
from symmle.derive.exact import DecimalSample
from symmle.errors import DataError

SIZE = 3 * ROWS


def table(size: int = SIZE, seed: int = 0) -> str:
    """A table of plain decimals with events and censored times mixed."""
    rng = np.random.default_rng(seed)
    times = np.round(rng.weibull(1.5, size) * 3 + 0.01, 4)
    events = rng.random(size) < 0.7
    rows = "".join(f"{t},{int(e)}\n" for t, e in zip(times, events, strict=True))
    return "time,observed\n" + rows


def with_row(text: str, row: str, line: int) -> str:
    """``text`` with ``row`` put in as the file's line number ``line``."""
    lines = text.split("\n")
    return "\n".join([*lines[: line - 1], row, *lines[line - 1 :]])


def by_csv(text: str) -> tuple[list[Fraction], list[bool]]:
    """The oracle: Python's csv module, each time an exact Fraction of the text written."""
    rows = [row for row in csv.reader(io.StringIO(text)) if row][1:]
    return [Fraction(t.strip()) for t, _ in rows], [
        e.strip().lower() in ("1", "true") for _, e in rows
    ]


def test_large_table_is_read_by_numpy_exactly() -> None:
    text = table()
    found = parse_table(text)
    times, events = by_csv(text)
    assert isinstance(found.times, DecimalSample)
    assert list(found) == times and list(found.events) == events
    assert np.array_equal(np.asarray(found.times, dtype=float), [float(t) for t in times])


def test_indicators_in_any_spelling() -> None:
    text = table()
    spelled = {"1": [" TRUE", "true ", "1\r", "True"], "0": ["FALSE", " 0", "false\r", "False"]}
    lines = text.split("\n")
    for k in range(1, len(lines) - 1):
        t, e = lines[k].split(",")
        lines[k] = f"{t},{spelled[e][k % 4]}"
    found = parse_table("\n".join(lines))
    times, events = by_csv(text)
    assert isinstance(found.times, DecimalSample)
    assert list(found) == times and list(found.events) == events


@pytest.mark.parametrize("row", ["1/3,1", "0.12345678901234567,0"])
def test_what_numpy_cannot_hold_exactly_is_read_as_fractions(row: str) -> None:
    text = with_row(table(), row, 7)
    found = parse_table(text)
    assert not isinstance(found.times, DecimalSample)
    assert list(found) == by_csv(text)[0]


def test_blank_lines_are_skipped() -> None:
    text = table()
    found = parse_table(with_row(with_row(text, "", 5), "  ", 900))
    assert list(found) == by_csv(text)[0] and list(found.events) == by_csv(text)[1]


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("2,maybe", "'maybe' is not an event indicator"),
        ("2,2", "'2' is not an event indicator"),
        ("2,", "'' is not an event indicator"),
        ("nan,1", "nan is not a finite number"),
        ("inf,0", "inf is not a finite number"),
        ("1e60,1", "1e60 is too large"),
        ("1e-60,0", "1e-60 is too small"),
        ("2,1,0", "line 9 of the data file has 3 columns, not 2."),
        ("2", "line 9 of the data file has 1 columns, not 2."),
        ("two,1", "'two' is not a number"),
        (f"{'0' * 400}1,1", "is too long"),
    ],
)
def test_mistakes_in_a_large_table_read_as_in_a_small_one(row: str, words: str) -> None:
    messages = []
    for size in (20, SIZE):
        with pytest.raises(DataError) as caught:
            parse_table(with_row(table(size), row, 9))
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and words in messages[0]


def test_misaligned_columns_are_caught() -> None:
    """Rows 5 and 0,1,0 hold as many commas as two good rows, and pair up as (5, 0), (1, 0)
    if the lines are not counted one by one."""
    text = with_row(with_row(table(), "0,1,0", 11), "5", 11)
    with pytest.raises(DataError, match="line 11 of the data file has 1 columns, not 2"):
        parse_table(text)


def test_negative_time_is_outside_the_support() -> None:
    found = parse_table(with_row(table(), "-3,0", 30))
    with pytest.raises(DataError, match="-3 lies outside the support of the Weibull"):
        symmle.mle("weibull", data=found, observed=list(found.events))


def test_derivation_from_a_large_table_is_exact() -> None:
    """Exponential: λ̂ = d / Σtᵢ, the sum taken by exact fractions of the text (csv oracle)."""
    text = table()
    found = parse_table(text)
    r = symmle.mle("exponential", data=found, observed=list(found.events))
    times, events = by_csv(text)
    assert r.estimate["lambda"] == Fraction(sum(events), 1) / sum(times)


def test_cli_fit_large_table(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from symmle.cli import main

    text = table()
    path = tmp_path / "times.csv"
    path.write_text(text)
    assert main(["fit", "weibull", "--data-file", str(path), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    times, events = by_csv(text)
    expected = symmle.fit("weibull", np.array(times, dtype=float), observed=np.array(events))
    assert found["n"] == SIZE and found["events"] == sum(events)
    assert found["estimate"] == pytest.approx(expected, rel=1e-12)
