"""Release on a JupyterHub: an assignment of the term written as an nbgrader course folder.

``ch4 course release ASSIGNMENT --folder HUB`` writes, for one assignment of the course
definition, what nbgrader's own exchange commands read, in nbgrader's layout:

    HUB/nbgrader_config.py                    course id (and the exchange root, when given)
    HUB/source/<assignment>/<nb>.ipynb        the instructor notebooks (solutions/)
    HUB/release/<assignment>/<nb>.ipynb       what students get (as `ch4 release` makes it)

Then nbgrader works unchanged: ``nbgrader release_assignment`` (in HUB), students'
``fetch_assignment`` / ``submit``, and ``nbgrader collect`` (in HUB) gathers
``HUB/submitted/<student>/<assignment>/`` with nbgrader's ``timestamp.txt``, which
``ch4 grade HUB --course FILE`` reads (the submission time of every notebook). After
``ch4 feedback OUT``, ``ch4 course return ASSIGNMENT --folder HUB --out OUT`` puts each
student's returned pages where ``nbgrader release_feedback`` looks for them
(``HUB/feedback/<student>/<assignment>/<nb>.html`` with the submission's ``timestamp.txt`` and
``submission_secret.txt``), so students get them with ``nbgrader fetch_feedback``. Nothing here
runs nbgrader: the folder is plain files, so a missing or different nbgrader changes nothing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder import notebook as nbk
from autograder.grading.collect import safe_id
from autograder.grading.layout import OutputLayout
from autograder.release import student_version
from autograder.term.definition import FILE_NAME, CourseDefinition, default_definition, load

REPO = Path(__file__).resolve().parents[2]
MARK = "# Written by `ch4 course release`"
CONFIG = MARK + """ (rewritten by the next one; delete this line to keep your edits).
# Start `nbgrader release_assignment ASSIGNMENT` here; `nbgrader collect ASSIGNMENT` gathers
# submitted/, which `ch4 grade {folder_hint} --course ch4-course.toml` grades.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course!r}
"""


class ExchangeError(ValueError):
    """An assignment cannot be written for the exchange (one-line message)."""


@dataclass(frozen=True)
class HubRelease:
    """What one ``ch4 course release`` wrote."""

    folder: Path
    assignment: str
    course_id: str
    released: tuple[Path, ...]     # HUB/release/<assignment>/<nb>.ipynb
    config_written: bool           # False: an nbgrader_config.py of the instructor's was kept


def config_text(course_id: str, exchange: Path | None, folder: Path) -> str:
    """nbgrader_config.py for the hub folder."""
    text = CONFIG.format(course=course_id, folder_hint=folder)
    if exchange is not None:
        text += f"c.Exchange.root = {str(exchange)!r}\n"
    return text


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _write_config(folder: Path, text: str) -> bool:
    """Write the config unless the instructor wrote one of their own there."""
    path = folder / "nbgrader_config.py"
    if path.exists() and not path.read_text(encoding="utf-8").startswith(MARK):
        return False
    _write(path, text)
    return True


def release(definition: CourseDefinition, assignment: str, folder: Path,
            solutions: Path = REPO / "solutions", exchange: Path | None = None) -> HubRelease:
    """Write ``assignment``'s source and release notebooks into ``folder`` (see the module)."""
    found = {a.name: a for a in definition.assignments}
    if assignment not in found:
        raise ExchangeError(f"no assignment {assignment!r} in the course definition "
                            f"(it has {', '.join(sorted(found)) or 'none'})")
    folder = Path(folder)
    released = []
    for name in found[assignment].notebooks:
        source_path = Path(solutions) / f"{name}.ipynb"
        try:
            source = nbk.read(source_path)
        except (OSError, nbk.NotebookError) as exc:
            raise ExchangeError(f"{source_path}: cannot read the source notebook ({exc})") \
                from exc
        _write(folder / "source" / assignment / f"{name}.ipynb", nbk.dumps(source))
        target = folder / "release" / assignment / f"{name}.ipynb"
        _write(target, nbk.dumps(student_version(source)))
        released.append(target)
    kept = _write_config(folder, config_text(definition.course_id, exchange, folder))
    return HubRelease(folder, assignment, definition.course_id, tuple(released), kept)


@dataclass(frozen=True)
class HubFeedback:
    """What one ``ch4 course return`` put in the hub folder."""

    pages: int                      # feedback pages copied
    without_pages: tuple[str, ...]  # students collected but with no returned page in OUT


NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")   # release_feedback reads both


def return_feedback(out: Path, folder: Path, assignment: str) -> HubFeedback:
    """Copy ``OUT/returns/<student>/<nb>.html`` of every collected submission of
    ``assignment`` into ``folder/feedback/<student>/<assignment>/`` (see the module)."""
    submitted = Path(folder) / "submitted"
    if not submitted.is_dir():
        raise ExchangeError(f"{submitted}: no collected submissions (run nbgrader collect "
                            f"{assignment} there first)")
    returns = OutputLayout(out).returns
    if not returns.is_dir():
        raise ExchangeError(f"{returns}: no returned pages (run ch4 feedback {out} first)")
    pages, without = 0, []
    for handed in sorted(p for p in submitted.glob(f"*/{assignment}") if p.is_dir()):
        student = handed.parent.name
        mine = [returns / safe_id(student) / f"{nb.stem}.html"
                for nb in sorted(handed.glob("*.ipynb"))]
        if not any(page.is_file() for page in mine):
            without.append(student)
            continue
        target = Path(folder) / "feedback" / student / assignment
        target.mkdir(parents=True, exist_ok=True)
        for page in mine:
            if page.is_file():
                shutil.copyfile(page, target / page.name)
                pages += 1
        for name in NBGRADER_FILES:
            if (handed / name).is_file():
                shutil.copyfile(handed / name, target / name)
    return HubFeedback(pages, tuple(without))


def add_arguments(sub) -> None:
    """``ch4 course release ASSIGNMENT --folder HUB [--course FILE] [--exchange DIR]``."""
    r = sub.add_parser("release", help="write one assignment as an nbgrader course folder "
                                       "for nbgrader's exchange (JupyterHub)")
    r.add_argument("assignment", help="the assignment's name in the course definition")
    r.add_argument("--folder", type=Path, required=True,
                   help="the nbgrader course folder on the hub (created if new)")
    r.add_argument("--course", type=Path, default=None, dest="definition",
                   help=f"the course definition (default: ./{FILE_NAME}, else the weekly plan)")
    r.add_argument("--exchange", type=Path, default=None,
                   help="nbgrader's exchange folder (Exchange.root), when not the default")
    r.add_argument("--solutions", type=Path, default=REPO / "solutions",
                   help="the instructor notebooks (default: this repository's solutions/)")
    f = sub.add_parser("return", help="put the pages of `ch4 feedback OUT` where nbgrader's "
                                      "release_feedback finds them (JupyterHub)")
    f.add_argument("assignment", help="the assignment's name (its folder in submitted/)")
    f.add_argument("--folder", type=Path, required=True,
                   help="the nbgrader course folder on the hub (where collect ran)")
    f.add_argument("--out", type=Path, required=True, help="the graded output folder")


COMMANDS = ("release", "return")


def run(args: argparse.Namespace) -> int:
    """Run ``ch4 course release`` or ``ch4 course return``."""
    if args.course_command == "return":
        return _run_return(args)
    return _run_release(args)


def _run_return(args: argparse.Namespace) -> int:
    """``ch4 course return``; one line on stderr and exit 2 on a problem."""
    try:
        done = return_feedback(args.out, args.folder, args.assignment)
    except ExchangeError as exc:
        print(f"ch4 course return: {exc}", file=sys.stderr)
        return 2
    print(f"copied {done.pages} feedback pages into {args.folder}/feedback"
          + (f"; no returned page for {', '.join(done.without_pages)}"
             if done.without_pages else ""))
    print(f"next: cd {args.folder} && nbgrader release_feedback {args.assignment}")
    return 0


def _run_release(args: argparse.Namespace) -> int:
    """Run ``ch4 course release``; one line on stderr and exit 2 on a problem."""
    from autograder.term.definition import DefinitionError

    try:
        path = args.definition or (Path(FILE_NAME) if Path(FILE_NAME).is_file() else None)
        definition = load(path) if path is not None else default_definition()
        done = release(definition, args.assignment, args.folder, args.solutions,
                       args.exchange)
    except (DefinitionError, ExchangeError) as exc:
        print(f"ch4 course release: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {done.folder}/release/{done.assignment} ({len(done.released)} notebooks, "
          f"course {done.course_id})"
          + ("" if done.config_written else "; your nbgrader_config.py was kept as it is"))
    print(f"next: cd {done.folder} && nbgrader release_assignment {done.assignment}")
    return 0
