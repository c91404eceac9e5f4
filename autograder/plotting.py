"""Small plotting helpers for the notebooks (the course's own, working on current torch).

Every helper draws on a matplotlib Axes and returns it (or a list of them); none calls
``plt.show()``, so they are safe under the Agg backend, in tests and in nbclient runs. In
Jupyter the figure appears at the end of the cell as usual.

Stable names used by the notebooks: ``plot_function``, ``show_image``, ``show_digits``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["plot_function", "show_image", "show_digits", "to_numpy"]


def to_numpy(value: object) -> np.ndarray:
    """A NumPy copy of a tensor (detached, on the CPU), array, PIL image or number."""
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        torch = None
    if torch is not None and isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _new_axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax
    _fig, ax = plt.subplots(figsize=figsize)
    return ax


def plot_function(f: Callable, min: float = -2.0, max: float = 2.0,  # noqa: A002
                  title: str | None = None, xlabel: str | None = "x",
                  ylabel: str | None = None, steps: int = 100, ax=None,
                  figsize: tuple[float, float] = (5, 3.5), **plot_kwargs):
    """Plot ``f`` over ``[min, max]`` with ``steps`` points; return the matplotlib Axes.

    ``f`` receives a 1-D float tensor; a function that only accepts plain numbers (such as
    ``math.sin``) is applied point by point instead. Gradients are never tracked.
    """
    import torch

    if steps < 2:
        raise ValueError("steps must be at least 2")
    xs = torch.linspace(float(min), float(max), steps)
    with torch.no_grad():
        try:
            ys = f(xs)
            ys_np = to_numpy(ys).astype(float).reshape(-1)
            if ys_np.size == 1:  # a constant function
                ys_np = np.full(steps, ys_np[0])
            if ys_np.size != steps:
                raise ValueError("f did not return one value per point")
        except (TypeError, ValueError, RuntimeError):
            ys_np = np.array([float(to_numpy(f(float(x)))) for x in xs])
    ax = _new_axes(ax, figsize)
    ax.plot(xs.numpy(), ys_np, **plot_kwargs)
    if title:
        ax.set_title(title)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    return ax


def _as_image(image: object) -> np.ndarray:
    array = to_numpy(image).astype(float)
    array = np.squeeze(array)
    if array.ndim == 1:
        side = math.isqrt(array.size)
        if side * side != array.size:
            raise ValueError(f"cannot show a flat vector of {array.size} values as a square image")
        array = array.reshape(side, side)
    if array.ndim == 3 and array.shape[0] in (1, 3) and array.shape[-1] not in (1, 3):
        array = np.moveaxis(array, 0, -1)  # channels first -> channels last
    if array.ndim not in (2, 3):
        raise ValueError(f"an image should have 2 axes (or 3 with colour), got shape {array.shape}")
    return array


def show_image(image: object, ax=None, title: str | None = None, cmap: str = "Greys",
               figsize: tuple[float, float] = (2.5, 2.5), colorbar: bool = False):
    """Show one image (a 28x28 tensor, a flat 784 vector, an array or a PIL image).

    Dark pixels are the ink, as in the book's figures (``cmap="Greys"``). Returns the Axes.
    """
    array = _as_image(image)
    ax = _new_axes(ax, figsize)
    shown = ax.imshow(array, cmap=cmap if array.ndim == 2 else None)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(str(title))
    if colorbar:
        ax.figure.colorbar(shown, ax=ax)
    return ax


def show_digits(images: Sequence | object, titles: Sequence | None = None,
                ncols: int | None = None, cmap: str = "Greys", size: float = 1.6):
    """Show several images in a grid (one row unless ``ncols`` is given); return the Axes list.

    ``images`` may be a list of images or a tensor whose first axis indexes the images.
    """
    import matplotlib.pyplot as plt

    items = list(images)
    if not items:
        raise ValueError("show_digits needs at least one image")
    if titles is not None and len(titles) != len(items):
        raise ValueError(f"got {len(items)} images but {len(titles)} titles")
    ncols = len(items) if ncols is None else max(1, int(ncols))
    nrows = math.ceil(len(items) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    flat = list(axes.reshape(-1))
    for index, ax in enumerate(flat):
        if index < len(items):
            show_image(items[index], ax=ax, cmap=cmap,
                       title=None if titles is None else titles[index])
        else:
            ax.axis("off")
    return flat[: len(items)]
