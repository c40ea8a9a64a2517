"""PyTorch's reduction, class weights and ignore_index: symmle's ``reduced`` against PyTorch's
documented formulas written here by hand in NumPy (torch is not a dependency), on the inputs the
loss checks use (extremes included), and the reduction step of the derivation."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import sympy as sp
from scipy import special

import symmle
from symmle.cli import main
from symmle.losses.functions import pick
from symmle.losses.registry import entry
from symmle.printing.notation import Loss, NegativeLogLikelihood, SampleLoss
from symmle.symbols import i, n, y

W = sp.Symbol("w")
K = sp.Symbol("k", integer=True, positive=True)
ATOL = {"none": 2 * np.spacing(1e4), "mean": 0.0, "sum": 0.0, "batchmean": 0.0}
"""Elementwise, logits of ±1e4 lose up to ulp(1e4) to the logsumexp form (a loss of log 4
computed as −1e4 + (1e4 + log 4)); the reduced values are compared at 1e-12 relative alone."""
CASES = [
    ("binary-cross-entropy", {}),
    ("bce-with-logits", {"pos_weight": 3.0}),
    ("cross-entropy", {}),
    ("cross-entropy", {"weight": "1,2,0.5,3", "ignore_index": 2}),
    ("cross-entropy", {"weight": "1 2 0.5 3", "label_smoothing": 0.1}),
    ("cross-entropy", {"weight": [1, 2, 0.5, 3], "target": "probabilities"}),
    ("nll", {}),
    ("nll", {"weight": (0.5, 1, 4, 2), "ignore_index": 1}),
    ("kl-div", {}),
    ("kl-div", {"log_target": True}),
    ("squared-error", {}),
    ("gaussian-nll", {"full": True, "eps": 1e-3}),
    ("l1", {}),
    ("poisson-nll", {}),
    ("poisson-nll", {"log_input": False, "full": True}),
]


def torch_elements(name: str, o: dict[str, Any], target: Any, x: Any, *rest: Any) -> Any:
    """Each loss's unreduced l_n as PyTorch's documentation writes it."""
    if name == "binary-cross-entropy":
        with np.errstate(divide="ignore"):
            return -(
                target * np.maximum(np.log(x), -100) + (1 - target) * np.maximum(np.log1p(-x), -100)
            )
    if name == "bce-with-logits":
        log_sig, log_one_minus = -np.logaddexp(0, -x), -np.logaddexp(0, x)
        return -(o["pos_weight"] * target * log_sig + (1 - target) * log_one_minus)
    if name in ("cross-entropy", "nll"):
        return torch_classes(name, o, target, x)
    if name == "kl-div":
        if o["log_target"]:
            return np.exp(target) * (target - x)
        return special.xlogy(target, target) - target * x
    if name == "squared-error":
        return (x - target) ** 2
    if name == "l1":
        return np.abs(x - target)
    if name == "gaussian-nll":
        var = np.maximum(rest[0], o["eps"])
        return 0.5 * (np.log(var) + (x - target) ** 2 / var) + o["full"] * 0.5 * np.log(2 * np.pi)
    rate_term = np.exp(x) - target * x if o["log_input"] else x - target * np.log(x + o["eps"])
    big = np.maximum(target, 1)  # Stirling's term is used where y > 1 only
    stirling = target * np.log(big) - target + 0.5 * np.log(2 * np.pi * big)
    return rate_term + np.where(target > 1, stirling, 0.0) * o["full"]


def class_weights(o: dict[str, Any], classes: int) -> Any:
    return np.ones(classes) if o["weight"] is None else np.array(o["weight"], dtype=float)


def torch_classes(name: str, o: dict[str, Any], target: Any, x: Any) -> Any:
    """CrossEntropyLoss / NLLLoss: l_n = −Σ_c w_c T_{n,c} log p_{n,c}, with T the (smoothed)
    target distribution; class-index targets equal to ignore_index give 0."""
    classes = x.shape[-1]
    log_p = special.log_softmax(x, axis=-1) if name == "cross-entropy" else x
    if o.get("target", "index") == "probabilities":
        eps = o["label_smoothing"]
        return -np.sum(
            class_weights(o, classes) * ((1 - eps) * target + eps / classes) * log_p, axis=-1
        )
    kept = target != o["ignore_index"]
    rows = np.where(kept, target, 0).astype(int)
    eps = o.get("label_smoothing", 0.0)
    w = class_weights(o, classes)
    picked = -w[rows] * log_p[np.arange(len(rows)), rows]
    uniform = -np.sum(w * log_p, axis=-1) / classes
    return np.where(kept, (1 - eps) * picked + eps * uniform, 0.0)


def torch_reduce(name: str, o: dict[str, Any], losses: Any, target: Any) -> Any:
    """PyTorch's reductions: 'sum' adds; 'mean' divides by the number of elements, or for
    class indices by Σ w_{y_n}·1{y_n ≠ ignore_index}, for class probabilities by N;
    KLDivLoss's 'batchmean' divides the sum by N."""
    how = o["reduction"]
    if how == "none":
        return losses
    if how == "sum":
        return losses.sum()
    if how == "batchmean":
        return losses.sum() / losses.shape[0]
    if name in ("cross-entropy", "nll") and o.get("target", "index") == "index":
        kept = target != o["ignore_index"]
        w = class_weights(o, len(np.atleast_1d(o["weight"] or np.ones(4))))
        with np.errstate(invalid="ignore"):
            return losses.sum() / np.sum(
                np.where(kept, w[np.where(kept, target, 0).astype(int)], 0.0)
            )
    if name == "cross-entropy":
        return losses.sum() / losses.shape[0]
    return losses.mean()


def batch(name: str, options: dict[str, Any]) -> tuple[Any, ...]:
    """The checks' random inputs (extremes included); some class targets set to ignore_index."""
    result = symmle.loss(name, **options)
    inputs = list(entry(name).inputs(np.random.default_rng(11), result.options))
    if "ignore_index" in result.options and inputs[0].ndim == 1:
        inputs[0] = inputs[0].copy()
        inputs[0][::5] = result.options["ignore_index"]
    return tuple(inputs)


def reductions(name: str) -> list[str]:
    return ["none", "mean", "sum", *(["batchmean"] if name == "kl-div" else [])]


@pytest.mark.parametrize(("name", "options"), CASES)
def test_reduced_equals_pytorchs_formula(name: str, options: dict[str, Any]) -> None:
    inputs = batch(name, options)
    for how in reductions(name):
        result = symmle.loss(name, **options, reduction=how)
        expected = torch_reduce(
            name, result.options, torch_elements(name, result.options, *inputs), inputs[0]
        )
        got = result.reduced(*inputs)
        assert np.shape(got) == np.shape(expected), how
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=ATOL[how], err_msg=how)


def test_the_default_is_pytorchs_mean() -> None:
    loss = symmle.loss("squared-error")
    assert loss.options["reduction"] == "mean"
    assert loss.reduced([0.0, 1.0, 2.0], [1.0, 1.0, 5.0]) == pytest.approx(10 / 3, rel=1e-15)
    np.testing.assert_array_equal(loss.fn(np.array([0.0, 2.0]), np.array([1.0, 5.0])), [1.0, 9.0])


def test_weights_and_ignore_index_combined() -> None:
    loss = symmle.loss("cross-entropy", weight="1,2,0.5", ignore_index=0)
    z = np.array([[2.0, 0.0, -1.0], [0.0, 3.0, 0.0], [1.0, 1.0, 1.0], [5.0, -5.0, 0.0]])
    y = np.array([0, 1, 2, 1])
    log_p = special.log_softmax(z, axis=-1)
    terms = np.array([2 * log_p[1, 1], 0.5 * log_p[2, 2], 2 * log_p[3, 1]])
    assert loss.reduced(y, z) == pytest.approx(-terms.sum() / 4.5, rel=1e-12)
    none = symmle.loss("cross-entropy", weight="1,2,0.5", ignore_index=0, reduction="none")
    np.testing.assert_allclose(none.reduced(y, z), [0.0, *-terms], rtol=1e-12)


def test_all_targets_ignored_is_nan_for_the_mean_as_in_pytorch() -> None:
    z = np.zeros((3, 4))
    y = np.full(3, -100)
    for name in ("cross-entropy", "nll"):
        assert np.isnan(symmle.loss(name).reduced(y, z))
        assert symmle.loss(name, reduction="sum").reduced(y, z) == 0
        np.testing.assert_array_equal(symmle.loss(name, reduction="none").reduced(y, z), 0.0)


def test_bce_weight_rescales_each_element() -> None:
    loss = symmle.loss("binary-cross-entropy", reduction="mean")
    y, p, w = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.4]), np.array([2.0, 1.0, 0.0])
    expected = np.mean(-w * (y * np.log(p) + (1 - y) * np.log(1 - p)))
    assert loss.reduced(y, p, weight=w) == pytest.approx(expected, rel=1e-12)


def reduction_step(name: str, **options: Any) -> symmle.Step:
    step = symmle.loss(name, **options).steps[-1]
    assert step.kind == "reduction"
    return step


def test_the_reduction_step_is_the_nll_scaled() -> None:
    total = sp.Sum(SampleLoss(i, W), (i, 1, n))
    nll, mean, gradient = reduction_step("squared-error").expr
    assert nll == sp.Eq(NegativeLogLikelihood(W), total)
    assert mean.lhs == Loss(W) and sp.simplify(mean.rhs - total / n) == 0
    assert (
        sp.simplify(gradient.rhs - sp.Sum(sp.Derivative(SampleLoss(i, W), W), (i, 1, n)) / n) == 0
    )
    _, summed, _ = reduction_step("l1", reduction="sum").expr
    assert sp.simplify(summed.rhs - total) == 0
    _, batchmean, _ = reduction_step("kl-div", reduction="batchmean").expr
    _, elements, _ = reduction_step("kl-div").expr
    assert sp.simplify(elements.rhs * K - batchmean.rhs) == 0
    _, weighted, _ = reduction_step("nll", weight="1,2").expr
    counted = sp.Sum(pick(sp.Symbol("omega"), y[i]) * sp.IndexedBase("m")[i], (i, 1, n))
    assert sp.simplify(weighted.rhs - total / counted) == 0
    assert "ignore_index" in reduction_step("nll").text
    assert reduction_step("poisson-nll", reduction="none").expr == sp.Eq(
        NegativeLogLikelihood(W), total
    )


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("squared-error", {"reduction": "batchmean"}, "must be one of none, mean, sum"),
        ("kl-div", {"reduction": "avg"}, "must be one of none, mean, sum, batchmean"),
        ("cross-entropy", {"weight": "1,x"}, "list of numbers"),
        ("cross-entropy", {"weight": "1,-2"}, "list of numbers"),
        ("cross-entropy", {"weight": ""}, "list of numbers"),
        ("nll", {"weight": [0, 0]}, "at least one positive"),
        ("nll", {"weight": [1, float("inf")]}, "list of numbers"),
        ("nll", {"ignore_index": 1.5}, "must be an integer"),
        ("nll", {"ignore_index": "x"}, "must be a number"),
        ("l1", {"weight": "1,2"}, "no option 'weight'"),
    ],
)
def test_bad_reduction_options(name: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(symmle.OptionError, match=message):
        symmle.loss(name, **options)


def test_bad_reduced_inputs() -> None:
    z = np.zeros((2, 3))
    with pytest.raises(symmle.OptionError, match="option weight="):
        symmle.loss("cross-entropy").reduced([0, 1], z, weight=[1, 2])
    with pytest.raises(symmle.OptionError, match="takes no weight"):
        symmle.loss("l1").reduced([0, 1], [1, 1], weight=[1, 2])
    with pytest.raises(symmle.DataError, match="weight has 2 classes"):
        symmle.loss("nll", weight="1,2").reduced([0, 1], z)
    with pytest.raises(symmle.DataError, match="class indices 0, …, 2"):
        symmle.loss("nll").reduced([0, 3], z)
    with pytest.raises(symmle.DataError, match="does not match"):
        symmle.loss("bce").reduced([0.0, 1.0], [0.5, 0.5], weight=[1, 2, 3])


def test_cli_options_parse_lists(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["loss", "cross-entropy", "--option", "weight=1,2,0.5,reduction=sum", "--format", "json"]
    assert main(argv) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["options"]["weight"] == [1.0, 2.0, 0.5]
    assert document["options"]["reduction"] == "sum"
    assert document["steps"][-1]["kind"] == "reduction"
    assert main(["loss", "nll", "--option", "weight=1 2", "--option", "ignore_index=0"]) == 0
    assert "reduction='mean'" in capsys.readouterr().out


@pytest.mark.parametrize(
    "value", ["weight=1,x", "weight=-1,2", "ignore_index=1.5", "reduction=avg"]
)
def test_cli_bad_option_values(capsys: pytest.CaptureFixture[str], value: str) -> None:
    assert main(["loss", "cross-entropy", "--option", value]) == 2
    out, err = capsys.readouterr()
    assert not out and err.count("\n") == 1 and err.startswith("symmle: error: ")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"weight": "1,,2"}, "list of numbers"),
        ({"weight": "1,2,"}, "list of numbers"),
        ({"ignore_index": 99999999999999999999999}, "64 bits"),
        ({"ignore_index": "99999999999999999999999"}, "64 bits"),
        ({"ignore_index": 2.5}, "integer"),
    ],
)
def test_malformed_class_options_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(symmle.OptionError, match=message):
        symmle.loss("cross-entropy", **options)


def test_a_large_ignore_index_is_read_exactly() -> None:
    """Through a float, 99999999999999999 became 100000000000000000."""
    loss = symmle.loss("cross-entropy", ignore_index="99999999999999999")
    assert loss.options["ignore_index"] == 99999999999999999
    assert symmle.loss("cross-entropy", weight="1, 2 ,0.5").options["weight"] == (1.0, 2.0, 0.5)


@pytest.mark.parametrize(
    ("name", "inputs"),
    [
        ("bce", ([0.0, 1.0, 1.0], [0.2, 0.3])),
        ("squared-error", ([0.0, 1.0, 1.0], [0.2, 0.3])),
        ("cross-entropy", ([0, 1, 2], [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])),
    ],
)
def test_inputs_that_do_not_line_up_are_refused(name: str, inputs: tuple[object, ...]) -> None:
    loss = symmle.loss(name)
    for compute in (loss.fn, loss.reduced):
        with pytest.raises(symmle.DataError, match="do not line up"):
            compute(*inputs)
