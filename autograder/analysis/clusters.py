"""Misconception clusters: the failing submissions of each item, grouped by how they failed.

Two failures fall in one cluster when the spec's known misconception matched both (a *named*
cluster, shown with the spec's student-facing hint), or else when they failed the same probes
with the same relations to the reference's values (``ItemResult.diagnosis``). Each cluster
lists its students and one answer to look at. Reads results only.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from autograder.items.spec import Item, Misconception, NotebookSpec
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


def spec_for(notebook: str) -> NotebookSpec | None:
    """The item spec of a notebook (``autograder.items.nbNN``), None when there is none."""
    try:
        spec = importlib.import_module(f"autograder.items.nb{notebook[:2]}").SPEC
    except (ImportError, AttributeError):
        return None
    return spec if isinstance(spec, NotebookSpec) and spec.notebook == notebook else None


def _known(item: Item | None, name: str) -> Misconception | None:
    if item is None or not name:
        return None
    return next((m for m in item.misconceptions if m.name == name), None)


def _key(d: Diagnosis) -> tuple:
    return (d.misconception,) if d.misconception else ("", d.relations, d.failed)


def _item(spec: NotebookSpec | None, grade_id: str) -> Item | None:
    try:
        return spec.item(grade_id) if spec is not None else None
    except KeyError:
        return None


def clusters(results: list[GradeResult]) -> list[Cluster]:
    """Every cluster of the class, largest first (ties: notebook, item, name)."""
    groups: dict[tuple, list[tuple[GradeResult, Diagnosis]]] = {}
    for r in sorted(results, key=lambda r: r.student):
        for item in r.items:
            d = item.diagnosis
            if item.passed or item.manual or d is None or not (d.failed or d.relations):
                continue
            groups.setdefault((r.notebook, item.grade_id, _key(d)), []).append((r, d))
    specs = {nb: spec_for(nb) for nb in {key[0] for key in groups}}
    found = []
    for (notebook, grade_id, _), members in groups.items():
        item = _item(specs[notebook], grade_id)
        first_result, first = members[0]
        known = _known(item, first.misconception)
        what = known.what if known else "failed " + ", ".join(first.failed[:3]) + (
            " ..." if len(first.failed) > 3 else "") + " (" + ", ".join(first.relations) + ")"
        found.append(Cluster(notebook, grade_id, item.display if item else grade_id,
                             first.misconception, what, known.hint if known else "",
                             first.failed, first.relations,
                             tuple(r.student for r, _ in members),
                             first_result.answers.get(f"{grade_id}_answer", "")))
    return sorted(found, key=lambda c: (-c.size, not c.named, c.notebook, c.grade_id,
                                        c.misconception, c.relations))
