"""The MkDocs plugin: ```symmle blocks in a user's project expand into rendered derivations
with their checks, math typeset by KaTeX at build time; a bad block or a failed check fails
the build."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from symmle import checks
from symmle.errors import OptionError, SymmleError
from symmle.site import blocks

PAGE = """# My notes

Inline math, $a^2 + b^2$, typeset too.

```symmle
derive poisson --data-file counts.txt
```

```symmle
symmle derive --pdf "lam*exp(-lam*y)" --param "lam:(0,oo)"
  --support "[0,oo)" --data 1,2,3
```

```symmle
loss bernoulli
```

````markdown
```symmle
derive this-is-only-shown
```
````
"""


def project(root: Path, page: str) -> Path:
    """A user's MkDocs project with the plugin and one page."""
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: My notes\nplugins:\n  - symmle\n")
    (root / "docs" / "index.md").write_text(page)
    (root / "docs" / "counts.txt").write_text("2\n3\n1\n")
    return root


def mkdocs_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def test_blocks_expand_in_a_users_project(tmp_path: Path) -> None:
    done = mkdocs_build(project(tmp_path, PAGE))
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    for title in (
        "MLE of the Poisson: 2, 3, 1",
        "MLE of the user-defined distribution: 1, 2, 3",
        "Binary cross-entropy from the Bernoulli NLL",
    ):
        assert f">{title}<" in html  # a heading of its own
    assert html.count("Numeric checks") == 3 and "FAIL" not in html
    assert "derive this-is-only-shown" in html  # a block inside another fence stays code
    assert html.count('class="katex"') > 20 and "$$" not in html
    assert 'arithmatex">\\(' not in html and 'arithmatex">\\[' not in html  # all typeset
    assert (tmp_path / "site" / "assets" / "katex" / "katex.min.css").is_file()
    assert any((tmp_path / "site" / "assets" / "katex" / "fonts").glob("*.woff2"))


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("derive bernouli --data 0,1", "unknown family"),
        ("derive bernoulli --data 0,2", "outside the support"),
        ("derive --pdf 'y.__class__' --param 'lam:(0,oo)' --support '[0,oo)'", "attribute"),
        ("build --site-dir x", "derive, loss or regress"),
        ("derive poisson --data-file -", "stdin"),
        ("derive poisson --bogus", "unrecognized"),
    ],
)
def test_a_bad_block_fails_the_build_with_its_page_and_reason(
    tmp_path: Path, block: str, message: str
) -> None:
    done = mkdocs_build(project(tmp_path, f"# Notes\n\n```symmle\n{block}\n```\n"))
    assert done.returncode != 0
    assert "index.md" in done.stderr and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_failed_check_fails_the_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = "```symmle\nderive poisson --data 2,3,1\n```\n"
    assert "MLE of the Poisson" in blocks.expand(page, tmp_path, tmp_path)
    blocks.block.cache_clear()
    monkeypatch.setattr(checks, "RELATIVE", -1.0)  # no error is that small
    with pytest.raises(blocks.Unconfirmed, match="log-likelihood equals"):
        blocks.expand(page, tmp_path, tmp_path)
    blocks.block.cache_clear()


def test_an_unclosed_block_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="not closed"):
        blocks.expand("```symmle\nderive poisson\n", tmp_path, tmp_path)


SECRET = "ghp_0123456789abcdefghijklmnop"
"""A token in a file outside the docs folder: no build log may show it."""


@pytest.mark.parametrize(
    "written",
    ["../secret.txt", "{root}/secret.txt", "link.txt", "../secret.csv"],
)
def test_a_data_file_outside_the_docs_folder_is_refused_unread(
    tmp_path: Path, written: str
) -> None:
    root = project(tmp_path / "p", "")
    (root / "secret.txt").write_text(f"4\n5\n{SECRET}\n")
    (root / "secret.csv").write_text(f"x,{SECRET}\n1,2\n")
    (root / "docs" / "link.txt").symlink_to(root / "secret.txt")
    command = "regress linear --target y" if written.endswith(".csv") else "derive poisson"
    block = f"{command} --data-file {written.format(root=root)}"
    done = mkdocs_build(replace_page(root, f"# N\n\n```symmle\n{block}\n```\n"))
    assert done.returncode != 0
    assert "outside the docs folder" in done.stderr, done.stderr
    assert SECRET[:8] not in done.stderr and "Traceback" not in done.stderr


def replace_page(root: Path, page: str) -> Path:
    (root / "docs" / "index.md").write_text(page)
    return root


@pytest.mark.parametrize(
    ("name", "content", "block"),
    [
        ("values.txt", f"1\n{SECRET}\n", "derive poisson --data-file values.txt"),
        ("table.csv", f"x,{SECRET}\n1,2\n", "regress linear --data-file table.csv --target y"),
        ("table.csv", f"x,y\n1,{SECRET}\n", "regress linear --data-file table.csv --target y"),
    ],
)
def test_an_error_quotes_only_a_short_token_of_a_file(
    tmp_path: Path, name: str, content: str, block: str
) -> None:
    (tmp_path / name).write_text(content)
    with pytest.raises(SymmleError) as caught:
        blocks.expand(f"```symmle\n{block}\n```\n", tmp_path, tmp_path)
    assert SECRET[:8] in str(caught.value) and SECRET[12:] not in str(caught.value)


def test_a_block_over_its_budget_fails_even_off_the_main_thread(tmp_path: Path) -> None:
    page = "```symmle\nderive --pdf 'lam*exp(-lam*y)' --param 'lam:(0,oo)' --support '[0,oo)'\n```"
    failed: list[BaseException] = []

    def expand() -> None:
        try:
            blocks.expand(page, tmp_path, tmp_path, budget=0.05)
        except OptionError as error:
            failed.append(error)

    worker = threading.Thread(target=expand)
    start = time.monotonic()
    worker.start()
    worker.join(timeout=60)
    assert failed and "did not finish within 0.05 s" in str(failed[0])
    assert time.monotonic() - start < 10
    assert not multiprocessing.active_children()  # the worker was stopped
