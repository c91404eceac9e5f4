"""Small nbgrader plugins that the course folder's ``nbgrader_config.py`` loads.

Kept apart from the grader (no torch, no item specs) because JupyterLab's formgrader and the
``nbgrader`` command import this module whenever they read that config.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

SCHEME_KEY = "mark_scheme_for"   # metadata.ch4.<this>: the answer a mark-scheme cell belongs to
REOPENED_KEY = "reopened_note_for"   # metadata.ch4.<this>: a reopened answer's previous mark
REOPENED_NOTE = "Answer changed after it was marked"   # starts the marker's note (reopen.py)


def is_marker_only(cell: dict) -> bool:
    """A cell written for the marker only (a mark scheme shown next to the answer, or the
    previous mark of an answer that changed after marking)."""
    ch4 = cell.get("metadata", {}).get("ch4", {})
    return isinstance(ch4, dict) and bool(ch4.get(SCHEME_KEY) or ch4.get(REOPENED_KEY))


class DropMarkerOnlyCells(NbGraderPreprocessor):
    """Remove marker-only cells, so that ``nbgrader generate_feedback`` on the autograded
    copies never shows a mark scheme to a student (nbgrader's base class: enabled by
    default, which nbconvert's plain Preprocessor is not)."""

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if not is_marker_only(c)]
        return nb, resources


class DropReopenedNotes(NbGraderPreprocessor):
    """Run after nbgrader's GetGrades: a reopened answer's note to the marker (its previous
    mark, kept in the gradebook's automatic comment until a marker scores it again) is not
    feedback, so ``nbgrader generate_feedback`` leaves it out."""

    def preprocess_cell(self, cell, resources, index):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if str(meta.get("comment") or "").startswith(REOPENED_NOTE):
            meta["comment"] = None
        return cell, resources
