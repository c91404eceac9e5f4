"""Misconception clusters: the failing submissions of each item, grouped by how they failed.

Two failures fall in one cluster when the spec's known misconception matched both (a *named*
cluster, shown with the spec's student-facing hint), or else when they failed the same probes
with the same relations to the reference's values. Everything comes from the results
(``ItemResult.diagnosis`` carries the item's title and the misconception's words): no spec is
imported. Each cluster lists its students and one answer to look at.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.results import Diagnosis, GradeResult


@dataclass(frozen=True)
class Cluster:
    """Students whose answer to one item failed the same way."""

    notebook: str
    grade_id: str
    title: str                      # the item's display title
    misconception: str              # the spec's name for it ("" when not known)
    what: str                       # the mistake in words, or the pattern of the failure
    hint: str                       # the spec's student-facing hint ("" when not known)
    failed: tuple[str, ...]         # the probes failed (labels)
    relations: tuple[str, ...]
    students: tuple[str, ...]
    example: str                    # one student's answer cell, to look at

    @property
    def named(self) -> bool:
        return bool(self.misconception)

    @property
    def size(self) -> int:
        return len(self.students)


def _key(d: Diagnosis) -> tuple:
    return (d.misconception,) if d.misconception else ("", d.relations, d.failed)


def clusters(results: list[GradeResult]) -> list[Cluster]:
    """Every cluster of the class, largest first (ties: notebook, item, name)."""
    groups: dict[tuple, list[tuple[GradeResult, Diagnosis]]] = {}
    for r in sorted(results, key=lambda r: r.student):
        for item in r.items:
            d = item.diagnosis
            if item.passed or item.manual or d is None or not (d.failed or d.relations):
                continue
            groups.setdefault((r.notebook, item.grade_id, _key(d)), []).append((r, d))
    found = []
    for (notebook, grade_id, _), members in groups.items():
        first_result, first = members[0]
        what = first.what if first.misconception else "failed " + ", ".join(
            first.failed[:3]) + (" ..." if len(first.failed) > 3 else "") + " (" + ", ".join(
            first.relations) + ")"
        found.append(Cluster(notebook, grade_id, first.title or grade_id,
                             first.misconception, what, first.hint,
                             first.failed, first.relations,
                             tuple(r.student for r, _ in members),
                             first_result.answers.get(f"{grade_id}_answer", "")))
    return sorted(found, key=lambda c: (-c.size, not c.named, c.notebook, c.grade_id,
                                        c.misconception, c.relations))
