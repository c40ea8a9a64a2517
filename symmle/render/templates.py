"""Markdown from derivations through Jinja2 templates; rendering never does mathematics."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from symmle.losses import LossResult
from symmle.printing.prose import markdown
from symmle.resources import templates_dir
from symmle.results import Result


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = table_cell
    env.filters["markdown"] = markdown
    return env


def table_cell(text: str) -> str:
    """A table cell's text with its pipes escaped (|score| would split the cell)."""
    return text.replace("|", r"\|")


def render(template: str, **context: Any) -> str:
    """One template with its context."""
    return environment().get_template(template).render(**context)


def data_label(result: Result) -> str:
    if result.data is None:
        return "a sample y₁, …, yₙ of size n"
    shown = ", ".join(str(v) for v in result.data[:12])
    return shown + (", …" if len(result.data) > 12 else "")


def mle_title(result: Result) -> str:
    return f"MLE of the {result.family.title}: {data_label(result)}"


def loss_title(result: LossResult) -> str:
    return f"{result.title} from the {result.family.title} NLL"
