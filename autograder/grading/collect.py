"""Find the submissions to grade, and account for every file handed in.

Three layouts are understood:

1. nbgrader's course layout: ``[course/]submitted/<student>/<assignment>/<notebook>.ipynb``;
2. a flat folder of notebooks, as an LMS exports them, and
3. a ``.zip`` of such a folder (extracted safely: no absolute paths, no ``..``, no links,
   at most ``MAX_MEMBERS`` files; a member over ``MAX_FILE_MB``, past ``MAX_TOTAL_MB`` in all,
   nested too deep or unreadable is skipped with a reason and the rest is extracted).

Student ids in flat folders and zips come from the file name. The rule: the name must END with
the name of a source notebook (``08_questionnaire.ipynb``); whatever comes before it, with the
separator (``--`` or ``_``) removed, is the student id. ``alice_08_questionnaire.ipynb`` and
``alice--08_questionnaire.ipynb`` are both Alice's ``08_questionnaire``. A copy suffix that an LMS
or a browser adds (``08_questionnaire-1.ipynb``, ``08_questionnaire (1).ipynb``) is ignored.
Canvas names every file ``<name>_<userid>_<attachmentid>_<file>`` (``<name>_LATE_<userid>_...``
when late): the attachment id differs for each file, so the student is ``<name>_<userid>`` and
all of their notebooks stay one student; the whole prefix is kept as ``Submission.lms_name`` for
the LMS exports. A file named exactly
like a source notebook inside a folder (Moodle's "download in folders") belongs to the folder's
name. Student ids keep only letters, digits, ``.``, ``-`` and ``_``; when that changes an id,
a short hash of the raw id is appended, so ``victim.`` and ``victim!`` stay two students.

Every file found gets an account: a ``Submission`` to grade or a ``Skipped`` record with the
reason (no matching notebook, a second copy, too large, unreadable, malformed JSON, nested too
deep). Nothing in one file stops the batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 5000
MAX_FILE_MB = 50
MAX_TOTAL_MB = 1000
MAX_DEPTH = 32          # folders below the submissions root that are searched
MAX_JSON_DEPTH = 64     # nesting of a notebook's JSON (real notebooks: under 10)
_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")
_COPY_SUFFIX = re.compile(r"(?:-\d{1,3}| ?\(\d{1,3}\))$")       # "-1", " (2)"
CANVAS_PREFIX = re.compile(                                            # Canvas ids: no 0...
    r"^(?P<name>.+?)_(?:LATE_)?(?P<user>[1-9]\d*)_(?P<attachment>[1-9]\d*)$")


class CollectError(ValueError):
    """The submissions folder or archive cannot be used (one-line message)."""


@dataclass(frozen=True)
class Submission:
    """One notebook handed in by one student."""

    student: str
    assignment: str
    notebook: str          # the source notebook's stem, e.g. "08_questionnaire"
    path: Path
    lms_name: str = ""     # the file name's student part as the LMS wrote it ("" when none)

    @property
    def key(self) -> str:
        return f"{self.student}/{self.notebook}"


@dataclass(frozen=True)
class Skipped:
    """A handed-in file that is not graded, and why (one row of the intake report)."""

    file: str              # path relative to the submissions folder (or archive)
    reason: str
    student: str = ""      # when known
    notebook: str = ""
    grader_error: bool = False   # the grader failed on it (the run exits non-zero)

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


def safe_id(text: str) -> str:
    """A file-system-safe student id; a hash of the raw id is appended when cleaning changed it,
    so two raw ids never become one."""
    cleaned = _SAFE_ID.sub("_", text).strip("._-")[:100] or "unknown"
    if cleaned == text:
        return cleaned
    return f"{cleaned}-{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:6]}"


def student_from_filename(name: str, notebooks: list[str]) -> tuple[str, str] | None:
    """(student, notebook) for an LMS file name, or None when no source notebook matches."""
    raw = raw_student_from_filename(name, notebooks)
    return None if raw is None else (safe_id(raw[0]), raw[1])


def raw_student_from_filename(name: str, notebooks: list[str]) -> tuple[str, str] | None:
    """(raw student id, notebook) for an LMS file name, before the id is made safe."""
    found = lms_prefix_from_filename(name, notebooks)
    return None if found is None else (student_from_prefix(found[0]), found[1])


def student_from_prefix(prefix: str) -> str:
    """The student part of a file name's prefix: a Canvas prefix loses its attachment id (and
    LATE marker), which differ from file to file of one student."""
    canvas = CANVAS_PREFIX.match(prefix)
    return f"{canvas['name']}_{canvas['user']}" if canvas else prefix


def _students_of(matched: list[tuple[str, str, Path]]) -> dict[str, str]:
    """prefix -> student id. Canvas prefixes of one student merge (``student_from_prefix``)
    unless two of them hold the same notebook: then they might be two people whose names only
    look alike, so each prefix stays a student of its own (nothing is merged or lost)."""
    prefixes: dict[str, set[str]] = {}           # student -> the prefixes that name them
    notebooks: dict[str, list[str]] = {}         # student -> every notebook handed in
    for prefix, notebook, _ in matched:
        student = student_from_prefix(prefix)
        prefixes.setdefault(student, set()).add(prefix)
        notebooks.setdefault(student, []).append(notebook)
    students = {}
    for student, names in prefixes.items():
        merge = len(notebooks[student]) == len(set(notebooks[student]))
        students.update({prefix: student if merge else prefix for prefix in names})
    return students


def lms_prefix_from_filename(name: str, notebooks: list[str]) -> tuple[str, str] | None:
    """(everything before the notebook's name, notebook) for an LMS file name."""
    if not name.endswith(".ipynb"):
        return None
    stem = name[: -len(".ipynb")]
    for candidate in dict.fromkeys((stem, _COPY_SUFFIX.sub("", stem))):
        for notebook in sorted(notebooks, key=len, reverse=True):
            if candidate.endswith(notebook) and len(candidate) > len(notebook):
                prefix = candidate[: -len(notebook)]
                for sep in ("--", "_", "-"):
                    if prefix.endswith(sep) and prefix[: -len(sep)]:
                        return prefix[: -len(sep)], notebook
    return None


def _member_problem(info: zipfile.ZipInfo, total: int) -> str | None:
    """Why one zip member is not extracted (None: extract it)."""
    parts = PurePosixPath(info.filename.replace("\\", "/")).parts
    if len(parts) > MAX_DEPTH or len(info.filename) > 1000:
        return f"nested deeper than {MAX_DEPTH} folders (or a name over 1000 characters)"
    if info.file_size > MAX_FILE_MB * 2**20:
        return f"larger than {MAX_FILE_MB} MB ({info.file_size / 2**20:.0f} MB)"
    if total + info.file_size > MAX_TOTAL_MB * 2**20:
        return f"the archive's first files already fill the {MAX_TOTAL_MB} MB limit"
    return None


def extract_zip(archive: Path, dest: Path) -> list[Skipped]:
    """Extract ``archive`` into ``dest``; refuse traversal and links (the whole archive), skip
    oversized, too deep or unreadable members (returned with the reason)."""
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise CollectError(f"{archive}: not a readable zip file ({exc})") from exc
    skipped: list[Skipped] = []
    with zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS:
            raise CollectError(f"{archive}: more than {MAX_MEMBERS} files")
        for info in members:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or info.filename.startswith("/"):
                raise CollectError(f"{archive}: unsafe path {info.filename!r}")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise CollectError(f"{archive}: contains a symbolic link {info.filename!r}")
        dest.mkdir(parents=True, exist_ok=True)
        total = 0
        for info in members:
            if info.is_dir():
                continue
            problem = _member_problem(info, total)
            if problem is not None:
                skipped.append(Skipped(info.filename, problem))
                continue
            target = dest.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
            if not target.resolve().is_relative_to(dest.resolve()):
                raise CollectError(f"{archive}: unsafe path {info.filename!r}")
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)  # zipfile stops at the declared size
            except (OSError, zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError,
                    EOFError, ValueError) as exc:
                target.unlink(missing_ok=True)
                skipped.append(Skipped(info.filename, f"unreadable in the archive "
                                                      f"({type(exc).__name__}: {exc})"[:300]))
                continue
            total += info.file_size
    return skipped


def _submitted_root(path: Path) -> Path | None:
    if (path / "submitted").is_dir():
        return path / "submitted"
    if path.name == "submitted":
        return path
    return None


def _json_depth(value: object) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            stack += [(v, depth + 1) for v in node.values()]
        elif isinstance(node, list):
            stack += [(v, depth + 1) for v in node]
    return deepest


def notebook_problem(path: Path) -> str | None:
    """Why a notebook file cannot even be handed to the grader (None: it can; plain invalid
    JSON is left to the grader, which reports it as an invalid submission)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_MB * 2**20:
            return f"larger than {MAX_FILE_MB} MB ({size / 2**20:.0f} MB)"
        data = path.read_bytes()
    except OSError as exc:
        return f"unreadable ({exc.strerror or type(exc).__name__})"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    try:
        parsed = json.loads(text)
    except RecursionError:
        return f"malformed: JSON nested deeper than {MAX_JSON_DEPTH} levels"
    except ValueError:
        return None
    if _json_depth(parsed) > MAX_JSON_DEPTH:
        return f"malformed: JSON nested deeper than {MAX_JSON_DEPTH} levels"
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "malformed: the JSON holds a lone surrogate (\\udXXX), not valid Unicode text"
    return None


def _walk(root: Path, skipped: list[Skipped]) -> list[Path]:
    """Every file under ``root`` (iterative, at most ``MAX_DEPTH`` folders deep, no links
    followed, hidden files and checkpoints ignored); deeper or unreadable folders noted."""
    files: list[Path] = []
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(_rel(folder, root), f"unreadable folder "
                                                       f"({exc.strerror or exc})"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=False)
            except OSError:
                is_dir = is_file = False
            if is_dir:
                if depth + 1 >= MAX_DEPTH:
                    skipped.append(Skipped(_rel(path, root), f"a folder nested deeper than "
                                                             f"{MAX_DEPTH} levels: not searched"))
                else:
                    stack.append((path, depth + 1))
            elif is_file:
                files.append(path)
            else:
                skipped.append(Skipped(_rel(path, root), "not a regular file (a link?)"))
    return sorted(files)


def _rel(path: Path, root: Path) -> str:
    try:
        text = str(path.relative_to(root))
    except ValueError:
        text = str(path)
    return text if len(text) <= 300 else text[:140] + " ... " + text[-140:]


class _Intake:
    """Submissions found so far, refusing two raw ids that would share a safe id."""

    def __init__(self, root: Path, assignment: str) -> None:
        self.root, self.assignment = root, assignment
        self.found: dict[str, Submission] = {}
        self.skipped: list[Skipped] = []
        self._raw: dict[str, tuple[str, Path]] = {}

    def add(self, raw_student: str, notebook: str, path: Path, lms_name: str = "") -> None:
        student = safe_id(raw_student)
        seen = self._raw.get(student)
        if seen is not None and seen[0] != raw_student:
            raise CollectError(f"two students would share the id {student!r}: "
                               f"{_rel(seen[1], self.root)} and {_rel(path, self.root)}; "
                               "rename one of the files")
        self._raw[student] = (raw_student, path)
        problem = notebook_problem(path)
        if problem is not None:
            self.skipped.append(Skipped(_rel(path, self.root), problem, student, notebook))
            return
        sub = Submission(student, self.assignment, notebook, path, lms_name)
        if sub.key in self.found:
            first = _rel(self.found[sub.key].path, self.root)
            self.skipped.append(Skipped(_rel(path, self.root), f"a second file for {sub.key}; "
                                        f"the first ({first}) is graded", student, notebook))
            return
        self.found[sub.key] = sub

    def skip(self, path: Path, reason: str) -> None:
        self.skipped.append(Skipped(_rel(path, self.root), reason))


def collect(path: Path, notebooks: list[str], assignment: str = "ch4",
            scratch: Path | None = None) -> tuple[list[Submission], list[Skipped]]:
    """All submissions under ``path`` (folder or zip) and a record for each file skipped."""
    path = Path(path)
    from_zip: list[Skipped] = []
    if path.is_file() and path.suffix == ".zip":
        if scratch is None:
            raise CollectError("a scratch folder is needed to extract a zip")
        shutil.rmtree(scratch, ignore_errors=True)
        from_zip = extract_zip(path, scratch)
        path = scratch
    if not path.is_dir():
        raise CollectError(f"{path}: no such folder or zip of submissions")
    root = _submitted_root(path)
    intake = _Intake(root or path, assignment)
    intake.skipped += from_zip
    if root is not None:
        for student_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            folder = student_dir / assignment
            if not folder.is_dir():
                continue
            for file in _walk(folder, intake.skipped):
                if file.parent != folder:
                    intake.skip(file, f"inside a subfolder of {assignment}/: not graded")
                elif file.suffix != ".ipynb":
                    intake.skip(file, "not a notebook (.ipynb)")
                elif file.stem not in notebooks:
                    intake.skip(file, f"no source notebook named {file.name}")
                else:
                    intake.add(student_dir.name, file.stem, file)
    else:
        matched: list[tuple[str, str, Path]] = []
        for file in _walk(path, intake.skipped):
            match = lms_prefix_from_filename(file.name, notebooks)
            if match is None and file.stem in notebooks and file.suffix == ".ipynb" \
                    and file.parent != path:
                match = (file.parent.name, file.stem)   # <student>/<notebook>.ipynb
            if match is not None:
                matched.append((match[0], match[1], file))
            elif file.suffix != ".ipynb":
                intake.skip(file, "not a notebook (.ipynb)")
            else:
                intake.skip(file, "name does not end with a source notebook's name")
        students = _students_of(matched)
        for prefix, notebook, file in matched:
            intake.add(students[prefix], notebook, file, prefix)
    subs = sorted(intake.found.values(), key=lambda s: (s.student, s.notebook))
    return subs, intake.skipped
