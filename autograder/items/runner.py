"""Runs in the student's kernel: call the student's code on probe inputs, return plain data.

Nothing here judges anything, and nothing here is trusted: the student's code runs in the same
process and can rewrite what this module writes. ``run_probe`` binds the inputs as names in the
notebook's namespace, re-runs the answer's own definitions (``redefine``), runs the probe's
``setup``, evaluates its ``code`` and turns the result into plain data (``wire.to_plain``);
then it puts the namespace back as it was, so one item's probes never leave state for the next.
The probe's own code runs with the real ``builtins`` module as its ``__builtins__`` (a notebook
may rebind that name); harness code binds the builtins it needs under its own names, since a
top-level ``def len`` in the notebook would shadow a bare ``len``.
Any exception ends the probe as failed, ``KeyboardInterrupt`` and ``SystemExit`` included (and
after a ``KeyboardInterrupt``, the item's remaining probes are not run: the grader interrupts a
cell that runs too long). ``run_item`` is what the grader's probe cells call: it writes the
records, tagged with the cell's one-time ``nonce``, to the file the grader names; the grader
removes that file before the cell runs and takes it as soon as the cell ends.
"""

from __future__ import annotations

import builtins
import json
import os
from pathlib import Path
from typing import Any

from autograder.items import wire

_ABSENT = object()


def to_live(value: Any) -> Any:
    """Decoded probe inputs as live objects: tensors, arrays, paths, containers."""
    if isinstance(value, wire.Array):
        if value.torch:
            import torch

            tensor = torch.from_numpy(value.values.copy())
            return tensor.requires_grad_() if value.requires_grad else tensor
        return value.values.copy()
    if isinstance(value, wire.PathValue):
        return Path(value.text)
    if isinstance(value, list):
        return [to_live(v) for v in value]
    if isinstance(value, tuple):
        return tuple(to_live(v) for v in value)
    if isinstance(value, dict):
        return {k: to_live(v) for k, v in value.items()}
    return value


def run_probe(namespace: dict, setup: str, code: str, inputs: str, prelude: str = "",
              names: tuple[str, ...] = ()) -> dict:
    """One probe: ``{"value": plain}`` or ``{"raised": exception type name}``. ``prelude``:
    the answer's own definitions of ``names``, re-run once the inputs are bound and before the
    probe's setup."""
    before = dict(namespace)
    try:
        namespace["__builtins__"] = builtins      # the probe's code sees the real builtins
        for name, value in to_live(wire.decode(inputs)).items():
            namespace[name] = value
        redefine(namespace, prelude, names)
        if setup:
            exec(compile(setup, "<probe setup>", "exec"), namespace)  # noqa: S102
        value = eval(compile(code, "<probe>", "eval"), namespace)  # noqa: S307
        return {"value": wire.to_plain(value)}
    except BaseException as exc:  # noqa: BLE001 - any failure is data, an escape included
        return {"raised": type(exc).__name__}
    finally:
        for name in [n for n in namespace if n not in before]:
            namespace.pop(name, None)
        for name, value in before.items():
            if namespace.get(name, _ABSENT) is not value:
                namespace[name] = value


def redefine(namespace: dict, prelude: str, names: tuple[str, ...] = ()) -> None:
    """Re-run an answer's definitions (``Item.redefine``) so that a function that captured
    notebook names when it was defined sees the probe's. Only ``names`` (the item's own) keep
    their new value: every other name the definitions bound is put back, so an answer can never
    replace a name of the probe's harness. If the definitions fail, the notebook's stand."""
    if not prelude:
        return
    before = dict(namespace)
    try:
        exec(compile(prelude, "<your answer, redefined>", "exec"), namespace)  # noqa: S102
    except Exception:  # noqa: BLE001 - the notebook's own definitions stand
        keep: tuple[str, ...] = ()
    else:
        keep = names
    for name in [n for n in namespace if n not in before and n not in keep]:
        namespace.pop(name, None)
    for name, value in before.items():
        if name not in keep and namespace.get(name, _ABSENT) is not value:
            namespace[name] = value


def run_item(namespace: dict, out_file: str, probes_json: str, prelude: str = "",
             nonce: str = "", names: tuple[str, ...] = ()) -> None:
    """Run the probes ``[[setup, code, inputs_json], ...]`` and write their records, with the
    cell's ``nonce``, to ``out_file``."""
    records: list[dict] = []
    for setup, code, inputs in json.loads(probes_json):
        if records and records[-1].get("raised") == "KeyboardInterrupt":
            records.append({"raised": "KeyboardInterrupt"})
            continue
        records.append(run_probe(namespace, setup, code, inputs, prelude, names))
    path = Path(out_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"nonce": nonce, "records": records}), encoding="utf-8")
    os.replace(tmp, path)
