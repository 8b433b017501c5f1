"""Handing freed memory back to the system between the heavy steps of a stage.

Arrow's memory pool keeps freed pages for Arrow's next use, and the C library keeps memory freed
in other threads in those threads' allocation arenas. A stage that next allocates in another way
(NumPy and Python objects, or the main thread only) would otherwise hold both at its peak.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None  # glibc only


def release_freed_memory(*, collect: bool = False) -> None:
    """Return the free pages of Arrow's pool and of the C library's heap to the system.

    Parameters
    ----------
    collect : bool
        Run Python's garbage collector first, so objects held only in cycles are freed too.
    """
    import pyarrow

    if collect:
        import gc

        gc.collect()
    pyarrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
