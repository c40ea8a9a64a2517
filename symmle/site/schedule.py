"""The order in which the build's workers take the pages: the slowest first, so that no worker
is left with a long page at the end while the other waits (the pages still come out in the
order of the navigation)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

SECONDS = {
    "em_page": 7.0,
    "table_page": 4.7,
    "censored_page": 4.4,
    "family_page:gumbel": 3.1,
    "family_page:logistic": 2.6,
    "family_page:lognormal": 2.3,
    "family_page:student_t": 2.3,
    "family_page:beta": 2.3,
    "family_page:weibull": 2.0,
    "family_page:cauchy": 2.0,
    "family_page:normal": 1.7,
    "family_page:inverse_gaussian": 1.7,
    "family_page:gamma": 1.5,
}
"""CPU seconds a page takes from an empty cache (measured in a build; a page not named takes
about one or less). Only the order depends on them."""


def label(job: Callable[..., Any]) -> str:
    """A builder's name, with its first argument for one made by functools.partial."""
    if isinstance(job, partial):
        return f"{label(job.func)}:{job.args[0]}" if job.args else label(job.func)
    return str(getattr(job, "__name__", job))


def slowest_first(jobs: Sequence[Callable[..., Any]]) -> list[int]:
    """The jobs' indices, the slowest first (ties in the given order)."""
    return sorted(range(len(jobs)), key=lambda k: -SECONDS.get(label(jobs[k]), 1.0))
