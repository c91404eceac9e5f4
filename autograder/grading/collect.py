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
name. Student ids keep only letters and digits (of any script: ``张伟`` and ``Łukasz`` stay as they
are), ``.``, ``-`` and ``_``; when that changes an id, a short hash of the raw id is appended, so
``victim.`` and ``victim!`` stay two students. The same name in two section folders
(``section1/smith``, ``section2/smith``) is two students, named with their section.

Resubmissions: every file's time comes from what the source gives (nbgrader's ``timestamp.txt``,
else the file's time, which a zip member keeps); copies of one student's notebook are ordered by
Canvas's attachment id or the copy suffix (none, ``-1``, ``-2``), then by time. The latest one
before the cut-off (``cutoff``: a hard deadline) is graded; the others are ``Skipped`` records
marked ``superseded``, never extra students. Canvas's ``LATE_`` marker is kept on the submission.

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
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 5000
MAX_FILE_MB = 50
MAX_TOTAL_MB = 1000
MAX_DEPTH = 32          # folders below the submissions root that are searched
MAX_JSON_DEPTH = 64     # nesting of a notebook's JSON (real notebooks: under 10)
_SAFE_ID = re.compile(r"[^\w.-]+")       # \w: letters and digits of any script
_COPY_SUFFIX = re.compile(r"(?:-\d{1,3}| ?\(\d{1,3}\))$")       # "-1", " (2)"
# Canvas: ``<name>_[LATE_]<user>_<attachment>_<the student's own file name>``. The ids are the
# FIRST number pair after the name: what follows is the student's own upload name, which could
# hold a pair of its own (``mallory_999_7002_x_555_1_...`` is user 999, never 555).
CANVAS_PREFIX = re.compile(                                            # Canvas ids: no 0...
    r"^(?P<name>.+?)_(?P<late>LATE_)?(?P<user>[1-9]\d*)_(?P<attachment>[1-9]\d*)"
    r"(?:_(?P<own>.*))?$")
# Moodle's "download in folders": ``<Full name>_<participant>_assignsubmission_<plugin>_``.
MOODLE_FOLDER = re.compile(r"^.+_\d+_assignsubmission_[a-z]+_?$")


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
    submitted_at: datetime | None = None   # when it arrived (aware), None when unknown
    late_marker: bool = False              # the LMS marked it late (Canvas's LATE_)

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
    superseded: bool = False     # an older (or past the cut-off) copy of a graded submission
    submitted_at: datetime | None = None

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


def safe_id(text: str) -> str:
    """A file-system-safe student id; a hash of the raw id is appended when cleaning changed it,
    so two raw ids never become one."""
    cleaned = _SAFE_ID.sub("_", unicodedata.normalize("NFC", text)).strip("._-")[:100] \
        or "unknown"
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


@dataclass(frozen=True)
class _Match:
    """A file whose name (or folder) names a student and a source notebook."""

    prefix: str            # the student part as found (Canvas: with the attachment id)
    notebook: str
    file: Path
    section: str           # the folders above the student's files, relative to the root


def _students_of(matched: list[_Match]) -> dict[Path, str]:
    """file -> raw student id. Canvas prefixes of one user merge (``student_from_prefix``: the
    user id is the person); one name found in two section folders is two students, each
    named with their section (``section1_smith``)."""
    sections: dict[str, set[str]] = {}
    for m in matched:
        sections.setdefault(student_from_prefix(m.prefix), set()).add(m.section)
    students = {}
    for m in matched:
        raw = student_from_prefix(m.prefix)
        if len(sections[raw]) > 1 and m.section:
            raw = f"{m.section.replace('/', '_')}_{raw}"
        students[m.file] = raw
    return students


def _order(prefix: str, notebook: str, path: Path) -> int:
    """Where a copy stands among one student's copies of a notebook: Canvas's attachment id,
    then the copy suffix's number (no suffix: 0)."""
    copy = None if path.stem.endswith(notebook) else _COPY_SUFFIX.search(path.stem)
    suffix = int(re.sub(r"\D", "", copy.group(0))) if copy else 0
    canvas = CANVAS_PREFIX.match(prefix)
    return int(canvas["attachment"]) * 1000 + suffix if canvas else suffix


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


def _keep_member_time(target: Path, info: zipfile.ZipInfo) -> None:
    """Give the extracted file the member's own time (zip times carry no zone: read as UTC),
    the last-resort submission time."""
    try:
        stamp = datetime(*info.date_time, tzinfo=UTC).timestamp()
        os.utime(target, (stamp, stamp))
    except (OSError, ValueError, OverflowError):
        pass


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
                _keep_member_time(target, info)
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


def file_time(path: Path) -> datetime | None:
    """The file's modification time (a zip member's own time once extracted)."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, ValueError, OverflowError):
        return None


def nbgrader_timestamp(folder: Path) -> datetime | None:
    """The time in nbgrader's ``timestamp.txt`` (``2027-01-15 23:59:00.000000 UTC``); None when
    absent or unreadable."""
    try:
        text = (folder / "timestamp.txt").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    text = re.sub(r"\s*(UTC|Z)$", "+00:00", text)
    try:
        when = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


_TAKEN = ("not graded: its name gives the student id {id!r}, which is the id made for {other}; "
          "rename the file if this is a different student")
Cutoff = Callable[[str, str], "datetime | None"]     # (student, notebook) -> the cut-off


@dataclass
class _Candidate:
    sub: Submission
    order: int


class _Intake:
    """Submissions found so far, refusing two raw ids that would share a safe id; copies of
    one student's notebook wait in ``candidates`` until ``choose`` keeps the latest."""

    def __init__(self, root: Path, assignment: str,
                 assignments: Mapping[str, str] | None = None) -> None:
        self.root, self.assignment = root, assignment
        self.assignments = dict(assignments or {})
        self.candidates: dict[str, list[_Candidate]] = {}
        self.skipped: list[Skipped] = []
        self._raw: dict[str, tuple[str, Path]] = {}

    def add(self, raw_student: str, notebook: str, path: Path, lms_name: str = "",
            when: datetime | None = None, order: int = 0) -> None:
        student = safe_id(raw_student)
        seen = self._raw.get(student)
        if seen is not None and seen[0] != raw_student:
            # Only a raw id that cleaning changed owns its hashed id; a name written to equal
            # that id (which anyone can compute) is the copy: it is skipped, never merged, and
            # the batch goes on.
            if raw_student == student:
                self.skipped.append(Skipped(_rel(path, self.root), _TAKEN.format(
                    id=student, other=_rel(seen[1], self.root)), "", notebook))
                return
            self._disown(student)
        self._raw[student] = (raw_student, path)
        problem = notebook_problem(path)
        if problem is not None:
            self.skipped.append(Skipped(_rel(path, self.root), problem, student, notebook))
            return
        canvas = CANVAS_PREFIX.match(lms_name) if lms_name else None
        late = bool(canvas and canvas["late"])
        sub = Submission(student, self.assignments.get(notebook, self.assignment), notebook,
                         path, lms_name, when or file_time(path), late)
        self.candidates.setdefault(sub.key, []).append(_Candidate(sub, order))

    def _disown(self, student: str) -> None:
        """Skip every file taken so far under ``student`` by a raw id that equals it."""
        for key in [k for k, copies in self.candidates.items()
                    if copies[0].sub.student == student]:
            for c in self.candidates.pop(key):
                self.skipped.append(Skipped(_rel(c.sub.path, self.root), _TAKEN.format(
                    id=student, other="another student's file"), "", c.sub.notebook))

    def skip(self, path: Path, reason: str) -> None:
        self.skipped.append(Skipped(_rel(path, self.root), reason))

    def choose(self, cutoff: Cutoff | None) -> list[Submission]:
        """The latest copy of each student's notebook before its cut-off; older copies (and
        copies after the cut-off, when an earlier one came in time) become superseded rows."""
        chosen = []
        far = datetime.max.replace(tzinfo=UTC)
        for copies in self.candidates.values():
            copies.sort(key=lambda c: (c.order, c.sub.submitted_at or far, str(c.sub.path)))
            limit = cutoff(copies[0].sub.student, copies[0].sub.notebook) if cutoff else None
            in_time = [c for c in copies if limit is None or c.sub.submitted_at is None
                       or c.sub.submitted_at <= limit]
            keep = (in_time or copies)[-1]
            chosen.append(keep.sub)
            for c in copies:
                if c is keep:
                    continue
                why = ("after the cut-off" if c not in in_time else "an older copy")
                self.skipped.append(Skipped(
                    _rel(c.sub.path, self.root), f"superseded: {why}; "
                    f"{_rel(keep.sub.path, self.root)} is graded", c.sub.student,
                    c.sub.notebook, superseded=True, submitted_at=c.sub.submitted_at))
        return sorted(chosen, key=lambda s: (s.student, s.notebook))


def _arrival(stamp: datetime | None, file: Path) -> datetime | None:
    """When an nbgrader submission arrived: ``timestamp.txt`` is written by the student's own
    ``nbgrader submit``, so it is never believed when it is older than the notebook file
    itself (a backdated stamp). The file's time can be set by its owner too: on a hub, run
    ``nbgrader collect`` at the deadline to be sure (README, "Release and collect on a hub")."""
    written = file_time(file)
    if stamp is None or written is None:
        return stamp or written
    return max(stamp, written)


def _collect_nbgrader(root: Path, notebooks: list[str], intake: _Intake) -> None:
    """``submitted/<student>/<assignment>/<notebook>.ipynb`` for every assignment in play."""
    folders: dict[str, list[str]] = {}
    for nb in notebooks:
        folders.setdefault(intake.assignments.get(nb, intake.assignment), []).append(nb)
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for assignment, names in sorted(folders.items()):
            folder = student_dir / assignment
            if not folder.is_dir():
                continue
            stamp = nbgrader_timestamp(folder)
            for file in _walk(folder, intake.skipped):
                if file.parent != folder:
                    intake.skip(file, f"inside a subfolder of {assignment}/: not graded")
                elif file.name == "timestamp.txt":
                    continue
                elif file.suffix != ".ipynb":
                    intake.skip(file, "not a notebook (.ipynb)")
                elif file.stem not in names:
                    intake.skip(file, f"no source notebook named {file.name}")
                else:
                    intake.add(student_dir.name, file.stem, file, when=_arrival(stamp, file))


def _moodle_folder(file: Path, root: Path) -> Path | None:
    """The Moodle submission folder ``file`` sits in (at any depth below ``root``), if any:
    Moodle made that folder for one participant, so it names the student, never a name the
    student gave their own file (which could name someone else)."""
    for folder in file.parents:
        if folder == root or root not in folder.parents:
            return None
        if MOODLE_FOLDER.match(folder.name):
            return folder
    return None


def _collect_flat(path: Path, notebooks: list[str], intake: _Intake) -> None:
    """A flat folder (or an extracted zip) of LMS-named files or student folders."""
    matched: list[_Match] = []
    for file in _walk(path, intake.skipped):
        match = lms_prefix_from_filename(file.name, notebooks)
        above = file.parent
        moodle = _moodle_folder(file, path)
        if moodle is not None:          # the folder is the student, whatever the file says
            notebook = file.stem if file.stem in notebooks else match and match[1]
            match = (moodle.name, notebook) if notebook and file.suffix == ".ipynb" else None
            above = moodle.parent
        elif match is None and file.stem in notebooks and file.suffix == ".ipynb" \
                and file.parent != path:
            match = (file.parent.name, file.stem)   # <student>/<notebook>.ipynb
            above = file.parent.parent
        if match is not None:
            section = "" if above == path else _rel(above, path)
            matched.append(_Match(match[0], match[1], file, section))
        elif file.suffix != ".ipynb":
            intake.skip(file, "not a notebook (.ipynb)")
        else:
            intake.skip(file, "name does not end with a source notebook's name")
    students = _students_of(matched)
    for m in matched:
        intake.add(students[m.file], m.notebook, m.file, m.prefix,
                   order=_order(m.prefix, m.notebook, m.file))


def collect(path: Path, notebooks: list[str], assignment: str = "ch4",
            scratch: Path | None = None, assignments: Mapping[str, str] | None = None,
            cutoff: Cutoff | None = None) -> tuple[list[Submission], list[Skipped]]:
    """All submissions under ``path`` (folder or zip) and a record for each file skipped.

    ``assignments`` maps a notebook to its assignment of the term (default: ``assignment`` for
    every notebook); ``cutoff`` gives a student's cut-off for a notebook (a hard deadline)."""
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
    intake = _Intake(root or path, assignment, assignments)
    intake.skipped += from_zip
    if root is not None:
        _collect_nbgrader(root, notebooks, intake)
    else:
        _collect_flat(path, notebooks, intake)
    return intake.choose(cutoff), intake.skipped
