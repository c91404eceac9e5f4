"""The class grader: fixture course, adversarial submissions, resume, parallelism, feedback."""

from __future__ import annotations

import csv
import html
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from harness import sandbox_ok

from autograder import notebook as nbk
from autograder.grading import assemble as asm
from autograder.grading.collect import CollectError, collect, extract_zip, student_from_filename
from autograder.grading.feedback import secret_lines
from autograder.grading.run import Settings, grade_class
from autograder.grading.sandbox import Limits
from autograder.results import GradeResult, ItemResult

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "grading" / "solutions"
SOURCE = FIXTURE / "01_tiny.ipynb"
LIMITS = Limits(memory_mb=3072, processes=128, file_size_mb=16, cell_timeout=20,
                notebook_timeout=60, grace_s=3)

_spec = importlib.util.spec_from_file_location("make_submissions",
                                               REPO / "examples" / "make_submissions.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)


needs_bwrap = pytest.mark.skipif(not sandbox_ok(), reason="bubblewrap cannot run here")


@pytest.fixture(scope="module", autouse=True)
def _shared_references(shared_references):
    """The tiny notebook's reference is computed once per session: other modules grade it
    too."""
    with shared_references():
        yield


def source():
    return nbk.read(SOURCE)


def solved_answers() -> dict[str, str]:
    return make.answer_cells(source())


def write_sub(root: Path, student: str, nb=None, text: str | None = None) -> Path:
    path = root / "submitted" / student / "ch4" / "01_tiny.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    if text is not None:
        path.write_text(text)
    else:
        nbk.write(nb, path)
    return path


def settings(subs: Path, out: Path, workers: int = 2, **kw) -> Settings:
    return Settings(subs, FIXTURE, out, "ch4", workers, LIMITS, None, (), True, quiet=True,
                    **kw)


def by_student(results: list[GradeResult]) -> dict[str, GradeResult]:
    return {r.student: r for r in results}


# ------------------------------------------------------------------ unit: no kernel


def test_student_id_from_lms_file_names():
    names = ["01_tiny", "08_questionnaire"]
    assert student_from_filename("alice_08_questionnaire.ipynb", names) == (
        "alice", "08_questionnaire")
    assert student_from_filename("bob--01_tiny.ipynb", names) == ("bob", "01_tiny")
    assert student_from_filename("x_y_12345_01_tiny.ipynb", names) == ("x_y_12345", "01_tiny")
    assert student_from_filename("01_tiny.ipynb", names) is None
    assert student_from_filename("alice_notes.ipynb", names) is None


def test_zip_extraction_refuses_traversal(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../evil_01_tiny.ipynb", "{}")
    with pytest.raises(CollectError):
        extract_zip(bad, tmp_path / "x")
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as zf:
        zf.writestr("export/alice_01_tiny.ipynb", nbk.dumps(source()))
        zf.writestr("export/notes.txt", "hello")
    subs, skipped = collect(good, ["01_tiny"], scratch=tmp_path / "scratch")
    assert [(s.student, s.notebook) for s in subs] == [("alice", "01_tiny")]


def test_assemble_takes_only_answer_cells_from_the_submission():
    src = source()
    student = make.fill(src, solved_answers())
    for cell in student.cells:
        if nbk.grade_id(cell) == "ex_double":
            cell.source = "pass  # tests removed"
    student.cells = [c for c in student.cells if nbk.grade_id(c) != "q01_answer"]
    dup = [c for c in student.cells if nbk.grade_id(c) == "ex_mean_abs_answer"][0]
    student.cells.append(dup)
    built = asm.assemble(src, student)
    text = "\n".join(built.problems)
    assert "ex_double: locked cell edited" in text
    assert "q01_answer: answer cell deleted" in text
    assert "ex_mean_abs_answer: answer cell appears 2 times" in text
    tests = [c for c in built.nb.cells if nbk.grade_id(c) == "ex_double"][0]
    assert tests.source == ""   # no test code enters the student's kernel


def test_tamper_scanner_flags_reaching_for_the_grader():
    assert asm.tamper_reasons("def f(x):\n    return 2 * x") == []
    for code in ["import sys\nsys.modules['autograder.checks._common'].expect = print",
                 "torch.allclose = lambda *a, **k: True",
                 "import numpy\nnumpy.testing.assert_allclose = lambda *a: None",
                 "get_ipython().events.register('pre_run_cell', f)",
                 "class A:\n    def __eq__(self, o):\n        return True",
                 "setattr(torch, 'allclose', f)"]:
        assert asm.tamper_reasons(code), code


# ------------------------------------------------------------------ sandboxed runs


ADVERSARIAL = {
    # name: (answer for ex_double_answer, extra answers, why it must not score ex_double)
    "loop": "while True:\n    pass",
    "loop_ignores_interrupt": "while True:\n    try:\n        while True:\n            pass\n"
                              "    except KeyboardInterrupt:\n        pass",
    "memory_hog": "x = bytearray(10 * 1024**3)\ndef double(x):\n    return x",
    "fork_bomb": "import os\nfor _ in range(100000):\n    try:\n        os.fork()\n"
                 "    except OSError:\n        break\ndef double(x):\n    return x",
    "sys_exit": "import sys\nsys.exit(0)\ndef double(x):\n    return 2 * x",
    "os_exit": "import os\nos._exit(0)",
    "segfault": "import ctypes\nctypes.string_at(0)",
    "print_gigabytes": "while True:\n    print('x' * 1000000)",
    # hides every later error *output*; the kernel's reply still reports the failure
    "silence_errors": "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\n"
                      "def double(x):\n    return x",
    # rewarded only if the sandbox leaks: `double` is right only when a secret file is readable
    "read_secrets": "import pathlib\nSEEN = []\nfor p in SECRET_PATHS:\n    try:\n"
                    "        SEEN.append(pathlib.Path(p).read_bytes()[:10])\n"
                    "    except OSError:\n        pass\n"
                    "def double(x):\n    return 2 * x if SEEN else x",
    # ipykernel's exit() asks the front end to stop the kernel; the grader does not, and the
    # (wrong) answer written after it is graded as usual
    "kernel_exit": "exit()\ndef double(x):\n    return x",
    "abort": "import os\nos.abort()\ndef double(x):\n    return 2 * x",
    "shadow_torch": "class _Yes:\n    def __getattr__(self, name):\n"
                    "        return lambda *a, **k: True\n"
                    "torch = _Yes()\nnp = _Yes()\ndef double(x):\n    return x",
    "shadow_import": "def __import__(*a, **k):\n    raise ImportError('no guard')\n"
                     "def double(x):\n    return x",
    "patch_allclose": "import torch, numpy.testing\ntorch.allclose = lambda *a, **k: True\n"
                      "numpy.testing.assert_allclose = lambda *a, **k: None\n"
                      "def double(x):\n    return x",
    "always_equal": "class Same(float):\n    def __eq__(self, o):\n        return True\n"
                    "def double(x):\n    return Same(0)",
    "network": "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 80), timeout=3)\n"
               "    NET = True\nexcept OSError:\n    NET = False\n"
               "def double(x):\n    assert NET, 'no network'\n    return 2 * x",
    "rebind_checks": "import autograder.checks._common as c\n"
                     "c.expect_close = lambda *a, **k: None\nc.expect = lambda *a, **k: None\n"
                     "def double(x):\n    return x",
    "obfuscated_rebind": "m = __import__('autograder.checks._common', fromlist=['x'])\n"
                         "m.__dict__['expect_close'] = lambda *a, **k: None\n"
                         "def double(x):\n    return x",
}


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory):
    if not sandbox_ok():
        pytest.skip("bubblewrap cannot run here")
    root = tmp_path_factory.mktemp("adv")
    out = tmp_path_factory.mktemp("adv-out")
    src = source()
    good = solved_answers()
    secrets = [str(SOURCE), str(REPO / "solutions" / "01_pixels_and_similarity.ipynb"),
               str(out / "gradebook.db"), str(root / "submitted" / "solution" / "ch4" /
                                              "01_tiny.ipynb"), "/etc/shadow"]
    for name, code in ADVERSARIAL.items():
        answers = dict(good)
        answers["ex_double_answer"] = code.replace("SECRET_PATHS", repr(secrets))
        write_sub(root, name, make.fill(src, answers))
    # locked-cell tampering: tests of ex_double emptied, deleted or retyped
    edited = make.fill(src, {**good, "ex_double_answer": "def double(x):\n    return x"})
    for cell in edited.cells:
        if nbk.grade_id(cell) == "ex_double":
            cell.source = "pass"
    write_sub(root, "edit_locked", edited)
    deleted = make.fill(src, {**good, "ex_double_answer": "def double(x):\n    return x"})
    deleted.cells = [c for c in deleted.cells if nbk.grade_id(c) != "ex_double"]
    write_sub(root, "delete_locked", deleted)
    retyped = make.fill(src, {**good, "ex_double_answer": "def double(x):\n    return x"})
    for cell in retyped.cells:
        if nbk.grade_id(cell) == "ex_double":
            cell.cell_type = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    write_sub(root, "retype_locked", retyped)
    write_sub(root, "solution", make.fill(src, good))
    # correct work that writes to stderr and warns must still get full marks (nbgrader PR #1904)
    noisy = {**good, "ex_double_answer": "import sys, warnings\n"
             "print('debug: about to define double', file=sys.stderr)\n"
             "warnings.warn('a harmless warning')\n" + good["ex_double_answer"]}
    write_sub(root, "stderr_noise", make.fill(src, noisy))
    write_sub(root, "untouched", make.fill(src, {}))
    write_sub(root, "broken_json", text='{"cells": [')
    started = time.monotonic()
    outcome = grade_class(settings(root, out, workers=2))
    return root, out, by_student(outcome.results), time.monotonic() - started


def gradebook_rows(out: Path) -> list[tuple]:
    """Every grade row of the gradebook: (student, notebook, item, auto score, needs manual)."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        for student in gb.students:
            for sub in gb.find_submission("ch4", student.id).notebooks:
                rows += [(student.id, sub.name, g.name, g.auto_score, g.needs_manual_grade,
                          g.max_score) for g in sub.grades]
                assert len({g.name for g in sub.grades}) == len(sub.grades)
    return sorted(rows, key=repr)


def item(result: GradeResult, gid: str) -> ItemResult:
    return result.item(gid)


@needs_bwrap
def test_solution_full_marks_and_untouched_zero(adversarial):
    _, _, results, _ = adversarial
    assert results["solution"].score == results["solution"].max_score == 6
    assert not results["solution"].flags
    assert results["untouched"].score == 0
    assert results["stderr_noise"].score == 6 and not results["stderr_noise"].flags
    assert results["broken_json"].score == 0
    assert "not valid notebook JSON" in results["broken_json"].invalid


@needs_bwrap
@pytest.mark.parametrize("name", sorted(ADVERSARIAL) + ["edit_locked", "delete_locked",
                                                         "retype_locked"])
def test_adversarial_submission_gains_nothing(adversarial, name):
    _, _, results, _ = adversarial
    result = results[name]
    double = item(result, "ex_double")
    assert double.score == 0, (name, double)
    assert double.message, name
    # nothing leaked into the result from the instructor's files
    assert "BEGIN SOLUTION" not in json.dumps(result.to_json())


@needs_bwrap
def test_adversarial_reasons_are_clear(adversarial):
    _, _, results, _ = adversarial
    msg = {name: item(results[name], "ex_double").message for name in results}
    assert "timed out" in msg["loop"] or "interrupt" in msg["loop"]
    assert "kernel stopped" in msg["os_exit"] or "not run" in msg["os_exit"]
    assert "kernel stopped" in msg["segfault"] or "not run" in msg["segfault"]
    # the comparison happens in the grader, so the patch changes nothing; the cell is flagged
    assert "differs from the expected result" in msg["patch_allclose"]
    assert results["patch_allclose"].flags["ex_double_answer"]
    assert results["rebind_checks"].flags
    assert results["shadow_import"].flags
    assert "kernel stopped" in msg["abort"] or "not run" in msg["abort"]
    assert results["abort"].score == 0 and not results["abort"].flags
    assert "memory" in msg["memory_hog"] or "MemoryError" in msg["memory_hog"]
    # the sandbox, not a flag, is what stops these: they are not held for review
    for name in ("read_secrets", "network", "shadow_torch"):
        assert not results[name].flags, name
        assert item(results[name], "ex_double").score == 0, name
    assert "locked cell edited" in " ".join(results["edit_locked"].problems)
    assert "locked cell deleted" in " ".join(results["delete_locked"].problems)
    # the kernel that died or was killed does not award later items
    for name in ("os_exit", "segfault", "loop_ignores_interrupt"):
        assert results[name].score == 0, name


@needs_bwrap
def test_batch_and_gradebook_intact(adversarial):
    from nbgrader.api import Gradebook

    root, out, results, _ = adversarial
    assert len(results) == len(ADVERSARIAL) + 7
    assert len(ADVERSARIAL) + 3 >= 12
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        assert {s.id for s in gb.students} == set(results)
        for student, result in results.items():
            sub = gb.find_submission_notebook("01_tiny", "ch4", student)
            assert sub.code_score == result.score, student
    rows = list(csv.DictReader(open(out / "grades.csv")))
    assert {r["student"] for r in rows} == set(results)
    assert (out / "report.html").read_text().count("data:image/png;base64,") == 2


@needs_bwrap
def test_feedback_never_reveals_hidden_tests_or_solutions(adversarial):
    _, out, results, _ = adversarial
    secrets = secret_lines(source())
    assert secrets
    pages = sorted((out / "feedback").rglob("*.html"))
    assert len(pages) == len(results)
    for page in pages:
        text = page.read_text()
        for marker in ("HIDDEN TESTS", "_hidden_", "MARK SCHEME", "BEGIN SOLUTION",
                       "hidden double check", "Two points: small weight change"):
            assert marker not in text, (page, marker)
        student = page.parent.name
        answers = "\n".join(results[student].answers.values())
        for line in secrets:
            leaked = line in text or html.escape(line) in text
            assert not leaked or line in answers, (page, line)


@needs_bwrap
def test_workers_two_equals_one_and_resume_after_kill(adversarial, tmp_path):
    root, _, results, _ = adversarial
    subset = tmp_path / "subset"
    for student in ("solution", "untouched", "rebind_checks", "always_equal", "patch_allclose",
                    "edit_locked"):
        (subset / "submitted" / student).mkdir(parents=True)
        os.symlink(root / "submitted" / student / "ch4", subset / "submitted" / student / "ch4")
    out1 = tmp_path / "one"
    one = by_student(grade_class(settings(subset, out1, workers=1)).results)
    scores = {k: [i.score for i in v.items] for k, v in one.items()}
    assert scores == {k: [i.score for i in results[k].items] for k in one}

    out2 = tmp_path / "killed"
    cmd = [sys.executable, "-m", "autograder.cli", "grade", str(subset), "--solutions",
           str(FIXTURE), "--out", str(out2), "--workers", "2", "--timeout", "20",
           "--notebook-timeout", "60", "--memory", "3072", "--processes", "128",
           "--file-size", "16", "--data", str(tmp_path / "nodata")]
    proc = subprocess.Popen([*cmd, "--quiet"], cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = list((out2 / "results").rglob("*.json")) if (out2 / "results").exists() else []
        if len(done) >= 2:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished_before = len(list((out2 / "results").rglob("*.json")))
    assert 0 < finished_before < 6

    def rerun() -> tuple[int, int]:
        done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        match = re.search(r"6 submissions \((\d+) graded now, (\d+) reused\)", done.stdout)
        assert match, done.stdout
        return int(match.group(1)), int(match.group(2))

    graded_now, reused = rerun()
    assert reused >= finished_before
    assert reused + graded_now == 6
    two = {p.parent.name: GradeResult.from_json(json.loads(p.read_text()))
           for p in (out2 / "results").rglob("*.json")}
    assert {k: [i.score for i in v.items] for k, v in two.items()} == scores
    # same gradebook rows, item by item, for 1 worker and for 2 workers after a kill -9
    assert gradebook_rows(out2) == gradebook_rows(out1)
    # a third run regrades nothing and changes nothing
    assert rerun() == (0, 6)
    assert gradebook_rows(out2) == gradebook_rows(out1)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{out2 / 'gradebook.db'}") as gb:
        assert len(gb.students) == 6
        for student, result in two.items():
            sub = gb.find_submission_notebook("01_tiny", "ch4", student)
            assert sub.code_score == result.score
