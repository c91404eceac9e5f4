"""The chapter's first baseline: classify 3s and 7s by distance to the mean digit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Baseline:
    """Validation accuracy of pixel similarity per class and overall."""

    accuracy_3: float
    accuracy_7: float

    @property
    def mean(self) -> float:
        return (self.accuracy_3 + self.accuracy_7) / 2

    def table(self) -> str:
        return (f"pixel similarity (L1 distance to the mean 3 and mean 7), validation set\n"
                f"  3s: {self.accuracy_3:.4f}   7s: {self.accuracy_7:.4f}   "
                f"mean: {self.mean:.4f}   (book: 0.9168 / 0.9854 / 0.9511)")


def _stack(folder: Path) -> np.ndarray:
    files = sorted(folder.glob("*.png"))
    if not files:
        raise FileNotFoundError(f"no images in {folder}")
    return np.stack([np.asarray(Image.open(f), dtype=np.float32) / 255 for f in files])


def pixel_similarity(path: Path) -> Baseline:
    """Mean digits from ``train/``, L1 distance on ``valid/``, accuracy per class."""
    mean3 = _stack(path / "train" / "3").mean(0)
    mean7 = _stack(path / "train" / "7").mean(0)

    def is_3(images: np.ndarray) -> np.ndarray:
        d3 = np.abs(images - mean3).mean((-1, -2))
        d7 = np.abs(images - mean7).mean((-1, -2))
        return d3 < d7

    acc3 = float(is_3(_stack(path / "valid" / "3")).mean())
    acc7 = float(1 - is_3(_stack(path / "valid" / "7")).mean())
    return Baseline(acc3, acc7)
