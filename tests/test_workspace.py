"""``ch4 start``: the student's working folder outside the course's files, found again by
``ch4 check`` and ``ch4 progress``; and ``ch4 student-setup``'s Jupyter settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import jupyter_setup, workspace
from autograder import notebook as nbk

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def student(tmp_path, monkeypatch) -> Path:
    """A student's home: every place ch4 start and student-setup write is under tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(home / ".jupyter"))
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")
    for name in (workspace.WORK_ENV, "JUPYTER_CONFIG_PATH"):
        monkeypatch.delenv(name, raising=False)
    return home


def _release(folder: Path, notebooks: dict[str, str]) -> Path:
    """A stand-in course folder: one markdown notebook per name, holding ``text``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in notebooks.items():
        nbk.write(nbk.new_notebook([nbk.markdown(text)], name), folder / name)
    return folder


def _cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder.cli", *args], cwd=cwd,
                          env=dict(os.environ), capture_output=True, text=True, timeout=300)


def test_start_copies_every_course_notebook_and_records_the_folder(student):
    report = workspace.start()
    folder = student / "ch4-work"
    names = sorted(p.name for p in (REPO / "course").glob("*.ipynb"))
    assert report.folder == folder and report.copied == names
    for name in names:
        assert (folder / name).read_bytes() == (REPO / "course" / name).read_bytes()
    marker = json.loads((folder / workspace.MARKER).read_text())
    assert sorted(marker["copied"]) == names
    assert workspace.recorded() == folder and workspace.work_dir() == folder


def test_a_rerun_keeps_the_students_work_and_says_so(student):
    workspace.start()
    mine = student / "ch4-work" / "01_pixels_and_similarity.ipynb"
    mine.write_text(mine.read_text().replace("YOUR CODE HERE", "my answer"))
    edited = mine.read_bytes()
    report = workspace.start()
    assert report.kept == ["01_pixels_and_similarity.ipynb"] and not report.copied
    assert not report.updated and not report.newer and len(report.current) == 9
    assert mine.read_bytes() == edited
    assert "  skipped, your work is kept: 01_pixels_and_similarity.ipynb" in report.lines()


def test_after_an_update_new_notebooks_arrive_and_changed_ones_stay(student, tmp_path):
    course = _release(tmp_path / "v1", {"01_a.ipynb": "one", "02_b.ipynb": "two"})
    work = tmp_path / "work"
    workspace.start(work, course)
    (work / "02_b.ipynb").write_text((work / "02_b.ipynb").read_text().replace("two", "mine"))
    course = _release(tmp_path / "v2", {"01_a.ipynb": "one, fixed", "02_b.ipynb": "two, fixed",
                                        "03_c.ipynb": "three"})
    report = workspace.start(work, course)
    assert report.copied == ["03_c.ipynb"]                      # new in the release
    assert report.updated == ["01_a.ipynb"]                     # untouched: takes the fix
    assert report.kept == ["02_b.ipynb"] and report.newer == ["02_b.ipynb"]
    assert "one, fixed" in (work / "01_a.ipynb").read_text()
    assert "mine" in (work / "02_b.ipynb").read_text()
    assert any("newer 02_b.ipynb" in line for line in report.lines())
    again = workspace.start(work, course)                       # nothing left to do
    assert again.kept == ["02_b.ipynb"] and not again.copied and not again.updated


def test_start_refuses_a_folder_inside_the_course_and_writes_nothing(student):
    for inside in (REPO / "course", REPO / "work"):
        with pytest.raises(workspace.WorkspaceError, match="outside"):
            workspace.start(inside)
    assert not (REPO / "work").exists() and not (REPO / "course" / workspace.MARKER).exists()
    with pytest.raises(workspace.WorkspaceError, match="pip install -e"):   # no course found
        workspace.start(student / "work", student / "no-course")
    assert not (student / "work").exists()


def test_the_folder_rule_argument_then_environment_then_recorded_then_default(student,
                                                                             monkeypatch):
    assert workspace.work_dir() == student / "ch4-work"
    workspace.start(student / "elsewhere", remember=True)
    assert workspace.work_dir() == student / "elsewhere"
    monkeypatch.setenv(workspace.WORK_ENV, str(student / "from-env"))
    assert workspace.work_dir() == student / "from-env"
    assert workspace.work_dir(student / "given") == student / "given"


def test_notebook_names_are_looked_up_in_the_working_folder(student):
    workspace.start()
    folder = student / "ch4-work"
    for name in ("01", "1", "01_pixels_and_similarity", "01_pixels_and_similarity.ipynb"):
        assert workspace.notebook_path(name) == folder / "01_pixels_and_similarity.ipynb"
    given = REPO / "course" / "02_tensors_and_metrics.ipynb"
    assert workspace.notebook_path(str(given)) == given          # a real path wins
    with pytest.raises(workspace.WorkspaceError, match="no notebook '42'"):
        workspace.notebook_path("42")


def test_check_and_progress_find_the_folder_ch4_start_set_up(student, tmp_path):
    course = _release(tmp_path / "release", {"01_dummy.ipynb": "not a course notebook"})
    assert "run `ch4 start`" in _cli("progress").stdout          # no working folder yet
    started = _cli("start", str(tmp_path / "mine"), "--course", str(course),
                   "--no-jupyter-setup", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    assert "copied: 01_dummy.ipynb" in started.stdout
    assert not (student / ".jupyter").exists()                   # --no-jupyter-setup
    check = _cli("check", "01", cwd=tmp_path)                    # found, then read
    assert check.returncode == 2
    assert str(tmp_path / "mine" / "01_dummy.ipynb") in check.stdout + check.stderr
    progress = _cli("progress", "--notebook", "03", cwd=tmp_path)
    assert progress.returncode == 0 and "not in this folder" in progress.stdout
    assert f"working folder: {tmp_path / 'mine'}" in progress.stdout


# ------------------------------------------------------------------ ch4 student-setup

def test_student_setup_turns_off_the_instructor_tools_and_keeps_other_settings(student):
    config = student / ".jupyter"
    page = config / jupyter_setup.PAGE_CONFIG
    page.parent.mkdir(parents=True)
    page.write_text(json.dumps({"disabledExtensions": {"some-other:plugin": True},
                                "theme": "dark"}))
    assert jupyter_setup.config_dir() == config                  # JUPYTER_CONFIG_DIR wins here
    jupyter_setup.hide_instructor_tools()
    written = json.loads(page.read_text())
    assert written["theme"] == "dark"
    assert set(written["disabledExtensions"]) == {"some-other:plugin",
                                                  *jupyter_setup.INSTRUCTOR_PLUGINS}
    assert set(written["lockedExtensions"]) == set(jupyter_setup.INSTRUCTOR_PLUGINS)
    assert not set(jupyter_setup.STUDENT_PLUGINS) & set(written["disabledExtensions"])
    server = json.loads((config / jupyter_setup.SERVER_CONFIG).read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False}
    jupyter_setup.show_instructor_tools()
    assert json.loads(page.read_text())["disabledExtensions"] == {"some-other:plugin": True}
    assert not (config / jupyter_setup.SERVER_CONFIG).exists()


def test_jupyter_itself_sees_only_the_student_tools(student):
    """What JupyterLab and Jupyter Server read under that config folder, asked of them (the
    environment's own nbgrader settings enable everything)."""
    code = """if True:
        import json
        from jupyter_core.paths import jupyter_path
        from jupyter_server.serverapp import ServerApp
        from jupyterlab_server.config import get_page_config
        app = ServerApp()
        app.find_server_extensions()
        page = get_page_config(jupyter_path("labextensions"))
        print(json.dumps({"server": {k: v for k, v in app.jpserver_extensions.items()
                                     if k.startswith("nbgrader")},
                          "disabled": sorted(page.get("disabledExtensions", []))}))
    """
    setup = _cli("student-setup", cwd=student)
    assert setup.returncode == 0 and str(student / ".jupyter") in setup.stdout
    seen = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                     text=True, check=True, timeout=300).stdout)
    assert seen["disabled"] == sorted(jupyter_setup.INSTRUCTOR_PLUGINS)
    assert seen["server"] == {"nbgrader.server_extensions.formgrader": False,
                              "nbgrader.server_extensions.course_list": False,
                              "nbgrader.server_extensions.assignment_list": True,
                              "nbgrader.server_extensions.validate_assignment": True}


def test_start_runs_the_student_setup_in_the_students_config(student, tmp_path):
    course = _release(tmp_path / "release", {"01_dummy.ipynb": "text"})
    result = _cli("start", str(tmp_path / "mine"), "--course", str(course), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (student / ".jupyter" / jupyter_setup.SERVER_CONFIG).exists()
    assert "jupyter lab" in result.stdout
