"""Forged records against every notebook's spec, judged by the grader's own functions (no
kernel).

The trust rule (DESIGN.md): what the kernel sends back is the student's word. A cheat can
rewrite every record (patched ``json``/``os``, a wrapped runner, a thread, an audit hook), so a
hidden probe is only worth points when no record a cheat can write *without the grading key*
passes it. What such a cheat has: the package's public expected values, constants (0, 1, 0.5,
True, False), the dict or list of booleans a kernel-side property probe returns, zeros of the
public shape.

Without running the notebooks there are no reference outcomes for hidden probes, so the tests
here check what can be checked statically, item by item:

1. no hidden probe is judged by a rule that needs no reference (``between``, ``runs``) or by
   one a constant can satisfy (``near_reference``), and no hidden probe compares a bare bool
   (or a structure of bools) without a grader-side ``Probe.measure``; where a rule needs no
   reference, the forged records are judged for real (``probing.judge_item``) to show one
   passes;
2. no hidden probe computes a property of the student's objects in the kernel, in code that
   resolves names in the student's namespace (``type(...)``, ``isinstance``, ``.is_leaf``,
   ``bool(...)``...): the student can shadow those names (shown for notebook 05 below).

3. no hidden label shows a hidden parameter (a label that changes with the key).

Items that break a rule today are listed below and marked ``xfail(strict=True)`` with the
reason, so that each one flips to a failure (and must be unlisted) once it is fixed; an item
that starts breaking a rule fails at once.
"""

from __future__ import annotations

import importlib
import json
import re
import secrets
from pathlib import Path

import numpy as np
import pytest
import torch

from autograder.items import probing, runner, wire
from autograder.items.compare import Outcome
from autograder.items.selfcheck import outcome_of
from autograder.items.spec import Item, NotebookSpec, Probe

EXPECTED = Path(probing.ITEMS_DIR) / "expected"
NOTEBOOKS = [f"nb{n:02d}" for n in range(1, 11)]
# a key the cheat does not know (fresh for every test session)
KEY = secrets.token_hex(32)
REFERENCE_FREE = ("between", "runs")
CONSTANT_FRIENDLY = ("between", "runs", "near_reference")
# kernel-side code that reads a property of the student's objects through a name the
# student's namespace can shadow
PROPERTY_CALLS = re.compile(r"\b(type|isinstance|bool|len|set|callable|hasattr|getattr)\(|"
                            r"\.(is_leaf|requires_grad|__name__|is_floating_point)\b")


def _spec(module: str) -> NotebookSpec:
    return importlib.import_module(f"autograder.items.{module}").SPEC


def _public_values(spec: NotebookSpec) -> dict[str, list]:
    path = EXPECTED / f"{spec.notebook}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {gid: [outcome_of(r).value for r in records] for gid, records in data.items()}


def _only_bools(value) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, wire.Array):       # one bool; a batch of them is a raw prediction
        return value.values.dtype == np.bool_ and value.values.size <= 1
    if isinstance(value, list | tuple) and value:
        return all(_only_bools(v) for v in value)
    if isinstance(value, dict) and value:
        return all(_only_bools(v) for v in value.values())
    return False


def forged_values(public: list) -> list:
    """What a cheat without the key can write for every probe of an item."""
    values: list = [0, 1, 0.5, 1.0, 0.0, True, False, [True, True], {"passed": True}]
    for value in public:
        values.append(value)
        if isinstance(value, wire.Array):
            values.append(wire.Array(np.zeros_like(value.values), value.torch, False))
        if isinstance(value, list | tuple):
            values.append([True] * len(value))
        if isinstance(value, dict):
            values.append({k: True for k in value})
    return values


def _hidden(item: Item) -> list[probing.Planned]:
    return [p for p in probing.plan(NotebookSpec("x", (item,)), KEY)[item.grade_id] if p.hidden]


def _rule_offences(spec: NotebookSpec, item: Item) -> list[str]:
    public = _public_values(spec).get(item.grade_id, [])
    bools = bool(public) and all(_only_bools(v) for v in public)
    found = []
    for index, planned in enumerate(_hidden(item)):
        probe: Probe = planned.probe
        if probe.measure is not None:
            continue
        if probe.compare.kind in CONSTANT_FRIENDLY:
            found.append(f"hidden probe {index} ({probe.label!r}) is judged by "
                         f"{probe.compare.kind}: a constant passes it")
        elif probe.compare.kind == "equal" and (bools or probe.code.lstrip().startswith("bool(")):
            found.append(f"hidden probe {index} ({probe.label!r}) compares bools with no "
                         "grader-side measure")
    return found


def _kernel_properties(item: Item) -> list[str]:
    found = []
    for index, planned in enumerate(_hidden(item)):
        probe = planned.probe
        if probe.measure is not None:
            continue
        text = probe.setup + "\n" + probe.code
        calls = sorted({m.group(0) for m in PROPERTY_CALLS.finditer(text)})
        if calls:
            found.append(f"hidden probe {index} ({probe.label!r}) computes {', '.join(calls)} "
                         "in the kernel")
    return found


def _items() -> list[tuple[str, str]]:
    out = []
    for module in NOTEBOOKS:
        try:
            spec = _spec(module)
        except Exception:  # noqa: BLE001 - a spec being rewritten: reported by its own test
            out.append((module, ""))
            continue
        out += [(module, item.grade_id) for item in spec.items]
    return out


# Known offenders, found by these tests when they were written (the specs of notebooks 04, 07,
# 08, 09 and 10 were being converted then: the lists match the specs as they stood at the
# end). Each is xfail(strict=True): once the item is fixed its test passes, which fails the run
# until its entry is removed here.
RULE_OFFENDERS: dict[tuple[str, str], str] = {}
KERNEL_OFFENDERS: dict[tuple[str, str], str] = {}
# hidden labels that show a hidden parameter (they change with the key): feedback shows labels
LABEL_OFFENDERS: dict[tuple[str, str], str] = {}


def _params(known: dict[tuple[str, str], str]) -> list:
    params = []
    for module, gid in _items():
        reason = known.get((module, gid))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(module, gid, id=f"{module}-{gid or 'spec'}", marks=marks))
    return params


@pytest.mark.parametrize(("module", "gid"), _params(RULE_OFFENDERS))
def test_no_hidden_probe_is_passed_by_a_record_forged_without_the_key(module, gid):
    spec = _spec(module)
    assert gid, f"{module} has no items"
    item = spec.item(gid)
    offences = _rule_offences(spec, item)
    # where the rule needs no reference, show it: a forged record passes every such probe
    hidden = [p for p in _hidden(item) if p.probe.compare.kind in REFERENCE_FREE
              and p.probe.measure is None]
    if hidden:
        public = _public_values(spec).get(gid, [])
        for value in forged_values(public):
            got = [Outcome(value=value)] * len(hidden)
            if probing.judge_item(item, hidden, got, [Outcome(missing="none")] * len(hidden)
                                  ).passed:
                offences.append(f"the forged record {value!r} passes all {len(hidden)} "
                                "reference-free hidden probes")
                break
    assert not offences, offences


@pytest.mark.parametrize(("module", "gid"), _params(KERNEL_OFFENDERS))
def test_no_hidden_probe_computes_properties_in_the_kernel(module, gid):
    spec = _spec(module)
    assert gid, f"{module} has no items"
    found = _kernel_properties(spec.item(gid))
    assert not found, found


@pytest.mark.parametrize(("module", "gid"), _params(LABEL_OFFENDERS))
def test_hidden_labels_show_no_hidden_parameter(module, gid):
    spec = _spec(module)
    assert gid, f"{module} has no items"
    item = spec.item(gid)
    labels = [[p.probe.label for p in probing.plan(NotebookSpec("x", (item,)), key)[gid]
               if p.hidden] for key in (KEY, secrets.token_hex(32))]
    assert labels[0] == labels[1], [a for a, b in zip(*labels, strict=True) if a != b][:2]


def test_forged_constants_fail_every_reference_based_probe_of_the_tiny_course():
    """The judging side of a forgery: with the reference's values on a key the cheat does not
    know, none of the values a cheat has passes an item of the tiny course."""
    from autograder.items.tiny import SPEC

    def double(x):
        return 2 * x

    def mean_abs(t):
        return t.abs().mean()

    planned = probing.plan(SPEC, KEY)
    public = _public_values(SPEC)
    for item in SPEC.items:
        if item.grade_id == "q01":
            continue
        probes = planned[item.grade_id]
        namespace = {"double": double, "mean_abs": mean_abs}
        want = [outcome_of(runner.run_probe(namespace, p.probe.setup, p.probe.code,
                                            wire.encode(p.probe.inputs))) for p in probes]
        for value in forged_values(public.get(item.grade_id, [])):
            got = [Outcome(value=value)] * len(probes)
            assert not probing.judge_item(item, probes, got, want).passed, (item.grade_id,
                                                                              value)
        # the public values, one per public probe, then a forged value per hidden probe
        for value in forged_values(public.get(item.grade_id, [])):
            got = [want[i] if not p.hidden else Outcome(value=value)
                   for i, p in enumerate(probes)]
            assert not probing.judge_item(item, probes, got, want).passed, (item.grade_id,
                                                                              value)


# notebook 05's validate_epoch probe returns ``type(result).__name__`` computed in the kernel by
# ``_ch4_validate``, whose globals are the notebook's namespace: an answer that defines its own
# ``type`` at the top level passes a tensor off as the Python float the exercise asks for.
_NB05_REFERENCE = '''
import torch
def batch_accuracy(xb, yb):
    return ((xb.sigmoid() > 0.5) == yb).float().mean()
def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb, yb in valid_dl]
    return round(torch.stack(accs).mean().item(), 4)
'''
_NB05_SHADOW = '''
import builtins as _bi
import torch
def batch_accuracy(xb, yb):
    return ((xb.sigmoid() > 0.5) == yb).float().mean()
def type(o, *rest):
    if not rest and isinstance(o, torch.Tensor):
        return float
    return _bi.type(o, *rest)
def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb, yb in valid_dl]
    return torch.tensor(round(torch.stack(accs).mean().item(), 4), dtype=torch.float64)
'''
_NB05_HONEST_WRONG = _NB05_SHADOW.replace("def type(", "def _not_type(")


def _nb05_verdict(source: str):
    spec = _spec("nb05")
    item = spec.item("ex_validate_epoch")
    probes = probing.plan(spec, KEY)[item.grade_id]

    def outcomes(code: str) -> list[Outcome]:
        namespace: dict = {"__name__": "__main__"}
        exec(compile(code, "<answer>", "exec"), namespace)  # noqa: S102 - our own test code
        prelude = probing.definitions(code, item.names) if item.redefine else ""
        return [outcome_of(runner.run_probe(namespace, p.probe.setup, p.probe.code,
                                            wire.encode(p.probe.inputs), prelude, item.names))
                for p in probes]

    return probing.judge_item(item, probes, outcomes(source), outcomes(_NB05_REFERENCE))


def test_a_tensor_for_a_float_fails_validate_epoch():
    assert not _nb05_verdict(_NB05_HONEST_WRONG).passed


def test_shadowing_type_does_not_pass_validate_epoch():
    assert not _nb05_verdict(_NB05_SHADOW).passed


def test_the_reference_passes_validate_epoch():
    assert _nb05_verdict(_NB05_REFERENCE).passed


def test_forged_values_cover_the_public_forms():
    zeros = wire.from_plain(wire.to_plain(torch.ones(2, 3)))
    values = forged_values([zeros, [1, 2], {"a": 1}])
    assert any(isinstance(v, wire.Array) and not v.values.any() for v in values)
    assert [True, True] in values and {"a": True} in values
