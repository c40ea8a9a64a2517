"""The site's page "Mixtures by EM" and its checks; the mixtures in `symmle list` and in the
text output (no standard errors, in one sentence)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import sympy as sp

import symmle
from symmle.cli import main
from symmle.derive.em import compiled
from symmle.derive.em.run import fit_em
from symmle.families import get
from symmle.families.mixtures import Mixture
from symmle.render.formats import mle_output
from symmle.site.em.checks import example_checks
from symmle.site.em.example import Example, example
from symmle.site.em.page import NORMAL_DATA, em_page
from symmle.site.page import Page


@pytest.fixture(scope="module")
def page() -> Page:
    return em_page()


@pytest.fixture(scope="module")
def normal() -> Example:
    return example("normal_mixture", NORMAL_DATA)


def test_the_page_shows_the_example_its_figures_and_passing_checks(page: Page) -> None:
    assert page.markdown.startswith("# Mixtures by EM")
    assert page.markdown.rsplit("\n## ", 1)[-1].startswith("Numeric checks")
    assert page.section and page.checks and all(c.passed for _, c in page.checks)
    names = {c.name.split(":")[0] for _, c in page.checks}
    assert "ℓ never decreases" in names
    assert [f.name for f in page.figures] == [
        "em-normal-mixture.svg",
        "em-log-likelihood.svg",
        "em-poisson-mixture.svg",
    ]
    assert all(f.svg.startswith("<?xml") for f in page.figures)
    assert "| $y_i$ | $r_{i1}$ | $r_{i2}$ |" in page.markdown


def test_the_first_e_step_by_hand_matches_scipy(normal: Example) -> None:
    """The page's responsibilities at θ⁰ sum to one per value and reproduce θ¹ by hand."""
    from symmle.site.em.example import responsibilities

    theta0 = normal.fitted.best.history[0].theta
    shares = responsibilities(normal, theta0)
    assert np.allclose(shares.sum(axis=1), 1.0)
    w = np.array(theta0[:2])
    dens = np.array(
        [
            [
                w[c]
                * np.exp(-((y - theta0[2 + 2 * c]) ** 2) / (2 * theta0[3 + 2 * c] ** 2))
                / (np.sqrt(2 * np.pi) * theta0[3 + 2 * c])
                for c in range(2)
            ]
            for y in NORMAL_DATA
        ]
    )
    assert np.allclose(shares, dens / dens.sum(axis=1, keepdims=True), rtol=1e-12)


def test_a_falling_log_likelihood_fails_the_monotone_check(normal: Example) -> None:
    run = normal.fitted.best
    swapped = (*run.history[:1], run.history[2], run.history[1], *run.history[3:])
    broken = replace(run, history=swapped)
    fitted = replace(normal.fitted, runs=(broken,), best=broken)
    checks = {c.name.split(":")[0]: c for c in example_checks(replace(normal, fitted=fitted))}
    assert not checks["ℓ never decreases"].passed


def test_a_wrong_m_step_fails_the_page(normal: Example, monkeypatch: pytest.MonkeyPatch) -> None:
    """An M-step that divides by N_j + 1 instead of N_j: the run by hand disagrees."""
    original = compiled.Program.m_step

    def skewed(self: compiled.Program, count: np.ndarray, weighted: np.ndarray, size: int):  # type: ignore[no-untyped-def]
        return original(self, count + 1, weighted, size)

    monkeypatch.setattr(compiled.Program, "m_step", skewed)
    family = get("normal_mixture").fix({"k": sp.Integer(2)})
    assert isinstance(family, Mixture)
    broken = replace(normal, fitted=fit_em(family, np.asarray(NORMAL_DATA, float)))
    failed = [c.name for c in example_checks(broken) if not c.passed]
    assert any("one iteration by hand" in name for name in failed)
    assert any("ends at the derivation" in name for name in failed)


def test_a_mixture_says_why_it_has_no_standard_errors_in_one_line(normal: Example) -> None:
    text = mle_output(normal.result, "text")
    (line,) = [line for line in text.splitlines() if line.startswith("No standard errors")]
    assert len(line) < 300 and line.endswith(".") and "Sum(" not in line and "exp(" not in line
    with pytest.raises(symmle.RegularityError, match="Fisher information"):
        normal.result.standard_errors  # noqa: B018


def test_symmle_list_says_em_for_the_mixtures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    rows = {line.split()[0]: line.split()[-1] for line in capsys.readouterr().out.splitlines()}
    for name in ("normal_mixture", "poisson_mixture", "exponential_mixture"):
        assert rows[name] == "EM"
    assert rows["categorical"] == "constrained"
