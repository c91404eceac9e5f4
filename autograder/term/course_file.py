"""The course definition file on disk: ``ch4 course init`` writes a commented one from the weekly
plan, and a graded folder keeps a copy (OUT/ch4-course.toml) so that later commands on it use
the same term without being told again.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path

from autograder.grading.layout import OutputLayout, write_text_atomic
from autograder.term import exchange
from autograder.term.definition import (
    FILE_NAME,
    WEEKLY_PLAN,
    CourseDefinition,
    DefinitionError,
    load,
    parse,
)

HEADER = """\
# The term of the ch4 companion: its assignments, due dates, late policy and extensions.
# `ch4 grade SUBMISSIONS --course {name} --out OUT` grades each notebook handed in into its
# assignment; OUT keeps a copy of this file, so later runs on OUT need no --course.
# Times without a zone are in `timezone`; write them as 2027-01-15T23:59:00.

course = "{course}"
timezone = "{zone}"

# How lateness costs points. policy = "none" (late work is marked late, nothing taken off),
# "per_day" (percent_per_day of the assignment's maximum per started day late; 0 points once
# later than zero_after_days, when given) or "hard" (late work scores 0). Work that arrives
# within grace_minutes of the due time is on time.
[late]
policy = "none"
percent_per_day = 10
# zero_after_days = 5
grace_minutes = 0
"""

ASSIGNMENT = """
[[assignment]]
name = "{name}"                 # the gradebook's name and the nbgrader folder's name
title = "{title}"
notebooks = [{notebooks}]
{due}
# The LMS grade column's exact name ("" -> the title); on Canvas write the column header as the
# Gradebook export shows it, e.g. "Week 1 (12345)", or give canvas_assignment_id.
lms_column = ""
canvas_assignment_id = ""
"""

EXTENSION = """
# A later due time for one student (their id as `ch4 grade` shows it):
# [[extension]]
# student = "alice"
# assignment = "week1"
# days = 2                       # or: due = 2027-01-17T23:59:00
"""


def template(course: str = "ch4", zone: str = "UTC", first_due: datetime | None = None,
             name: str = FILE_NAME) -> str:
    """The commented definition of the weekly plan; with ``first_due``, week n is due n-1
    weeks after it."""
    parts = [HEADER.format(name=name, course=course, zone=zone)]
    for n, (aname, title, notebooks) in enumerate(WEEKLY_PLAN):
        due = ("# due = 2027-01-15T23:59:00     # no due date: nothing is late" if first_due
               is None else f"due = {(first_due + timedelta(weeks=n)).isoformat()}")
        parts.append(ASSIGNMENT.format(name=aname, title=title, due=due,
                                       notebooks=", ".join(f'"{nb}"' for nb in notebooks)))
    parts.append(EXTENSION)
    return "".join(parts)


def init(path: Path, course: str = "ch4", zone: str = "UTC", first_due: datetime | None = None,
         force: bool = False) -> CourseDefinition:
    """Write the template to ``path`` (never over an existing file unless ``force``)."""
    path = Path(path)
    if path.exists() and not force:
        raise DefinitionError(f"{path} exists already (edit it, or pass --force to replace it)")
    text = template(course, zone, first_due, path.name)
    definition = parse(text, path)          # the template must always load
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return definition


def changes(old: CourseDefinition, new: CourseDefinition) -> list[str]:
    """What differs between two definitions, one line each."""
    lines = []
    before = {a.name: a for a in old.assignments}
    after = {a.name: a for a in new.assignments}
    for name in sorted(before.keys() - after.keys()):
        lines.append(f"assignment {name} removed")
    for name in sorted(after.keys() - before.keys()):
        lines.append(f"assignment {name} added")
    for name in sorted(before.keys() & after.keys()):
        a, b = before[name], after[name]
        for what in ("notebooks", "due", "column", "title"):
            if getattr(a, what) != getattr(b, what):
                lines.append(f"{name}: {what} {getattr(a, what)} -> {getattr(b, what)}")
    if old.late != new.late:
        lines.append(f"late policy {old.late} -> {new.late}")
    was = {(e.student, e.assignment): e.due for e in old.extensions}
    now = {(e.student, e.assignment): e.due for e in new.extensions}
    for key in sorted(was.keys() | now.keys()):
        if was.get(key) != now.get(key):
            lines.append(f"extension {key[0]}/{key[1]}: due {_shown(was.get(key))} -> "
                         f"{_shown(now.get(key))}")
    return lines


def _shown(when: datetime | None) -> str:
    return when.isoformat(timespec="minutes") if when else "none"


def for_out(out: Path, given: Path | None) -> tuple[CourseDefinition | None, list[str]]:
    """The definition a command on ``out`` uses and what changed since OUT's copy.

    ``given`` (``--course FILE``) is copied into OUT; without it OUT's copy is used; with
    neither there is no term (None: one assignment, as before)."""
    kept = OutputLayout(out).course_toml
    if given is None:
        return (load(kept), []) if kept.is_file() else (None, [])
    definition = load(given)
    text = Path(given).read_text(encoding="utf-8")
    diff: list[str] = []
    if kept.is_file() and kept.resolve() != Path(given).resolve():
        if kept.read_text(encoding="utf-8") == text:
            return definition, []
        try:
            diff = changes(load(kept), definition) or ["comments or layout only"]
        except DefinitionError:
            diff = [f"the copy in {out} could not be read; replaced"]
    if not kept.is_file() or diff:
        write_text_atomic(kept, text)
    return definition, diff


def add_arguments(p: argparse.ArgumentParser) -> None:
    """``ch4 course init [FILE]``."""
    sub = p.add_subparsers(dest="course_command", required=True)
    i = sub.add_parser("init", help="write a commented course definition (the weekly plan)")
    i.add_argument("file", type=Path, nargs="?", default=Path(FILE_NAME),
                   help=f"where to write it (default: ./{FILE_NAME})")
    i.add_argument("--course", default="ch4", help="the course id (default ch4)")
    i.add_argument("--timezone", default="UTC", help="zone of the due times (default UTC)")
    i.add_argument("--first-due", type=datetime.fromisoformat, metavar="DATETIME",
                   help="week 1's due time, e.g. 2027-01-15T23:59; week n is due n-1 weeks "
                        "later (default: no due dates)")
    i.add_argument("--force", action="store_true", help="replace an existing file")
    exchange.add_arguments(sub)          # ch4 course release/return (term/exchange.py)


def run(args: argparse.Namespace) -> int:
    """Run ``ch4 course init``; one line on stderr and exit 2 on a problem."""
    if args.course_command in exchange.COMMANDS:
        return exchange.run(args)
    try:
        definition = init(args.file, args.course, args.timezone, args.first_due, args.force)
    except DefinitionError as exc:
        print(f"ch4 course: {exc}", file=sys.stderr)
        return 2
    names = ", ".join(f"{a.name} ({len(a.notebooks)} notebooks)"
                      for a in definition.assignments)
    print(f"wrote {args.file}: {names}; edit due dates, the late policy and extensions there")
    return 0
