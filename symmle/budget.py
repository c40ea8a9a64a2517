"""Time budgets that hold on any thread and any OS: the work runs in a worker process, which
is stopped when its time is up (SIGALRM works only on the main thread of a POSIX process)."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from symmle.errors import OptionError

T = TypeVar("T")

FORMULA_WITHIN = 30.0
"""Seconds the derivation of a user's formula, or of a family with known values, may take
by default (any thread)."""

WATCH_EVERY = 0.5
"""Seconds between a worker's looks at whether the process that started it is still there."""


def context() -> Any:
    """fork on Linux (the worker starts at once, with what is imported); spawn elsewhere."""
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def die_with_parent() -> None:
    """In a worker: exit as soon as the process that started it is gone (killed with -9, a
    crash), so that no worker outlives its build."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_EVERY)
        os._exit(1)

    threading.Thread(target=watch, name="symmle-watch-parent", daemon=True).start()


def work(connection: Connection, task: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """The worker's side: run the task, send back ("ok", result) or ("error", exception)."""
    die_with_parent()
    try:
        answer: tuple[str, Any] = ("ok", task(*args))
    except BaseException as error:  # every failure goes back to the caller
        answer = ("error", error)
    try:
        connection.send(answer)
    except Exception as error:  # an answer that cannot be pickled: why goes back
        sent = type(answer[1]).__name__
        connection.send(("error", RuntimeError(f"the worker could not send its {sent}: {error}")))
    connection.close()


def within(seconds: float, task: Callable[..., T], *args: Any) -> T:
    """``task(*args)`` run in a worker process; TimeoutError once ``seconds`` have passed (the
    worker is then killed). The task's exception, if any, is raised here."""
    processes = context()
    receiver, sender = processes.Pipe(duplex=False)
    worker = processes.Process(target=work, args=(sender, task, args))  # may start its own
    worker.start()
    sender.close()  # the worker holds the only writing end: its death reads as EOF here
    try:
        if not receiver.poll(seconds):
            raise TimeoutError(f"did not finish within {seconds:g} s")
        status, value = receiver.recv()
    except EOFError:
        raise RuntimeError(f"the worker process stopped (exit code {worker.exitcode})") from None
    finally:
        stop(worker)
        receiver.close()
    if status == "error":
        raise value
    return value  # type: ignore[no-any-return]


def seconds(value: object, what: str) -> float:
    """A budget given by a user: a number of seconds above 0, else OptionError."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise OptionError(f"{what} is a number of seconds above 0, not {value!r}.")
    return float(value)


def stop(worker: Any) -> None:
    """Kill a worker that is still running and reap it."""
    if worker.is_alive():
        worker.kill()
    worker.join()
