"""Where the notebooks train: a GPU (CUDA or Apple MPS) when there is one, else the CPU.

One function, called once near the top of every notebook that trains, so that the choice and
the line announcing it live in one place. ``ch4 check``, ``ch4 grade`` and the test suite set
``CH4_DEVICE=cpu`` (see ``CPU_ONLY_ENV``): the public checks and the grader compare numbers
computed on the CPU, whatever hardware the student has.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

ENV_DEVICE = "CH4_DEVICE"
CHOICES = ("auto", "cpu", "cuda", "mps")
# What a process that must stay on the CPU puts in its kernels' environment: the picker's
# override, and CUDA hidden from PyTorch as well (for code that never asks the picker).
CPU_ONLY_ENV = {ENV_DEVICE: "cpu", "CUDA_VISIBLE_DEVICES": ""}


class DeviceError(ValueError):
    """$CH4_DEVICE names a device that is unknown or not present on this machine."""


def _mps_available() -> bool:
    import torch

    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def choose_device(requested: str | None = None) -> torch.device:
    """The device to train on: ``requested`` (default $CH4_DEVICE, else "auto").

    "auto" takes CUDA, then MPS, then the CPU. Naming a device that is absent is an error
    rather than a silent fallback, so a forced choice is never ignored.
    """
    import torch  # here, not at the top: `ch4 check` imports this module for CPU_ONLY_ENV

    if requested is None:
        requested = os.environ.get(ENV_DEVICE, "")
    name = requested.strip().lower() or "auto"
    if name not in CHOICES:
        raise DeviceError(f"{ENV_DEVICE}={requested!r} is not a device this course knows: "
                          f"use one of {', '.join(CHOICES)} (or leave it unset)")
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if _mps_available() else torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise DeviceError(f"{ENV_DEVICE}=cuda, but PyTorch sees no CUDA GPU on this machine")
    if name == "mps" and not _mps_available():
        raise DeviceError(f"{ENV_DEVICE}=mps, but PyTorch sees no Apple GPU on this machine")
    return torch.device(name)


def describe(device: torch.device) -> str:
    """The one line a notebook prints, e.g. ``Training on: cuda (NVIDIA H200)``."""
    import torch

    if device.type == "cuda":
        return f"Training on: cuda ({torch.cuda.get_device_name(device)})"
    if device.type == "mps":
        return "Training on: mps (Apple GPU)"
    return "Training on: cpu"


def pick_device() -> torch.device:
    """Choose the training device and print one line saying which; returns it."""
    device = choose_device()
    print(describe(device))
    return device
