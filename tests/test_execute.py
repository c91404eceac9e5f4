"""autograder.execute: a failing cell is a failure even when its error output goes missing."""

from __future__ import annotations

from autograder import notebook as nbk
from autograder.execute import run


def _run(tmp_path, *sources: str):
    nb = nbk.new_notebook([nbk.code(s) for s in sources], "t")
    return run(nb, cwd=tmp_path, cell_timeout=30, total_timeout=120)


def test_error_without_error_output_still_fails(tmp_path):
    # Silencing IPython's traceback display removes the error *output*; the kernel's reply
    # still says the cell failed, and that is what counts (otherwise every check would pass).
    result = _run(tmp_path, "get_ipython().showtraceback = lambda *a, **k: None",
                  "1 / 0", "assert False, 'hidden check'", "x = 1")
    errors = [c.error for c in result.cells]
    assert errors[0] is None
    assert errors[1] is not None and errors[1].startswith("ZeroDivisionError")
    assert errors[2] is not None and errors[2].startswith("AssertionError")
    assert errors[3] is None
    assert all(c.ran for c in result.cells)


def test_output_flood_is_capped_and_errors_survive(tmp_path):
    nb = nbk.new_notebook([nbk.code("for _ in range(50):\n    print('x' * 10_000)"),
                           nbk.code("raise ValueError('still seen')")], "t")
    result = run(nb, cwd=tmp_path, cell_timeout=30, max_output_chars=20_000)
    assert 0 in result.truncated_cells
    printed = sum(len(o.get("text", "")) for o in nb.cells[0].outputs)
    assert printed < 40_000
    assert result.cells[1].error == "ValueError: still seen"


def test_a_huge_error_is_kept_but_cut_to_size(tmp_path):
    source = ("Huge = type('E' * 2_000_000, (Exception,), {})\n"
              "raise Huge('y' * 30_000_000)")
    nb = nbk.new_notebook([nbk.code(source)], "t")
    result = run(nb, cwd=tmp_path, cell_timeout=60, max_output_chars=20_000)
    assert result.cells[0].error and result.cells[0].error.startswith("E" * 50)
    assert len(str(nb.cells[0].outputs)) < 100_000
