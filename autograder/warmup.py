"""Kernel side of a warm kernel: import the notebook's libraries while the kernel starts
(``autograder.warm.preload_arguments``). Runs in the kernel; binds no name there."""

from __future__ import annotations

import importlib


def load(modules: list[str]) -> None:
    """Import each module; one that fails is skipped (the notebook's own import reports it)."""
    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001, S110 - the notebook's own import will fail
            pass
