"""Make a run repeatable: one call seeds Python, NumPy and PyTorch."""

from __future__ import annotations

import os
import random

import numpy as np


def seed_everything(seed: int | None = None) -> int:
    """Seed random, numpy and torch; the seed defaults to $CH4_SEED, else 42. Returns it."""
    import torch

    if seed is None:
        seed = int(os.environ.get("CH4_SEED", "42"))

    random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    return seed
