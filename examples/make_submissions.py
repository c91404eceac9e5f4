"""Generate examples/submissions/ from solutions/ (rerun whenever the solutions change).

    python examples/make_submissions.py [--solutions DIR] [--out DIR]

Writes an nbgrader layout ``submitted/<student>/ch4/<notebook>.ipynb`` plus ``EXPECTED.json``
and ``EXPECTED.md``: the score each submission must get, computed from the rubric (the points
of the items each student answered correctly), not from a grading run. Students:

- alice: every demo notebook complete (full marks);
- bob: the questionnaire with only the first half of the answers (partial);
- carol: the first notebook untouched (0);
- dave: a notebook whose file is not valid JSON (0, with a reason);
- eve: wrong answers, plus a first answer that patches torch.allclose and rebinds check
  functions (0 points: nothing in her kernel decides a score; flagged for review);
- frank: complete questionnaire except that the last answer loops forever (that item 0).

Item i's answer cell is ``<i>_answer`` (CONTRIBUTING.md's convention), so "solving" an item
means writing its reference solution into that cell.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from autograder import notebook as nbk  # noqa: E402
from autograder.release import student_version  # noqa: E402

DEMO_NOTEBOOKS = ("01_pixels_and_similarity", "02_tensors_and_metrics", "08_questionnaire")
ASSIGNMENT = "ch4"
CHEAT = """\
import torch, numpy
import autograder.items.compare as _c
import autograder.items.runner as _r
torch.allclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
_c.judge = lambda *a, **k: _c.Verdict(True)
_r.run_item = lambda *a, **k: None
"""
LOOP = "while True:\n    pass\n"


def solved(cell_source: str) -> str:
    """A reference answer as a student would write it (the solution markers removed)."""
    lines = [ln for ln in cell_source.splitlines()
             if not re.match(r"\s*### (BEGIN|END) SOLUTION", ln)]
    return "\n".join(lines)


def answer_cells(source) -> dict[str, str]:
    """answer id -> solved source, for code answer cells."""
    return {nbk.grade_id(c): solved(c.source) for c in source.cells
            if nbk.is_solution(c) and c.cell_type == "code" and nbk.grade_id(c)}


def items(source) -> list[tuple[str, float]]:
    return [(i.grade_id, i.points) for i in nbk.graded_items(source) if not i.manual]


def fill(source, answers: dict[str, str]):
    """The release notebook with some answer cells written in."""
    nb = student_version(source)
    for cell in nb.cells:
        gid = nbk.grade_id(cell)
        if gid in answers:
            cell.source = answers[gid]
    return nb


def expected_points(source, solved_ids: set[str]) -> float:
    return sum(p for gid, p in items(source) if f"{gid}_answer" in solved_ids)


def build(solutions: Path, out: Path, notebooks: tuple[str, ...] = DEMO_NOTEBOOKS) -> dict:
    """Write the submissions and return {student/notebook: expected record}."""
    available = [n for n in notebooks if (solutions / f"{n}.ipynb").exists()]
    if not available:
        raise SystemExit(f"none of {notebooks} exists in {solutions}")
    shutil.rmtree(out / "submitted", ignore_errors=True)
    expected: dict[str, dict] = {}
    sources = {n: nbk.read(solutions / f"{n}.ipynb") for n in available}
    quiz = "08_questionnaire" if "08_questionnaire" in sources else available[-1]
    first = available[0]

    def save(student: str, name: str, nb=None, text: str | None = None, score: float = 0.0,
             why: str = "") -> None:
        path = out / "submitted" / student / ASSIGNMENT / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is not None:
            path.write_text(text, encoding="utf-8")
        else:
            nbk.write(nb, path)
        total = sum(p for _, p in items(sources[name]))
        expected[f"{student}/{name}"] = {"score": score, "max_score": total, "why": why}

    for name, src in sources.items():                                   # alice: complete
        answers = answer_cells(src)
        save("alice", name, fill(src, answers), score=expected_points(src, set(answers)),
             why="every answer is the reference solution")

    src = sources[quiz]                                                 # bob: partial
    ids = list(answer_cells(src))
    half = set(ids[: len(ids) // 2])
    save("bob", quiz, fill(src, {k: v for k, v in answer_cells(src).items() if k in half}),
         score=expected_points(src, half), why=f"answers only {len(half)} of {len(ids)} items")

    save("carol", first, fill(sources[first], {}), score=0.0,          # carol: untouched
         why="the release as handed out")

    broken = nbk.dumps(fill(sources[first], answer_cells(sources[first])))
    save("dave", first, text=broken[: len(broken) // 2], score=0.0,    # dave: broken JSON
         why="file is cut in half: not valid JSON")

    src = sources[first]                                                # eve: cheating
    answers = answer_cells(src)
    wrong = {k: CHEAT + "\n" + _wrong(v) if i == 0 else _wrong(v)
             for i, (k, v) in enumerate(answers.items())}
    save("eve", first, fill(src, wrong), score=0.0,
         why="patches torch.allclose and the checks; answers are wrong; flagged for review")

    src = sources[quiz]                                                 # frank: endless loop
    answers = answer_cells(src)
    last = list(answers)[-1]
    looped = dict(answers)
    looped[last] = LOOP + answers[last]
    save("frank", quiz, fill(src, looped), score=expected_points(src, set(answers) - {last}),
         why=f"{last} loops forever (timed out), every other answer correct")

    (out / "EXPECTED.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    lines = ["# Expected scores (from the rubric, not from a run)", "",
             "Regenerate with `python examples/make_submissions.py`.", "",
             "| submission | expected | why |", "|---|---|---|"]
    for key, rec in sorted(expected.items()):
        lines.append(f"| {key} | {rec['score']:g}/{rec['max_score']:g} | {rec['why']} |")
    (out / "EXPECTED.md").write_text("\n".join(lines) + "\n")
    return expected


def _wrong(answer: str) -> str:
    """A wrong answer that still defines the same names: every function returns None and
    every top-level name is bound to a look-alike object whose == is always True."""
    return ("class _Anything:\n    def __eq__(self, other):\n        return True\n"
            "    def __ne__(self, other):\n        return False\n\n"
            + re.sub(r"(?m)^(\s+)return\b.*$", r"\1return _Anything()", answer))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", type=Path, default=REPO / "solutions")
    parser.add_argument("--out", type=Path, default=HERE / "submissions")
    parser.add_argument("--notebooks", nargs="*", default=list(DEMO_NOTEBOOKS))
    args = parser.parse_args(argv)
    expected = build(args.solutions, args.out, tuple(args.notebooks))
    print(f"wrote {len(expected)} submissions to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
