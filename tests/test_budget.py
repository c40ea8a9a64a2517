"""Time budgets: the work runs in a worker process that is stopped when its time is up, on
any thread."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from symmle.budget import seconds, within
from symmle.errors import DataError, OptionError


def fails() -> None:
    raise DataError("the data are empty")


def test_the_answer_and_the_error_come_back() -> None:
    assert within(60, sum, [1, 2, 3]) == 6
    with pytest.raises(DataError, match="the data are empty"):
        within(60, fails)


@pytest.mark.parametrize("thread", [False, True])
def test_the_worker_is_stopped_at_its_budget(thread: bool) -> None:
    caught: list[BaseException] = []

    def run() -> None:
        try:
            within(0.5, time.sleep, 60)
        except TimeoutError as error:
            caught.append(error)

    start = time.monotonic()
    if thread:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join(60)
    else:
        run()
    assert caught and "0.5 s" in str(caught[0])
    assert time.monotonic() - start < 30
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("value", [0, -1, True, "5", None, float("nan")])
def test_a_budget_is_a_positive_number_of_seconds(value: object) -> None:
    with pytest.raises(OptionError, match="seconds above 0"):
        seconds(value, "block_budget")
    assert seconds(2, "block_budget") == 2.0
