"""Fingerprints of prose: hashed 8-word shingles, to prove our text is not copied from the book.

The book's chapter is not ours to redistribute, so the repository stores only one-way hashes of
its word 8-grams (``tests/fixtures/book_ch4_shingles.txt.gz``), never its text. Regenerate
them from a local copy of the chapter's notebook with

    python -m tests.fingerprints path/to/04_mnist_basics.ipynb
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from pathlib import Path

SHINGLE_WORDS = 8
STORE = Path(__file__).resolve().parent / "fixtures" / "book_ch4_shingles.txt.gz"


def words(text: str) -> list[str]:
    """Lower-case words, with markup, code spans and punctuation dropped."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The hashes of every run of ``size`` consecutive words."""
    tokens = words(text)
    return {hashlib.sha256(" ".join(tokens[i:i + size]).encode()).hexdigest()[:16]
            for i in range(len(tokens) - size + 1)}


def prose_of(notebook: Path) -> str:
    """All markdown text of a notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                     for c in cells if c["cell_type"] == "markdown")


def load() -> set[str]:
    with gzip.open(STORE, "rt") as handle:
        return {line.strip() for line in handle if line.strip()}


if __name__ == "__main__":
    hashes = sorted(shingles(prose_of(Path(sys.argv[1]))))
    with gzip.open(STORE, "wt") as handle:
        handle.write("\n".join(hashes) + "\n")
    print(f"{len(hashes)} fingerprints written to {STORE}")
