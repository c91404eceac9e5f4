"""Find the submissions to grade.

Three layouts are understood:

1. nbgrader's course layout: ``[course/]submitted/<student>/<assignment>/<notebook>.ipynb``;
2. a flat folder of notebooks, as an LMS exports them, and
3. a ``.zip`` of such a folder (extracted safely: no absolute paths, no ``..``, no links,
   at most ``MAX_MEMBERS`` files, ``MAX_FILE_MB`` each and ``MAX_TOTAL_MB`` in all).

Student ids in flat folders and zips come from the file name. The rule: the name must END with
the name of a source notebook (``08_questionnaire.ipynb``); whatever comes before it, with the
separator (``--`` or ``_``) removed, is the student id. ``alice_08_questionnaire.ipynb`` and
``alice--08_questionnaire.ipynb`` are both Alice's ``08_questionnaire``. Files that match no
source notebook are reported and skipped. Student ids keep only letters, digits, ``.``, ``-``
and ``_``.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 5000
MAX_FILE_MB = 50
MAX_TOTAL_MB = 1000
_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


class CollectError(ValueError):
    """The submissions folder or archive cannot be used (one-line message)."""


@dataclass(frozen=True)
class Submission:
    """One notebook handed in by one student."""

    student: str
    assignment: str
    notebook: str          # the source notebook's stem, e.g. "08_questionnaire"
    path: Path

    @property
    def key(self) -> str:
        return f"{self.student}/{self.notebook}"


def safe_id(text: str) -> str:
    cleaned = _SAFE_ID.sub("_", text).strip("._-")
    return cleaned[:100] or "unknown"


def student_from_filename(name: str, notebooks: list[str]) -> tuple[str, str] | None:
    """(student, notebook) for an LMS file name, or None when no source notebook matches."""
    if not name.endswith(".ipynb"):
        return None
    stem = name[: -len(".ipynb")]
    for notebook in sorted(notebooks, key=len, reverse=True):
        if stem.endswith(notebook) and len(stem) > len(notebook):
            prefix = stem[: -len(notebook)]
            for sep in ("--", "_", "-"):
                if prefix.endswith(sep):
                    student = prefix[: -len(sep)]
                    if student:
                        return safe_id(student), notebook
    return None


def extract_zip(archive: Path, dest: Path) -> Path:
    """Extract ``archive`` into ``dest`` refusing traversal, links and oversized content."""
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise CollectError(f"{archive}: not a readable zip file ({exc})") from exc
    with zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS:
            raise CollectError(f"{archive}: more than {MAX_MEMBERS} files")
        total = 0
        for info in members:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or info.filename.startswith("/"):
                raise CollectError(f"{archive}: unsafe path {info.filename!r}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise CollectError(f"{archive}: contains a symbolic link {info.filename!r}")
            if info.file_size > MAX_FILE_MB * 2**20:
                raise CollectError(f"{archive}: {info.filename} is larger than {MAX_FILE_MB} MB")
            total += info.file_size
            if total > MAX_TOTAL_MB * 2**20:
                raise CollectError(f"{archive}: more than {MAX_TOTAL_MB} MB uncompressed")
        dest.mkdir(parents=True, exist_ok=True)
        for info in members:
            if info.is_dir():
                continue
            target = dest.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
            if not target.resolve().is_relative_to(dest.resolve()):
                raise CollectError(f"{archive}: unsafe path {info.filename!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)  # zipfile stops at the declared size
    return dest


def _submitted_root(path: Path) -> Path | None:
    if (path / "submitted").is_dir():
        return path / "submitted"
    if path.name == "submitted":
        return path
    return None


def collect(path: Path, notebooks: list[str], assignment: str = "ch4",
            scratch: Path | None = None) -> tuple[list[Submission], list[str]]:
    """All submissions under ``path`` (folder or zip) and a list of skipped-file notes."""
    path = Path(path)
    skipped: list[str] = []
    if path.is_file() and path.suffix == ".zip":
        if scratch is None:
            raise CollectError("a scratch folder is needed to extract a zip")
        shutil.rmtree(scratch, ignore_errors=True)
        path = extract_zip(path, scratch)
    if not path.is_dir():
        raise CollectError(f"{path}: no such folder or zip of submissions")
    found: dict[str, Submission] = {}
    root = _submitted_root(path)
    if root is not None:
        for student_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            for assignment_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
                if assignment_dir.name != assignment:
                    continue
                for nb_path in sorted(assignment_dir.glob("*.ipynb")):
                    if nb_path.stem not in notebooks:
                        skipped.append(f"{nb_path}: no source notebook named {nb_path.name}")
                        continue
                    sub = Submission(safe_id(student_dir.name), assignment, nb_path.stem, nb_path)
                    found[sub.key] = sub
    else:
        for nb_path in sorted(path.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in nb_path.parts or nb_path.name.startswith("."):
                continue
            match = student_from_filename(nb_path.name, notebooks)
            if match is None:
                skipped.append(f"{nb_path}: name does not end with a source notebook's name")
                continue
            sub = Submission(match[0], assignment, match[1], nb_path)
            if sub.key in found:
                skipped.append(f"{nb_path}: a second file for {sub.key}; the first is graded")
                continue
            found[sub.key] = sub
    return sorted(found.values(), key=lambda s: (s.student, s.notebook)), skipped
