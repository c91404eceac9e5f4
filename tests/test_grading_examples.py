"""The demo class in examples/submissions: every submission gets the score the rubric predicts.

Grades the real solutions/ notebooks (01, 02 and the questionnaire), so it also shows that the
reference solutions get full marks (alice) and the untouched release gets 0 (carol).
"""

from __future__ import annotations

import html
import importlib.util
import json
from pathlib import Path

import pytest

from autograder.grading import demo
from autograder.grading.run import grade_class
from autograder.grading.sandbox import SandboxUnavailable, check_available

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "submissions"


def _make_module():
    spec = importlib.util.spec_from_file_location("make_submissions",
                                                  REPO / "examples" / "make_submissions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_examples_are_up_to_date_with_solutions(tmp_path):
    """examples/submissions is exactly what make_submissions.py builds from solutions/."""
    _make_module().build(REPO / "solutions", tmp_path)
    assert (tmp_path / "EXPECTED.json").read_text() == (EXAMPLES / "EXPECTED.json").read_text(), \
        "examples/submissions is stale: run `python examples/make_submissions.py`"
    ours = sorted(p.relative_to(tmp_path) for p in (tmp_path / "submitted").rglob("*.ipynb"))
    theirs = sorted(p.relative_to(EXAMPLES) for p in (EXAMPLES / "submitted").rglob("*.ipynb"))
    assert ours == theirs
    for rel in ours:
        assert (tmp_path / rel).read_bytes() == (EXAMPLES / rel).read_bytes(), rel


def test_expected_scores_come_from_the_rubric():
    expected = json.loads((EXAMPLES / "EXPECTED.json").read_text())
    assert expected["carol/01_pixels_and_similarity"]["score"] == 0
    assert expected["dave/01_pixels_and_similarity"]["score"] == 0
    assert expected["eve/01_pixels_and_similarity"]["score"] == 0
    for key, rec in expected.items():
        if key.startswith("alice/"):
            assert rec["score"] == rec["max_score"] > 0, key
    assert 0 < expected["bob/08_questionnaire"]["score"] < expected["bob/08_questionnaire"][
        "max_score"]
    frank = expected["frank/08_questionnaire"]
    assert frank["score"] == frank["max_score"] - 1


@pytest.fixture(scope="module")
def graded(tmp_path_factory, shared_references):
    try:
        check_available()
    except SandboxUnavailable as exc:
        pytest.skip(str(exc))
    out = tmp_path_factory.mktemp("demo-out")
    settings = demo.demo_settings(REPO, out, workers=2)
    settings.quiet = True
    with shared_references():    # notebooks 01, 02 and 08: graded by other modules too
        outcome = grade_class(settings)
    return out, {f"{r.student}/{r.notebook}": r for r in outcome.results}


def test_every_example_gets_its_expected_score(graded):
    out, results = graded
    expected = json.loads((EXAMPLES / "EXPECTED.json").read_text())
    assert sorted(results) == sorted(expected)
    got = {k: (r.score, r.max_score) for k, r in results.items()}
    assert got == {k: (e["score"], e["max_score"]) for k, e in expected.items()}
    table, ok = demo.compare(EXAMPLES / "EXPECTED.json", out)
    assert ok, table


def test_examples_reasons(graded):
    _, results = graded
    assert "not valid notebook JSON" in results["dave/01_pixels_and_similarity"].invalid
    eve = results["eve/01_pixels_and_similarity"]
    assert eve.flags
    from autograder.items.nb08 import SPEC

    frank = {i.grade_id: i for i in results["frank/08_questionnaire"].items}
    assert "timed out" in frank[SPEC.items[-1].grade_id].message     # his last answer loops
    carol = results["carol/01_pixels_and_similarity"]
    assert all(i.score == 0 for i in carol.items)


def test_example_feedback_hides_hidden_tests_and_solutions(graded):
    from autograder import notebook as nbk
    from autograder.grading.feedback import secret_lines

    out, results = graded
    pages = sorted((out / "feedback").rglob("*.html"))
    assert len(pages) == len(results)
    for page in pages:
        text = page.read_text()
        key = f"{page.parent.name}/{page.stem}"
        secrets = secret_lines(nbk.read(REPO / "solutions" / f"{page.stem}.ipynb"))
        answers = "\n".join(results[key].answers.values())
        for marker in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "BEGIN MARK SCHEME"):
            assert marker not in text, (key, marker)
        for line in secrets:
            leaked = line in text or html.escape(line) in text
            assert not leaked or line in answers, (key, line)
