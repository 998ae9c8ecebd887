"""map_shares: the same ordered results whatever the number of worker processes; failures come back.
stream_shares: every value, as it comes, from every worker."""

from __future__ import annotations

import os

import pytest

from sitegen.parallel import Begun, default_jobs, map_shares, run_apart, stream_shares
from sitegen.problems import BuildFailed, Problem
from sitegen.render import TemplateFailed

ITEMS = [f"第{i}篇" for i in range(1003)]


def square_with_pid(share):
    return [(item, len(item) ** 2, os.getpid()) for item in share]


def test_results_are_identical_and_ordered_for_one_and_several_jobs():
    one = map_shares(square_with_pid, ITEMS, jobs=1, minimum=1)
    two = map_shares(square_with_pid, ITEMS, jobs=2, minimum=1)
    three = map_shares(square_with_pid, ITEMS, jobs=3, minimum=1)
    assert [r[:2] for r in one] == [r[:2] for r in two] == [r[:2] for r in three]
    assert [r[0] for r in two] == ITEMS
    assert {r[2] for r in one} == {os.getpid()}
    assert len({r[2] for r in two}) == 2 and os.getpid() not in {r[2] for r in two}
    assert len({r[2] for r in three}) == 3


def test_closures_reach_the_workers_without_pickling():
    seen = {"prefix": "已"}

    def tag(share):  # a nested function cannot be pickled; forked workers inherit it
        return [seen["prefix"] + item for item in share]
    assert map_shares(tag, ITEMS[:10], jobs=2, minimum=1) == ["已" + item for item in ITEMS[:10]]


def test_few_items_stay_in_this_process():
    results = map_shares(square_with_pid, ITEMS[:10], jobs=4)  # default minimum: 200 items per worker
    assert {r[2] for r in results} == {os.getpid()}
    assert map_shares(square_with_pid, ITEMS[:399], jobs=4, minimum=200)[0][2] == os.getpid()
    assert len({r[2] for r in map_shares(square_with_pid, ITEMS[:400], jobs=4, minimum=200)}) == 2


def test_empty_input():
    assert map_shares(square_with_pid, [], jobs=4, minimum=1) == []
    assert map_shares(square_with_pid, [], jobs=1) == []


def test_more_jobs_than_items():
    assert [r[0] for r in map_shares(square_with_pid, ITEMS[:3], jobs=8, minimum=1)] == ITEMS[:3]


def fail_on(bad: str, error: Exception):
    def func(share):
        out = []
        for item in share:
            if item == bad:
                raise error
            out.append(item)
        return out
    return func


@pytest.mark.parametrize("jobs", [1, 2])
def test_exceptions_propagate_with_their_type(jobs):
    with pytest.raises(ValueError, match="第500篇 is bad"):
        map_shares(fail_on("第500篇", ValueError("第500篇 is bad")), ITEMS, jobs=jobs, minimum=1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_template_failed_propagates_with_its_problem(jobs):
    problem = Problem("layouts/article.html", 18, 1, "template error: 'x' is undefined")
    with pytest.raises(TemplateFailed) as caught:
        map_shares(fail_on("第7篇", TemplateFailed(problem)), ITEMS, jobs=jobs, minimum=1)
    assert caught.value.problem == problem


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_failed_propagates_with_its_problems(jobs):
    problems = [Problem("content/a.md", 2, 1, "b"), Problem("content/a.md", 1, 1, "a")]
    with pytest.raises(BuildFailed) as caught:
        map_shares(fail_on("第8篇", BuildFailed(problems)), ITEMS, jobs=jobs, minimum=1)
    assert caught.value.problems == tuple(sorted(problems))


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this")


def test_an_exception_that_cannot_travel_becomes_a_runtime_error_with_the_traceback():
    with pytest.raises(RuntimeError) as caught:
        map_shares(fail_on("第9篇", Unpicklable("boom")), ITEMS, jobs=2, minimum=1)
    assert "a worker process failed" in str(caught.value)
    assert "Unpicklable" in str(caught.value) and "boom" in str(caught.value)


def test_a_worker_that_dies_is_reported():
    def die(share):
        if "第1篇" in share:
            os._exit(3)
        return list(share)
    with pytest.raises(RuntimeError, match="died without a result"):
        map_shares(die, ITEMS, jobs=2, minimum=1)


def test_default_jobs_is_at_least_one():
    assert default_jobs() >= 1


def pipe_ends_held() -> list[str]:
    """The pipe ends this process holds, as 'pipe:[inode]' (both ends of one pipe read the same)."""
    ends = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            ends.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the listing's own descriptor, closed by now
            continue
    return sorted(end for end in ends if end.startswith("pipe:"))


def test_each_worker_holds_only_the_write_end_of_its_own_result_pipe():
    """A worker holding its pipe's read end, or another worker's, never sees the parent die: it hangs in write."""
    before = set(pipe_ends_held())
    held = map_shares(lambda share: [[end for end in pipe_ends_held() if end not in before]] * len(share),
                      ITEMS[:6], jobs=3, minimum=1)
    per_worker = [held[number] for number in range(3)]
    assert all(len(ends) == 1 for ends in per_worker), per_worker
    assert len({ends[0] for ends in per_worker}) == 3, per_worker
    assert set(pipe_ends_held()) == before, "the parent closed every pipe it made"


def test_run_apart_runs_in_a_process_group_of_its_own_that_can_be_paused(tmp_path):
    """The preview's search index: a forked worker at low priority, stopped while a rebuild runs."""
    import signal
    import threading
    import time as clock

    flag = tmp_path / "go"
    pids: list[int] = []
    ready = threading.Event()

    def started(pid: int) -> None:
        pids.append(pid)
        ready.set()

    def work():
        while not flag.exists():
            clock.sleep(0.01)
        return os.getpgid(0), os.nice(0)

    result: list = []
    thread = threading.Thread(target=lambda: result.append(run_apart(work, niceness=19, started=started)))
    thread.start()
    assert ready.wait(10)
    pid = pids[0]
    deadline = clock.monotonic() + 10
    while os.getpgid(pid) != pid and clock.monotonic() < deadline:  # the worker makes its group first
        clock.sleep(0.01)
    os.killpg(pid, signal.SIGSTOP)
    deadline = clock.monotonic() + 10
    while open(f"/proc/{pid}/stat").read().split(") ")[1][0] != "T" and clock.monotonic() < deadline:
        clock.sleep(0.01)
    assert open(f"/proc/{pid}/stat").read().split(") ")[1][0] == "T"
    flag.write_text("go")
    clock.sleep(0.2)
    assert thread.is_alive(), "a stopped worker does not finish"
    os.killpg(pid, signal.SIGCONT)
    thread.join(10)
    assert result == [(pid, min(19, os.nice(0) + 19))]


def test_stream_shares_gives_every_value_of_every_worker():
    def squares(share):
        for item in share:
            yield item, len(item) ** 2, os.getpid()
    one = list(stream_shares(squares, ITEMS, jobs=1, minimum=1))
    two = list(stream_shares(squares, ITEMS, jobs=2, minimum=1))
    assert sorted(r[:2] for r in two) == sorted(r[:2] for r in one) and len(two) == len(ITEMS)
    assert {r[2] for r in one} == {os.getpid()}
    assert len({r[2] for r in two}) == 2 and os.getpid() not in {r[2] for r in two}


def test_stream_shares_hands_over_values_before_the_workers_finish(tmp_path):
    """The first value arrives while its worker is still waiting to make the second (here: for a file this
    test writes only after it has the first value)."""
    go = tmp_path / "go"

    def slow(share):
        for item in share:
            yield item
            while not go.exists():
                clock.sleep(0.01)
    import time as clock
    stream = stream_shares(slow, ["a", "b", "c", "d"], jobs=2, minimum=1)
    first = next(stream)
    go.write_text("")
    assert sorted([first, *stream]) == ["a", "b", "c", "d"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_stream_shares_raises_a_workers_failure(jobs):
    def fail(share):
        for item in share:
            if item == "第500篇":
                raise ValueError("第500篇 is bad")
            yield item
    with pytest.raises(ValueError, match="第500篇 is bad"):
        list(stream_shares(fail, ITEMS, jobs=jobs, minimum=1))


def test_a_stream_left_early_leaves_no_worker():
    import time as clock

    def endless(share):
        while True:
            yield os.getpid()
            clock.sleep(0.01)
    stream = stream_shares(endless, ["a", "b"], jobs=2, minimum=1)
    pids = {next(stream) for _ in range(10)}
    stream.close()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # ended and reaped


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_os_error_of_the_work_itself_comes_back_as_it_was(jobs):
    """A full disk while a worker writes pages is the parent's to report, with its errno (not 'died')."""
    import errno
    with pytest.raises(OSError) as caught:
        map_shares(fail_on("第600篇", OSError(errno.ENOSPC, "No space left on device")), ITEMS, jobs=jobs, minimum=1)
    assert caught.value.errno == errno.ENOSPC

    def fail(share):
        for item in share:
            if item == "第600篇":
                raise OSError(errno.ENOSPC, "No space left on device")
            yield item
    with pytest.raises(OSError) as caught:
        list(stream_shares(fail, ITEMS, jobs=jobs, minimum=1))
    assert caught.value.errno == errno.ENOSPC


def test_begun_work_runs_while_this_process_goes_on(tmp_path):
    """The worker starts at once: it writes a file this process waits for before it asks for the result."""
    import time as clock
    started = tmp_path / "started"

    def work():
        started.write_text(str(os.getpid()))
        return ("全县", os.getpid())
    begun = Begun(work)
    deadline = clock.monotonic() + 30
    while not started.exists() and clock.monotonic() < deadline:
        clock.sleep(0.01)
    assert started.exists(), "the worker had not started before result() was asked for"
    value, pid = begun.result()
    assert value == "全县" and pid == int(started.read_text()) != os.getpid()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped


def test_begun_raises_the_works_failure():
    import errno

    def work():
        raise OSError(errno.EROFS, "Read-only file system")
    with pytest.raises(OSError) as caught:
        Begun(work).result()
    assert caught.value.errno == errno.EROFS


def test_a_begun_work_closed_unasked_is_ended_and_reaped(tmp_path):
    import time as clock
    pid_file = tmp_path / "pid"

    def endless():
        pid_file.write_text(str(os.getpid()))
        clock.sleep(600)
    with Begun(endless):
        deadline = clock.monotonic() + 30
        while not pid_file.exists() and clock.monotonic() < deadline:
            clock.sleep(0.01)
    with pytest.raises(ChildProcessError):
        os.waitpid(int(pid_file.read_text()), os.WNOHANG)  # ended and reaped when the block was left
