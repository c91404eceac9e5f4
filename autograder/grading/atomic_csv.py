"""The one way the grader writes a file an instructor may upload (a CSV table or a zip): to
a temporary file, then a rename.

An instructor may open or upload grades.csv, canvas_grades.csv or a feedback zip while a run is
writing it; a rename means the file is always either the previous complete version or the new
complete one. Its own module because report.py, lms.py and returns.py all write such files,
and they import one another.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path


def write_table_atomic(path: Path, table: Iterable[Sequence[object]]) -> None:
    """Write rows of cells (a header row included, if any) as ``path``, complete or absent."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(table)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_rows_atomic(path: Path, header: Sequence[str],
                      rows: Iterable[Mapping[str, object]]) -> None:
    """Write records under ``header`` (a missing key is an empty cell; a key the header does
    not name is a programming error, refused before anything is written)."""
    columns = list(header)
    known = set(columns)
    table: list[list[object]] = [columns]
    for n, row in enumerate(rows, 1):
        extra = sorted(set(row) - known)
        if extra:
            raise ValueError(f"{Path(path).name}: row {n} has columns the header does not "
                             f"name: {', '.join(extra)}")
        table.append([row.get(c, "") for c in columns])
    write_table_atomic(path, table)


def write_zip_atomic(path: Path, members: Iterable[tuple[str, Path]]) -> None:
    """Write a zip of ``members`` (name inside the zip, file to store) as ``path``, complete or
    absent; its folder is made when missing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, source in members:
                zf.write(source, name)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
