"""Misconception clusters recovered from a graded class with planted mistakes.

Each student hands in one notebook: the reference answers with one answer replaced by a wrong
answer from tests/mutants (its *planted label*). The class goes through the real ``ch4 grade``
(sandboxed where available); the clusters built from the results must recover the plants:
at least 90 % of each cluster's students share one planted label, and every label planted in
3 or more students appears as a cluster of its item, under the spec's name where the spec
knows the mistake. The full class (40 students, notebooks 01-05 and the questionnaire) is
slow; a smaller class of the same family runs in the default suite.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from corpus import grade_cases as gc  # noqa: E402

from autograder.analysis import insight  # noqa: E402
from autograder.analysis.clusters import Cluster, clusters  # noqa: E402
from autograder.results import GradeResult  # noqa: E402


@dataclass(frozen=True)
class Plant:
    """One planted mistake: the mutant (notebook, item, its words in tests/mutants) and the
    misconception the item's spec names it by ("" when the spec does not know it)."""

    notebook: str
    grade_id: str
    mutant: str
    named: str = ""

    @property
    def label(self) -> str:
        return f"{self.notebook[:2]} {self.grade_id}: {self.mutant}"


NB01, NB02, NB03 = "01_pixels_and_similarity", "02_tensors_and_metrics", "03_sgd_by_hand"
NB04, NB05, NB08 = ("04_mnist_loss_and_sigmoid", "05_minibatches_and_training_loop",
                    "08_questionnaire")
PLANTS = (
    Plant(NB01, "ex_stack_digits", "not scaled to [0, 1]", "no /255"),
    Plant(NB01, "ex_mean_digit", "mean over the wrong axis (1)", "mean over a pixel axis"),
    Plant(NB01, "ex_crop", "rows and columns swapped"),
    Plant(NB02, "ex_mnist_distance", "mean over every axis", "mean over every axis"),
    Plant(NB03, "ex_apply_step", "steps uphill (wrong sign)", "step uphill"),
    Plant(NB03, "ex_apply_step", "does not clear the gradient", "gradient not cleared"),
    Plant(NB04, "ex_mnist_loss", "no sigmoid", "no sigmoid"),
    Plant(NB05, "ex_batch_accuracy", "raw scores compared with 0.5", "threshold on raw scores"),
    Plant(NB05, "ex_train_epoch", "never zeroes the gradients", "gradients never zeroed"),
    Plant(NB08, "q08", "mean over the wrong axis", "mean over the wrong axis"),
)
SMALL = (PLANTS[0], PLANTS[2], PLANTS[9])      # notebooks 01 and 08: the default suite's case


def _case(plant: Plant) -> gc.Case:
    found = [c for c in gc.wrong_cases(plant.notebook)
             if c[1] == plant.grade_id and c[2] == plant.mutant]
    assert found, f"no mutant {plant.label} in tests/mutants"
    return found[0]


def grade_planted(root: Path, plants: tuple[Plant, ...], each: int
                  ) -> tuple[list[GradeResult], dict[str, Plant], Path]:
    """Grade ``each`` students per plant; (results, student -> plant, OUT)."""
    planted: dict[str, Plant] = {}
    for n, plant in enumerate(plants):
        written = gc.write_submissions(plant.notebook, [{plant.grade_id: _case(plant)}] * each,
                                       root, f"p{n:02d}")
        planted.update({sub.student: plant for sub in written})
    notebooks = sorted({p.notebook for p in plants})
    results = gc.grade(root, root / "out", notebooks, workers=2)
    return list(results.values()), planted, root / "out"


@pytest.fixture(autouse=True)
def _references(shared_references):
    """The notebooks' references are computed once per session (other modules grade them)."""
    with shared_references():
        yield


def _purity(cluster: Cluster, planted: dict[str, Plant]) -> float:
    labels = Counter(planted[s].label for s in cluster.students)
    return labels.most_common(1)[0][1] / cluster.size


def check_recovered(results: list[GradeResult], planted: dict[str, Plant]) -> list[Cluster]:
    found = clusters(results)
    assert found, "no failing answer was clustered"
    for cluster in found:
        assert _purity(cluster, planted) >= 0.9, (cluster.what, cluster.students)
    for plant in set(planted.values()):
        students = {s for s, p in planted.items() if p == plant}
        if len(students) < 3:
            continue
        mine = [c for c in found if c.notebook == plant.notebook
                and c.grade_id == plant.grade_id and set(c.students) & students]
        assert mine, f"{plant.label} is in no cluster"
        biggest = max(mine, key=lambda c: len(set(c.students) & students))
        assert len(set(biggest.students) & students) >= 0.9 * len(students), \
            (plant.label, [(c.what, c.students) for c in mine])
        assert biggest.misconception == plant.named, (plant.label, biggest.what)
        if plant.named:
            assert biggest.hint, plant.label
    return found


def test_a_small_planted_class_is_clustered_by_its_planted_mistakes(tmp_path) -> None:
    results, planted, out = grade_planted(tmp_path, SMALL, 3)
    found = check_recovered(results, planted)
    text = insight.main(out)
    assert "no /255" in text and "mean over the wrong axis" in text
    assert not any(student in text for student in planted)
    assert (out / "items.csv").read_text().count("\n") > 10
    report = (out / "report.html").read_text()
    assert "Item analysis" in report and "no /255" in report
    assert any(not c.named and c.grade_id == "ex_crop" for c in found)


@pytest.mark.slow
def test_a_class_of_40_with_ten_planted_mistakes_recovers_every_one(tmp_path) -> None:
    results, planted, _ = grade_planted(tmp_path, PLANTS, 4)
    assert len(planted) == 40 and len({p.label for p in planted.values()}) == 10
    found = check_recovered(results, planted)
    assert sum(1 for c in found if c.named) >= 9
