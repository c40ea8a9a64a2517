"""Named functions for display: f(y; theta), L(theta), ell(theta), NLL(theta)."""

from __future__ import annotations

from typing import Any

import sympy as sp


class _Named(sp.Function):
    """A function application printed as ``name(data; parameters)``."""

    latex_name = ""
    text_name = ""
    data_arguments = 0

    def _join(self, name: str, parts: list[str], left: str = "(", right: str = ")") -> str:
        data, params = parts[: self.data_arguments], parts[self.data_arguments :]
        inside = ", ".join(params) if not data else ", ".join(data) + "; " + ", ".join(params)
        return f"{name}{left}{inside}{right}"

    def _latex(self, printer: Any) -> str:
        parts = [printer._print(a) for a in self.args]
        return self._join(self.latex_name, parts, r"\left(", r"\right)")

    def _sympystr(self, printer: Any) -> str:
        return self._join(self.text_name, [printer._print(a) for a in self.args])

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        parts = [str(printer._print(a)) for a in self.args]
        return prettyForm(self._join(self.text_name, parts))


class Density(_Named):
    latex_name, text_name, data_arguments = "f", "f", 1


class Likelihood(_Named):
    latex_name, text_name = "L", "L"


class LogLikelihood(_Named):
    latex_name, text_name = r"\ell", "ℓ"


class NegativeLogLikelihood(_Named):
    latex_name, text_name = r"\operatorname{NLL}", "NLL"


class Loss(_Named):
    latex_name, text_name = r"\mathcal{L}", "𝓛"


def hat(symbol: sp.Symbol) -> sp.Symbol:
    """The estimate's symbol: theta -> thetahat (printed with a hat)."""
    return sp.Symbol(f"{symbol.name}hat", **symbol.assumptions0)
