"""Runs INSIDE the grading kernel: undo in-memory tampering before each test cell.

``remember()`` runs after the instructor's own code cells (before the first answer cell and
after every later locked cell). The first call remembers the public functions of torch, numpy,
numpy.testing, math and builtins (and torch.Tensor's methods); every call remembers the names
the notebook has bound to modules and library or check functions (``torch``, ``np``,
``expect_close``...).

``restore()`` runs right before every test cell: it puts back anything replaced or deleted in
those modules, rebinds the remembered notebook names (an answer cell that says
``torch = Fake()`` or ``expect_close = lambda *a: None`` gains nothing), and drops the
``autograder.checks`` modules from ``sys.modules`` so that a test cell that imports a check
gets it afresh from the read-only disk.

The guard cells reach this module with an ``import`` statement and find the notebook's
namespace through the calling frame, so they use no name an answer cell could shadow.
This is one layer, not a proof: code in the same process can always dig deeper, which is why
the grader also flags suspicious answer cells for review (see ``assemble.tamper_reasons``).
"""

from __future__ import annotations

import sys
import types

_SNAPSHOT: list[tuple[object, dict]] = []
_NAMES: dict[str, object] = {}
_LIBRARIES = ("autograder", "torch", "numpy", "fastai", "fastcore", "math", "matplotlib",
              "PIL", "pandas", "builtins")
_MISSING = object()


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


def _protected(value: object) -> bool:
    """A notebook name worth protecting: a module, or a function/class from a library."""
    if isinstance(value, types.ModuleType):
        return True
    if not callable(value):
        return False
    module = getattr(value, "__module__", None) or ""
    return isinstance(module, str) and module.split(".")[0] in _LIBRARIES


def _caller_globals(depth: int = 2) -> dict:
    return sys._getframe(depth).f_globals


def remember(namespace: dict | None = None) -> None:
    if not _SNAPSHOT:
        for owner in _owners():
            _SNAPSHOT.append((owner, {k: v for k, v in vars(owner).items() if _wanted(k, v)}))
    namespace = _caller_globals() if namespace is None else namespace
    for name, value in list(namespace.items()):
        if not name.startswith("_") and _protected(value):
            _NAMES[name] = value


snapshot = remember  # older name


def restore(namespace: dict | None = None) -> None:
    for owner, attrs in _SNAPSHOT:
        current = vars(owner)
        for name, value in attrs.items():
            if current.get(name, _MISSING) is not value:
                try:
                    setattr(owner, name, value)
                except (AttributeError, TypeError):
                    pass
    namespace = _caller_globals() if namespace is None else namespace
    for name, value in _NAMES.items():
        if namespace.get(name, _MISSING) is not value:
            namespace[name] = value
    for name in [m for m in sys.modules if m == "autograder.checks" or
                 m.startswith("autograder.checks.")]:
        del sys.modules[name]
