"""Time the whole website build (derivations, figures, KaTeX, MkDocs) on this machine: once
with an empty cache, as on a fresh clone, then again with nothing changed (the derived pages and
the rendered math read from symmle's cache; target under 5 s).

Run: .venv/bin/python benchmarks/bench_site.py   (or `make bench`)
Each build runs in a fresh process, as `symmle build` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(site: Path, cache: Path) -> float:
    env = os.environ | {"SYMMLE_CACHE_DIR": str(cache)}
    env.pop("SYMMLE_NO_CACHE", None)
    start = time.perf_counter()
    command = [sys.executable, "-m", "symmle", "build", "--site-dir", str(site)]
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main(repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site, cache = Path(tmp) / "site", Path(tmp) / "cache"
        first = build(site, cache)
        again = [build(site, cache) for _ in range(repeats)]
    print(f"website build, empty cache (a fresh clone):      {first:.2f} s")
    print(f"website build again, nothing changed (best of {repeats}): {min(again):.2f} s   < 5 s")


if __name__ == "__main__":
    main()
