"""How fast the machine was: a figure that makes reports from different machines comparable.

The same benchmark gives figures two to five times apart on the VMs we run on (the
cores differ, and other tenants share them). Each report therefore records the time
of a fixed piece of pure Python work, measured in the same run: a figure that was
300 ms on one machine and 1,500 ms on another says the second runs Python about five
times slower, whatever the database did.
"""

from __future__ import annotations

import time

_ITERATIONS = 2_000_000
_SCALE = 10_000_000 // _ITERATIONS


def _loop_seconds() -> float:
    started = time.perf_counter()
    for _ in range(_ITERATIONS):
        pass
    return time.perf_counter() - started


def cpu_reference_ms() -> float:
    """Milliseconds for 10 million iterations of an empty Python loop (best of five
    runs of a fifth of it: the best is the least disturbed by other processes)."""
    return min(_loop_seconds() for _ in range(5)) * _SCALE * 1000


def cpu_reference() -> str:
    return f"CPU reference: an empty Python loop of 10 M iterations in {cpu_reference_ms():,.0f} ms"
