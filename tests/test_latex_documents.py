"""The LaTeX documents compile with pdflatex (Debian's texlive, installed by `make test` as
Chromium is): every family, loss and regression as a fragment in one document, and the CLI's
--standalone document as it is. Step prose is escaped and ASCII."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import symmle
from symmle.cli import main
from symmle.families import families, get
from symmle.inference.steps import inference_section
from symmle.losses import LossResult, losses
from symmle.models import RegressionResult, regressions
from symmle.printing.prose import prose
from symmle.render.formats import document, standalone
from symmle.results import Result


def compiled(tex: str, folder: Path) -> str:
    """pdflatex's log of the document; the test fails on any LaTeX error."""
    (folder / "doc.tex").write_text(tex, encoding="ascii")
    pdflatex = shutil.which("pdflatex")
    assert pdflatex, "pdflatex is missing: `make test` installs texlive-latex-base"
    done = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    log = (folder / "doc.log").read_text(errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert done.returncode == 0 and not errors and (folder / "doc.pdf").is_file(), errors
    return log


def catalogue() -> list[Result | LossResult | RegressionResult]:
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(40), rng.normal(size=40)])
    targets = {
        "linear": X @ [1.0, 2.0] + rng.normal(size=40),
        "logistic": (rng.uniform(size=40) < 0.5).astype(float),
        "poisson": rng.poisson(2.0, 40).astype(float),
    }
    found: list[Result | LossResult | RegressionResult] = []
    for name in families("scalar"):
        family = get(name)
        known = dict(family.example_known)
        found.append(symmle.mle(name, data=family.example, known=known))
        found.append(symmle.mle(name, known=known))
    found += [symmle.loss(name) for name in losses()]
    found += [symmle.regression(name, X=X, y=targets[name]) for name in regressions()]
    return found


@pytest.fixture(scope="module")
def results() -> list[Result | LossResult | RegressionResult]:
    return catalogue()


def test_every_derivation_compiles_with_pdflatex(
    tmp_path: Path, results: list[Result | LossResult | RegressionResult]
) -> None:
    fragments = [document(result, "latex") for result in results]
    assert len(fragments) > 50 and all(f.isascii() for f in fragments)
    log = compiled(standalone("\n\\clearpage\n".join(fragments)), tmp_path)
    assert "invalid in math mode" not in log


def test_the_standalone_document_of_the_cli_compiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["derive", "laplace", "--data", "1,2,4,7,10", "--format", "latex", "--standalone"]
    assert main(argv) == 0
    tex = capsys.readouterr().out
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert r"\#\{$y_{i}$ $>$ $\mu$\}" in tex and r"95\% Wald" in tex
    compiled(tex, tmp_path)


def test_standalone_goes_with_latex_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", "poisson", "--data", "1,2", "--standalone"]) == 2
    assert "--standalone goes with --format latex" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("95% Wald interval", r"95\% Wald interval"),
        ("#{yᵢ > μ}", r"\#\{$y_{i}$ $>$ $\mu$\}"),
        ("x_1 & y", r"x\_1 \& y"),
        ("θ̂ⱼ ± 1.96·SE", r"$\hat{\theta}_{j}$ $\pm$ 1.96$\cdot$SE"),
        ("H⁻¹ in ℝ", r"$H^{-1}$ in $\mathbb{R}$"),
        ("−ℓ''(θ̂)", r"$-\ell''$($\hat{\theta}$)"),
        ("{a} $5 ~ ^ \\", r"\{a\} \$5 \~{} \^{} \textbackslash{}"),
    ],
)
def test_prose_is_escaped_for_latex(text: str, expected: str) -> None:
    assert prose(text) == expected


def test_step_prose_prints_expressions_whole(
    results: list[Result | LossResult | RegressionResult],
) -> None:
    """No "··" where a power had no superscript (λ·w^(1/k)), no ∞ glued into a name."""
    steps = [s for r in results for s in r.steps]
    for name in families("scalar"):
        family = get(name)
        known = dict(family.example_known)
        example = symmle.mle(name, data=family.example, known=known)
        steps += inference_section(symmle.mle(name, known=known), example)[0]
    prose_texts = [s.title + " " + s.text for s in steps]
    assert len(prose_texts) > 500
    assert not [t for t in prose_texts if "··" in t or re.search(r"\w∞", t)]
    assert any("Write y = λ·w^(1/k)" in t for t in prose_texts)


def test_the_comparison_table_compiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """symmle compare --format latex --standalone: every family's row (names with _, symbols
    ℓ, W², χ², a skipped family's reason with {…}) in a tabular pdflatex reads."""
    rng = np.random.default_rng(5)
    path = tmp_path / "x.txt"
    np.savetxt(path, rng.gamma(2.0, 1.0, 80))
    assert main(["compare", "--data-file", str(path), "--format", "latex", "--standalone"]) == 0
    tex = capsys.readouterr().out
    assert r"half\_normal" in tex and r"$\chi^{2}$" in tex and r"\begin{tabular}" in tex
    rows = [line for line in tex.splitlines() if line.endswith(r"\\")]
    assert len(rows) == 1 + len(symmle.compare(np.loadtxt(path)).candidates)
    assert all(row.count("&") == 10 for row in rows)
    compiled(tex, tmp_path)
    counts = symmle.compare([0, 1, 1, 2, 0, 3]).output("latex")
    assert r"\item Not fitted: geometric" in counts and r"\{1, 2, \dots{}\}" in counts
    compiled(standalone(counts), tmp_path)
    assert main(["compare", "--data-file", str(path), "--standalone"]) == 2
