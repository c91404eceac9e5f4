"""The spec object a notebook's cells call: ``SPEC.check("<grade id>")`` in a locked check cell
and ``SPEC.hint("<grade id>", level)``.

It sits above ``spec`` (the data), ``selfcheck`` (the check cell) and ``hints``, which import
``spec`` only: the data types never import back into what runs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.hints import hint_text
from autograder.items.selfcheck import check_item
from autograder.items.spec import NotebookSpec


@dataclass(frozen=True)
class CellSpec(NotebookSpec):
    """A notebook's items (``NotebookSpec``) with the two calls its cells make."""

    def hint(self, grade_id: str, level: int = 1) -> None:
        """Print hint ``level`` for an item (what ``ch4 hint`` prints), from a notebook cell."""
        print(hint_text(self, self.item(grade_id), level))

    def check(self, grade_id: str, namespace: dict | None = None) -> None:
        """The locked check cell: run the public probes here and judge them (``ch4 check``)."""
        check_item(self, self.item(grade_id), namespace)
