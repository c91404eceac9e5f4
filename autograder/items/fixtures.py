"""Inputs that must be files: built in the kernel by a probe's ``setup`` from plain data.

Public helpers only (no reference solution lives here): a folder tree of image and other files,
PNG files from pixel arrays, and a way to describe returned paths relative to a root so that the
student's answer and the reference's can be compared although they ran in different folders.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath

import numpy as np


def _new_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="ch4-probe-"))


def write_png(path: Path, pixels: np.ndarray) -> Path:
    """Save a uint8 (H, W) array as a grayscale PNG."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(pixels, dtype=np.uint8), mode="L").save(path)
    return path


def files_tree(layout: dict[str, list[str]]) -> Path:
    """A fresh folder with ``{"train/5": ["3.png", "notes.txt"], ...}``; PNGs are small real
    images, other files hold a line of text. Returns the root."""
    root = _new_root()
    rng = np.random.default_rng(0)
    for folder, names in layout.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name in names:
            target = root / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if name.lower().endswith(".png"):
                write_png(target, rng.integers(0, 256, size=(28, 28)))
            else:
                target.write_text("not an image\n", encoding="utf-8")
    return root


def png_files(images: list[np.ndarray], names: list[str] | None = None) -> list[Path]:
    """PNG files (in a fresh folder) holding ``images``, in that order."""
    root = _new_root()
    names = names or [f"{i}.png" for i in range(len(images))]
    return [write_png(root / name, image) for name, image in zip(names, images, strict=True)]


def seeded(call, seed: int):
    """``call()`` with Python's and PyTorch's generators seeded, then put back as they were
    (a probe's randomness never shifts the notebook's)."""
    import random

    import torch

    states = (random.getstate(), torch.get_rng_state())
    try:
        random.seed(seed)
        torch.manual_seed(seed)
        return call()
    finally:
        random.setstate(states[0])
        torch.set_rng_state(states[1])


def relative(paths: object, root: Path) -> list[list[str]]:
    """``[[kind, relative path], ...]`` for returned paths: kind is "Path" for pathlib paths,
    else the type's name (a str where a Path was asked for shows up)."""
    out = []
    for p in paths:  # type: ignore[attr-defined]
        kind = "Path" if isinstance(p, PurePath) else type(p).__name__
        try:
            rel = Path(p).resolve().relative_to(root.resolve()).as_posix()
        except (TypeError, ValueError):
            rel = "?"
        out.append([kind, rel])
    return out


def grad_copy(p):  # noqa: ANN001, ANN201 - a tensor in the kernel
    """A copy of ``p``'s raw ``.grad`` (None when it has none)."""
    return None if p.grad is None else p.grad.detach().clone()


def grad_of_sum(p):  # noqa: ANN001, ANN201 - a tensor in the kernel
    """``p.grad`` after a fresh ``p.sum().backward()``: ones for a leaf that tracks gradients,
    None where the backward pass fails (the grader reads leaf and requires_grad from it)."""
    p.grad = None
    try:
        p.sum().backward()
    except RuntimeError:
        return None
    return p.grad
