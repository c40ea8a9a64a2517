"""Time the whole website build (derivations, figures, KaTeX, MkDocs) on this machine: once
with an empty cache, as on a fresh clone, in wall and CPU time (the pages are derived on
every core, so CPU time says how much work there is when others share the machine), then
again with nothing changed (the derived pages and the rendered math read from symmle's cache;
target under 5 s).

Run: .venv/bin/python benchmarks/bench_site.py   (or `make bench`)
Each build runs in a fresh process, as `symmle build` does.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cpu() -> float:
    """CPU seconds of the finished child processes (the build and its workers)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def build(site: Path, cache: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one build."""
    env = os.environ | {"SYMMLE_CACHE_DIR": str(cache)}
    env.pop("SYMMLE_NO_CACHE", None)
    start, used = time.perf_counter(), cpu()
    command = [sys.executable, "-m", "symmle", "build", "--site-dir", str(site)]
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start, cpu() - used


def main(repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site, cache = Path(tmp) / "site", Path(tmp) / "cache"
        first, first_cpu = build(site, cache)
        again = [build(site, cache)[0] for _ in range(repeats)]
    load = os.getloadavg()[0]
    print(
        f"website build, empty cache (a fresh clone):      {first:.2f} s "
        f"({first_cpu:.1f} s CPU on {os.cpu_count()} cores; load {load:.1f})   target < 20 s"
    )
    print(f"website build again, nothing changed (best of {repeats}): {min(again):.2f} s   < 5 s")


if __name__ == "__main__":
    main()
