"""The source notebooks of a run, each read once: a name -> frozen path mapping that also
carries every notebook parsed (``SourceSet``), so that the stages after intake (feedback,
course folder, report, similarity) take the parsed value instead of reading the file again.

Functions that accept a plain ``{name: path}`` keep doing so (``notebook_of`` reads the file
then); the parsed notebooks are only read, never changed (``release`` copies before editing).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nbformat import NotebookNode

from autograder import notebook as nbk


class SourceSet(dict[str, Path]):
    """name -> frozen source path, with the notebooks' bytes and parsed values."""

    def __init__(self, paths: Mapping[str, Path], parsed: Mapping[str, NotebookNode],
                 data: Mapping[str, bytes]) -> None:
        super().__init__(paths)
        self._parsed = {name: nb for name, nb in parsed.items() if name in paths}
        self._data = {name: b for name, b in data.items() if name in paths}

    def data(self, name: str) -> bytes:
        """The bytes of source ``name``."""
        if name not in self._data:
            self._data[name] = Path(self[name]).read_bytes()
        return self._data[name]

    def notebook(self, name: str) -> NotebookNode:
        """The parsed notebook ``name`` (read now, once, when intake could not parse it)."""
        if name not in self._parsed:
            self._parsed[name] = nbk.read(self[name])
        return self._parsed[name]

    def subset(self, names) -> SourceSet:
        """The same sources, only ``names`` (those present)."""
        keep = {n: self[n] for n in names if n in self}
        return SourceSet(keep, self._parsed, self._data)


def notebook_of(sources: Mapping[str, Path], name: str) -> NotebookNode:
    """The parsed source ``name``: the value a ``SourceSet`` carries, else the file read."""
    if isinstance(sources, SourceSet):
        return sources.notebook(name)
    return nbk.read(sources[name])


def bytes_of(sources: Mapping[str, Path], name: str) -> bytes:
    """The bytes of source ``name``: those a ``SourceSet`` carries, else the file read."""
    if isinstance(sources, SourceSet):
        return sources.data(name)
    return Path(sources[name]).read_bytes()
