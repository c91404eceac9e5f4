"""Repository-wide pytest hook: the cells the course provides run quietly under nbval.

``./run.sh test`` executes every notebook of ``solutions/`` and ``course/`` with nbval, one
pytest item per code cell. A provided cell (not an answer cell, not a release cell allowed to
fail) that writes to stderr fails its item: with right answers, a warning there is either
library noise a student should not have to read or advice (such as "use detach()") that does
not apply. Answer cells are not checked, so warnings from a student's own code stay visible.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Fail an nbval cell item whose provided cell printed to stderr."""
    result = yield
    cell, outputs = getattr(item, "cell", None), getattr(item, "test_outputs", None)
    if cell is None or outputs is None or not hasattr(item, "cell_num"):
        return result
    from autograder.notebook import provided_noise

    noise = provided_noise(cell, outputs)
    if noise:
        raise AssertionError(f"a provided cell wrote to stderr (a warning?); make the cell "
                             f"quiet instead of hiding it:\n{noise}")
    return result
