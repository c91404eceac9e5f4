"""The output folder has one description (``grading/layout.py``), and the grading pipeline's
functions stay short enough to read (issue 25).

Both tests read the package's source only (no kernel, no grading run)."""

from __future__ import annotations

import ast
from pathlib import Path

from autograder.grading import layout
from autograder.grading.layout import OutputLayout, read_results, write_json_atomic

PACKAGE = Path(__file__).resolve().parents[1] / "autograder"
LAYOUT = PACKAGE / "grading" / "layout.py"
LONGEST = 60          # lines, a function's whole body and signature

# (file relative to autograder/, name): a name of OUT that is also something else there.
ALLOWED = {
    # the course definition's own file name: ``ch4 course init`` writes it into the
    # instructor's working folder and ``ch4 exchange`` reads it from there (OUT keeps a copy,
    # at layout.COURSE_TOML: test_the_course_file_has_one_name)
    ("term/definition.py", layout.COURSE_TOML),
    # nbgrader's course folder has a feedback/ of its own (``ch4 course return`` fills it)
    ("term/exchange.py", layout.FEEDBACK),
    # a pattern that keeps a stray key out of the students' distribution (a repository
    # filter, not a path under OUT; release.py does not import the grader's package)
    ("release.py", layout.GRADING_KEY),
}


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


def _constants(path: Path) -> list[tuple[int, str, bool]]:
    """(line, text, joined) of every string constant in ``path`` but docstrings; ``joined``:
    the constant is an operand of ``/`` (a path piece)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    joined = {id(side) for node in ast.walk(tree)
              if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
              for side in (node.left, node.right)}
    skip = _docstrings(tree)
    return [(node.lineno, node.value, id(node) in joined) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skip]


FILES = {n for n in layout.NAMES if "." in n or "-" in n}   # names no sentence uses
FOLDERS = set(layout.NAMES) - FILES                          # words: "results", "feedback"


def _spelled(text: str, joined: bool) -> set[str]:
    """The names of OUT that a constant spells: a file name anywhere in a word-free piece of
    text; a folder name as a path piece (joined with ``/``, or inside "a/b")."""
    if " " in text:                  # prose (a message); paths in messages come from layout
        return set()
    pieces = set(text.split("/"))
    found = pieces & FILES
    if joined or "/" in text:
        found |= pieces & FOLDERS
    return found


def test_only_the_layout_spells_a_path_of_the_output_folder():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == LAYOUT:
            continue
        where = path.relative_to(PACKAGE).as_posix()
        for line, text, joined in _constants(path):
            for name in _spelled(text, joined):
                if (where, name) not in ALLOWED:
                    found.append(f"autograder/{where}:{line}: {text!r} (use OutputLayout)")
    assert not found, "\n".join(found)


def test_the_scan_finds_a_spelled_name(tmp_path):
    # the scan itself: a module that spells results/ and grades.csv is caught
    sample = tmp_path / "sample.py"
    sample.write_text('"""doc: grades.csv"""\nfrom pathlib import Path\nOUT = Path("x")\n'
                      'P = OUT / "results"\nQ = "grades.csv"\nR = "feedback"\n'
                      'S = f"{OUT}/similarity/{P}"\nT = "no grades.csv here"\n',
                      encoding="utf-8")
    spelled = {name for _, text, joined in _constants(sample)
               for name in _spelled(text, joined)}
    assert spelled == {"results", "grades.csv", "similarity"}   # "feedback": a word alone


def test_no_function_in_grading_is_over_the_limit():
    long = []
    for path in sorted((PACKAGE / "grading").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > LONGEST:
                    long.append(f"{path.relative_to(PACKAGE)}: {node.name} ({lines} lines)")
    assert not long, "\n".join(long)


def test_every_path_lies_inside_the_output_folder(tmp_path):
    paths = OutputLayout(tmp_path)
    properties = [getattr(paths, name) for name, value in vars(OutputLayout).items()
                  if isinstance(value, property)]
    made = properties + [paths.result("s", "n"), paths.executed_notebook("s", "n"),
                         paths.feedback_page("s", "n"), paths.moodle_worksheet_csv("a"),
                         paths.course_submitted("s", "a")]
    assert all(p.is_relative_to(tmp_path) for p in made)
    assert len({p for p in properties}) == len(properties)      # no two names for one path


def test_the_writer_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "deep" / "grades.json"
    write_json_atomic(target, {"a": 1})

    class Unwritable:
        pass

    try:
        write_json_atomic(target, {"a": Unwritable()})
    except TypeError:
        pass
    else:
        raise AssertionError("an unserialisable value was written")
    assert target.read_text(encoding="utf-8") == '{\n "a": 1\n}'
    assert [p.name for p in target.parent.iterdir()] == ["grades.json"]   # no temporary left


def test_the_results_reader_names_what_it_cannot_read(tmp_path):
    paths = OutputLayout(tmp_path)
    paths.result("ann", "01_x").parent.mkdir(parents=True)
    paths.result("ann", "01_x").write_text("{not json", encoding="utf-8")
    read = read_results(tmp_path)
    assert read.results == [] and [u.path for u in read.unreadable] == [
        paths.result("ann", "01_x")]
    assert read.unreadable[0].reason


def test_the_course_file_has_one_name():
    from autograder.term.definition import FILE_NAME

    assert layout.COURSE_TOML == FILE_NAME


def test_grading_in_memory_writes_nothing_and_save_writes_each_file_once(tmp_path):
    # an unreadable submission is graded without a kernel: the work is all in memory
    from autograder.grading.sandbox import Limits
    from autograder.grading.worker import Job, grade_submission, save

    source = PACKAGE.parent / "tests" / "fixtures" / "grading" / "solutions" / "01_tiny.ipynb"
    handed = tmp_path / "in" / "carol.ipynb"
    handed.parent.mkdir()
    handed.write_text("{not json", encoding="utf-8")
    out = tmp_path / "out"
    job = Job("carol", "ch4", "01_tiny", str(handed), str(source), str(out), Limits())
    work = grade_submission(job)
    assert work.executed is None and work.result.invalid
    assert all(not i.passed and i.message.startswith("not graded") for i in work.result.items)
    assert not out.exists()                               # nothing written while grading
    save(job, work)
    paths = OutputLayout(out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        paths.result("carol", "01_tiny").relative_to(out).as_posix()]
    assert read_results(out).results[0].invalid == work.result.invalid
