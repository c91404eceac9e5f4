"""Similarity hints: which students' answer cells share their own code or prose that the rest
of the class does not write, and which groups hand in one answer together.

One module per job: ``model`` (typed values and settings), ``owntext`` (starter code and
docstrings blanked), ``fingerprints`` (copydetect's filter and winnowing, word shingles, rarity),
``scoring`` (pairs and clusters; its docstring says why the score has its shape), ``rings``
(small groups who share what the rest of the class does not write), ``loading``
(answers from graded results and output folders), ``pages`` (CSV, JSON, side-by-side pages,
the report's section) and ``command`` (``ch4 grade``'s last step, ``ch4 similarity OUT``).

Similarity is a hint for an instructor to look, never proof and never part of a score.
"""

from autograder.grading.similarity.command import after_grading, analyse, main
from autograder.grading.similarity.fingerprints import fingerprint, rarity, stable_hash
from autograder.grading.similarity.loading import (
    answers_of,
    cell_kinds,
    from_results,
    load_results,
    starter_cells,
)
from autograder.grading.similarity.model import (
    DISCLAIMER,
    MIN_MATCHED,
    SECTION_END,
    SECTION_START,
    THRESHOLD,
    Answer,
    CellMatch,
    Cluster,
    Doc,
    Findings,
    Pair,
    SimilarityError,
)
from autograder.grading.similarity.owntext import own_text, without_docstrings
from autograder.grading.similarity.pages import (
    html_section,
    pair_page,
    read_stored,
    refresh_report,
    write_csv,
    write_outputs,
)
from autograder.grading.similarity.rings import find_rings, group_share, ring_limit
from autograder.grading.similarity.scoring import compare, exclusive_shares

__all__ = [
    "DISCLAIMER", "MIN_MATCHED", "SECTION_END", "SECTION_START", "THRESHOLD", "Answer",
    "CellMatch", "Cluster", "Doc", "Findings", "Pair", "SimilarityError", "after_grading",
    "analyse", "answers_of", "cell_kinds", "compare", "exclusive_shares", "find_rings",
    "fingerprint", "from_results", "group_share", "html_section", "load_results", "main",
    "own_text", "pair_page", "rarity", "read_stored", "refresh_report", "ring_limit",
    "stable_hash", "starter_cells", "without_docstrings", "write_csv", "write_outputs",
]
