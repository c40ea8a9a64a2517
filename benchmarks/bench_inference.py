"""Time the inference added to the site: the Fisher information section of every family page
(derivation, efficiency, standard errors, numeric check) and each Theory page (derivations,
seeded simulations, figures). CPU seconds of this process, one after another.

Run: .venv/bin/python benchmarks/bench_inference.py   (or `make bench`)
The site derives pages on every core, so the build's wall time grows by about the total here
divided by the number of cores.
"""

from __future__ import annotations

import time

import symmle
from symmle.families import get
from symmle.inference.steps import inference_section
from symmle.site.theory import builders


def cpu(action: object) -> float:
    start = time.process_time()
    action()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    sections = 0.0
    for name in symmle.families():
        family = get(name)
        example = symmle.mle(name, data=family.example, known=dict(family.example_known))
        general = symmle.mle(name)
        sections += cpu(lambda g=general, e=example: inference_section(g, e))
    print(f"Fisher information sections of {len(symmle.families())} family pages: {sections:.2f} s")
    total = 0.0
    for build in builders():
        spent = cpu(build)
        total += spent
        print(f"  {build.__module__.rsplit('.', 1)[-1]:<12} {spent:.2f} s")
    print(f"Theory pages: {total:.2f} s; together {sections + total:.2f} s of CPU")


if __name__ == "__main__":
    main()
