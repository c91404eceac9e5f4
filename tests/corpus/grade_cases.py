"""Grade corpora of answers through the real ``ch4 grade`` and ``ch4 check``.

A *case* is ``(answer cell id, grade id, what, source)`` (the shape of tests/mutants). Cases of
one notebook are packed into as few submissions as possible: every submission starts from the
student release with the reference answers filled in, and then takes at most one case per item.
Wrong answers are only packed together when neither item uses the other (``Item.needs``), so an
item can never fail because of another item's wrong answer. Usable from a shell too:

    python tests/corpus/grade_cases.py 01_pixels_and_similarity correct|wrong
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from autograder import notebook as nbk  # noqa: E402
from autograder.items import probing  # noqa: E402
from autograder.release import student_version  # noqa: E402

Case = tuple[str, str, str, str]
CORPUS = Path(__file__).resolve().parent
MUTANT_FILES = {"08_questionnaire": "questionnaire"}


@dataclass(frozen=True)
class Packed:
    """One submission: its student id, the cases it holds (grade id -> case) and its file."""

    student: str
    cases: dict[str, Case]
    path: Path


def _load(file: Path, name: str) -> list[Case]:
    if not file.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"_corpus_{file.stem}_{name}", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(getattr(module, name, []))


def correct_cases(notebook: str) -> list[Case]:
    return _load(CORPUS / "correct" / f"nb{notebook[:2]}.py", "CORRECT")


def wrong_cases(notebook: str) -> list[Case]:
    """tests/mutants: 4-tuples, or the questionnaire's (item, misconception, source)."""
    key = MUTANT_FILES.get(notebook, f"nb{notebook[:2]}")
    file = REPO / "tests" / "mutants" / f"{key}.py"
    cases = _load(file, "MUTANTS") or _load(file, "WRONG_ANSWERS")
    return [c if len(c) == 4 else (f"{c[0]}_answer", c[0], c[1], c[2]) for c in cases]


def _depends(spec, a: str, b: str) -> bool:
    """True when item ``a`` uses item ``b``, directly or through another item."""
    seen, todo = set(), [a]
    while todo:
        current = todo.pop()
        for other in spec.item(current).needs:
            if other == b:
                return True
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return False


def pack(notebook: str, cases: list[Case], independent: bool) -> list[dict[str, Case]]:
    """Group cases into submissions: one case per item each; with ``independent``, never two
    items of which one uses the other."""
    source = nbk.read(REPO / "solutions" / f"{notebook}.ipynb")
    spec = probing.spec_of(source)
    groups: list[dict[str, Case]] = []
    for case in cases:
        item = case[1]
        for group in groups:
            if item in group:
                continue
            if independent and any(_depends(spec, item, o) or _depends(spec, o, item)
                                   for o in group):
                continue
            group[item] = case
            break
        else:
            groups.append({item: case})
    return groups


def write_submissions(notebook: str, groups: list[dict[str, Case]], root: Path,
                      prefix: str, first: int = 1) -> list[Packed]:
    """nbgrader-style folders ``root/submitted/<prefix>-<k>/ch4/<notebook>.ipynb``, ``k``
    counting from ``first``."""
    source = nbk.read(REPO / "solutions" / f"{notebook}.ipynb")
    answers = {nbk.grade_id(c): c.source for c in source.cells if nbk.is_solution(c)}
    out = []
    for k, group in enumerate(groups, start=first):
        nb = student_version(source)
        by_answer = {case[0]: case for case in group.values()}
        for cell in nb.cells:
            gid = nbk.grade_id(cell)
            if gid in by_answer:
                cell.source = by_answer[gid][3].strip("\n") + "\n"
            elif gid in answers and nbk.is_solution(cell):
                cell.source = answers[gid]
        student = f"{prefix}-{k}"
        path = root / "submitted" / student / "ch4" / f"{notebook}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbk.write(nb, path)
        out.append(Packed(student, group, path))
    return out


def grade(root: Path, out: Path, notebooks: list[str], workers: int = 2,
          limits=None) -> dict:
    """Grade ``root`` with the real pipeline; results by (student, notebook)."""
    from autograder.grading.run import Settings, grade_class
    from autograder.grading.sandbox import SandboxUnavailable, check_available

    try:
        check_available()
        sandbox = True
    except SandboxUnavailable:
        sandbox = False
    from autograder.grading.data_dirs import default_data_dirs, needs_full_mnist

    data = tuple(str(d) for d in default_data_dirs(
        needs_full_mnist(REPO / "solutions", tuple(notebooks))))
    settings = Settings(root, REPO / "solutions", out, workers=workers,
                        notebooks=tuple(notebooks), sandbox=sandbox, data_dirs=data, quiet=True)
    if limits is not None:
        settings.limits = limits
    outcome = grade_class(settings)
    return {(r.student, r.notebook): r for r in outcome.results}


def verdicts(result: dict) -> dict[str, tuple[bool, str]]:
    return {i.grade_id: (i.passed, i.message) for i in result.items
            if not i.manual}


def main(notebook: str, kind: str) -> int:
    import tempfile

    cases = correct_cases(notebook) if kind == "correct" else wrong_cases(notebook)
    groups = pack(notebook, cases, independent=kind != "correct")
    with tempfile.TemporaryDirectory(prefix=f"ch4-corpus-{kind}-") as tmp:
        packed = write_submissions(notebook, groups, Path(tmp), kind)
        results = grade(Path(tmp), Path(tmp) / "out", [notebook])
    bad = 0
    for sub in packed:
        got = verdicts(results[(sub.student, notebook)])
        for gid, case in sub.cases.items():
            passed, message = got[gid]
            wrong = passed if kind == "wrong" else not passed
            bad += wrong
            print(f"{'BAD ' if wrong else 'ok  '}{gid:24} {case[2][:50]:50} {message[:120]}")
    print(f"{len(cases)} {kind} cases in {len(packed)} submissions; {bad} judged wrongly")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
