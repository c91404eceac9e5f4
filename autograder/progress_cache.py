"""What ``ch4 progress`` remembers between runs, so that an unchanged notebook is not run again.

One hidden file in the student's working folder (``.ch4-progress-cache.json``) holds, per
notebook, the key it was run under and the row it gave. The key is a hash of everything the row
depends on:

- the notebook's content as the checks see it: every cell's type, source and nbgrader metadata
  (the release checksum tells an untouched answer from a tried one). Outputs, execution counts
  and other metadata are left out: the checks run the notebook in a fresh kernel, so saving it
  again after running it in Jupyter does not make it "changed";
- the ch4 package itself: its version and the bytes of every module and recorded expected value
  (``autograder/items/expected/``), so a new check, spec or expected value reruns everything;
- the versions of the libraries the notebooks run (torch, fastai, numpy) and of Python, the
  ``CH4_*`` settings (data folder, seed) the notebooks read, and the cell timeout.

Files a notebook reads from the working folder besides itself are not part of the key; a row
whose run had a problem (stopped early, unreadable) is never remembered.

A cache that cannot be read (garbled, another format, unreadable) is ignored with a note and
written afresh; a folder that cannot be written to only loses the cache, never the run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import autograder
from autograder import notebook as nbk

CACHE_NAME = ".ch4-progress-cache.json"
FORMAT = 1
_LIBRARIES = ("torch", "fastai", "numpy", "nbgrader", "copydetect")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """A hash of the ch4 package's code and expected values, its version, the libraries'
    versions and Python's (computed once per process)."""
    digest = hashlib.sha256(f"{autograder.__version__} {sys.version_info[:3]}".encode())
    for name in _LIBRARIES:
        digest.update(f"{name}={_version(name)};".encode())
    root = Path(autograder.__file__).resolve().parent
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".json")
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def content_key(path: Path, timeout: float) -> str | None:
    """The key of one notebook's progress row; None when the notebook cannot be read (it is
    then run, and its error reported, every time)."""
    try:
        nb = nbk.read(path)
    except (nbk.NotebookError, OSError):
        return None
    cells = [[c.cell_type, c.source, nbk.meta(c)] for c in nb.cells]
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("CH4_"))
    text = json.dumps([cells, settings, timeout, code_stamp()], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One notebook's remembered row (as its JSON) and the key it was made under."""

    key: str
    row: dict


@dataclass
class ProgressCache:
    """The cache file of one working folder, read once and written once."""

    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path) -> ProgressCache:
        """The folder's cache; empty (with a note) when the file is garbled or unreadable."""
        cache = cls(Path(folder) / CACHE_NAME)
        if not cache.path.exists():
            return cache
        try:
            data = json.loads(cache.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            cache.entries = {str(name): Entry(str(e["key"]), dict(e["row"]))
                             for name, e in data["notebooks"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            cache.notes.append(f"ignored the progress cache {cache.path.name} ({exc}"[:200]
                               + "); every notebook is run again")
            cache.entries = {}
        return cache

    def get(self, notebook: str, key: str | None) -> dict | None:
        """The remembered row of ``notebook`` when it was made under ``key``."""
        entry = self.entries.get(notebook)
        return entry.row if entry is not None and key is not None and entry.key == key else None

    def put(self, notebook: str, key: str | None, row: dict) -> None:
        if key is None:
            self.entries.pop(notebook, None)
        else:
            self.entries[notebook] = Entry(key, row)

    def drop(self, notebook: str) -> None:
        self.entries.pop(notebook, None)

    def save(self) -> None:
        """Write the file atomically; a folder that refuses it costs only the cache."""
        data = {"format": FORMAT, "notebooks": {name: {"key": e.key, "row": e.row}
                                                for name, e in sorted(self.entries.items())}}
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        try:
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            tmp.replace(self.path)
        except OSError as exc:
            self.notes.append(f"could not save the progress cache ({exc}); the next run "
                              "runs every notebook again")
