"""Run a function over shares of a list in forked worker processes; results come back in input order."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import traceback
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import Callable, Iterable, Iterator, Sequence

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_shares(func: Callable[[Sequence], list], items: Sequence, jobs: int, minimum: int = 200,
               fork: bool = False, started: Callable[[list[int]], None] | None = None) -> list:
    """`func(share)` for interleaved shares of `items`, joined back in the order of `items`.

    Forked workers inherit `func` and `items` (closures included) without pickling them; only results
    travel back. The output does not depend on `jobs`, since every item keeps its place. No worker
    outlives this call, nor this process however it dies (see `_watch_parent`).
    """
    jobs = _jobs(jobs, items, minimum)
    if (jobs == 1 and not fork) or not hasattr(os, "fork"):
        return list(func(items))
    shares: list = [None] * jobs
    for number, share in _run(lambda share: [list(func(share))], items, jobs, started):  # one message a worker
        shares[number] = share
    results = [None] * len(items)
    for number, share in enumerate(shares):
        results[number::jobs] = share
    return results


def stream_shares(func: Callable[[Sequence], Iterable], items: Sequence, jobs: int, minimum: int = 200) -> Iterator:
    """Each value of `func(share)` for interleaved shares of `items`, as soon as its worker sends it: from
    whichever worker, so in no fixed order. Nothing waits for a whole share, and no share's results are
    ever held here at once (map_shares receives each worker's whole list)."""
    jobs = _jobs(jobs, items, minimum)
    if jobs == 1 or not hasattr(os, "fork"):
        yield from func(items)
        return
    for _, value in _run(func, items, jobs, None):
        yield value


def _jobs(jobs: int, items: Sequence, minimum: int) -> int:
    return max(1, min(jobs, len(items) // minimum if minimum else jobs))


def _run(func: Callable[[Sequence], Iterable], items: Sequence, jobs: int,
         started: Callable[[list[int]], None] | None) -> Iterator[tuple[int, object]]:
    """(worker number, value) for each value `func` gives in `jobs` forked workers, as they arrive; the
    first failure is raised at once, and the other workers are ended."""
    workers, lifeline_end = _start(func, items, jobs)
    try:
        if started is not None:
            started([pid for _, pid in workers.values()])
        yield from _gather(workers)
    finally:
        _stop(workers, lifeline_end)


def _start(func: Callable[[Sequence], Iterable], items: Sequence, jobs: int) -> tuple[dict, int]:
    """Fork `jobs` workers over interleaved shares of `items`: their receivers (-> (number, pid)) and the
    lifeline's write end, which only this process holds."""
    parent = os.getpid()
    # When this process dies, by any signal, the workers read EOF on the lifeline.
    lifeline, lifeline_end = os.pipe()
    workers: dict[Connection, tuple[int, int]] = {}  # receiver -> (worker number, pid)
    try:
        for number in range(jobs):
            readable, writable = os.pipe()
            # The fork inherits every pipe end made so far; the worker closes all but its own write end.
            unused = [lifeline_end, readable, *(receiver.fileno() for receiver in workers)]
            _flush_std_streams()  # or the fork would print what is still buffered here a second time
            pid = os.fork()
            if pid == 0:
                _work(func, items[number::jobs], writable, unused, parent, lifeline)  # never returns
            os.close(writable)
            workers[Connection(readable, writable=False)] = (number, pid)
    except BaseException:
        _stop(workers, lifeline_end)
        raise
    finally:
        os.close(lifeline)
    return workers, lifeline_end


def _gather(workers: dict) -> Iterator[tuple[int, object]]:
    """The workers' values as they come; each finished worker is reaped and taken out of `workers`."""
    while workers:
        for receiver in wait(list(workers)):
            number, pid = workers[receiver]
            try:
                status, payload = receiver.recv()
            except EOFError:
                status, payload = "error", f"worker {pid} died without a result"
            if status == "item":
                yield number, payload
                continue
            del workers[receiver]
            receiver.close()
            os.waitpid(pid, 0)
            if status == "error":
                if isinstance(payload, BaseException):
                    raise payload
                raise RuntimeError(f"a worker process failed:\n{payload}")


def _stop(workers: dict, lifeline_end: int) -> None:
    """Close the lifeline and end the workers still running (cut short: a failure, an interrupt); no zombie left."""
    os.close(lifeline_end)
    for receiver, (_, pid) in workers.items():
        receiver.close()
        _end(pid)
    workers.clear()


class Begun:
    """func() started now in a forked worker, while this process goes on; result() waits for its value (or
    raises its failure). close() ends the worker if it still runs: use it as a context manager."""

    def __init__(self, func: Callable[[], object]):
        self.func, self.workers, self.lifeline_end = func, None, -1
        if hasattr(os, "fork"):  # elsewhere func runs in result(), here
            self.workers, self.lifeline_end = _start(lambda share: [func()], [None], 1)

    def result(self):
        if self.workers is None:
            return self.func()
        if not self.workers:
            raise RuntimeError("result() of a worker that was closed")
        try:
            return [value for _, value in _gather(self.workers)][0]
        finally:
            self.close()

    def close(self) -> None:
        if self.lifeline_end != -1:
            _stop(self.workers, self.lifeline_end)
            self.lifeline_end = -1

    def __enter__(self) -> "Begun":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_apart(func: Callable[[], object], niceness: int = 0, started: Callable[[int], None] | None = None):
    """func() in a forked worker, at `niceness` below this process's priority, and its result. For background
    work of a process that must stay responsive: the worker has its own interpreter lock, and yields the CPU.
    The worker leads a process group of its own (its children join it): `started(pid)` learns its number, so
    the whole group can be paused and resumed (os.killpg)."""
    def niced(share):
        os.setpgid(0, 0)
        os.nice(niceness)
        return [func()]

    return map_shares(niced, [None], 1, minimum=0, fork=True,
                      started=(lambda pids: started(pids[0])) if started is not None else None)[0]


def _end(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except ChildProcessError:  # already reaped
        pass


def _work(func, share, writable: int, unused: list[int], parent: int, lifeline: int) -> None:
    """A worker: closes what it inherited and does not use, watches its parent, runs and sends back each
    value as it comes, then "done" (or the failure), and exits."""
    code = 1
    try:
        for fd in unused:
            os.close(fd)
        _watch_parent(parent, lifeline)
        sender = Connection(writable, readable=False)
        try:
            for value in func(share):
                _send(sender, ("item", value))
            result = ("done", None)
        except _ParentGone:  # nobody waits for these results
            raise
        except Exception as err:  # sent back whole when it pickles (our own problem types do); an OSError
            result = ("error", err)  # of func's own, a full disk say, is the parent's to report
        try:
            _send(sender, result)
        except _ParentGone:
            raise
        except Exception:  # an exception that does not pickle: its traceback travels as text
            _send(sender, ("error", "".join(traceback.format_exception(result[1]))))
        sender.close()
        code = 0
    finally:
        _flush_std_streams()
        os._exit(code)  # never back into the parent's code, its atexit handlers or its buffers


class _ParentGone(Exception):
    """The result pipe is broken: the parent has died or stopped listening."""


def _send(sender: Connection, message) -> None:
    data = ForkingPickler.dumps(message)  # a value that does not pickle fails here, before anything is sent
    try:
        sender.send_bytes(data)
    except OSError as err:
        raise _ParentGone() from err


def _flush_std_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError, OSError):  # None, closed or broken: nothing to keep
            pass


def _watch_parent(parent: int, lifeline: int) -> None:
    """End this worker as soon as `parent` dies: by the kernel's parent-death signal on Linux, else by a
    thread that waits for EOF on the lifeline pipe (whose only write end the parent holds)."""
    if _parent_death_signal(signal.SIGKILL):
        os.close(lifeline)
    else:
        threading.Thread(target=_exit_at_eof, args=(lifeline,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)


def _parent_death_signal(signum: int) -> bool:
    """prctl(PR_SET_PDEATHSIG): the kernel sends `signum` to this process when the thread that forked it
    ends (map_shares waits for its workers, so that thread outlives them). False where unsupported."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    return prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0


def _exit_at_eof(lifeline: int) -> None:
    while True:
        try:
            if not os.read(lifeline, 1):
                os._exit(1)
        except InterruptedError:
            continue
        except OSError:
            os._exit(1)
