"""memory: with the thresholds set, a large buffer freed is given back to the system at once, even after larger
ones raised glibc's own (dynamic) threshold."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIO = """
import ctypes, sys
from sitegen.allocator import give_back_large_buffers
if sys.argv[1] == "set":
    assert give_back_large_buffers()
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
libc.free(libc.malloc(16 << 20))  # freed: glibc's default threshold is now 16 MiB
buffer = libc.malloc(8 << 20)
ctypes.memset(buffer, 1, 8 << 20)
pin = libc.malloc(4096)  # after it on the heap, if it is on the heap
before = rss()
libc.free(buffer)
print(before - rss())
"""


def given_back_kib(mode: str) -> int:
    result = subprocess.run([sys.executable, "-c", SCENARIO, mode], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_a_freed_large_buffer_is_given_back():
    assert given_back_kib("set") > 7 << 10
