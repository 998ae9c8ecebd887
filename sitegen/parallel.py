"""Run a function over shares of a list in forked worker processes; results come back in input order."""

from __future__ import annotations

import multiprocessing
import os
import traceback
from typing import Callable, Sequence


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_shares(func: Callable[[Sequence], list], items: Sequence, jobs: int, minimum: int = 200) -> list:
    """`func(share)` for interleaved shares of `items`, joined back in the order of `items`.

    Forked workers inherit `func` and `items` (closures included) without pickling them; only results
    travel back. The output does not depend on `jobs`, since every item keeps its place.
    """
    jobs = max(1, min(jobs, len(items) // minimum if minimum else jobs))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return list(func(items))
    context = multiprocessing.get_context("fork")
    workers = []
    for number in range(jobs):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(func, items[number::jobs], sender), daemon=True)
        process.start()
        sender.close()
        workers.append((process, receiver))
    shares, failure = [], None
    for process, receiver in workers:
        try:
            status, payload = receiver.recv()
        except EOFError:
            status, payload = "error", f"worker {process.pid} died without a result"
        receiver.close()
        process.join()
        if status == "error":
            failure = failure or payload
        shares.append(payload)
    if failure is not None:
        if isinstance(failure, BaseException):
            raise failure
        raise RuntimeError(f"a worker process failed:\n{failure}")
    results = [None] * len(items)
    for number, share in enumerate(shares):
        results[number::jobs] = share
    return results


def _work(func, share, sender) -> None:
    try:
        result = ("ok", list(func(share)))
    except Exception as err:  # sent back whole when it pickles (our own problem types do)
        try:
            sender.send(("error", err))
        except Exception:
            sender.send(("error", traceback.format_exc()))
        sender.close()
        os._exit(0)
    sender.send(result)
    sender.close()
    os._exit(0)
