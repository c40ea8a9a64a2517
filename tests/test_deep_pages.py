"""The "Probabilistic deep learning" section: the three training pages (derived gradients in
NumPy) pass their checks, the table lists every family's loss, and neither PyTorch nor JAX is
imported to build them."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import symmle
from symmle.site.deep_pages import MODELS, model_page
from symmle.site.deep_training import gradient_check, linear, train


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_training_pages_pass_their_checks(kind: str) -> None:
    page = model_page(kind)
    assert page.markdown.startswith("# ") and page.figures
    assert page.checks and all(check.passed for _, check in page.checks), page.checks
    assert page.markdown == model_page(kind).markdown  # seeded: the same page every build


def test_adam_on_the_derived_gradient_reaches_least_squares() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 100)
    y = 0.5 - x + rng.normal(0, 0.1, 100)
    loss = symmle.loss("normal", predict="mu", known={"sigma": 1})
    assert gradient_check(loss, y, [linear(x)], [np.zeros(2)]).passed
    fitted = train(loss, y, [linear(x)], [np.zeros(2)], steps=3000, rate=0.05)
    expected = np.linalg.lstsq(linear(x), y, rcond=None)[0]
    assert np.allclose(fitted.weights[0], expected, atol=1e-6)
    assert fitted.history[-1] <= fitted.history[0]


def test_the_section_builds_without_torch_or_jax() -> None:
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.split('.')[0] in ('torch', 'jax'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from symmle.site.deep_pages import deep_builders\n"
        "pages = [build() for build in deep_builders()]\n"
        "table = pages[-1].markdown\n"
        "assert all(c.passed for p in pages for _, c in p.checks)\n"
        "assert '`StudentT`' in table and '`t`' in table and 'Rayleigh' in table\n"
        "assert 'torch' not in sys.modules and 'jax' not in sys.modules\n"
        "print(len(pages))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "5"
