"""Similarity hints: own code only, copies found at three levels, common answers ignored, safe
pages, a real ``ch4 grade`` output compared again with ``ch4 similarity``, and bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from corpus.similarity_class import class_answers, make_class

from autograder import cli
from autograder import notebook as nbk
from autograder.grading import similarity as sim
from autograder.results import GradeResult

REPO = Path(__file__).resolve().parent.parent
TINY = REPO / "tests" / "fixtures" / "grading" / "solutions" / "01_tiny.ipynb"

ALICE_CODE = '''def double(x):
    """Add x to itself twice, keeping the type."""
    result = 0
    for _ in range(2):
        result = result + x  # accumulate
    if isinstance(result, float):
        result = float(result)
    checked = [result, x, result - x]
    return checked[0]
'''
# the same code renamed, reformatted, commented, with a docstring and dead code added
BOB_CODE = '''def double(x):
  # my own solution
  def unused_helper(v):
    return v
  acc=0
  for _ in range( 2 ):
    acc = acc+x
  if isinstance(acc,float):
    acc = float(acc)
  seen=[acc,x,acc-x]
  return seen[0]
'''
CAROL_CODE = "def double(x):\n    return x * 2\n"
ALICE_TEXT = ("A smooth loss changes only slightly when a weight moves slightly, so the gradient "
              "tells the optimiser which direction improves it; accuracy jumps in steps and has a "
              "zero gradient almost everywhere, which gives no signal to learn from.")
BOB_TEXT = ("One smooth loss changes just slightly whenever each weight moves slightly, thus its "
            "gradient tells our optimiser which direction improves it: accuracy jumps in steps "
            "plus has zero gradient nearly everywhere, giving no signal to learn from.")
CAROL_TEXT = "Because metrics like accuracy are flat, we need something differentiable."


def result(student: str, answers: dict[str, str], invalid: str | None = None) -> GradeResult:
    return GradeResult(student, "ch4", "01_tiny", f"{student}.ipynb", "f", 1, answers=answers,
                       invalid=invalid)


def tiny_class() -> list[GradeResult]:
    return [result("alice", {"ex_double_answer": ALICE_CODE, "q01_free": ALICE_TEXT}),
            result("bob", {"ex_double_answer": BOB_CODE, "q01_free": BOB_TEXT}),
            result("carol", {"ex_double_answer": CAROL_CODE, "q01_free": CAROL_TEXT})]


def hand_built_out(root: Path, results: list[GradeResult]) -> Path:
    """A grading output folder as ``ch4 grade`` leaves it: results/ and sources/."""
    for r in results:
        path = root / "results" / r.student / f"{r.notebook}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(r.to_json()))
    (root / "sources").mkdir(parents=True, exist_ok=True)
    shutil.copy(TINY, root / "sources" / "01_tiny.ipynb")
    return root


# ------------------------------------------------------------------ own code


def test_starter_lines_and_stubs_are_blanked_with_offsets_kept():
    starter = "def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    answer = "def double(x):\n    return x + x\n    # YOUR CODE HERE\n"
    own = sim.own_text(answer, starter)
    assert len(own) == len(answer)
    assert own.split() == ["return", "x", "+", "x"]


def test_docstrings_are_blanked_but_code_kept():
    code = 'def f(a):\n    """Say why."""\n    return a\n'
    own = sim.without_docstrings(code)
    assert "Say why" not in own and "return a" in own and len(own) == len(code)


def test_untouched_release_cell_has_no_own_code():
    starters = sim.starter_cells(TINY)
    answers = sim.answers_of("x", "01_tiny", dict(starters), starters, sim.cell_kinds(TINY))
    assert answers and all(sim.fingerprint(a) is None for a in answers)


# ------------------------------------------------------------------ pairs


def test_renamed_reformatted_copy_with_dead_code_is_flagged_and_honest_answer_is_not():
    answers, skipped = sim.from_results(tiny_class(), {"01_tiny": TINY})
    found = sim.compare(answers)
    pairs = {(p.kind, p.a, p.b): p for p in found.pairs}
    assert not skipped
    assert set(pairs) == {("code", "alice", "bob"), ("text", "alice", "bob")}
    assert pairs[("code", "alice", "bob")].items == ["ex_double"]
    assert pairs[("text", "alice", "bob")].items == ["q01_free"]
    assert pairs[("code", "alice", "bob")].share >= sim.THRESHOLD


def test_short_answer_everyone_writes_alike_raises_no_pair():
    one_liners = ["def double(x):\n    return 2 * x", "def double(y):\n    return 2*y  # easy",
                  "def double(v):\n    return (2 * v)"]
    results = [result(f"s{i}", {"ex_double_answer": one_liners[i % 3]}) for i in range(12)]
    answers, _ = sim.from_results(results, {"01_tiny": TINY})
    assert sim.compare(answers).pairs == []


def test_long_code_the_whole_class_shares_raises_no_pair():
    results = [result(f"s{i}", {"ex_double_answer": ALICE_CODE}) for i in range(6)]
    answers, _ = sim.from_results(results, {"01_tiny": TINY})
    assert sim.compare(answers).pairs == []


def test_generated_class_finds_every_planted_copy_with_at_most_one_false_pair():
    corpus = make_class(honest=40, seed=1)
    found = sim.compare(class_answers(corpus))
    flagged = {(p.notebook, p.kind, p.a, p.b) for p in found.pairs}
    planted = corpus.planted_pairs()
    assert len(corpus.answers) >= 46 and len(planted) == 6
    assert planted <= flagged, f"missed: {sorted(planted - flagged)}"
    assert len(flagged - planted) <= 1, sorted(flagged - planted)
    assert found.seconds < 10


COMMON_CODE = ("def double(x):\n    total = x + x\n    assert total == 2 * x, 'doubling failed'\n"
               "    return total\n")
COMMON_TEXT = ("The loss must change smoothly with the weights so that its gradient points the "
               "optimiser somewhere useful, while accuracy only moves in jumps.")


def common_answer_class(common: int = 9, copies: bool = False) -> list[GradeResult]:
    """14 students: ``common`` hand in the same short correct answers, the rest their own (and
    with ``copies`` alice and bob, outside the common group, a disguised copy)."""
    results = [result(f"c{i:02d}", {"ex_double_answer": COMMON_CODE, "q01_free": COMMON_TEXT})
               for i in range(common)]
    for i in range(14 - common - (2 if copies else 0)):
        own = (f"def double(x):\n    base_{i} = [x] * {i + 2}\n    return sum(base_{i}[:2])"
               f" + {i} - {i}\n")
        results.append(result(f"h{i:02d}", {"ex_double_answer": own,
                                            "q01_free": f"Answer {i}: {CAROL_TEXT}"}))
    if copies:
        results += tiny_class()[:2]
    return results


def test_half_the_class_with_the_same_short_answer_raises_no_pair_but_one_cluster():
    """The issue's class: 9 of 14 hand in the same short code and text. No pair (each of them
    has another classmate with the same answer), one group per kind, listed with its answer."""
    answers, _ = sim.from_results(common_answer_class(), {"01_tiny": TINY})
    found = sim.compare(answers)
    assert found.pairs == []
    groups = {c.kind: c for c in found.clusters}
    assert set(groups) == {"code", "text"} and len(found.clusters) == 2
    assert groups["code"].students == [f"c{i:02d}" for i in range(9)]
    assert groups["code"].size == 9 and groups["code"].items == ["ex_double"]
    assert "assert total == 2 * x" in groups["code"].answers["ex_double"]
    assert groups["text"].items == ["q01_free"]


def test_a_planted_copy_amid_a_common_answer_is_still_found():
    answers, _ = sim.from_results(common_answer_class(copies=True), {"01_tiny": TINY})
    found = sim.compare(answers)
    assert {(p.kind, p.a, p.b) for p in found.pairs} == {("code", "alice", "bob"),
                                                          ("text", "alice", "bob")}
    assert sorted(c.size for c in found.clusters) == [9, 9]


def test_three_students_with_one_long_answer_are_a_cluster_not_three_pairs():
    results = [result(s, {"ex_double_answer": ALICE_CODE}) for s in ("ann", "ben", "cat")]
    results += [result(f"h{i}", {"ex_double_answer": f"def double(x):\n    return x * {i + 2}"
                                 f" // {i + 1} + sum([x] * {i})\n"}) for i in range(5)]
    answers, _ = sim.from_results(results, {"01_tiny": TINY})
    found = sim.compare(answers)
    assert found.pairs == []
    assert [(c.students, c.items) for c in found.clusters] == [(["ann", "ben", "cat"],
                                                               ["ex_double"])]


def test_exclusive_share_is_what_one_side_has_beyond_the_closest_other_classmate():
    same = sim.exclusive_shares({("a", "b"): 1.0, ("a", "c"): 1.0, ("b", "a"): 1.0,
                                 ("b", "c"): 1.0, ("c", "a"): 1.0, ("c", "b"): 1.0})
    assert set(same.values()) == {0.0}
    copy = sim.exclusive_shares({("a", "b"): 0.9, ("a", "c"): 0.3, ("c", "a"): 0.3})
    assert copy[("a", "b")] == pytest.approx(0.6 / 0.7) and copy[("a", "c")] == 0.0


def test_generated_common_answer_class_raises_no_common_pair_and_finds_every_copy():
    """Half of the benchmark's 14 honest students hand in the reference code and one text."""
    corpus = make_class(honest=14, seed=1, common=True)
    found = sim.compare(class_answers(corpus))
    flagged = {(p.notebook, p.kind, p.a, p.b) for p in found.pairs}
    planted = corpus.planted_pairs()
    assert planted <= flagged, f"missed: {sorted(planted - flagged)}"
    assert flagged == planted, sorted(flagged - planted)
    common = [f"s{i:03d}" for i in range(0, 14, 2)]
    assert any(c.kind == "code" and set(common) <= set(c.students) for c in found.clusters)
    assert any(c.kind == "text" and c.students == common and len(c.items) == 4
               for c in found.clusters)


# a third disguise of alice's answer: renamed, commented, docstring, ``+=`` for ``= ... +``
DAN_CODE = '''def double(x):
    """Twice x."""
    total = 0  # running sum
    for i in range(2):
        total = total + x
    if isinstance(total, float):
        total = float(total)
    parts = [total, x, total - x]
    return parts[0]
'''
DAN_TEXT = ("Accuracy jumps in steps and has a zero gradient almost everywhere, giving no signal "
            "to learn from, while a smooth loss changes only slightly when any weight moves "
            "slightly, so its gradient tells the optimiser which direction improves it.")


def ring_class() -> list[GradeResult]:
    """The issue's class with a copy ring: 9 hand in the common answers, alice, bob and dan
    one disguised answer, three others their own (15 students)."""
    return [*common_answer_class(common=9, copies=True),
            result("dan", {"ex_double_answer": DAN_CODE, "q01_free": DAN_TEXT})]


def test_disguised_ring_of_three_amid_a_common_answer_is_one_group():
    """Three students with one disguised answer (whose pairs the exclusive share alone scores
    low: each has another member as closest classmate) are one rare group, listed with its
    answer, and none of their pairs is listed besides."""
    answers, _ = sim.from_results(ring_class(), {"01_tiny": TINY})
    found = sim.compare(answers)
    assert found.pairs == []
    rings = {c.kind: c for c in found.clusters if c.rare}
    assert set(rings) == {"code", "text"}
    for ring in rings.values():
        assert ring.students == ["alice", "bob", "dan"] and ring.share >= sim.THRESHOLD
    assert rings["code"].items == ["ex_double"] and "accumulate" in rings["code"].answers[
        "ex_double"]
    common = [c for c in found.clusters if not c.rare]
    assert sorted(c.size for c in common) == [9, 9]


def test_ring_members_are_not_raised_by_the_common_answer_alone():
    """Nobody who handed in the common answers is in a ring or a pair, in the issue's class
    and in the benchmark's rings class (20 of 40 with the same answers, rings of 3 and 4)."""
    answers, _ = sim.from_results(ring_class(), {"01_tiny": TINY})
    found = sim.compare(answers)
    assert not any(s.startswith("c") for c in found.clusters if c.rare for s in c.students)
    corpus = make_class(honest=40, seed=1, common=True, rings=True)
    found = sim.compare(class_answers(corpus))
    rings = {(c.notebook, c.kind, tuple(c.students)) for c in found.clusters if c.rare}
    assert rings == {(r.notebook, r.kind, tuple(sorted(r.members))) for r in corpus.rings}
    assert {(p.notebook, p.kind, p.a, p.b) for p in found.pairs} == corpus.planted_pairs()
    common = {f"s{i:03d}" for i in range(0, 40, 2)}
    assert any(common <= set(c.students) for c in found.clusters if not c.rare)


def test_group_share_takes_the_base_outside_the_group():
    shares = {("a", "b"): 0.8, ("b", "a"): 0.8, ("a", "c"): 0.7, ("c", "a"): 0.5,
              ("b", "c"): 0.6, ("c", "b"): 0.5, ("a", "h"): 0.2, ("h", "a"): 0.2,
              ("c", "h"): 0.3, ("h", "c"): 0.3}
    order = sim.rings.ranked(shares)
    assert sim.exclusive_shares(shares)[("b", "c")] == 0.0
    # c's strongest link: a has 0.7 of c, beyond a's 0.2 with h (the only one outside)
    assert sim.group_share(["a", "b", "c"], shares, order) == pytest.approx((0.7 - 0.2) / 0.8)
    assert sim.ring_limit(14) == 3 and sim.ring_limit(51) == 7


def test_report_and_command_list_a_ring_with_its_share(tmp_path, capsys):
    out = hand_built_out(tmp_path / "out", ring_class())
    assert cli.main(["similarity", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "3 students share what the rest of the class does not write" in printed
    assert "alice, bob, dan" in printed and "9 students share one answer" in printed
    section = sim.html_section(out)
    assert "Small groups who share what the rest of the class does not write" in section
    stored = sim.read_stored(out)
    assert stored is not None and sum(c.rare for c in stored.clusters) == 2


# ------------------------------------------------------------------ outputs


def test_outputs_csv_pages_and_report_section(tmp_path):
    found = sim.analyse(tiny_class(), {"01_tiny": TINY}, tmp_path)
    with open(tmp_path / "similarity.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["kind"], r["student_a"], r["student_b"]) for r in rows] == [
        ("code", "alice", "bob"), ("text", "alice", "bob")]
    assert float(rows[0]["share_matched"]) >= sim.THRESHOLD and rows[0]["items"] == "ex_double"
    for pair in found.pairs:
        page = (tmp_path / pair.page).read_text()
        assert "<mark>" in page and "not proof" in page
    section = sim.html_section(tmp_path)
    assert "<h2>Similarity</h2>" in section and "hint to look, not proof" in section
    assert "similarity/01_tiny/code-alice--bob.html" in section
    assert "same answer" not in section      # no group in this class


def test_report_and_command_list_a_group_once_with_its_answer(tmp_path, capsys):
    evil = COMMON_CODE.replace("doubling failed", "</pre><script>x()</script>")
    results = [result(f"c{i:02d}", {"ex_double_answer": evil}) for i in range(9)]
    out = hand_built_out(tmp_path / "out", [*results, *tiny_class()])
    assert cli.main(["similarity", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "9 students share one answer in ex_double: c00, c01" in printed
    section = sim.html_section(out)
    assert "Groups who handed in the same answer" in section and "<td>9</td>" in section
    assert "<script>" not in section and "&lt;script&gt;x()" in section
    stored = sim.read_stored(out)
    assert stored is not None and [c.size for c in stored.clusters] == [9]


def test_side_by_side_page_escapes_student_code():
    evil = ALICE_CODE.replace("# accumulate", "# </pre><script>alert(1)</script>")
    results = [result("alice", {"ex_double_answer": evil}),
               result("bob", {"ex_double_answer": BOB_CODE})]
    answers, _ = sim.from_results(results, {"01_tiny": TINY})
    found = sim.compare(answers)
    page = sim.pair_page(found, found.pairs[0])
    assert "<script>" not in page and "&lt;script&gt;alert(1)" in page


def test_report_section_is_replaced_not_repeated(tmp_path):
    (tmp_path / "report.html").write_text("<html><body><h1>Class report</h1>"
                                          "<h2>Students</h2></body></html>")
    sim.analyse(tiny_class(), {"01_tiny": TINY}, tmp_path)
    assert sim.refresh_report(tmp_path) and sim.refresh_report(tmp_path)
    page = (tmp_path / "report.html").read_text()
    assert page.count(sim.SECTION_START) == 1 and page.index("Similarity") < page.index(
        "<h2>Students</h2>")


# ------------------------------------------------------------------ ch4 similarity OUT


def test_ch4_similarity_on_a_hand_built_output(tmp_path, capsys):
    out = hand_built_out(tmp_path / "out", tiny_class())
    assert cli.main(["similarity", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "alice and bob" in printed and "not proof" in printed
    assert (out / "similarity.csv").exists() and (out / "similarity" / "pairs.json").exists()


def test_ch4_similarity_names_a_missing_or_foreign_folder(tmp_path, capsys):
    assert cli.main(["similarity", str(tmp_path / "nope")]) == 2
    assert "no such grading output folder" in capsys.readouterr().err
    assert cli.main(["similarity", str(tmp_path)]) == 2
    assert "no results/ inside" in capsys.readouterr().err
    (tmp_path / "results").mkdir()
    assert cli.main(["similarity", str(tmp_path)]) == 2
    assert "holds no graded submissions" in capsys.readouterr().err
    assert cli.main(["similarity", str(tmp_path), "--threshold", "5"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_garbled_result_and_broken_notebook_are_skipped_with_reasons(tmp_path, capsys):
    broken = result("dave", {}, invalid="01_tiny.ipynb: not valid notebook JSON")
    out = hand_built_out(tmp_path / "out", [*tiny_class(), broken])
    garbled = out / "results" / "erin" / "01_tiny.json"
    garbled.parent.mkdir()
    garbled.write_text('{"student": "erin", ')
    assert cli.main(["similarity", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "results/erin/01_tiny.json: unreadable result file" in printed
    assert "dave/01_tiny: not compared, the notebook could not be graded" in printed
    data = json.loads((out / "similarity" / "pairs.json").read_text())
    assert {(p["a"], p["b"]) for p in data["pairs"]} == {("alice", "bob")}
    assert len(data["skipped"]) == 2


def test_a_failure_after_grading_warns_and_leaves_no_stale_pairs(tmp_path, monkeypatch):
    sim.analyse(tiny_class(), {"01_tiny": TINY}, tmp_path)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sim.command, "analyse", boom)
    stream = io.StringIO()
    sim.after_grading(tiny_class(), {"01_tiny": TINY}, tmp_path, stream)
    assert "similarity hints not computed" in stream.getvalue() and "disk full" in stream.getvalue()
    assert not (tmp_path / "similarity" / "pairs.json").exists()
    assert sim.html_section(tmp_path) == ""


def test_ch4_grade_writes_similarity_and_ch4_similarity_recomputes_it(tmp_path, capsys):
    """A real grading run (two students who share their answers and a broken file), then the
    verb on its output folder (kept to three kernels: the reference and two students)."""
    from test_grading import make, settings

    from autograder.grading.run import grade_class
    from autograder.grading.sandbox import SandboxUnavailable, check_available

    try:
        check_available()
    except SandboxUnavailable:
        pytest.skip("bubblewrap cannot run here")

    root = tmp_path / "subs"
    source = nbk.read(TINY)
    for student, code, text in [("alice", ALICE_CODE, ALICE_TEXT), ("bob", BOB_CODE, BOB_TEXT)]:
        path = root / "submitted" / student / "ch4" / "01_tiny.ipynb"
        path.parent.mkdir(parents=True)
        nbk.write(make.fill(source, {"ex_double_answer": code, "q01_free": text}), path)
    broken = root / "submitted" / "dave" / "ch4" / "01_tiny.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"cells": [')
    out = tmp_path / "out"
    grade_class(settings(root, out, workers=2))
    with open(out / "similarity.csv", newline="") as handle:
        rows = {(r["kind"], r["student_a"], r["student_b"]) for r in csv.DictReader(handle)}
    assert rows == {("code", "alice", "bob"), ("text", "alice", "bob")}
    report = (out / "report.html").read_text()
    assert "<h2>Similarity</h2>" in report and "code-alice--bob.html" in report
    shutil.rmtree(out / "similarity")
    (out / "similarity.csv").unlink()
    assert cli.main(["similarity", str(out)]) == 0
    assert "dave/01_tiny: not compared" in capsys.readouterr().out
    assert (out / "similarity" / "01_tiny" / "code-alice--bob.html").exists()
    assert (out / "report.html").read_text().count(sim.SECTION_START) == 1
