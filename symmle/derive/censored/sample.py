"""Right-censored samples: each observation is a time yᵢ and an event indicator eᵢ (1: the
event was seen at yᵢ; 0: only "beyond yᵢ" is known), and

    ℓ(θ) = Σ eᵢ log f(yᵢ; θ) + Σ (1 − eᵢ) log S(yᵢ; θ),

S = 1 − F the family's survival function (its catalogue entry's ``survival``). log f and log S
are each split into a(θ)·T(y) terms as for a complete sample (``statistic_form``); a term with
the same coefficient in both is summed over every observation, the others are weighted by eᵢ
or 1 − eᵢ. The indicator is a second per-sample symbol (``event``) inside the statistics' terms
and the sums over the sample; d = Σ eᵢ, the number of events, stands beside n. The general
result, its plan (the same methods as for a complete sample) and Hessian make a ``General``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy as sp

from symmle.data import token
from symmle.derive.exact import DecimalSample
from symmle.derive.general import General
from symmle.derive.plan import make_plan
from symmle.derive.statistics import Statistic, StatisticForm, at_value, collect_logs, log_density
from symmle.errors import DataError, OptionError
from symmle.families import Distribution
from symmle.store import kept
from symmle.symbols import i, is_sample_sum, n, value, y

e = sp.IndexedBase("e")
"""The event indicators: ``e[i]`` is 1 where the event was seen at yᵢ, 0 where censored."""
event = sp.Symbol("e")
"""One observation's event indicator, beside ``value`` in a per-sample term."""
d = sp.Symbol("d", integer=True, positive=True)
"""The number of events, Σ eᵢ."""


class CensoredSample(Sequence[Fraction]):
    """Times as exact fractions (the sequence) with an event indicator each."""

    def __init__(self, times: Sequence[Fraction], events: Sequence[bool] | np.ndarray) -> None:
        # A DecimalSample (a large table read by NumPy) stays one: no Fraction made per time.
        self.times = times if isinstance(times, DecimalSample) else tuple(times)
        self.events = tuple(np.asarray(events, dtype=bool).tolist())

    def __len__(self) -> int:
        return len(self.times)

    def __getitem__(self, k: int) -> Fraction:  # type: ignore[override]
        return self.times[k]

    def __iter__(self) -> Iterator[Fraction]:
        return iter(self.times)

    def pairs(self) -> Iterator[tuple[Fraction, bool]]:
        return zip(self.times, self.events, strict=True)

    @property
    def events_count(self) -> int:
        return sum(self.events)


def indexed(term: sp.Expr) -> sp.Expr:
    """A per-sample term in the i-th observation."""
    return term.subs({value: y[i], event: e[i]})


def total(term: sp.Expr, data: CensoredSample) -> sp.Expr:
    """Σ term(yᵢ, eᵢ) over concrete data, each distinct pair once with its count."""
    counted: dict[tuple[Fraction, bool], int] = {}
    for pair in data.pairs():
        counted[pair] = counted.get(pair, 0) + 1
    found: sp.Expr = sp.Integer(0)
    for (t, seen), count in counted.items():
        found += count * at_value(term.subs(event, int(seen)), t)
    return found


class CensoredForm(StatisticForm):
    """The censored log-likelihood with statistics whose terms hold the indicator ``event``."""

    def as_sums(self, expr: sp.Expr) -> sp.Expr:
        sums = {s.symbol: sp.Sum(indexed(s.term), (i, 1, n)) for s in self.statistics}
        return expr.subs(sums).subs(d, sp.Sum(e[i], (i, 1, n)))

    def values(self, data: Sequence[Fraction]) -> dict[sp.Symbol, sp.Expr]:
        assert isinstance(data, CensoredSample)
        found: dict[sp.Symbol, sp.Expr] = {s.symbol: total(s.term, data) for s in self.statistics}
        found[n], found[d] = sp.Integer(len(data)), sp.Integer(data.events_count)
        return found


def with_censored_data(expr: sp.Expr, data: CensoredSample) -> sp.Expr:
    """Each sum over the sample written out over the data."""
    sums = [s for s in expr.atoms(sp.Sum) if is_sample_sum(s)]
    return expr.xreplace(
        {s: total(s.function.subs({y[i]: value, e[i]: event}), data) for s in sums}
    )


def split(log: sp.Expr) -> dict[sp.Expr, sp.Expr]:
    """log f (or log S) as {data part: coefficient}."""
    parts: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(log):
        coefficient, data_part = term.as_independent(value, as_Add=False)
        parts[data_part] = parts.get(data_part, sp.Integer(0)) + coefficient
    return parts


def weighted(family: Distribution) -> dict[sp.Expr, sp.Expr]:
    """eᵢ log f + (1 − eᵢ) log S as {weighted data part: coefficient}: a part with the same
    coefficient in both needs no weight."""
    assert family.survival is not None
    f = split(log_density(family.density, family.symbols))
    s = split(log_density(family.survival, family.symbols))
    found: dict[sp.Expr, sp.Expr] = {}
    for part in sorted(set(f) | set(s), key=sp.default_sort_key):
        in_f, in_s = f.get(part, sp.Integer(0)), s.get(part, sp.Integer(0))
        if sp.simplify(in_f - in_s) == 0:
            found[part] = in_f
            continue
        for weight, coefficient in ((event, in_f), (1 - event, in_s)):
            if coefficient != 0:
                found[weight * part] = coefficient
    return found


def censored_form(family: Distribution) -> CensoredForm:
    """ℓ in n, d, statistics S_k = Σ wᵢ T_k(yᵢ) (wᵢ = 1, eᵢ or 1 − eᵢ) and the sums over the
    sample in which a parameter stays."""
    parameters = set(family.symbols)
    counts = {sp.Integer(1): n, event: d, 1 - event: n - d}
    ell: sp.Expr = sp.Integer(0)
    statistics: list[Statistic] = []
    for part, coefficient in weighted(family).items():
        if part in counts:
            ell += coefficient * counts[part]
        elif part.free_symbols & parameters:
            ell += coefficient * sp.Sum(indexed(part), (i, 1, n))
        else:
            symbol = sp.Symbol(f"S_{len(statistics) + 1}", real=True)
            statistics.append(Statistic(symbol, part))
            ell += coefficient * symbol
    return CensoredForm(collect_logs(ell, family.symbols), tuple(statistics))


def require_survival(family: Distribution) -> None:
    if family.survival is None:
        able = ", ".join(CENSORABLE)
        raise OptionError(
            f"the {family.title} has no survival function in symmle yet, so censored "
            f"observations cannot be used with it; families that take them: {able}."
        )


CENSORABLE = ("exponential", "gamma", "lognormal", "normal", "weibull")
"""The catalogue's families with a survival function (the tests keep this list true)."""


def example(family: Distribution) -> CensoredSample:
    """The family's worked example with its largest value censored."""
    times = [Fraction(v) for v in family.example]
    largest = times.index(max(times))
    return CensoredSample(times, [k != largest for k in range(len(times))])


def at_probe_of(family: Distribution, form: CensoredForm) -> Callable[[sp.Expr], sp.Expr]:
    """An expression at the censored example and the probe values: to tell roots apart."""
    data = example(family)
    values = form.values(data)
    params = {
        p.symbol: sp.Float(v) for p in family.parameters for k, v in family.probe if k == p.name
    }

    def at_probe(expr: sp.Expr) -> sp.Expr:
        done = with_censored_data(expr.subs(values), data).subs(values).subs(params)
        return sp.sympify(done).evalf(30)

    return at_probe


@lru_cache(maxsize=32)
def censored_general(family: Distribution) -> General:
    """The family's MLE from a right-censored sample of symbolic size n (kept on disk)."""
    require_survival(family)
    return kept("censored-general", family, lambda: uncached(family))


def uncached(family: Distribution) -> General:
    form = censored_form(family)
    ell = form.log_likelihood
    plan = make_plan(family, ell, at_probe_of(family, form))
    score = tuple(sp.diff(ell, s) for s in family.symbols)
    hessian = sp.hessian(plan.smooth_log_likelihood, family.symbols)
    return General(family, form, score, plan, hessian)


def censored_sample(
    times: Sequence[Fraction], observed: object, family: Distribution
) -> CensoredSample:
    """The times with their indicators, checked: as many as times, booleans, an event."""
    flags = indicators(observed, len(times))
    if not any(flags):
        raise DataError(ALL_CENSORED)
    return CensoredSample(times, flags)


ALL_CENSORED = (
    "every observation is censored: with no event the likelihood only grows as the event is "
    "put ever later, so no maximum-likelihood estimate exists (give at least one event)."
)


def indicators(observed: object, size: int) -> list[bool]:
    """``observed`` as booleans, one per time (True/False, 1/0)."""
    try:
        items = list(observed)  # type: ignore[call-overload]
    except TypeError:
        raise DataError("observed must be a sequence of booleans, one per observation.") from None
    if isinstance(observed, (str, bytes)):
        raise DataError("observed must be a sequence of booleans, not a string.")
    if len(items) != size:
        raise DataError(
            f"observed has {len(items)} values for {size} observations: give one boolean "
            "(True: the event was seen; False: censored) per observation."
        )
    for item in items:
        if not (isinstance(item, (bool, np.bool_, numbers.Integral)) and item in (0, 1)):
            raise DataError(
                f"observed holds {token(str(item))!r}, not a boolean: give True/False or 1/0 "
                "per observation."
            )
    return [bool(item) for item in items]
