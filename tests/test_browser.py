"""Every page of the built site in headless Chromium (Debian's, driven by Playwright):
no console error, no request outside 127.0.0.1, every equation typeset and as narrow as its
column at a 1280-px window, every image loaded."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    Response,
    ViewportSize,
    sync_playwright,
)

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WINDOW: ViewportSize = {"width": 1280, "height": 800}
WIDE = """[...document.querySelectorAll('.katex-display')].flatMap(display => {
    const parts = [...display.querySelectorAll('.katex-html > .base')]
        .map(part => part.getBoundingClientRect());
    const width = Math.max(...parts.map(r => r.right)) - Math.min(...parts.map(r => r.left));
    const tex = display.querySelector('annotation').textContent.slice(0, 60);
    return width > display.clientWidth + 1 ?
        [`${Math.round(width)} px in ${display.clientWidth} px: ${tex}`] : [];
})"""
"""Every displayed equation's typeset width (its boxes, not its scrolling box) against its
column's."""
RAW_TEX = ("\\frac", "\\(", "\\[", "\\sqrt", "\\sum", "$$", "\\begin")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(built_site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def visit(browser: Browser, url: str) -> tuple[Page, list[str]]:
    """Open url; return the page and the problems seen while loading it."""
    page = browser.new_page(viewport=WINDOW)
    problems: list[str] = []

    def on_request(request: Request) -> None:
        address = urlparse(request.url)
        if address.scheme not in ("data", "blob") and address.hostname != "127.0.0.1":
            problems.append(f"outside request: {request.url}")

    page.on("request", on_request)

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, problems


def page_problems(page: Page) -> list[str]:
    found = [f"katex error: {t}" for t in page.locator(".katex-error").all_inner_texts()]
    text = page.inner_text("body")
    found += [f"raw TeX left: {tex}" for tex in RAW_TEX if tex in text]
    broken = page.evaluate(
        "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    found += [f"image not loaded: {src}" for src in broken]
    found += [f"equation wider than its column: {wide}" for wide in page.evaluate(WIDE)]
    if page.locator(".katex").count():
        fonts = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded')"
            ".map(f => f.family.replace(/\"/g, ''))"
        )
        used = {"KaTeX_Main": ".katex", "KaTeX_Math": ".katex .mathnormal"}  # italic letters
        needed = [f for f, where in used.items() if page.locator(where).count()]
        found += [f"font not loaded: {f}" for f in needed if f not in fonts]
    return found


def test_every_page(built_site: Path, served: str, browser: Browser) -> None:
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    assert len(pages) >= 6
    problems: list[str] = []
    for name in pages:
        page, seen = visit(browser, served + name)
        problems += [f"{name}: {p}" for p in seen + page_problems(page)]
        page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("path", "estimate", "figure", "figures"),
    [
        ("bernoulli/", r"\hat{\theta} = \frac{1}{5}", "bernoulli-likelihood.svg", 2),
        ("normal/", r"\hat{\sigma} &= \frac{\sqrt{6}}{3}", "normal-profile.svg", 2),
        ("squared-error/", r"\left(y - \hat{y}\right)^{2}", "least-squares.svg", 2),
        ("bce-with-logits/", r"\operatorname{softplus}", "bce-with-logits-loss.svg", 1),
    ],
)
def test_worked_examples_show_estimate_and_plot(
    served: str, browser: Browser, path: str, estimate: str, figure: str, figures: int
) -> None:
    page, problems = visit(browser, served + path)
    # KaTeX keeps each formula's source in a MathML annotation beside the typeset HTML.
    typeset = page.locator(".admonition.success .katex annotation").all_text_contents()
    assert any(estimate in tex for tex in typeset), typeset
    image = page.locator(f"img[src$='{figure}']")
    assert image.count() == 1 and image.evaluate("i => i.naturalWidth") > 0
    assert page.locator("figcaption").count() == figures
    assert not problems, problems
    page.close()


def test_search_works_offline(served: str, browser: Browser) -> None:
    page, problems = visit(browser, served)
    page.keyboard.press("s")
    page.locator("input.md-search__input").press_sequentially("likelihood")  # Material reads keyup
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert not problems, problems
    page.close()
