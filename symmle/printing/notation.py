"""Named functions for display: f(y; theta), L(theta), ell(theta), NLL(theta)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

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

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        parts = [printer._print(a) for a in self.args]
        shown = self._join(self.latex_name, parts, r"\left(", r"\right)")
        return shown if exp is None else f"{shown}^{{{exp}}}"

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


class ProfileLogLikelihood(_Named):
    latex_name, text_name = r"\ell_{p}", "ℓₚ"


class EstimateGiven(sp.Function):
    """θ̂ₖ(θⱼ): the estimate of one parameter with another held at a value."""

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        estimate, held = (printer._print(a) for a in self.args)
        shown = rf"\hat{{{estimate}}}\left({held}\right)"
        return shown if exp is None else f"{shown}^{{{exp}}}"

    def _sympystr(self, printer: Any) -> str:
        estimate, held = self.args
        return f"{printer._print(hat(estimate))}({printer._print(held)})"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(self._sympystr(printer))


class NegativeLogLikelihood(_Named):
    latex_name, text_name = r"\operatorname{NLL}", "NLL"


class Loss(_Named):
    latex_name, text_name = r"\mathcal{L}", "𝓛"


def hat(symbol: sp.Symbol) -> sp.Symbol:
    """The estimate's symbol: theta -> thetahat, x_m -> xhat_m (printed with a hat on the
    letter, not on its subscript)."""
    base, sub = re.fullmatch(r"([^\d_]+)_?(.*)", symbol.name).groups()  # type: ignore[union-attr]
    return sp.Symbol(f"{base}hat_{sub}" if sub else f"{base}hat", **symbol.assumptions0)


class OrderStatistic(sp.Symbol):
    """A statistic of the sorted sample: y_(1) = min, y_(n) = max, ỹ = the median."""

    _shown: ClassVar[dict[str, tuple[str, str]]] = {
        "min": (r"y_{(1)}", "y₍₁₎"),
        "max": (r"y_{(n)}", "y₍ₙ₎"),
        "median": (r"\tilde{y}", "ỹ"),
    }

    def __new__(cls, kind: str) -> OrderStatistic:
        obj = super().__new__(cls, f"y_{kind}", real=True)
        obj.statistic = kind
        return obj  # type: ignore[no-any-return]

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:
        return ((self.statistic,), {})

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        shown = self._shown[self.statistic][0]
        return shown if exp is None else f"{shown}^{{{exp}}}"

    def _sympystr(self, printer: Any) -> str:
        return f"{self.statistic}(y)"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(self._shown[self.statistic][1])


class SampleMean(sp.Function):
    """The sample mean of a term of y: ȳ, or the mean of log y written with a bar."""

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        (term,) = self.args
        bar = "bar" if term.is_Symbol else "overline"
        shown = rf"\{bar}{{{printer._print(term)}}}"
        return shown if exp is None else f"{shown}^{{{exp}}}"

    def _sympystr(self, printer: Any) -> str:
        return f"mean({printer._print(self.args[0])})"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        (term,) = self.args
        if term.is_Symbol:
            return prettyForm(f"{printer._print(term)}\u0305")
        return prettyForm(f"mean({sp.sstr(term)})")


class FisherInformation(_Named):
    latex_name, text_name = r"\mathcal{I}", "I"


class StandardError(_Named):
    latex_name, text_name = r"\operatorname{SE}", "SE"


class _Operator(sp.Function):
    """An operator applied to one expression, printed as ``name[argument]``."""

    latex_name = ""
    text_name = ""
    brackets = ("[", "]")

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        left, right = self.brackets
        inside = ", ".join(printer._print(a) for a in self.args)
        shown = rf"{self.latex_name}\left{left}{inside}\right{right}"
        return shown if exp is None else f"{shown}^{{{exp}}}"

    def _sympystr(self, printer: Any) -> str:
        inside = ", ".join(printer._print(a) for a in self.args)
        return f"{self.text_name}{self.brackets[0]}{inside}{self.brackets[1]}"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        inside = printer._print_seq(self.args, delimiter=", ")
        return prettyForm(*prettyForm(*inside.parens(*self.brackets)).left(self.text_name))


class Expectation(_Operator):
    """E[X]: the mean of an expression of the data under the family."""

    latex_name, text_name = r"\operatorname{E}", "E"


class Variance(_Operator):
    latex_name, text_name, brackets = r"\operatorname{Var}", "Var", ("(", ")")


class KLDivergence(sp.Function):
    """KL(θ₀ ‖ θ): the Kullback–Leibler divergence of the model at θ from the truth at θ₀."""

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        truth, model = (printer._print(a) for a in self.args)
        shown = rf"\operatorname{{KL}}\left(f_{{{truth}}} \,\middle\|\, f_{{{model}}}\right)"
        return shown if exp is None else f"{shown}^{{{exp}}}"

    def _sympystr(self, printer: Any) -> str:
        truth, model = (printer._print(a) for a in self.args)
        return f"KL(f_{truth} ‖ f_{model})"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(self._sympystr(printer))


class SampleLoss(_Named):
    """𝓛ᵢ(w): the loss of the i-th sample as a function of the weights; arguments (i, w)."""

    latex_name, text_name = r"\mathcal{L}", "𝓛"

    def _join(self, name: str, parts: list[str], left: str = "(", right: str = ")") -> str:
        index = f"_{{{parts[0]}}}" if left != "(" else f"_{parts[0]}"
        return f"{name}{index}{left}{', '.join(parts[1:])}{right}"


class Quadratic(sp.Function):
    """The quadratic form vᵀMv of a column vector v and a square matrix M, printed as such
    (SymPy would index it into a double sum); ``doit`` gives the 1×1 trace lambdify reads."""

    @classmethod
    def eval(cls, v: Any, M: Any) -> None:
        return None

    def doit(self, **hints: Any) -> sp.Expr:
        v, M = self.args
        return sp.Trace(v.T * M * v).doit(**hints)

    def _shown(self, printer: Any, transpose: str) -> str:
        v, M = self.args
        vector = printer._print(v)
        if isinstance(v, sp.MatAdd):
            vector = f"({vector})" if transpose != "^{T}" else rf"\left({vector}\right)"
        return f"{vector}{transpose} {printer._print(M)} {vector}"

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        shown = self._shown(printer, "^{T}")
        return shown if exp is None else rf"\left({shown}\right)^{{{exp}}}"

    def _sympystr(self, printer: Any) -> str:
        return self._shown(printer, "ᵀ")

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(self._sympystr(printer))
