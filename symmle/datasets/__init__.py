"""Small public-domain data sets shipped with symmle (the site's "Which distribution?" case
studies). Each is one CSV file here: ``# key: value`` lines (title, description, variable,
unit, source, where it was copied from, licence), a header row, then the rows; a
``frequency`` column repeats its row's value that many times."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from symmle.errors import OptionError

FOLDER = Path(__file__).parent


@dataclass(frozen=True)
class Dataset:
    """The values of one variable, with where they come from and under what licence."""

    name: str
    title: str
    description: str
    variable: str
    unit: str
    source: str
    copied_from: str
    licence: str
    values: np.ndarray[tuple[int], np.dtype[np.float64]] = field(repr=False, compare=False)


def datasets() -> list[str]:
    """The names of the shipped data sets."""
    return sorted(path.stem for path in FOLDER.glob("*.csv"))


def load(name: str) -> Dataset:
    """A shipped data set by name."""
    path = FOLDER / f"{name}.csv"
    if name not in datasets():
        raise OptionError(f"unknown data set {name!r}; the data sets are: {', '.join(datasets())}.")
    lines = path.read_text(encoding="utf-8").splitlines()
    about = dict(line[2:].split(": ", 1) for line in lines if line.startswith("# "))
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    values = np.array([float(row[about["variable"]]) for row in rows])
    if "frequency" in rows[0]:
        values = np.repeat(values, [int(row["frequency"]) for row in rows])
    return Dataset(
        name,
        about["title"],
        about["description"],
        about["variable"],
        about["unit"],
        about["source"],
        about["copied from"],
        about["licence"],
        values,
    )
