"""The website: templates, golden pages, a strict MkDocs build, reproducibility."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sympy as sp

import symmle
from symmle.derive.textbook import estimating_equations
from symmle.errors import BuildError
from symmle.families import get
from symmle.printing.notation import SampleMean
from symmle.resources import templates_dir
from symmle.site import katex
from symmle.site.family_pages import family_page, summary_row
from symmle.site.katex import KatexError, render_tex
from symmle.site.page import Page
from symmle.site.pages import builders, site_pages
from symmle.site.schedule import SECONDS, label, slowest_first
from symmle.symbols import i, n, value, y

GOLDEN = Path(__file__).parent / "golden"
KATEX = Path(__file__).resolve().parent.parent / "node_modules" / "katex" / "dist"


def test_every_step_kind_has_a_template() -> None:
    for kind in symmle.KINDS:
        template = templates_dir() / "steps" / f"{kind}.md.jinja"
        assert template.is_file(), kind
        assert template.read_text().startswith("{#- "), f"{kind}: no context comment"


def normalised(markdown: str) -> str:
    """Numeric check errors vary in the last bits from machine to machine."""
    markdown = re.sub(r"\d\.\de[+-]\d\d", "<error>", markdown)
    return "\n".join(line.rstrip() for line in markdown.strip().splitlines()) + "\n"


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[Page]:
    """The built site's pages, from the run's page cache."""
    return site_pages()


GOLDEN_PAGES = [
    "index.md",
    "summary.md",
    "checks.md",
    "bernoulli.md",
    "normal.md",
    "poisson.md",
    "categorical.md",
    "uniform.md",
    "laplace.md",
    "binary-cross-entropy.md",
    "squared-error.md",
    "bce-with-logits.md",
    "cross-entropy.md",
]
"""Pages whose every line is fixed (refresh with UPDATE_GOLDEN=1 after reading the diff)."""


@pytest.mark.parametrize("path", GOLDEN_PAGES)
def test_pages_match_golden(pages: list[Page], path: str) -> None:
    got = normalised(next(p for p in pages if p.path == path).markdown)
    golden = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(got)
    assert got == golden.read_text()


def test_a_family_page_alone_matches_the_site_page(pages: list[Page]) -> None:
    alone = family_page("bernoulli").markdown
    assert normalised(alone) == normalised(
        next(p for p in pages if p.path == "bernoulli.md").markdown
    )


def test_pages_start_with_a_heading_and_show_checks(pages: list[Page]) -> None:
    paths = [p.path for p in pages]
    assert paths[:2] == ["index.md", "summary.md"] and paths[-1] == "checks.md"
    mixtures = {"normal_mixture", "poisson_mixture", "exponential_mixture"}  # on the EM page
    families = {f"{name}.md" for name in symmle.families("scalar") if name not in mixtures}
    losses = {f"{name}.md" for name in symmle.losses()}
    models = {f"{name}-regression.md" for name in ("linear", "logistic", "poisson")}
    theory = {
        "kl-divergence.md",
        "consistency.md",
        "efficiency.md",
        "asymptotic-normality.md",
        "method-of-moments.md",
    }
    studies = {"which-strikes.md", "which-nile.md", "which-horse-kicks.md"}
    deep = {f"deep-{name}.md" for name in ("learning", "heteroscedastic", "robust", "counts")}
    deep |= {"deep-losses.md"}
    methods = {"censored.md", "em.md"}
    methods |= {f"{name}.md" for name in symmle.families("vector")}  # symmle.site.vector
    assert set(paths[2:-1]) == families | losses | models | theory | studies | deep | methods
    assert {p.section for p in pages if p.path in losses | models} == {"Losses", "Models"}
    assert {p.section for p in pages if p.path in theory} == {"Theory"}
    assert {p.section for p in pages if p.path in studies} == {"Which distribution?"}
    for page in pages:
        assert page.markdown.startswith("# "), page.path
    for page in pages[2:-1]:
        assert page.checks and all(check.passed for _, check in page.checks), page.path
        assert page.markdown.rsplit("\n## ", 1)[-1].startswith("Numeric checks"), page.path


def test_malformed_tex_raises() -> None:
    assert "katex" in render_tex(r"\frac{1}{5}", False, KATEX)
    with pytest.raises(KatexError, match="sqrt"):
        render_tex(r"\sqrt{\frac{2}{3}", True, KATEX)


def test_math_typeset_ahead_is_the_math_typeset_after() -> None:
    """Formulas typeset from a page's Markdown while the pages are derived give the HTML that
    typesetting the page's HTML gives (one formula inline and displayed: two renderings);
    one KaTeX refuses still fails when the page is set."""
    markdown = "# T\n\nInline $\\frac{1}{5}$ and\n\n$$\n\\frac{1}{5}\n$$\n"
    html = (
        '<p>Inline <span class="arithmatex">\\(\\frac{1}{5}\\)</span> and</p>\n'
        '<div class="arithmatex">\\[\n\\frac{1}{5}\n\\]</div>'
    )
    katex.forget_typeset()
    after = katex.render_page(html, KATEX)
    katex.typeset_ahead(markdown, KATEX)
    assert len(katex._TYPESET) == 2
    assert katex.render_page(html, KATEX) == after
    katex.typeset_ahead("# T\n\n$\\sqrt{\\frac{2}{3}$\n", KATEX)  # refused: not kept
    with pytest.raises(KatexError, match="sqrt"):
        katex.render_page('<span class="arithmatex">\\(\\sqrt{\\frac{2}{3}\\)</span>', KATEX)
    katex.forget_typeset()


def test_the_slowest_pages_are_derived_first_and_come_in_navigation_order() -> None:
    jobs = builders()
    order = slowest_first(jobs)
    assert sorted(order) == list(range(len(jobs)))
    assert [label(jobs[k]) for k in order[:3]] == ["em_page", "table_page", "censored_page"]
    rest = [k for k in order if label(jobs[k]) not in SECONDS]
    assert rest == sorted(rest) and label(jobs[rest[0]]) == "family_page:bernoulli"


def test_strict_build_renders_every_page(built_site: Path) -> None:
    assert "pass" in (built_site / "checks" / "index.html").read_text()
    for name in (
        "index.html",
        "bernoulli/index.html",
        "normal/index.html",
        "binary-cross-entropy/index.html",
        "bce-with-logits/index.html",
        "cross-entropy/index.html",
        "squared-error/index.html",
        "logistic-regression/index.html",
        "censored/index.html",
        "em/index.html",
    ):
        html = (built_site / name).read_text()
        assert 'class="katex"' in html and "katex-error" not in html, name
    normal = (built_site / "normal" / "index.html").read_text()
    assert "normal-likelihood.svg" in normal and (built_site / "normal-likelihood.svg").is_file()
    assert (built_site / "assets" / "katex" / "katex.min.css").is_file()
    logistic = (built_site / "logistic-regression" / "index.html").read_text()
    assert "logistic-regression-training.svg" in logistic and "Training" in logistic
    assert (built_site / "bce-with-logits-loss.svg").is_file()
    censored = (built_site / "censored" / "index.html").read_text()
    assert "censored-survival.svg" in censored and (built_site / "censored-survival.svg").is_file()
    em = (built_site / "em" / "index.html").read_text()
    for figure in ("em-normal-mixture.svg", "em-log-likelihood.svg", "em-poisson-mixture.svg"):
        assert figure in em and (built_site / figure).is_file()


def test_failed_build_leaves_no_half_written_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from symmle.site import build as site
    from symmle.site import folder, katex

    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    (target / folder.MARKER).write_text("")  # a site symmle built: it may be replaced

    def broken(page: str, dist: Path) -> str:
        raise KatexError("ParseError in TeX: '\\frac{'")

    monkeypatch.setattr(katex, "render_html", broken)
    with pytest.raises(BuildError, match="ParseError"):
        site.build(target)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert sorted(p.name for p in target.iterdir()) == sorted([folder.MARKER, "old.html"])


def test_navigation_is_generated_in_section_order() -> None:
    from symmle.site.page import GROUPS, Page
    from symmle.site.pages import navigation

    pages = [
        Page("uniform.md", "Uniform", "", "# U", section=GROUPS["boundary"]),
        Page("poisson.md", "Poisson", "", "# P", section=GROUPS["discrete"]),
        Page("normal.md", "Normal", "", "# N", section=GROUPS["continuous"]),
    ]
    nav = navigation(pages)
    titles = [next(iter(entry)) for entry in nav]
    assert titles == [
        "Home",
        "Cheat sheet",
        GROUPS["discrete"],
        GROUPS["continuous"],
        GROUPS["boundary"],
        "Checks",
    ]
    assert nav[2] == {GROUPS["discrete"]: [{"Poisson": "poisson.md"}]}


def test_every_table_renders_as_a_table(built_site: Path) -> None:
    """A Markdown table left as text (a cell's pipe splitting it) shows its separator row."""
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        assert "---: |" not in page.read_text(), page.relative_to(built_site)
    gamma = (built_site / "gamma" / "index.html").read_text()
    assert "<th" in gamma and "‖score‖" in gamma


def with_sample(expr: sp.Expr, data: list[float]) -> sp.Expr:
    """Sums over yᵢ and sample means computed from the data, n its size."""
    expr = expr.replace(
        lambda e: isinstance(e, SampleMean),
        lambda m: sp.Add(*(m.args[0].subs(value, v) for v in data)) / len(data),
    )
    expr = expr.replace(
        lambda e: isinstance(e, sp.Sum),
        lambda s: sp.Add(*(s.function.xreplace({y[i]: v}) for v in data)),
    )
    return expr.subs(n, len(data))


NUMERIC = ["beta", "cauchy", "gamma", "gumbel", "logistic", "student_t", "weibull"]
"""The families without a closed form (each test below asserts the method is numeric)."""


@pytest.mark.parametrize("name", NUMERIC)
def test_the_cheat_sheet_shows_the_equations_a_numeric_estimate_solves(name: str) -> None:
    """Newton's estimate on the worked example satisfies every equation of the row."""
    family = get(name)
    known = dict(family.example_known)
    row = summary_row(symmle.mle(name, known=known))
    example = symmle.mle(name, data=family.example, known=known)
    g = symmle.mle(name, known=known).general
    equations = estimating_equations(g.family.symbols, g.score, g.plan.profiled, g.form.statistics)
    assert len(row.formulas) == len(equations) >= 1 and row.method == "numeric"
    assert all(r"\hat" in tex for tex in row.formulas)
    data = [float(sp.Rational(str(v))) for v in family.example]
    at = {s: sp.Float(example.estimate[s.name]) for s in family.symbols}
    for equation in equations:
        residual = with_sample(equation.lhs - equation.rhs, data).xreplace(at)
        assert abs(float(residual)) < 1e-8, (equation, residual)


@pytest.mark.parametrize(
    ("study", "dataset", "counts"),
    [("which-strikes", "strikes", False), ("which-nile", "nile", False),
     ("which-horse-kicks", "horse_kicks", True)],
)  # fmt: skip
def test_each_case_study_shows_the_winner_its_plots_and_derivations(
    built_site: Path, study: str, dataset: str, counts: bool
) -> None:
    """The built page ranks the families as compare does on the shipped data, draws the four
    plots, and links the derivation pages of the best three."""
    from symmle.datasets import load
    from symmle.fit.compare import comparable

    found = symmle.compare(load(dataset).values, None if counts else comparable(discrete=False))
    html = (built_site / study / "index.html").read_text()
    best = found.candidates[:3]
    assert f"{best[0].title} has the smallest AIC, {best[0].aic:.2f}" in html
    for kind in ("density", "cdf", "qq", "pp"):
        assert f"{dataset}-{kind}.svg" in html and (built_site / f"{dataset}-{kind}.svg").is_file()
    derivations = html.split('id="the-derivations"', 1)[1].split("</ul>", 1)[0]
    assert derivations.count("<li>") == len(best)
    for c in best:
        assert f'href="../{c.family}/"' in derivations
    assert "public domain" in html and "Numeric checks" in html
    rows = html.split('id="the-families-ranked-by-aic"', 1)[1].split("</table>", 1)[0]
    assert rows.count("<tr>") == 1 + len(found.candidates)


@pytest.mark.parametrize("name", ["cauchy", "normal", "uniform", "weibull", "binomial"])
def test_a_figure_grid_in_one_call_equals_the_compiled_program_point_by_point(name: str) -> None:
    """Sums over the sample (the Cauchy's), statistics, order statistics (the uniform's),
    a profiled likelihood (the Weibull's) and a known constant (the binomial's m)."""
    import numpy as np

    from symmle.derive.compiled import Compiled
    from symmle.derive.exact import floats
    from symmle.site.grid import on_grid

    family = get(name)
    result = symmle.mle(name, data=family.example, known=dict(family.example_known))
    plan, g = result.general.plan, result.general
    ell = plan.log_likelihood if plan.profiled else g.log_likelihood
    symbols = [p.symbol for p in family.parameters if p.symbol not in plan.profiled]
    at = [float(result.estimate[s.name]) for s in symbols]
    points = np.array([[v * (0.6 + 0.1 * k) for v in at] for k in range(8)])
    sample = np.asarray(floats(result.data or ()), float)
    grid = on_grid(ell, g.form, sample, {s: points[:, k] for k, s in enumerate(symbols)})
    compiled = Compiled([ell], symbols, g.form, sample)
    expected = [compiled(point)[0] for point in points]
    assert np.allclose(grid, expected, rtol=1e-13, atol=0.0, equal_nan=True)
