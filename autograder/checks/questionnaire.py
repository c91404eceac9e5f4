"""The options of the questionnaire's multiple-choice and ordering items (notebook 08).

The options are declared with their items in ``autograder.items.nb08`` (``Item.choices``);
this module prints them lettered for one student (``show_choices``, called by the notebook)
and looks them up for the probe that turns letters back into texts, for tests and for
instructors. The package holds no key: the reference solution's answer is the key, and the
grader compares the texts of the options a student chose with the reference's. Correct options
are written to be no longer nor more qualified than the distractors, so that neither length nor
an absolute word ("always", "never", "only", ...) gives the answer away
(``tests/test_questionnaire.py`` measures both).
"""

from __future__ import annotations

from autograder.checks import choice
from autograder.items.nb08 import SPEC
from autograder.items.spec import Choices

__all__ = ["show_choices", "letter_of", "options_of", "choice_items"]


def choice_items() -> list[str]:
    """The grade ids of the multiple-choice and ordering items, in notebook order."""
    return [item.grade_id for item in SPEC.items if item.choices is not None]


def _choices(item: str) -> Choices:
    found = next((i.choices for i in SPEC.items if i.grade_id == item), None)
    if found is None:
        raise KeyError(f"{item} has no options: it is not a multiple-choice or ordering item "
                       f"of {SPEC.notebook}")
    return found


def show_choices(item: str, student_id: object = "") -> None:
    """Print the options of a multiple-choice or ordering item, lettered for this student."""
    found = _choices(item)
    choice.show(item, found.options, student_id, multi=found.kind == "several",
                ordering=found.kind == "order")


def letter_of(item: str, student_id: object, text: str) -> str:
    """The letter under which a student sees option ``text`` (for tests and instructors)."""
    return choice.letter_of(item, _choices(item).options, student_id, text)


def options_of(item: str) -> list[str]:
    """The option texts of an item, in the spec's (alphabetical) order."""
    return list(_choices(item).options)
