"""Explanations are our own: no run of eight words is shared with the book's chapter.

The book's text is not in the repository; only hashes of its 8-word runs are (see
tests/fingerprints.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    from fingerprints import load, prose_of, shingles, words
except ImportError:  # run from the repository root as a package
    from tests.fingerprints import load, prose_of, shingles, words

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "solutions").glob("*.ipynb"))
NOTEBOOKS += sorted((REPO / "course").glob("*.ipynb"))


@pytest.fixture(scope="module")
def book() -> set[str]:
    return load()


def test_the_detector_flags_copied_text_and_spares_paraphrase(book):
    assert len(book) > 10000  # the stored fingerprints of the chapter are there
    original = ("A model learns by nudging each weight a little in the direction "
                "that lowers the loss, then checking again on the next batch.")
    fingerprints = shingles(original)
    copied = "As the text says: " + original.lower()
    paraphrase = ("Each step moves every weight slightly downhill on the loss surface, "
                  "and the next batch tells us whether that helped.")
    assert shingles(copied) & fingerprints
    assert not shingles(paraphrase) & fingerprints


@pytest.mark.parametrize("path", NOTEBOOKS + [REPO / "README.md"], ids=lambda p: p.name)
def test_no_eight_word_run_from_the_book(path, book):
    text = path.read_text() if path.suffix == ".md" else prose_of(path)
    shared = shingles(text) & book
    if shared:
        tokens = words(text)
        runs = [" ".join(tokens[i:i + 8]) for i in range(len(tokens) - 7)
                if shingles(" ".join(tokens[i:i + 8])) & shared]
        pytest.fail(f"{path.name} shares {len(shared)} eight-word runs with the book, "
                    f"e.g. {runs[:3]}")
