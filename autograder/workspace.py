"""The student's working folder: where ``ch4 start`` copies the course notebooks, and how
``ch4 check`` and ``ch4 progress`` find it again.

Students never work in the tracked ``course/`` folder, so a ``git pull`` (or a new copy of the
course) never conflicts with their answers. The rule that names the working folder, first
match wins:

1. the folder given on the command line;
2. ``$CH4_WORK``;
3. the folder ``ch4 start`` last set up (recorded in ``~/.config/ch4/work``, or under
   ``$XDG_CONFIG_HOME``);
4. ``~/ch4-work``.

``ch4 start`` copies each notebook that is not there yet, updates a copy the student has not
changed since it was copied, and never touches one the student changed: it says which it
skipped. What it copied is recorded (name and SHA-256) in ``.ch4-work.json`` in the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

WORK_ENV = "CH4_WORK"
DEFAULT_FOLDER = "ch4-work"
MARKER = ".ch4-work.json"
COURSE = Path(__file__).resolve().parent.parent / "course"


class WorkspaceError(ValueError):
    """A working folder or notebook that cannot be used (the message says what to do)."""


def _pointer() -> Path:
    """The file where ``ch4 start`` records the working folder it set up last."""
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "ch4" / "work"


def recorded() -> Path | None:
    """The working folder ``ch4 start`` recorded, if any."""
    try:
        text = _pointer().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def work_dir(given: Path | str | None = None) -> Path:
    """The working folder by the rule above (it may not exist yet)."""
    if given:
        return Path(given).expanduser()
    if os.environ.get(WORK_ENV):
        return Path(os.environ[WORK_ENV]).expanduser()
    return recorded() or Path.home() / DEFAULT_FOLDER


def existing_work_dir(given: Path | str | None = None) -> Path:
    """The working folder by the rule above; an error that says what to run when it is
    missing."""
    folder = work_dir(given)
    if not folder.is_dir():
        how = "" if given else " (run `ch4 start` to make one, or give the folder)"
        raise WorkspaceError(f"{folder} is not a folder{how}")
    return folder


def notebook_path(name: str, folder: Path | str | None = None) -> Path:
    """A notebook named on the command line: a path that exists as given, else a number
    (``01``), stem or file name looked up in the working folder."""
    path = Path(name).expanduser()
    if path.exists() or path.parent != Path("."):
        return path
    work = existing_work_dir(folder)
    stem = path.name.removesuffix(".ipynb")
    found = sorted(p for p in work.glob("*.ipynb") if p.stem == stem
                   or (stem.isdigit() and p.stem.startswith(f"{int(stem):02d}_")))
    if not found:
        raise WorkspaceError(f"no notebook {name!r} in {work} (run `ch4 start` to copy the "
                             "course notebooks there)")
    return found[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class StartReport:
    """What ``ch4 start`` did to each notebook."""

    folder: Path
    copied: list[str] = field(default_factory=list)      # new in the working folder
    updated: list[str] = field(default_factory=list)     # unchanged copies of an older release
    current: list[str] = field(default_factory=list)     # already the same as the course's
    kept: list[str] = field(default_factory=list)        # changed by the student: not touched
    newer: list[str] = field(default_factory=list)       # kept, and the course has a new version

    def lines(self) -> list[str]:
        out = [f"working folder: {self.folder}"]
        for label, names in (("copied", self.copied),
                             ("updated (you had not changed them)", self.updated)):
            if names:
                out.append(f"  {label}: {', '.join(names)}")
        if self.current:
            out.append(f"  already up to date: {len(self.current)} notebook(s)")
        if self.kept:
            out.append(f"  skipped, your work is kept: {', '.join(self.kept)}")
        for name in self.newer:
            out.append(f"  note: the course has a newer {name}; to take it, rename your copy "
                       "and run `ch4 start` again")
        return out


def _marker(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    copies = data.get("copied", {}) if isinstance(data, dict) else {}
    return {str(k): str(v) for k, v in copies.items()} if isinstance(copies, dict) else {}


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def start(target: Path | str | None = None, course: Path = COURSE,
          remember: bool = True) -> StartReport:
    """Copy the course notebooks into the working folder (see the module's rule) without
    overwriting a notebook the student changed; record what was copied."""
    course = Path(course).resolve()
    notebooks = sorted(p for p in course.glob("*.ipynb") if not p.name.startswith("."))
    if not notebooks:
        raise WorkspaceError(f"{course} holds no course notebooks (install the course "
                             "from its folder with `pip install -e .`)")
    folder = work_dir(target).resolve()
    repo = course.parent
    if _inside(folder, repo) and (repo / "autograder").is_dir():
        raise WorkspaceError(f"{folder} is inside the course's own folder {repo}: choose a "
                             "folder outside it (e.g. ~/ch4-work), so that updating the "
                             "course never touches your work")
    folder.mkdir(parents=True, exist_ok=True)
    copies = _marker(folder)
    report = StartReport(folder)
    for source in notebooks:
        name, new = source.name, source.read_bytes()
        new_hash = hashlib.sha256(new).hexdigest()
        mine = folder / name
        if not mine.exists():
            report.copied.append(name)
        else:
            have = sha256(mine)
            if have == new_hash:
                report.current.append(name)
                copies[name] = new_hash
                continue
            if copies.get(name) != have:           # the student's own work
                report.kept.append(name)
                if copies.get(name) != new_hash:
                    report.newer.append(name)
                continue
            report.updated.append(name)
        tmp = mine.with_name(f".{name}.tmp")
        tmp.write_bytes(new)
        tmp.replace(mine)
        copies[name] = new_hash
    (folder / MARKER).write_text(json.dumps({"course": str(course), "copied": copies},
                                            indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if remember:
        pointer = _pointer()
        pointer.parent.mkdir(parents=True, exist_ok=True)
        pointer.write_text(f"{folder}\n", encoding="utf-8")
    return report
