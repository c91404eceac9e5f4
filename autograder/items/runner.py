"""Runs in the student's kernel: call the student's code on probe inputs, return plain data.

Nothing here judges anything. ``run_probe`` binds the inputs as names in the notebook's
namespace, runs the probe's ``setup`` and evaluates its ``code``, turns the result into plain
data (``wire.to_plain``) and puts the namespace back as it was (names added are removed,
names rebound are restored), so one item's probes never leave state for the next.
``run_item`` is what the grader's probe cells call: it writes the records to a file in the
sandbox's work folder, which the grader reads after the kernel has stopped.
"""

from __future__ import annotations

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


def run_probe(namespace: dict, setup: str, code: str, inputs: str, prelude: str = "") -> dict:
    """One probe: ``{"value": plain}`` or ``{"raised": exception type name}``. ``prelude``:
    the answer's own definitions, re-run once the inputs and the setup are bound."""
    before = dict(namespace)
    try:
        for name, value in to_live(wire.decode(inputs)).items():
            namespace[name] = value
        if setup:
            exec(compile(setup, "<probe setup>", "exec"), namespace)  # noqa: S102
        redefine(namespace, prelude)
        value = eval(compile(code, "<probe>", "eval"), namespace)  # noqa: S307
        return {"value": wire.to_plain(value)}
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure is data
        return {"raised": type(exc).__name__}
    finally:
        for name in [n for n in namespace if n not in before]:
            namespace.pop(name, None)
        for name, value in before.items():
            if namespace.get(name, _ABSENT) is not value:
                namespace[name] = value


def redefine(namespace: dict, prelude: str) -> None:
    """Re-run an answer's definitions (``Item.redefine``) so that a function that captured
    notebook names when it was defined sees the probe's; if that fails, the definitions the
    notebook made stand."""
    if not prelude:
        return
    try:
        exec(compile(prelude, "<your answer, redefined>", "exec"), namespace)  # noqa: S102
    except Exception:  # noqa: BLE001 - the notebook's own definitions stand
        pass


def run_item(namespace: dict, out_file: str, probes_json: str, prelude: str = "") -> None:
    """Run the probes ``[[setup, code, inputs_json], ...]`` and write their records."""
    records = [run_probe(namespace, setup, code, inputs, prelude)
               for setup, code, inputs in json.loads(probes_json)]
    path = Path(out_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(records), encoding="utf-8")
    os.replace(tmp, path)
