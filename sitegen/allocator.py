"""How this process's allocator treats large buffers: given back to the system as soon as they are freed.

A platform trick (glibc's mallopt), kept because removing it costs more than 10 % of a figure: the largest
process of a clean build of 100,000 articles with search grew from 1,208 to 1,347 MiB without it (+11.5 %;
`bench/internals_bench.py --memory 100000 --runs 1`, 2026-12-07; `bench/build_bench.py --articles 100000 --search`
the same day: 1,219 and 1,349 MiB, +10.6 %). At 10,000 articles it changes about 1 %.
"""

from __future__ import annotations

import ctypes

M_MMAP_THRESHOLD = -3  # from glibc's <malloc.h>
M_ARENA_MAX = -8
# Buffers from this size on get pages of their own, unmapped when freed. glibc's default threshold grows
# up to 32 MiB as large buffers are freed, after which the search stage's megabyte-sized messages were
# carved out of the heap and kept: at 10,000 articles the build process ended that stage 61 MiB larger,
# with a fixed threshold 21 MiB.
LARGE_BUFFER = 256 * 1024
ARENAS = 2  # heaps shared by the threads (the search stage runs nine): each arena keeps what it once held


def give_back_large_buffers() -> bool:
    """Set the thresholds (glibc only; elsewhere nothing changes); True when they were set."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return mallopt(M_MMAP_THRESHOLD, LARGE_BUFFER) == 1 and mallopt(M_ARENA_MAX, ARENAS) == 1
