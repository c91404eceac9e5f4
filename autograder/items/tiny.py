"""Items of the tiny course in tests/fixtures/grading (the grader's own tests use it; it is
also the smallest complete example of a spec)."""

from __future__ import annotations

import numpy as np
import torch

from autograder.items.cells import CellSpec
from autograder.items.spec import Item, Probe, close, equal, returns


def _double_hidden(rng: np.random.Generator) -> list[Probe]:
    x = torch.from_numpy(rng.standard_normal(5).astype(np.float32))
    return [Probe("double on another vector", "(double(x), x)", {"x": x}, close(),
                  parts=returns("value", "x")),
            Probe("double of a large number", "double(x)", {"x": torch.tensor(1e6)}, close())]


def _mean_abs_hidden(rng: np.random.Generator) -> list[Probe]:
    t = torch.from_numpy(rng.standard_normal((2, 3)).astype(np.float32) - 0.5)
    return [Probe("mean_abs on a 2x3 tensor", "mean_abs(t)", {"t": t}, close())]


SPEC = CellSpec("01_tiny", (
    Item("ex_double", ("double",),
         public=(Probe("double([1, 2])", "double(x)", {"x": torch.tensor([1.0, 2.0])},
                       close()),),
         hidden=_double_hidden),
    Item("ex_mean_abs", ("mean_abs",),
         public=(Probe("mean_abs([-1, 1])", "mean_abs(t)", {"t": torch.tensor([-1.0, 1.0])},
                       close()),),
         hidden=_mean_abs_hidden),
    Item("q01", ("q01",), public=(Probe("q01", "q01", compare=equal(sealed=True)),)),
))
