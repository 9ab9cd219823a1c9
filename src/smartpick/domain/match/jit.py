"""Compile with numba where it imports, run the very same Python source where it does not.

Two decorators, used by every compiled module of the domain (the match kernels, the market model):

* :func:`jitable` marks a helper that jitted callers compile *into* themselves (inlined at their
  compile time, ``numba.extending.register_jitable``); called from Python it is the plain function.
* :func:`compiled` returns the entry point numba compiles and caches on disk (``njit(cache=True)``), so
  a new process loads machine code instead of compiling; without numba it returns the function as is.

Keep the argument types of an entry point fixed (the same dtypes every call; bundles as
``NamedTuple``s of arrays): each new combination of types is compiled, and cached, once more.
Numba's cache is keyed on the entry point's own source file: after editing a :func:`jitable` helper
in another module, the cached entry points that inline it are only rebuilt when their own file
changes (or their ``__pycache__/*.nbi`` files are removed).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any, TypeVar, cast

_F = TypeVar("_F", bound=Callable[..., Any])

try:  # numba is a core dependency; the fallback serves platforms where it cannot install
    import numba as _numba
    import numba.extending as _numba_extending
except ImportError:  # pragma: no cover - exercised by a subprocess test
    _numba = None  # type: ignore[assignment]

NUMBA_AVAILABLE = _numba is not None
"""True when numba imported: the entry points run compiled."""

_BLAS_PROBE = "scipy.linalg.cython_blas"


def _load_array_support_without_blas_probe() -> None:
    """Import numba's array implementations now, telling them scipy's BLAS is absent.

    Before it first compiles or loads cached code in a process, numba imports ``numba.np.arraymath``,
    which imports all of ``scipy.linalg`` (0.3-0.4 s) only to learn whether ``np.dot`` and
    ``np.linalg`` may use BLAS. No compiled function here uses them, so the probe is answered "absent"
    (an import of a ``None`` module fails at once) and scipy itself is left to import normally later.
    When scipy's BLAS is already loaded the probe costs nothing and runs as numba wrote it.
    """
    if _BLAS_PROBE in sys.modules:
        return
    sys.modules[_BLAS_PROBE] = None  # type: ignore[assignment]
    try:
        importlib.import_module("numba.np.arraymath")
    finally:
        if sys.modules.get(_BLAS_PROBE) is None:
            sys.modules.pop(_BLAS_PROBE, None)


if NUMBA_AVAILABLE:
    _load_array_support_without_blas_probe()


def jitable(func: _F) -> _F:
    """Let numba compile ``func`` into the jitted functions that call it; plain Python stays callable."""
    if not NUMBA_AVAILABLE:
        return func
    return _numba_extending.register_jitable(func)


def compiled(func: _F, *, parallel: bool = False) -> _F:
    """Return the numba-compiled, disk-cached version of ``func`` (``func`` itself without numba).

    Args:
        func: A function whose body numba can compile (it may call :func:`jitable` helpers).
        parallel: Compile ``numba.prange`` loops to threads.
    """
    if not NUMBA_AVAILABLE:
        return func
    return cast(_F, _numba.njit(cache=True, parallel=parallel)(func))
