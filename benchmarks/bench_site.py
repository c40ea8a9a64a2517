"""Time the whole website build (derivations, figures, KaTeX, MkDocs) on this machine.

Run: .venv/bin/python benchmarks/bench_site.py   (or `make bench`)
Each build runs in a fresh process, as `symmle build` does.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(repeats: int = 3) -> None:
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "symmle", "build", "--site-dir", str(Path(tmp) / "site")],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
    print(
        f"website build: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s over {repeats} runs"
    )


if __name__ == "__main__":
    main()
