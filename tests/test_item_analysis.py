"""Item analysis without kernels: statistics checked against a hand calculation, relation
tags, the grader-side diagnosis on real specs, clusters, items.csv, ch4 insight, and that
a diagnosis never reaches a student's feedback page."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from autograder import notebook as nbk
from autograder.analysis import insight
from autograder.analysis.clusters import clusters
from autograder.analysis.diagnose import diagnose
from autograder.analysis.items import COLUMNS, csv_text, item_statistics
from autograder.analysis.relations import relation
from autograder.analysis.section import html_section
from autograder.items import nb01, nb05, nb08
from autograder.items.compare import NOT_ATTEMPTED, Outcome
from autograder.items.wire import Array
from autograder.results import Diagnosis, GradeResult, ItemResult

REPO = Path(__file__).resolve().parent.parent


def _result(student: str, scores: dict[str, float], manual: dict[str, float],
            notebook: str = "01_pixels_and_similarity", **diagnoses: Diagnosis) -> GradeResult:
    items = [ItemResult(gid, s, 1.0, s == 1.0, False,
                        NOT_ATTEMPTED if s < 0 else ("" if s == 1.0 else "differs"),
                        diagnosis=diagnoses.get(gid)) for gid, s in scores.items()]
    items = [ItemResult(i.grade_id, max(i.score, 0.0), 1.0, i.passed, False, i.message,
                        diagnosis=i.diagnosis) for i in items]
    items += [ItemResult(gid, max(s, 0.0), 2.0, False, True,
                         "left blank" if s < 0 else "marked by hand") for gid, s in manual.items()]
    return GradeResult(student, "ch4", notebook, "x.ipynb", "f", 1, items=items,
                       answers={f"{gid}_answer": f"# answer of {student}" for gid in scores})


# five students, items a, b (1 point each) and a hand-marked m (2 points); -1 = not attempted
CLASS = [_result("s1", {"a": 1, "b": 1}, {"m": 2}),
         _result("s2", {"a": 1, "b": 1}, {"m": 1}),
         _result("s3", {"a": 1, "b": 0}, {"m": 0}),
         _result("s4", {"a": 0, "b": 1}, {"m": 2}),
         _result("s5", {"a": -1, "b": 0}, {"m": -1})]


def test_difficulty_and_discrimination_match_a_hand_calculation() -> None:
    # totals 4, 3, 1, 3, 0. a: scores 1 1 1 0 0, rest 3 2 0 3 0; deviations .4 .4 .4 -.6 -.6
    # and 1.4 .4 -1.6 1.4 -1.6: r = 0.2 / sqrt(1.2 * 9.2) = 0.0602 (below 0.2: flagged).
    # b: 1 1 0 1 0, rest 3 2 1 2 0: r = 2.2 / sqrt(1.2 * 5.2) = 0.8807.
    # m: 2 1 0 2 0, rest 2 2 1 1 0; deviations 1 0 -1 1 -1 and .8 .8 -.2 -.2 -1.2:
    # r = 2.0 / sqrt(4 * 2.8) = 0.5976
    stats = {s.grade_id: s for s in item_statistics(CLASS)}
    a, b, m = stats["a"], stats["b"], stats["m"]
    assert (a.students, a.attempted, a.full_marks, a.difficulty) == (5, 4, 3, 0.6)
    assert (b.attempted, b.full_marks, b.difficulty) == (5, 3, 0.6)
    assert (m.manual, m.attempted, m.full_marks, m.difficulty) == (True, 4, 2, 0.4)
    assert a.discrimination == pytest.approx(0.0602, abs=1e-4)
    assert b.discrimination == pytest.approx(0.8807, abs=1e-4)
    assert m.discrimination == pytest.approx(0.5976, abs=1e-4)
    assert a.low_discrimination and not b.low_discrimination and not m.low_discrimination


def test_an_item_everyone_passes_has_no_discrimination_and_a_contrary_one_is_flagged() -> None:
    results = [_result(s, {"easy": 1, "odd": o, "c": c}, {})
               for s, o, c in (("s1", 0, 1), ("s2", 0, 1), ("s3", 1, 0), ("s4", 1, 0))]
    stats = {s.grade_id: s for s in item_statistics(results)}
    assert stats["easy"].discrimination is None and not stats["easy"].low_discrimination
    assert stats["odd"].discrimination == pytest.approx(-1.0)
    assert stats["odd"].low_discrimination


def test_items_csv_has_one_row_per_item_with_the_counts_of_each_chosen_option() -> None:
    chose = [("A", "B"), ("A", "B"), ("B", "A")]
    results = [GradeResult(f"s{n}", "ch4", "08_questionnaire", "x", "f", 1, items=[
        ItemResult("q14", float(c == ("A", "B")), 1.0, c == ("A", "B"), False,
                   diagnosis=Diagnosis(chosen=c))]) for n, c in enumerate(chose)]
    rows = list(csv.DictReader(io.StringIO(csv_text(item_statistics(results)))))
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["grade_id"] == "q14" and rows[0]["options"] == "A > B=2; B > A=1"
    assert rows[0]["difficulty"] == "0.667"


def _arr(values) -> Array:
    return Array(np.asarray(values, dtype=np.float32), True)


@pytest.mark.parametrize(("got", "tag"), [
    (np.arange(6.0).reshape(2, 3), "scaled x255"),
    (-np.arange(6.0).reshape(2, 3) / 255, "negated"),
    (np.arange(6.0).reshape(2, 3).T / 255, "transposed"),
    (np.full((2, 3), 0.5), "always the same value"),
    (np.roll(np.arange(6.0).reshape(2, 3), 1, axis=1) / 255, "shifted by one position"),
    (np.array([[np.nan, 1, 2], [3, 4, 5]]) / 255, "NaN or infinite"),
    (np.arange(6.0) / 255, "same values, other shape"),
])
def test_relation_tags_name_how_a_value_relates_to_the_reference(got, tag) -> None:
    assert relation(_arr(got), _arr(np.arange(6.0).reshape(2, 3) / 255)) == tag


def test_two_plain_numbers_are_not_called_scaled_by_an_arbitrary_factor() -> None:
    assert relation(0.3, 0.7) == "different values"
    assert relation(510.0, 2.0) == "scaled x255"


def _judged(spec, grade_id: str, student):
    """The item's public probes with the student's values from ``student(reference)``."""
    item = spec.item(grade_id)
    probes = list(item.hidden_probes("k" * 32)) or list(item.public)
    want = [Outcome(value=_reference(spec, grade_id, p)) for p in probes]
    got = [Outcome(value=student(p, w.value)) for p, w in zip(probes, want, strict=True)]
    return diagnose(item, probes, got, want, False)


def _reference(spec, grade_id: str, probe):
    """The reference's value for the probes used here, computed from the probe's inputs."""
    if grade_id == "ex_mean_digit":
        stack = probe.inputs["stack"].numpy()
        return [_arr(stack.mean(0)), _arr(stack)]
    if grade_id == "ex_batch_accuracy":
        s, t = probe.inputs["_ch4_s"].numpy(), probe.inputs["_ch4_t"].numpy()
        return {"accuracy": float((((1 / (1 + np.exp(-s))) > 0.5) == t).mean()),
                "scores after": _arr(s), "targets after": Array(t, True)}
    raise AssertionError(grade_id)


def test_a_mean_over_a_pixel_axis_is_named_by_the_specs_misconception() -> None:
    d = _judged(nb01.SPEC, "ex_mean_digit",
                lambda p, w: [_arr(p.inputs["stack"].numpy().mean(1)), w[1]])
    assert d is not None and d.misconception == "mean over a pixel axis"
    assert d.failed and d.relations and d.title == "Exercise 5 (mean_digit)"
    assert d.hint == nb01.SPEC.item("ex_mean_digit").misconceptions[0].hint


def test_an_input_changed_in_place_is_a_relation_and_no_named_misconception() -> None:
    d = _judged(nb01.SPEC, "ex_mean_digit", lambda p, w: [w[0], _arr(w[1].values / 2)])
    assert d is not None and d.misconception == "" and d.relations == ("input changed",)


def test_raw_scores_compared_with_a_half_are_named_in_notebook_05() -> None:
    def raw(p, w):
        s, t = p.inputs["_ch4_s"].numpy(), p.inputs["_ch4_t"].numpy()
        return {**w, "accuracy": float(((s > 0.5) == t).mean())}

    d = _judged(nb05.SPEC, "ex_batch_accuracy", raw)
    assert d is not None and d.misconception == "threshold on raw scores"


def test_a_passed_choice_item_keeps_the_option_chosen_and_others_keep_nothing() -> None:
    item = nb08.SPEC.item("q12")
    assert item.tally
    d = diagnose(item, list(item.public), [Outcome(value=["an option"])],
                 [Outcome(value=["an option"])], True)
    assert d == Diagnosis(chosen=("an option",))
    assert diagnose(nb01.SPEC.item("ex_crop"), [], [], [], True) is None


def test_a_misconception_test_that_raises_never_stops_the_diagnosis() -> None:
    item = nb01.SPEC.item("ex_stack_digits")
    probe = item.public[0]
    d = diagnose(item, [probe], [Outcome(value={"odd": object()})], [Outcome(value=_arr([1]))],
                 False)
    assert d is not None and d.misconception == ""


TITLES = {item.grade_id: item.display for item in nb01.SPEC.items}


def _failing(student: str, gid: str, name: str, relations: tuple[str, ...]) -> GradeResult:
    known = {m.name: m for m in nb01.SPEC.item(gid).misconceptions}.get(name)
    return GradeResult(student, "ch4", "01_pixels_and_similarity", "x", "f", 1, items=[
        ItemResult(gid, 0.0, 1.0, False, False, "differs",
                   diagnosis=Diagnosis(("probe 1",), relations, name, (), TITLES[gid],
                                       known.what if known else "",
                                       known.hint if known else ""))],
        answers={f"{gid}_answer": f"# {student}"})


def test_clusters_group_by_named_misconception_else_by_pattern() -> None:
    results = [_failing(f"a{n}", "ex_stack_digits", "no /255", ("scaled x255",))
               for n in range(3)]
    results += [_failing(f"b{n}", "ex_stack_digits", "", ("scaled x1.004",)) for n in range(2)]
    results += [_failing("c0", "ex_crop", "", ("transposed",))]
    found = clusters(results)
    assert [(c.misconception, c.size) for c in found] == [("no /255", 3), ("", 2), ("", 1)]
    named = found[0]
    assert named.students == ("a0", "a1", "a2") and named.example == "# a0"
    assert named.hint == nb01.SPEC.item("ex_stack_digits").misconceptions[0].hint
    assert "scaled x1.004" in found[1].what and found[1].title == "Exercise 4 (stack_digits)"


def test_insight_prints_the_top_misconceptions_without_names_unless_asked(tmp_path) -> None:
    results = [_failing(f"stu{n}", "ex_stack_digits", "no /255", ("scaled x255",))
               for n in range(4)] + [_failing("lone", "ex_crop", "", ("transposed",))]
    for r in results:
        path = tmp_path / "results" / r.student / f"{r.notebook}.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(r.to_json()))
    text = insight.main(tmp_path, tmp_path / "insight.html")
    assert "4 students, Exercise 4 (stack_digits)" in text and "no /255" in text
    assert "talk about:" in text and "stu0" not in text and "lone" not in text
    page = (tmp_path / "insight.html").read_text()
    assert "no /255" in page and "stu0" not in page and "# stu0" not in page
    assert "stu0, stu1" in insight.main(tmp_path, names=True)


def test_result_files_without_a_diagnosis_still_load() -> None:
    data = _failing("s", "ex_crop", "", ("transposed",)).to_json()
    del data["items"][0]["diagnosis"]
    assert GradeResult.from_json(data).items[0].diagnosis is None


def test_the_report_section_has_the_plot_the_items_and_the_clusters() -> None:
    html = html_section(CLASS + [_failing("z", "ex_crop", "", ("transposed",))])
    assert "id='item-plot'" in html and html.count("class='item-dot'") >= 2
    assert "id='item-table'" in html and "id='clusters'" in html and "transposed" in html


def test_a_diagnosis_never_reaches_the_students_feedback_page() -> None:
    from autograder.grading.feedback import PageSource, render

    source = nbk.read(REPO / "solutions" / "01_pixels_and_similarity.ipynb")
    result = _failing("s", "ex_stack_digits", "no /255", ("scaled x255 secret-tag",))
    page = render(result, PageSource.of(source))
    assert "secret-tag" not in page and "no /255" not in page and "probe 1" not in page


def test_docs_check_quality_md_is_current() -> None:
    """The committed quality table is what the generator writes from the corpora and their
    last measurement (after changing a corpus: python -m benchmarks.corpora, then python -m
    benchmarks.check_quality)."""
    from benchmarks.check_quality import PAGE, page

    text = page()
    assert PAGE.read_text(encoding="utf-8") == text, "run python -m benchmarks.check_quality"
    assert "| Exercise 4 (stack_digits) |" in text and "no /255" in text


@pytest.mark.parametrize("seed", range(5))
def test_relation_tags_carry_no_number_computed_from_the_values(seed):
    # tags reach the page `ch4 insight --html` shares with the class: a factor, an offset or a
    # rank derived from a hidden value must never be printed (red team round 5)
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(3, 4))
    c, d = float(rng.uniform(1.5, 9.5)), float(rng.uniform(1.5, 9.5))
    for got in (c * w, w + d, w.reshape(-1), w[None]):
        tag = relation(got, w)
        assert not any(ch.isdigit() for ch in tag), tag
    assert relation(w * 255, w) == "scaled x255"   # a named round factor says the mistake
