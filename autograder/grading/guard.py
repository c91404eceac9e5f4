"""Runs INSIDE the grading kernel: undo in-memory tampering before each test cell.

``snapshot()`` runs in the kernel before the first answer cell, and remembers the public
functions of torch, numpy, numpy.testing, math and builtins (and torch.Tensor's methods).
``restore()`` runs right before every test cell: it puts back anything that was replaced or
deleted, and drops the ``autograder.checks`` modules from ``sys.modules`` so that the test cell
imports them afresh from the read-only disk (a rebound check function is gone).

This is one layer, not a proof: code in the same process can always dig deeper, which is why
the grader also flags suspicious answer cells for review (see ``assemble.tamper_reasons``).
"""

from __future__ import annotations

import sys

_SNAPSHOT: list[tuple[object, dict]] = []


def _owners():
    """Modules already imported (importing torch here would slow every kernel down)."""
    import builtins
    import math

    owners: list[object] = [math, builtins]
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        owners += [numpy, getattr(numpy, "testing", None)]
    torch = sys.modules.get("torch")
    if torch is not None:
        owners += [torch, torch.Tensor, torch._C.TensorBase, torch.nn.functional,
                   torch.nn.Module]
    return [o for o in owners if o is not None]


def _wanted(name: str, value: object) -> bool:
    if name.startswith("__") and name.endswith("__"):
        return name in ("__eq__", "__ne__", "__bool__", "__float__", "__len__", "__getitem__",
                        "__array__", "__sub__", "__abs__", "__lt__", "__le__", "__gt__",
                        "__ge__", "__import__", "__build_class__")
    return not name.startswith("_") and callable(value)


def snapshot() -> None:
    if _SNAPSHOT:
        return
    for owner in _owners():
        attrs = {k: v for k, v in vars(owner).items() if _wanted(k, v)}
        _SNAPSHOT.append((owner, attrs))


def restore() -> None:
    for owner, attrs in _SNAPSHOT:
        current = vars(owner)
        for name, value in attrs.items():
            if current.get(name, _MISSING) is not value:
                try:
                    setattr(owner, name, value)
                except (AttributeError, TypeError):
                    pass
    for name in [m for m in sys.modules if m == "autograder.checks" or
                 m.startswith("autograder.checks.")]:
        del sys.modules[name]


_MISSING = object()
