"""report.html's rows that need the instructor link to what they act on; flagged is not invalid.

The tiny class (tests/graded_class.py: alice answers, bob hands in the release, carol's file is
not JSON) is graded once; every link of its report must lead to a file that exists (or to
formgrader's page of that student's assignment). Superseded, skipped, missing and late rows
are checked on report sections built from hand-made rows.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from graded_class import graded_copy

from autograder.grading import links, report
from autograder.grading.collect import Skipped
from autograder.results import GradeResult
from autograder.term.standing import AssignmentGrade


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return graded_copy(tmp_path_factory)


def hrefs(page: str) -> list[str]:
    return re.findall(r"<a href='([^']+)'>", page)


def target(out: Path, href: str) -> Path:
    if href.startswith("file://"):
        return Path(unquote(urlparse(href).path))
    return out / unquote(href)


def row_of(page: str, text: str) -> str:
    """The <tr> of the report that holds ``text``."""
    match = re.search(r"<tr>(?:(?!</tr>).)*" + re.escape(text) + r".*?</tr>", page, re.S)
    assert match, text
    return match.group(0)


def test_every_link_in_the_report_leads_somewhere(graded):
    _, out, _ = graded
    page = (out / "report.html").read_text()
    found = hrefs(page)
    assert found
    for href in found:
        if href.startswith(links.FORMGRADER):
            assert re.fullmatch(re.escape(links.FORMGRADER)
                                + r"/formgrader/manage_students/[^/]+/ch4", href), href
        else:
            assert target(out, href).exists(), href


def test_an_invalid_row_links_its_file_feedback_and_formgrader(graded):
    _, out, _ = graded
    row = row_of((out / "report.html").read_text(), "not valid notebook JSON")
    assert hrefs(row) == ["course/submitted/carol/ch4/01_tiny.ipynb",
                          "feedback/carol/01_tiny.html",
                          f"{links.FORMGRADER}/formgrader/manage_students/carol/ch4"]


def test_an_invalid_notebook_is_invalid_not_flagged(graded):
    _, out, _ = graded
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    assert (rows["carol"]["invalid"], rows["carol"]["flagged"]) == ("true", "false")
    assert (rows["alice"]["invalid"], rows["alice"]["flagged"]) == ("false", "false")
    page = (out / "report.html").read_text()
    assert "Invalid submissions (1)" in page and "Flagged for review (0)" in page


def test_superseded_skipped_and_missing_rows_link_what_exists(tmp_path):
    out, subs = tmp_path / "out", tmp_path / "subs"
    (out / "course" / "submitted" / "ann" / "week1").mkdir(parents=True)
    (out / "course" / "submitted" / "ann" / "week1" / "01_tiny.ipynb").write_text("{}")
    (out / "feedback" / "ann").mkdir(parents=True)
    (out / "feedback" / "ann" / "01_tiny.html").write_text("<p>")
    (subs / "sec1").mkdir(parents=True)
    (subs / "sec1" / "ann_01_tiny-1.ipynb").write_text("{}")
    (subs / "notes.txt").write_text("hi")
    skipped = [Skipped("sec1/ann_01_tiny-1.ipynb", "superseded: an older copy", "ann",
                       "01_tiny", superseded=True),
               Skipped("notes.txt", "not a notebook (.ipynb)")]
    grades = [AssignmentGrade("ann", "week1", 3, 0, 10, 0, ("02_tiny",), None, None, 0.0)]
    graded = [GradeResult("ann", "week1", "01_tiny", "x", "f", 1)]
    page = report.attention_html(graded, skipped, [], out, (subs,), grades)
    row = row_of(page, "superseded: an older copy")
    assert hrefs(row) == [(subs / "sec1" / "ann_01_tiny-1.ipynb").resolve().as_uri(),
                          "feedback/ann/01_tiny.html",
                          f"{links.FORMGRADER}/formgrader/manage_students/ann/week1"]
    assert "Superseded copies (1)" in page and "Files not graded (1)" in page
    assert hrefs(row_of(page, "notes.txt")) == [(subs / "notes.txt").resolve().as_uri()]
    missing = row_of(page, "02_tiny")
    assert hrefs(missing) == ["feedback/ann",
                              f"{links.FORMGRADER}/formgrader/manage_students/ann/week1"]


def test_late_rows_link_the_students_pages_and_formgrader(tmp_path):
    (tmp_path / "course" / "submitted" / "bo ß" / "week2").mkdir(parents=True)
    due = datetime(2027, 1, 15, 23, 59, tzinfo=UTC)
    late = AssignmentGrade("bo ß", "week2", 5, 0, 10, 0, (), due + timedelta(days=1),
                           timedelta(days=1), 1.0, due=due)
    page = report.term_html([late], tmp_path)
    assert "Late work (1)" in page
    assert hrefs(row_of(page, "2027-01-15T23:59")) == [
        f"{links.FORMGRADER}/formgrader/manage_students/bo%20%C3%9F/week2"]
