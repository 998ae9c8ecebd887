"""A build SIGKILLed in the middle of the parse or of the render leaves no process behind (OOM killer, CI timeout)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from helpers import REPO, cli_environment, run_cli, tree_bytes, write_corpus, write_site

GRACE = 5.0  # seconds the workers have to notice that their parent is gone


def processes() -> dict[int, tuple[str, int, int]]:
    """Every process on the machine: pid -> (state, parent pid, session id), from /proc/PID/stat."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # it ended while we looked
            continue
        fields = stat.rpartition(")")[2].split()  # the command name, in parentheses, may hold spaces
        found[int(entry)] = (fields[0], int(fields[1]), int(fields[3]))
    return found


def living(pids=None, session=None) -> set[int]:
    """Processes among `pids`, or in `session`, that are still alive (a zombie has already exited)."""
    return {pid for pid, (state, _, sid) in processes().items()
            if state not in ("Z", "X") and (pids is None or pid in pids) and (session is None or sid == session)}


def children_of(parent: int) -> set[int]:
    return {pid for pid, (state, ppid, _) in processes().items() if ppid == parent and state not in ("Z", "X")}


def wait_for_workers(parent: int, count: int, timeout: float = 60) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = children_of(parent)
        if len(workers) >= count:
            return workers
        time.sleep(0.005)
    pytest.fail(f"the build never had {count} worker processes at once")


def assert_all_gone(session: int, workers: set[int]) -> None:
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline and (living(session=session) or living(pids=workers)):
        time.sleep(0.05)
    left = living(session=session) | living(pids=workers)
    if left:
        for pid in left:  # do not leave them to the next test either
            os.kill(pid, signal.SIGKILL)
    assert not left, f"processes of the killed build still alive {GRACE} s later: {sorted(left)}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """1,500 articles: two parse workers (200 files each at least) and two render workers (500 pages each)."""
    root = write_site(tmp_path_factory.mktemp("deaths") / "site", {})
    write_corpus(root, 1500)
    return root


def start_build(site: Path) -> subprocess.Popen:
    # --no-cache: every run parses and renders, in workers, whatever an earlier run left
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--no-search", "--no-cache", "--jobs",
                             "2", "--site", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=cli_environment(), start_new_session=True)  # its session id is its pid: how we find what it left


STAGE_WORDS = {"read": "读取", "plan": "规划"}  # as the build prints them, in Chinese


def read_until(process: subprocess.Popen, stage: str) -> None:
    """Read the build's progress lines until `stage` has ended ('  解析    1.23 s' when the parse ends)."""
    for line in process.stderr:
        if line.split()[:1] == [STAGE_WORDS[stage]]:
            return
    pytest.fail(f"the build ended before its '{stage}' stage: exit status {process.wait()}")


@pytest.mark.parametrize("during, after_stage", [("parse", "read"), ("render", "plan")])
def test_sigkilled_build_leaves_no_worker(site, during, after_stage):
    shutil.rmtree(site / "output", ignore_errors=True)
    process = start_build(site)
    try:
        read_until(process, after_stage)  # the next stage, `during`, has begun
        workers = wait_for_workers(process.pid, 2)
        assert process.poll() is None and living(pids=workers) == workers, f"the {during} ended before the kill"
        os.kill(process.pid, signal.SIGKILL)  # the parent alone, as the OOM killer does
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    assert_all_gone(process.pid, workers)
    assert not (site / "output").exists(), f"the {during} stage was over before the kill"


def kill_script_and_check(script: Path, body: str, workers_count: int) -> None:
    """Run a Python script whose workers sleep, SIGKILL it once they all run, and check none is left."""
    script.write_text(textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from sitegen import parallel
    """) + textwrap.dedent(body), encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script)], start_new_session=True)
    try:
        workers = wait_for_workers(process.pid, workers_count)
        time.sleep(0.5)  # let the workers reach their sleep
        assert living(pids=workers) == workers
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert_all_gone(process.pid, workers)


def test_workers_still_exit_where_the_parent_death_signal_is_unavailable(tmp_path):
    """The fallback: without prctl, each worker waits on a pipe whose write end only the parent holds."""
    kill_script_and_check(tmp_path / "slow.py", """
        parallel._parent_death_signal = lambda signum: False  # as on a system without prctl
        parallel.map_shares(lambda share: [time.sleep(600)], list(range(4)), jobs=2, minimum=1)
    """, 2)


@pytest.mark.parametrize("prctl", [True, False])
def test_a_background_worker_exits_with_its_parent(tmp_path, prctl):
    """The worker a warm build checks output/ in while it parses (parallel.Begun) dies with the build too."""
    kill_script_and_check(tmp_path / "background.py", f"""
        if not {prctl!r}:
            parallel._parent_death_signal = lambda signum: False
        begun = parallel.Begun(lambda: time.sleep(600))
        parallel.map_shares(lambda share: [time.sleep(600)], list(range(4)), jobs=2, minimum=1)
    """, 3)


def test_output_is_the_same_with_one_or_two_jobs(tmp_path, site):
    """The watch over workers changes nothing in what a build writes."""
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = run_cli("build", "--no-search", "--no-cache", "--jobs", jobs, "--site", str(site), "--output",
                         str(out))
        assert result.returncode == 0, result.stderr
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1]
