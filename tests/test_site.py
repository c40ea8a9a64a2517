"""The website: templates, golden pages, a strict MkDocs build, reproducibility."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

import symmle
from symmle.render.templates import templates_dir
from symmle.site.katex import KatexError, render_tex
from symmle.site.pages import family_page, site_pages

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


@pytest.mark.parametrize("family", ["bernoulli", "normal"])
def test_worked_example_pages_match_golden(family: str) -> None:
    got = normalised(family_page(family).markdown)
    golden = GOLDEN / f"{family}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(got)
    assert got == golden.read_text()


def test_pages_start_with_a_heading_and_show_checks() -> None:
    pages = site_pages()
    paths = [p.path for p in pages]
    assert paths[:2] == ["index.md", "summary.md"] and paths[-1] == "checks.md"
    families = {f"{name}.md" for name in symmle.families()}
    losses = {"binary-cross-entropy.md", "mean-squared-error.md"}
    theory = {
        "kl-divergence.md",
        "consistency.md",
        "efficiency.md",
        "asymptotic-normality.md",
        "method-of-moments.md",
    }
    assert set(paths[2:-1]) == families | losses | theory
    for page in pages:
        assert page.markdown.startswith("# "), page.path
    for page in pages[2:-1]:
        assert page.checks and all(check.passed for _, check in page.checks), page.path
        assert page.markdown.rsplit("\n## ", 1)[-1].startswith("Numeric checks"), page.path


def test_malformed_tex_raises() -> None:
    assert "katex" in render_tex(r"\frac{1}{5}", False, KATEX)
    with pytest.raises(KatexError, match="sqrt"):
        render_tex(r"\sqrt{\frac{2}{3}", True, KATEX)


def test_strict_build_renders_every_page(built_site: Path) -> None:
    assert "pass" in (built_site / "checks" / "index.html").read_text()
    for name in (
        "index.html",
        "bernoulli/index.html",
        "normal/index.html",
        "binary-cross-entropy/index.html",
        "mean-squared-error/index.html",
    ):
        html = (built_site / name).read_text()
        assert 'class="katex"' in html and "katex-error" not in html, name
    normal = (built_site / "normal" / "index.html").read_text()
    assert "normal-likelihood.svg" in normal and (built_site / "normal-likelihood.svg").is_file()
    assert (built_site / "assets" / "katex" / "katex.min.css").is_file()


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(built_site: Path, tmp_path: Path) -> None:
    from symmle.site.build import build

    again = build(tmp_path / "site")
    assert tree_digest(again) == tree_digest(built_site)


def test_failed_build_leaves_no_half_written_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from symmle.site import build as site
    from symmle.site import katex

    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")

    def broken(page: str, dist: Path) -> str:
        raise KatexError("ParseError in TeX: '\\frac{'")

    monkeypatch.setattr(katex, "render_html", broken)
    with pytest.raises(site.BuildError, match="ParseError"):
        site.build(target)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert [p.name for p in target.iterdir()] == ["old.html"]


def test_navigation_is_generated_in_section_order() -> None:
    from symmle.site.pages import GROUPS, Page, navigation

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
