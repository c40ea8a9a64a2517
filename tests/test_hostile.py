"""A sweep of hostile values through every entry point that reads a user's values: each ends
in a result (exit 0) or in one line on stderr with exit code 2, never a traceback, never
exit 1 (which means a numeric check failed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import symmle
from symmle.cli import main
from symmle.errors import SymmleError

HOSTILE = [
    "",
    " ",
    ",",
    "1,,2",
    "nan",
    "-inf",
    "1e400",
    "1e-400",
    "0x10",
    "1/0",
    "1/3",
    "--1",
    "1e",
    "∞",
    "\x00",
    "9" * 5000,
    "1" + "0" * 60,
    "\ufeff2",
    "true",
    "[1, 2]",
    "-0",
    "1e-300",
]
"""Values a user's data, file or option may hold (written into a list of good ones)."""


def data_argv(family: str) -> Callable[[str, Path], list[str]]:
    return lambda v, _: ["derive", family, "--data", f"1,2,{v},3"]


def file_argv(command: str, family: str) -> Callable[[str, Path], list[str]]:
    def argv(v: str, folder: Path) -> list[str]:
        path = folder / "values.txt"
        path.write_text(f"1\n2\n{v}\n3\n", encoding="utf-8")
        return [command, family, "--data-file", str(path)]

    return argv


def csv_argv(v: str, folder: Path) -> list[str]:
    path = folder / "table.csv"
    rows = [f"{x},{2 * x + (x % 3)}" for x in range(1, 9)]
    path.write_text("x,y\n" + "\n".join(rows) + f"\n{v},4\n", encoding="utf-8")
    return ["regress", "linear", "--data-file", str(path), "--target", "y"]


ENTRY_POINTS: dict[str, Callable[[str, Path], list[str]]] = {
    "derive normal --data": data_argv("normal"),
    "derive poisson --data": data_argv("poisson"),
    "derive --data-file": file_argv("derive", "exponential"),
    "fit gamma --data-file": file_argv("fit", "gamma"),
    "regress linear CSV": csv_argv,
    "derive --known": lambda v, _: ["derive", "normal", "--data", "1,2,4", "--known", f"mu={v}"],
    "loss --option": lambda v, _: ["loss", "gaussian-nll", "--option", f"eps={v}"],
}


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_hostile_value_ends_in_a_result_or_one_line(
    entry: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ENTRY_POINTS[entry](value, tmp_path)
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err + out
    if code == 2:
        assert out == "" and len(err.strip().splitlines()) == 1, err
        assert err.startswith("symmle: error: "), err
    else:
        assert code == 0 and out and not err.strip(), (code, err)


API: dict[str, Callable[[str], object]] = {
    "mle normal": lambda v: symmle.mle("normal", data=["1", "2", v, "3"]),
    "mle binomial known": lambda v: symmle.mle("binomial", data=[1, 2], known={"m": v}),
    "fit gamma": lambda v: symmle.fit("gamma", ["1", "2", v, "3"]),
    "loss option": lambda v: symmle.loss("gaussian-nll", eps=v),
}


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("entry", API)
def test_a_hostile_value_in_the_api_is_a_result_or_a_symmle_error(entry: str, value: str) -> None:
    try:
        API[entry](value)
    except SymmleError as error:
        assert str(error) and "\n" not in str(error)
