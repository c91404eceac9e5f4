"""``ch4 student-setup``: a student's JupyterLab shows nbgrader's student tools only.

nbgrader installs four server extensions and five JupyterLab plugins, and enables them all.
Students need Validate and the Assignment list; Formgrader, Course list and Create assignment
are the instructor's. nbgrader's installation guide turns them off one by one with
``jupyter labextension disable`` and ``jupyter server extension disable``; this module writes
the same settings as files, so that no Jupyter command has to run:

- ``labconfig/page_config.json``: the three plugins under ``disabledExtensions`` (and
  ``lockedExtensions``, so JupyterLab's plugin manager does not offer them back), merged with
  what the file already holds;
- ``jupyter_server_config.d/zz-ch4-student.json``: the two server extensions set to false
  (named to load after nbgrader's own ``nbgrader.json``, which enables them).

The folder is the first of Jupyter's config path (``jupyter --paths``): the one that wins.
Inside a virtual environment that is the environment's own ``etc/jupyter``, because Jupyter
prefers it to the user's folder; set ``JUPYTER_PREFER_ENV_PATH=0`` to make it
``$JUPYTER_CONFIG_DIR`` (``~/.jupyter``) instead. A file in a folder of lower priority would be
overridden by nbgrader's settings there.
"""

from __future__ import annotations

import json
from pathlib import Path

INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                      "@jupyter/nbgrader:create-assignment")
STUDENT_PLUGINS = ("@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment")
INSTRUCTOR_SERVER = ("nbgrader.server_extensions.formgrader",
                     "nbgrader.server_extensions.course_list")
PAGE_CONFIG = Path("labconfig") / "page_config.json"
SERVER_CONFIG = Path("jupyter_server_config.d") / "zz-ch4-student.json"
_LISTS = ("disabledExtensions", "lockedExtensions")


def config_dir() -> Path:
    """The Jupyter config folder of highest priority for this environment."""
    from jupyter_core.paths import jupyter_config_path

    return Path(jupyter_config_path()[0])


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); fix or remove it first") from exc
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def hide_instructor_tools(folder: Path | None = None) -> list[Path]:
    """Turn off nbgrader's instructor plugins and server extensions in ``folder`` (default:
    ``config_dir()``); the files written."""
    folder = Path(folder) if folder is not None else config_dir()
    page = _read(folder / PAGE_CONFIG)
    for key in _LISTS:
        entries = page.get(key)
        if isinstance(entries, list):                 # the older list form
            entries = dict.fromkeys(entries, True)
        page[key] = {**(entries if isinstance(entries, dict) else {}),
                     **dict.fromkeys(INSTRUCTOR_PLUGINS, True)}
    _write(folder / PAGE_CONFIG, page)
    server = {"ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER, False)}}
    _write(folder / SERVER_CONFIG, server)
    return [folder / PAGE_CONFIG, folder / SERVER_CONFIG]


def show_instructor_tools(folder: Path | None = None) -> list[Path]:
    """Undo ``hide_instructor_tools`` in ``folder``: the files changed or removed."""
    folder = Path(folder) if folder is not None else config_dir()
    changed = []
    page = _read(folder / PAGE_CONFIG)
    if page:
        for key in _LISTS:
            entries = page.get(key)
            if isinstance(entries, dict):
                page[key] = {k: v for k, v in entries.items() if k not in INSTRUCTOR_PLUGINS}
        _write(folder / PAGE_CONFIG, page)
        changed.append(folder / PAGE_CONFIG)
    if (folder / SERVER_CONFIG).exists():
        (folder / SERVER_CONFIG).unlink()
        changed.append(folder / SERVER_CONFIG)
    return changed


def main(undo: bool = False, folder: Path | None = None) -> int:
    """Write (or with ``undo`` remove) the student settings and say where."""
    try:
        paths = show_instructor_tools(folder) if undo else hide_instructor_tools(folder)
    except (OSError, ValueError) as exc:
        print(f"ch4 student-setup: {exc}")
        return 2
    if undo:
        print("nbgrader's instructor tools are shown again"
              + (f" ({', '.join(map(str, paths))})" if paths else " (nothing to undo)"))
    else:
        print("JupyterLab will show nbgrader's Validate and Assignment list only (Formgrader, "
              "Course list and Create assignment are off); restart JupyterLab to see it.")
        print(f"  wrote {', '.join(map(str, paths))}")
        print("  undo: ch4 student-setup --undo")
    return 0
