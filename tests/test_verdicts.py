"""The grader owns the verdicts: what the kernel can and cannot influence (issue 21).

- the record channel: records are taken around each probe cell, with the cell's nonce; a
  record planted earlier, written by a cell that escaped with an exception, or over its size
  limit never counts;
- the runner: any ``BaseException`` fails the probe; redefinition keeps only the item's names;
- messages of hidden probes carry no number derived from the expected value, and hidden probe
  labels are the same for every key (no hidden parameter in them);
- the grading key is random, the instructor's, and kept per output folder;
- outputs are frozen when probing begins: display updates and prints during probes never reach
  the executed notebook, and display updates are capped.
"""

from __future__ import annotations

import importlib
import json
import os
import stat
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.execute import CellResult, run
from autograder.grading import secret
from autograder.items import probing, wire
from autograder.items.compare import Outcome, judge
from autograder.items.runner import run_item, run_probe
from autograder.items.spec import close, equal

NOTEBOOK_SPECS = [f"autograder.items.nb{n:02d}" for n in range(1, 11)]


# ------------------------------------------------------------------ the record channel


def _probe_cell(gid: str = "ex_a") -> nbformat.NotebookNode:
    return probing.probe_cell(gid, [probing.Planned(probing.Probe("f", "1"), False)])


def _write_record(work: Path, gid: str, nonce: str, records: list) -> None:
    folder = work / probing.PROBE_DIR
    folder.mkdir(exist_ok=True)
    (folder / f"{gid}.json").write_text(json.dumps({"nonce": nonce, "records": records}))


def test_a_record_planted_before_the_probe_cell_is_removed_before_it_runs(tmp_path):
    cell = _probe_cell()
    _write_record(tmp_path, "ex_a", cell.metadata["ch4_nonce"], [{"value": 1}])
    (tmp_path / probing.PROBE_DIR / "ex_later.json").write_text("[]")
    channel = probing.RecordChannel(tmp_path)
    channel.before(0, cell)
    assert list((tmp_path / probing.PROBE_DIR).iterdir()) == []
    channel.after(0, cell, CellResult(0, ran=True))
    assert channel.records({"ex_a": [None]}) == {"ex_a": []}


def test_only_a_record_with_the_cells_nonce_from_a_cell_that_ended_cleanly_counts(tmp_path):
    cell = _probe_cell()
    nonce = cell.metadata["ch4_nonce"]
    cases = [(nonce, None, [{"value": 1}]),                       # honest
             ("0" * 32, None, []),                                 # another nonce
             (nonce, "KeyboardInterrupt: ", [])]                   # the cell escaped
    for written, error, expected in cases:
        channel = probing.RecordChannel(tmp_path)
        channel.before(0, cell)
        _write_record(tmp_path, "ex_a", written, [{"value": 1}])
        channel.after(0, cell, CellResult(0, ran=True, error=error))
        assert channel.records({"ex_a": [None]}) == {"ex_a": expected}
        # the file is taken as the cell ends: nothing written later is read
        assert not (tmp_path / probing.PROBE_DIR / "ex_a.json").exists()


def test_each_probe_cell_gets_a_fresh_nonce():
    assert _probe_cell().metadata["ch4_nonce"] != _probe_cell().metadata["ch4_nonce"]


def test_a_record_over_its_items_limit_is_not_read(tmp_path):
    cell = _probe_cell()
    channel = probing.RecordChannel(tmp_path, limits={"ex_a": 1000})
    channel.before(0, cell)
    _write_record(tmp_path, "ex_a", cell.metadata["ch4_nonce"], [{"value": "x" * 5000}])
    channel.after(0, cell, CellResult(0, ran=True))
    assert channel.records({"ex_a": [None]}) == {"ex_a": []}
    assert channel.oversized == {"ex_a"}


def test_record_files_are_read_only_when_plain_files(tmp_path):
    folder = tmp_path / probing.PROBE_DIR
    folder.mkdir()
    os.mkfifo(folder / "b.json")                      # would block a plain open() forever
    (tmp_path / "elsewhere.json").write_text("[]")
    (folder / "c.json").symlink_to(tmp_path / "elsewhere.json")
    for name in ("b.json", "c.json"):
        with pytest.raises(OSError):
            probing._read_record_file(folder / name)
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / probing.PROBE_DIR).symlink_to(folder)   # the folder itself is a symlink
    with pytest.raises(OSError):
        probing._read_record_file(linked / probing.PROBE_DIR / "a.json")


def test_the_stage_file_is_read_when_probing_begins_and_never_again(tmp_path):
    stages = tmp_path / "stages.jsonl"
    stages.write_text(json.dumps({"stage": "linear", "accuracy": 0.9}) + "\n")
    channel = probing.RecordChannel(tmp_path, stages)
    channel.before(0, _probe_cell())
    with stages.open("a") as handle:                  # written during a probe
        handle.write(json.dumps({"stage": "leaked_hidden_input_42", "accuracy": 1.0}) + "\n")
    channel.before(1, _probe_cell("ex_b"))
    assert channel.stages == {"linear": 0.9}


# ------------------------------------------------------------------ the runner


def test_any_base_exception_fails_the_probe_and_ends_the_item_after_an_interrupt(tmp_path):
    ns = {"boom": lambda: (_ for _ in ()).throw(KeyboardInterrupt()), "ok": lambda: 1}
    payload = json.dumps([["", "boom()", wire.encode({})], ["", "ok()", wire.encode({})]])
    out = tmp_path / "r.json"
    run_item(ns, str(out), payload, nonce="n1")
    written = json.loads(out.read_text())
    assert written == {"nonce": "n1", "records": [{"raised": "KeyboardInterrupt"},
                                                  {"raised": "KeyboardInterrupt"}]}
    ns["leave"] = lambda: exec("raise SystemExit(0)")
    assert run_probe(ns, "", "leave()", wire.encode({})) == {"raised": "SystemExit"}


def test_redefinition_keeps_only_the_items_names_and_runs_before_the_setup():
    answer = ("def _ch4_helper():\n    return 'forged'\n\n"
              "def f(x, _seen=[]):\n    return x * 2\n")
    ns: dict = {"f": lambda x: x}
    setup = "def _ch4_helper():\n    return 'harness'\n"
    record = run_probe(ns, setup, "(f(3), _ch4_helper())", wire.encode({}), answer, ("f",))
    assert wire.from_plain(record["value"]) == (6, "harness")
    # a harness name the answer shadows is put back, even without a setup redefining it
    ns2: dict = {"f": lambda x: x, "_ch4_helper": lambda: "harness"}
    record = run_probe(ns2, "", "_ch4_helper()", wire.encode({}), answer, ("f",))
    assert wire.from_plain(record["value"]) == "harness"
    assert ns2["_ch4_helper"]() == "harness"


def test_a_probe_sees_the_real_builtins_whatever_the_notebook_bound_to___builtins__():
    fake = {"len": lambda x: 99, "isinstance": lambda *a: True}
    ns: dict = {"__builtins__": fake, "t": [1, 2]}
    record = run_probe(ns, "_n = len(t)", "(_n, isinstance(t, dict))", wire.encode({}))
    assert wire.from_plain(record["value"]) == (2, False)
    assert ns["__builtins__"] is fake and "_n" not in ns     # the namespace is put back


# ------------------------------------------------------------------ messages and labels


def _array(values) -> wire.Array:
    return wire.Array(np.asarray(values, dtype=np.float32), torch=True)


def test_a_hidden_probes_message_carries_no_number_derived_from_the_expected_value():
    want = Outcome(_array([[17.25, 3.5, 99.125]]))
    zeros = Outcome(_array([[0.0, 0.0, 0.0]]))
    public = judge(close(), zeros, want, "f").message
    assert "99.1" in public                          # public probes keep the difference
    for got in (zeros, Outcome(_array([0.0])), Outcome([0.0, 1.0]),
                Outcome(_array([[np.nan, 0.0, 0.0]]))):
        message = judge(close(), got, want, "f", hidden=True).message
        assert not any(text in message for text in ("99", "17.2", "(1, 3)", "3 elements",
                                                    "shape (")), message
    lengths = judge(equal(), Outcome([1, 2]), Outcome([1, 2, 3, 4, 5]), "f", hidden=True)
    assert "5" not in lengths.message


def test_a_measure_turns_raw_values_into_what_is_compared_in_the_grader():
    spread = close(atol=0.05, rtol=0)
    measure = lambda value: float(np.std(value.values))  # noqa: E731
    honest = Outcome(_array(np.random.default_rng(0).normal(0, 2.0, 20000)))
    want = Outcome(_array(np.random.default_rng(1).normal(0, 2.0, 20000)))
    assert judge(spread, honest, want, "spread", measure=measure).passed
    forged = Outcome(2.0)                 # the property claimed instead of the raw values
    verdict = judge(spread, forged, want, "spread", measure=measure)
    assert not verdict.passed


@pytest.mark.parametrize("module", NOTEBOOK_SPECS)
def test_hidden_probe_labels_are_the_same_for_every_key(module):
    spec = importlib.import_module(module).SPEC
    for item in spec.items:
        first = [p.label for p in item.hidden_probes("1" * 64)]
        second = [p.label for p in item.hidden_probes("2" * 64)]
        differing = [a for a, b in zip(first, second, strict=False) if a != b]
        assert first == second, (item.grade_id, differing)


# ------------------------------------------------------------------ the grading key


def test_the_grading_key_is_random_private_and_kept_with_the_output_folder(tmp_path,
                                                                            monkeypatch):
    monkeypatch.delenv(secret.KEY_ENV, raising=False)
    one, two = tmp_path / "term1", tmp_path / "term2"
    key = secret.grading_key(one)
    assert len(key) == 64 and key == secret.grading_key(one)          # kept on a resume
    assert key != secret.grading_key(two)                              # one per course/term
    path = one / secret.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret.key_id(key) != key and key not in secret.key_id(key)
    monkeypatch.setenv(secret.KEY_ENV, str(tmp_path / "shared.key"))
    assert secret.grading_key(one) == secret.grading_key(two)         # one key for a term


def test_a_damaged_key_file_is_an_error_never_replaced(tmp_path, monkeypatch):
    monkeypatch.delenv(secret.KEY_ENV, raising=False)
    (tmp_path / secret.KEY_FILE).write_text("not a key\n")
    with pytest.raises(secret.GradingKeyError, match="does not hold a grading key"):
        secret.grading_key(tmp_path)
    assert (tmp_path / secret.KEY_FILE).read_text() == "not a key\n"


def test_hidden_inputs_depend_on_the_key_and_need_one():
    spec = importlib.import_module("autograder.items.nb01").SPEC
    item = spec.item("ex_crop")

    def inputs(key: str) -> list[bytes]:
        return [wire.encode(p.inputs).encode() + p.code.encode()
                for p in item.hidden_probes(key)]

    assert inputs("1" * 64) != inputs("2" * 64)
    with pytest.raises(ValueError, match="no grading key"):
        probing.plan(spec, "")


# ------------------------------------------------------------------ frozen outputs


def test_outputs_are_frozen_when_probing_begins_and_display_updates_are_capped(tmp_path):
    shown = nbformat.v4.new_code_cell(
        "from IPython.display import display\n"
        "h = display('before probing', display_id=True)\n"
        "flood = display('small', display_id=True)\n"
        "for _ in range(50):\n    flood.update('x' * 20000)\n")
    probe = nbformat.v4.new_code_cell("h.update('SECRET-DURING-PROBE')\nprint('SECRET-PRINT')")
    probe.metadata["tags"] = [probing.PROBE_TAG]
    nb = nbformat.v4.new_notebook(cells=[shown, probe])
    channel = probing.RecordChannel(tmp_path)
    result = run(nb, cwd=tmp_path, cell_timeout=60, total_timeout=120,
                 max_output_chars=100_000, hooks=channel.hooks())
    assert result.fatal is None, result.fatal
    text = json.dumps(result.nb.cells[0].outputs)
    assert "before probing" in text and "SECRET" not in text
    assert len(text) < 200_000                     # 50 updates of 20 kB did not all land
