"""One pass over an array in memory: the sums of per-sample terms and, when asked, the
extremes. The array is split into one contiguous part per core, reduced in a thread pool
(NumPy releases the GIL), each part block by block so that the terms' temporaries stay in
the cache; integers are converted to float64 one block at a time. Small arrays are reduced
in the calling thread, without the pool."""

from __future__ import annotations

import itertools
import math
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import reduce as fold
from typing import Any

import numpy as np

Terms = Callable[..., Sequence[Any]]
"""Per-sample terms as one NumPy function of the observations (and arguments)."""

BLOCK = 1 << 15
"""Observations per block: 256 kB of float64. Each elementwise operation holds the GIL while
NumPy dispatches it and releases it for the loop; with blocks of 8192 the two threads spent
so much time handing the GIL to each other that two were slower than one (Newton's terms of
the logistic at 10⁶: 9.7 ms on two threads, 7.9 on one, 5.0 on two at this size)."""
FIRST_BLOCK = 1 << 15
"""Per block of the first pass, whose few statistics have few temporaries: fewer blocks,
less of the per-block cost in Python (about 5 µs, a third of a cheap pass at ``BLOCK``)."""
SERIAL = 1 << 17
"""Arrays smaller than this are reduced in the calling thread."""
PROBE = np.array([-np.inf, np.inf, np.nan])

Values = np.ndarray[Any, np.dtype[Any]]


@dataclass(frozen=True)
class Reduced:
    """The totals of the terms; the extremes in the array's dtype (None: not asked)."""

    totals: list[float]
    low: Any
    high: Any


def cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # macOS, Windows


_pool: list[ThreadPoolExecutor] = []
_lock = threading.Lock()


def pool() -> ThreadPoolExecutor:
    """The module's thread pool, created on first use."""
    with _lock:
        if not _pool:
            _pool.append(ThreadPoolExecutor(cores(), thread_name_prefix="symmle-blocks"))
        return _pool[0]


os.register_at_fork(after_in_child=_pool.clear)  # a forked child has none of its threads


def reduce(
    data: Values,
    terms: Terms,
    args: Sequence[float],
    low: bool = False,
    high: bool = False,
    workers: int | None = None,
    block: int = BLOCK,
) -> Reduced:
    """Σ of every term over ``data`` (a term free of the observation counts len(data)
    times), with min and max when asked (NaN propagated), on ``workers`` threads, ``block``
    observations at a time."""
    size = data.size
    if size < SERIAL:
        parts = [part(data, (0, size), block, terms, args, low, high)]
    else:
        workers = workers or cores()
        bounds = split(size, workers, block)
        run = map if workers == 1 else pool().map
        parts = list(run(lambda span: part(data, span, block, terms, args, low, high), bounds))
    rows = [row for p in parts for row in p[0]]
    if not rows:  # empty data
        rows = [[block_total(t, 0) for t in terms(np.empty(0), *args)]]
    totals = [exact_sum(column) for column in zip(*rows, strict=True)]
    lows, highs = [p[1] for p in parts], [p[2] for p in parts]
    return Reduced(totals, extreme(np.minimum, lows), extreme(np.maximum, highs))


def split(size: int, workers: int, block: int = BLOCK) -> list[tuple[int, int]]:
    """(start, stop) of ``workers`` contiguous parts, on block boundaries."""
    blocks = -(-size // block)
    bounds = [min(size, round(j * blocks / workers) * block) for j in range(workers + 1)]
    return list(itertools.pairwise(bounds))


def part(
    data: Values,
    span: tuple[int, int],
    block: int,
    terms: Terms,
    args: Sequence[float],
    low: bool,
    high: bool,
) -> tuple[list[list[float]], Any, Any]:
    """The totals of each block of data[start:stop] and the part's extremes."""
    start, stop = span
    rows: list[list[float]] = []
    lows, highs = [], []
    with np.errstate(all="ignore"):  # a context variable: each thread sets its own
        for first in range(start, stop, block):
            values = data[first : min(first + block, stop)]
            if low:
                lows.append(np.minimum.reduce(values))
            if high:
                highs.append(np.maximum.reduce(values))
            if values.dtype != np.float64:
                values = values.astype(np.float64)
            rows.append([block_total(t, values.size) for t in terms(values, *args)])
    return rows, extreme(np.minimum, lows), extreme(np.maximum, highs)


def block_total(term: Any, size: int) -> float:
    """Σ of a per-sample term over a block of ``size``; a term free of the observation is a
    number, counted ``size`` times (``np.add.reduce``: without ``np.sum``'s dispatch)."""
    if isinstance(term, np.ndarray) and term.ndim:
        return float(np.add.reduce(term))
    return float(term) * size


def extreme(combine: Any, found: list[Any]) -> Any:
    """The least (or greatest) of the values found, NaN if any is NaN; None if none."""
    found = [v for v in found if v is not None]
    return fold(combine, found) if found else None


def exact_sum(values: Sequence[float]) -> float:
    """The correctly rounded sum, so that it does not depend on how blocks are grouped."""
    try:
        return math.fsum(values)
    except (ValueError, OverflowError):  # inf − inf, or an intermediate overflow
        return float(np.sum(values))


def proofs(terms: Terms, args: Sequence[float]) -> tuple[bool, bool]:
    """Whether finite totals of the terms prove the data free of NaN and −∞ (first), and of
    NaN and +∞ (second): some term is not finite there, and a sum holding it neither."""
    with np.errstate(all="ignore"):
        found = [np.broadcast_to(t, 3) for t in terms(PROBE, *args) if np.ndim(t)]
    seen = fold(np.logical_or, [~np.isfinite(t) for t in found], np.zeros(3, dtype=bool))
    return bool(seen[2] and seen[0]), bool(seen[2] and seen[1])
