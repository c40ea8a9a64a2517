"""Time the losses and regression models: each loss derived and checked, each regression
fitted on 10,000 rows, the "Losses" and "Models" pages built one after another (CPU time of
this issue's part of the site), and the whole website build with and without those sections.

Run: .venv/bin/python benchmarks/bench_losses.py   (or `make bench`)
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np

import symmle
from symmle.site import pages  # noqa: F401 (the page modules build on it)
from symmle.site.loss_pages import loss_builders
from symmle.site.model_pages import model_builders

BUILD = """
import sys, tempfile
from pathlib import Path
import symmle.site.loss_pages as losses, symmle.site.model_pages as models
if sys.argv[1] == "without":
    losses.loss_builders = models.model_builders = lambda: []
from symmle.site.build import build
with tempfile.TemporaryDirectory() as tmp:
    build(Path(tmp) / "site")
"""


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def losses() -> None:
    for name in symmle.losses():
        seconds = timed(lambda name=name: symmle.loss(name).checks)
        print(f"loss {name:<22} derived and checked in {seconds * 1000:6.0f} ms")


def regressions(n: int = 10_000, d: int = 5) -> None:
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, d - 1))])
    eta = X @ rng.normal(0, 0.3, d)
    targets = {
        "linear": eta + rng.normal(size=n),
        "logistic": (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float),
        "poisson": rng.poisson(np.exp(eta)).astype(float),
    }
    for name, y in targets.items():
        seconds = timed(lambda name=name, y=y: symmle.regression(name, X=X, y=y))
        print(f"regression {name:<9} on {n} × {d}: derived and fitted in {seconds * 1000:6.0f} ms")


def section_pages() -> None:
    total = 0.0
    for build in loss_builders() + model_builders():
        total += timed(build)
    print(f"Losses + Models pages, one after another in one process: {total:.2f} s")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def site(repeats: int = 3) -> None:
    """Wall and CPU time (the build and its workers): on a machine shared with other work the
    CPU time is the steadier measure of what the sections add."""
    wall: dict[str, list[float]] = {"with": [], "without": []}
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(repeats):
        for kind in wall:
            before = children_cpu()
            command = [sys.executable, "-c", BUILD, kind]
            run = lambda c=command: subprocess.run(c, check=True, capture_output=True)  # noqa: E731
            wall[kind].append(timed(run))
            cpu[kind].append(children_cpu() - before)
    for name, times in (("wall", wall), ("CPU", cpu)):
        with_, without = (statistics.median(times[k]) for k in ("with", "without"))
        print(
            f"website build {name} time: median {with_:.2f} s with the Losses and Models "
            f"sections, {without:.2f} s without ({with_ - without:+.2f} s), {repeats} runs each"
        )


if __name__ == "__main__":
    losses()
    regressions()
    section_pages()
    site()
