"""The website's pages: each a derivation rendered through the templates, with its figure
and numeric checks. No MkDocs here: symmle.site.hooks turns these into MkDocs files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

from symmle.budget import context, die_with_parent
from symmle.families import families
from symmle.families.mixtures import FAMILIES as MIXTURE_FAMILIES
from symmle.render.templates import render
from symmle.site import family_pages
from symmle.site.censored_page import censored_builders
from symmle.site.compare_pages import compare_builders
from symmle.site.deep_pages import deep_builders
from symmle.site.em.page import em_builders
from symmle.site.loss_pages import loss_builders
from symmle.site.model_pages import model_builders
from symmle.site.page import GROUPS, Page
from symmle.site.schedule import slowest_first
from symmle.site.theory import builders as theory_builders
from symmle.site.vector.page import vector_builders
from symmle.store import kept

MIXTURES = {m.name for m in MIXTURE_FAMILIES}
"""Fitted by EM: no Fisher information or profiles for a family page; the EM page shows them."""


def builders() -> list[Callable[[], Page]]:
    """Every derived page, in the order of the navigation."""
    return [
        *(
            partial(family_pages.family_page, name)
            for name in families("scalar")
            if name not in MIXTURES
        ),
        *vector_builders(),
        *em_builders(),
        *censored_builders(),
        *loss_builders(),
        *deep_builders(),
        *model_builders(),
        *theory_builders(),
        *compare_builders(),
    ]


def call(build: Callable[[], Page]) -> Page:
    return build()


def derive_pages(jobs: Sequence[Callable[[], Page]]) -> Iterator[Page]:
    """The pages, derived on every core (SymPy is single-threaded), the slowest started first;
    they come in the order of ``jobs``."""
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2:
        yield from map(call, jobs)
        return
    pool = ProcessPoolExecutor(workers, mp_context=context(), initializer=die_with_parent)
    try:
        futures = {k: pool.submit(call, jobs[k]) for k in slowest_first(jobs)}
        yield from (futures[k].result() for k in range(len(jobs)))
    except BaseException:  # interrupted (Ctrl-C, SIGTERM) or failed: no worker goes on
        for worker in list(pool._processes.values()):
            worker.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def site_pages(progress: Callable[[Page], None] = lambda page: None) -> list[Page]:
    """Every page of the site: home, the cheat sheet, the derivations, and all checks (the
    derivations from symmle's cache when it holds them for this source)."""

    def derive() -> list[Page]:
        derived: list[Page] = []
        for page in derive_pages(builders()):
            derived.append(page)
            progress(page)
        return derived

    derived = kept("pages", "site", derive)
    with_rows = [p for p in derived if p.rows]
    return [home_page(derived), summary_page(with_rows), *derived, checks_page(derived)]


def navigation(pages: Sequence[Page]) -> list[dict[str, Any]]:
    """The MkDocs nav: home, the cheat sheet, each section's pages in order, the checks."""
    sections: dict[str, list[dict[str, str]]] = {title: [] for title in GROUPS.values()}
    for page in pages:
        if page.section:
            sections.setdefault(page.section, []).append({page.title: page.path})
    return [
        {"Home": "index.md"},
        {"Cheat sheet": "summary.md"},
        *({title: entries} for title, entries in sections.items() if entries),
        {"Checks": "checks.md"},
    ]


def summary_page(pages: Sequence[Page]) -> Page:
    """One table of every family: parameters, MLE formula and method; the families' sections
    first, then the other pages' (censored data, mixtures by EM)."""
    groups = dict.fromkeys([*GROUPS.values(), *(p.section for p in pages)])
    markdown = render("pages/summary.md.jinja", pages=pages, groups=list(groups))
    return Page("summary.md", "Cheat sheet", "every family's MLE in one table.", markdown)


def home_page(pages: Sequence[Page]) -> Page:
    markdown = render("pages/index.md.jinja", pages=pages)
    return Page("index.md", "Home", "", markdown)


def checks_page(pages: Sequence[Page]) -> Page:
    markdown = render("pages/checks.md.jinja", pages=pages)
    return Page("checks.md", "Checks", "", markdown)
